"""One test per bug the reliability work found in the core; each failed before its fix."""

from __future__ import annotations

import pytest

from .support import raw_exchange, running_server


@pytest.mark.slow
def test_serve_refuses_a_huge_content_length_at_once(tmp_path):
    """waitress buffered up to 1 GB of body before the app could refuse it, so a client announcing
    500 MB got no answer until it had sent them all. The server now refuses it from the header."""
    with running_server("--memory", "--port", "0", cwd=tmp_path) as server:
        head = (
            b"POST /customer-secrets/v1/sites/demo-site/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: demo-token\r\nContent-Type: application/json\r\n"
            b"Content-Length: 500000000\r\n\r\n"
        )
        answer = raw_exchange(server.url, head, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000])
def test_deeply_nested_json_is_a_400_not_a_500(tenant_client, body):
    """json.loads raised RecursionError, which escaped as a 500."""
    response = tenant_client.post("/_emulator/seed", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Request body is not valid JSON: it is nested too deeply."


def test_json_number_too_large_for_a_float_is_refused(tenant_client):
    """1e999 parsed as infinity; as a rate-limit window it made every management request a 500."""
    response = tenant_client.patch("/_emulator/settings", data='{"rate_limit_window": 1e999}', content_type="application/json")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Request body is not valid JSON: a number is too large."
    assert (
        tenant_client.get(
            "/customer-secrets/v1/sites/north-web/secrets/showall", headers={"Authorization": "alice-token"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate_limit_window": 0}, "Setting 'rate_limit_window' must be more than 0 seconds."),
        ({"cache_ttl": 10**400}, "Setting 'cache_ttl' is too large."),
        ({"rate_limit_window": 10**400}, "Setting 'rate_limit_window' is too large."),
    ],
)
def test_settings_the_server_cannot_use_are_refused(tenant_client, change, message):
    """A zero window (which `serve` refuses) was accepted; an integer too large for a float was
    stored and made every runtime read (cache_ttl) or management request (window) a 500."""
    response = tenant_client.patch("/_emulator/settings", json=change)
    assert (response.status_code, response.get_data(as_text=True)) == (400, message)
    assert (
        tenant_client.get(
            "/customer-secrets/v1/sites/north-web/environments/dev/secrets", headers={"Authorization": "Bearer north-web-rt"}
        ).status_code
        == 200
    )


def test_journal_lists_a_request_whose_name_holds_a_lone_surrogate(tenant_client):
    """The journal kept the raw name from the body; listing it then failed to encode (a 500)."""
    response = tenant_client.post(
        "/customer-secrets/v1/sites/north-web/secrets",
        headers={"Authorization": "alice-token"},
        data='{"name": "A\\ud800", "value": "v"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    journal = tenant_client.get("/_emulator/journal")
    assert journal.status_code == 200
    assert journal.get_json()["entries"][-1]["secret"] == "A\\ud800"


def test_journal_keeps_no_unbounded_text(tenant_client):
    """Each of 1000 entries could hold a 256 KiB name; text is now capped (names are at most 255)."""
    tenant_client.post(
        "/customer-secrets/v1/sites/north-web/secrets",
        headers={"Authorization": "alice-token"},
        json={"name": "N" * 200_000, "value": "v"},
    )
    entry = tenant_client.get("/_emulator/journal").get_json()["entries"][-1]
    assert entry["secret"].startswith("NNN") and len(entry["secret"]) == 512


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"sites": [{"name": "s", "framework": "\ud800"}]},
            "Seed rejected at sites[0].framework: not valid Unicode text (it holds an unpaired surrogate).",
        ),
        (
            {"users": [{"email": "x@example.com", "token": "t\udfff"}]},
            "Seed rejected at users[0].token: not valid Unicode text (it holds an unpaired surrogate).",
        ),
        (
            {"sites": [{"name": "s", "secrets": [{"name": "A", "value": "v", "overrides": 0}]}]},
            "Seed rejected at sites[0].secrets[0].overrides: expected an object of environment to value, got a number.",
        ),
    ],
)
def test_seed_refuses_text_it_cannot_store(tenant_client, doc, message):
    """A lone surrogate in a seed string reached SQLite and failed there (a 500); a falsy
    non-object 'overrides' (0, '', []) was taken as no overrides."""
    import json

    response = tenant_client.post("/_emulator/seed", data=json.dumps(doc), content_type="application/json")
    assert (response.status_code, response.get_data(as_text=True)) == (400, message)


def test_runtime_read_without_a_valid_token_does_not_reveal_which_sites_exist(tenant_client):
    """A made-up token got 404 for an unknown site but 401 for a real one, so anyone could list
    sites by name. The token is now checked first: 401 either way."""
    for site in ("north-web", "no-such-site"):
        response = tenant_client.get(
            f"/customer-secrets/v1/sites/{site}/environments/dev/secrets", headers={"Authorization": "Bearer made-up"}
        )
        assert (response.status_code, response.get_data(as_text=True)) == (401, "Invalid or expired token.")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/customer-secrets/v1/sites/north-web/secrets", {"name": "NL\n", "value": "v"}),
        ("POST", "/customer-secrets/v1/sites/north-web/secrets", {"name": "NL\n", "value": "v", "type": "env"}),
        ("PATCH", "/customer-secrets/v1/organizations/north/secrets/ORG_SHARED", {"value": "v", "env": "dev\n"}),
        ("POST", "/_emulator/seed", {"sites": [{"name": "evil\n"}]}),
        ("POST", "/_emulator/seed", {"sites": [{"name": "s", "environments": {"dev": {"php_version": "8.3\n"}}}]}),
        ("POST", "/_emulator/seed", {"sites": [{"name": "s", "environments": {"dev": {"php_version": "\u0668.\u0663"}}}]}),
    ],
)
def test_a_trailing_newline_is_not_part_of_a_valid_name(tenant_client, method, path, body):
    """Python's `$` matches before a final newline, so 'NL\\n' passed as a secret name (even of
    an `env` secret), 'dev\\n' as an environment and 'evil\\n' as a site; all were stored."""
    before = tenant_client.get("/_emulator/state").get_json()
    response = tenant_client.open(path, method=method, json=body, headers={"Authorization": "alice-token"})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert tenant_client.get("/_emulator/state").get_json() == before


def test_a_background_server_stops_cleanly_with_a_keep_alive_connection_open(tenant_app):
    """live_server closed the server from the test's thread: the loop went on serving open
    keep-alive connections, and racing its select() raised EBADF in the server thread."""
    import requests

    from emulator.web.server import BackgroundServer

    for _ in range(5):
        server = BackgroundServer(tenant_app)
        with requests.Session() as session:  # keeps its connection open past stop()
            assert session.get(f"{server.url}/_emulator/health", timeout=10).status_code == 200
            server.stop(timeout=5)
            assert not server.thread.is_alive()
            with pytest.raises(requests.ConnectionError):
                session.get(f"{server.url}/_emulator/health", timeout=5)
