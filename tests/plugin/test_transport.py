"""The in-process transport answers like a server would: same statuses, headers and bodies."""

import pytest

from pytest_pantheon_secrets.transport import IN_PROCESS_URL, WSGITransport, in_process_session


@pytest.fixture
def session(app, world):
    with in_process_session(app) as session:
        yield session


def test_paths_are_percent_decoded_and_queries_passed_through(session):
    missing = session.get(
        f"{IN_PROCESS_URL}/customer-secrets/v1/sites/no%20such%20site/secrets/showall", headers={"Authorization": "dev-token"}
    )
    filtered = session.get(f"{IN_PROCESS_URL}/_emulator/journal", params={"status": 404, "kind": "management"})

    assert (missing.status_code, missing.text) == (404, "Site 'no such site' not found.")
    assert [e["path"] for e in filtered.json()["entries"]] == ["/customer-secrets/v1/sites/no such site/secrets/showall"]


def test_bodies_headers_and_encodings_arrive_as_sent(session):
    created = session.post(
        f"{IN_PROCESS_URL}/customer-secrets/v1/organizations/acme/secrets",
        json={"name": "GREETING", "value": "héllo ✓", "scopes": ["web", "user"]},
        headers={"Authorization": "dev-token"},
    )
    bad = session.post(
        f"{IN_PROCESS_URL}/customer-secrets/v1/organizations/acme/secrets",
        data=b"{not json",
        headers={"Authorization": "dev-token", "Content-Type": "application/json"},
    )
    read = session.get(
        f"{IN_PROCESS_URL}/customer-secrets/v1/sites/acme-web/environments/dev/secrets/GREETING",
        headers={"Authorization": "Bearer acme-web-runtime"},
    )

    assert created.status_code == 200 and created.headers["Content-Type"] == "application/json"
    assert bad.status_code == 400 and bad.text.startswith("Request body is not valid JSON: ")
    assert bad.encoding == "utf-8"
    assert read.json()["Value"] == "héllo ✓"
    assert b"".join(read.iter_content(4)) == read.content
    assert read.url.startswith(IN_PROCESS_URL) and read.request.method == "GET"


def test_a_rate_limited_answer_keeps_its_retry_after_header(session, emulator_service):
    emulator_service.configure(rate_limit=True)
    answers = [
        session.get(
            f"{IN_PROCESS_URL}/customer-secrets/v1/sites/acme-web/secrets/showall", headers={"Authorization": "dev-token"}
        )
        for _ in range(4)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].headers["Retry-After"] == "1"


def test_only_the_in_process_host_is_answered_in_process(session):
    assert isinstance(session.get_adapter(f"{IN_PROCESS_URL}/_emulator/health"), WSGITransport)
    assert not isinstance(session.get_adapter("http://pantheon-emulator.invalid.example/"), WSGITransport)
    assert not isinstance(session.get_adapter("http://127.0.0.1:8770/_emulator/health"), WSGITransport)
