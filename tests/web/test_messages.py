"""The service's refusals not pinned elsewhere, each over HTTP with its exact text (docs/parity.md)."""

import pytest

API = "/customer-secrets/v1"
DEV = {"Authorization": "dev-token"}


@pytest.fixture(autouse=True)
def _world(world):
    return world


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"),
    [
        (
            "post",
            f"{API}/sites/acme-web/secrets",
            {"json": {"name": "bad name!", "value": "v"}, "headers": DEV},
            400,
            "Invalid secret name 'bad name!': names must be 1-255 characters of letters, numbers, '.', '_', '-', ':' and '@'.",
        ),
        ("post", f"{API}/sites/acme-web/secrets", {"json": ["x"], "headers": DEV}, 400, "Request body must be a JSON object."),
        (
            "post",
            f"{API}/sites/acme-web/secrets",
            {"data": "name=x", "headers": {**DEV, "Content-Type": "application/x-www-form-urlencoded"}},
            400,
            "Request body must be JSON (Content-Type: application/json), not 'application/x-www-form-urlencoded'.",
        ),
        (
            "get",
            f"{API}/sites/acme-web/secrets/showall",
            {},
            401,
            "Authentication required: send a machine token in the Authorization header.",
        ),
        (
            "patch",
            f"{API}/sites/acme-web/secrets/API_KEY",
            {"json": {"value": "v", "env": "Not An Env"}, "headers": DEV},
            400,
            "Invalid environment name 'Not An Env': use dev, test, live or a multidev name "
            "(1-11 lowercase letters, numbers and dashes).",
        ),
        (
            "patch",
            f"{API}/sites/acme-web/secrets/API_KEY",
            {"json": {"value": "v", "type": "env"}, "headers": DEV},
            400,
            "Secret 'API_KEY': type and scopes cannot change after creation. Delete and recreate the secret.",
        ),
        (
            "get",
            f"{API}/sites/acme-web/environments/dev/secrets",
            {},
            401,
            "Runtime reads need the site's runtime token as 'Authorization: Bearer <token>'.",
        ),
        (
            "get",
            f"{API}/sites/acme-web/environments/dev/secrets",
            {"headers": {"Authorization": "Bearer personal-runtime"}},
            403,
            None,  # names the site by id: checked below
        ),
        (
            "get",
            f"{API}/sites/acme-web/environments/dev/secrets/NOPE",
            {"headers": {"Authorization": "Bearer acme-web-runtime"}},
            404,
            None,
        ),
        ("put", f"{API}/sites/acme-web/secrets/showall", {"headers": DEV}, 405, None),
    ],
)
def test_each_refusal_has_its_status_and_exact_text(client, world, method, path, kwargs, status, message):
    response = getattr(client, method)(path, **kwargs)

    assert response.status_code == status, response.get_data(as_text=True)
    text = response.get_data(as_text=True)
    site_id = world["sites"][0]["id"]
    expected = (
        message
        or {
            403: f"This runtime token does not belong to site '{site_id}'.",
            404: f"No web-scoped secret 'NOPE' for site '{site_id}' in environment 'dev'.",
            405: f"Method PUT is not allowed for {path}.",
        }[status]
    )
    assert text in (expected, expected.replace(site_id, "acme-web"))


def test_a_body_over_the_limit_is_413_naming_the_limit(client):
    response = client.post(
        f"{API}/sites/acme-web/secrets", data=b"x" * (256 * 1024 + 1), headers={**DEV, "Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.get_data(as_text=True) == "Request body is larger than the limit of 262144 bytes."


def test_an_unexpected_error_is_a_500_that_names_the_server_log_not_the_error(config):
    from emulator import hookimpl
    from emulator.web.app import create_app

    class Broken:
        @hookimpl
        def pantheon_emulator_request(self, request, emulator):
            raise RuntimeError("secret-bearing detail")

    response = create_app(config, plugins=[Broken()]).test_client().get(f"{API}/sites/acme-web/secrets/showall")

    assert response.status_code == 500
    assert response.get_data(as_text=True) == "Internal emulator error; see the server log."
