"""One semantics, two transports: in-process WSGI, or a live server on 127.0.0.1."""

SAME_TEST = """
    from emulator.client import ClientError
    import pytest

    def read_api_key(session, url, site, env, token):
        # What an application does: HTTP to the runtime route with its runtime token.
        answer = session.get(f"{url}/customer-secrets/v1/sites/{site}/environments/{env}/secrets/API_KEY",
                             headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()
        return answer.json()["Value"]

    def test_reads_and_writes(pantheon):
        dev = pantheon.user()
        acme = pantheon.org("acme", members=[dev])
        web = pantheon.site("web", owner=acme)
        pantheon.secret(acme, "API_KEY", "org", scopes=["web"])
        pantheon.override(web, "API_KEY", "live", "prod")

        assert read_api_key(pantheon.session, pantheon.url, "web", "live", web.runtime_token) == "prod"
        assert read_api_key(pantheon.session, pantheon.url, web.id, "dev", web.runtime_token) == "org"
        missing = pantheon.session.get(f"{pantheon.url}/customer-secrets/v1/sites/web/secrets/showall")
        assert (missing.status_code, missing.headers["Content-Type"]) == (401, "text/plain; charset=utf-8")
        with pytest.raises(ClientError, match="already exists"):
            pantheon.as_user(dev).set_secret("org", "acme", "API_KEY", "x", scopes=["web"])
        pantheon.journal.assert_read("API_KEY", site=web, env="live", times=1)
        print("TRANSPORT", pantheon.transport, pantheon.url)
"""


def test_the_same_test_passes_in_process_and_over_a_live_server(suite):
    suite.tests(SAME_TEST)

    in_process = suite.run("-s")
    live = suite.run("-s", "--pantheon-transport=live")

    in_process.assert_outcomes(passed=1)
    in_process.stdout.fnmatch_lines(["*TRANSPORT inprocess http://pantheon-emulator.invalid*"])
    live.assert_outcomes(passed=1)
    live.stdout.fnmatch_lines(["*TRANSPORT live http://127.0.0.1:*"])


def test_in_process_requests_never_open_a_socket(suite):
    suite.tests("""
        import socket

        def test_no_sockets(pantheon, monkeypatch):
            web = pantheon.site("web")
            def refuse(*args, **kwargs):
                raise AssertionError("a socket was opened")
            monkeypatch.setattr(socket, "socket", refuse)
            monkeypatch.setattr(socket, "create_connection", refuse)
            answer = pantheon.session.get(f"{pantheon.url}/customer-secrets/v1/sites/web/environments/dev/secrets",
                                          headers={"Authorization": f"Bearer {web.runtime_token}"})
            assert answer.json()["Count"] == 0
    """)

    suite.run().assert_outcomes(passed=1)


def test_pantheon_live_serves_code_that_runs_in_another_process(suite):
    suite.tests("""
        import subprocess, sys

        CHILD = '''
        import json, os, urllib.request
        request = urllib.request.Request(
            f"{os.environ['PANTHEON_EMULATOR_URL']}/customer-secrets/v1/sites/{os.environ['PANTHEON_SITE']}"
            f"/environments/{os.environ['PANTHEON_ENVIRONMENT']}/secrets",
            headers={"Authorization": "Bearer " + os.environ["PANTHEON_EMULATOR_RUNTIME_TOKEN"]})
        print(json.load(urllib.request.urlopen(request))["Secrets"]["API_KEY"]["Value"])
        '''

        def test_child_process(pantheon_live):
            web = pantheon_live.site("web", environments={"dev": "8.3", "legacy": "8.1"})
            pantheon_live.secret(web, "API_KEY", "site", scopes=["web"], overrides={"legacy": "old"})
            pantheon_live.point_at(web, "legacy")
            out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
            assert out.stdout.strip() == "old"
            assert pantheon_live.url.startswith("http://127.0.0.1:")
            assert pantheon_live.url.rsplit(":", 1)[1] != "8770"
    """)

    suite.run().assert_outcomes(passed=1)


def test_the_live_server_starts_once_per_session_and_both_fixtures_share_one_world(suite):
    suite.tests("""
        URLS = set()

        def test_one(pantheon_live):
            URLS.add(pantheon_live.url)
            pantheon_live.site("web")

        def test_two(pantheon_live, pantheon):
            URLS.add(pantheon_live.url)
            assert [s["name"] for s in pantheon_live.state()["sites"]] == []
            pantheon.site("shared")
            assert pantheon_live.get_site("shared").name == "shared"
            assert pantheon.transport == "inprocess" and pantheon_live.transport == "live"
            assert len(URLS) == 1
    """)

    suite.run().assert_outcomes(passed=2)


def test_an_emulator_crash_fails_the_test_that_caused_it_with_the_traceback(suite):
    suite.tests("""
        def test_crash(pantheon, monkeypatch):
            web = pantheon.site("web")
            def broken(site, env, render):
                raise RuntimeError("boom in the emulator")
            monkeypatch.setattr(pantheon.emulator, "runtime_rendered", broken)
            answer = pantheon.session.get(f"{pantheon.url}/customer-secrets/v1/sites/web/environments/dev/secrets",
                                          headers={"Authorization": f"Bearer {web.runtime_token}"})
            assert answer.status_code == 500
    """)

    result = suite.run()

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*The fake Pantheon failed inside while serving this test*",
            "*Unhandled RuntimeError on GET /customer-secrets/v1/sites/web/environments/dev/*",
            "*RuntimeError: boom in the emulator*",
        ]
    )


def test_a_test_leaving_150_live_connections_open_does_not_fail_the_next(suite):
    """#14 item 11: waitress' default of 100 connections let one leaky test lock out the rest."""
    suite.tests(
        """
        import requests

        LEAKED = []

        def test_leaks_sessions(pantheon_live):
            for _ in range(150):
                session = requests.Session()
                assert session.get(pantheon_live.url + "/_emulator/health", timeout=5).status_code == 200
                LEAKED.append(session)

        def test_the_next_test_is_served(pantheon_live):
            assert requests.get(pantheon_live.url + "/_emulator/health", timeout=5).status_code == 200
        """
    )
    suite.run_subprocess("-p", "no:randomly").assert_outcomes(passed=2)
