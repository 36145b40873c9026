"""Where the commands look for the emulator, as whom, and what they say when it is not there."""

from __future__ import annotations

import http.server
import threading

import pytest

from emulator.client.settings import ClientConfig, load_client_config


def test_defaults_are_the_local_server_and_the_demo_user(tmp_path):
    assert load_client_config(environ={}, dotenv_path=tmp_path / ".env") == ClientConfig("http://127.0.0.1:8770", "demo-token")


def test_options_beat_the_environment_which_beats_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("PANTHEON_EMULATOR_URL=http://from-dotenv:1\nPANTHEON_EMULATOR_TOKEN=dotenv-token\n")
    environ = {"PANTHEON_EMULATOR_URL": "http://from-env:2"}

    assert load_client_config(environ=environ, dotenv_path=dotenv) == ClientConfig("http://from-env:2", "dotenv-token")
    assert load_client_config("http://option:3", "option-token", environ, dotenv) == ClientConfig(
        "http://option:3", "option-token"
    )


def test_dotenv_in_the_working_directory_is_read(terminus, server, tmp_path):
    (tmp_path / ".env").write_text(f"PANTHEON_EMULATOR_URL={server}\nPANTHEON_EMULATOR_TOKEN=dev-token\n")
    run = terminus(
        "secret:site:list", "site", "--format=list", env={"PANTHEON_EMULATOR_URL": None, "PANTHEON_EMULATOR_TOKEN": None}
    )

    assert (run.exit_code, run.stdout) == (0, "ORG_KEY\n")


def test_url_and_token_options_win(terminus, server, closed_url):
    run = terminus(
        "secret:site:list",
        "site",
        "--format=list",
        f"--url={server}",
        "--token=dev-token",
        env={"PANTHEON_EMULATOR_URL": closed_url, "PANTHEON_EMULATOR_TOKEN": "outsider-token"},
    )

    assert (run.exit_code, run.stdout) == (0, "ORG_KEY\n")


@pytest.mark.parametrize(
    "command",
    [
        ["secret:site:set", "site", "K", "v"],
        ["secret:site:list", "site"],
        ["secret:org:delete", "acme", "K"],
    ],
)
def test_an_unreachable_emulator_is_one_line_naming_the_url(terminus, closed_url, command):
    run = terminus(*command, f"--url={closed_url}")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == f" [error]  Cannot reach the emulator at {closed_url}. Is 'pantheon-emulator serve' running? \n"


def test_a_malformed_url_is_named(terminus):
    run = terminus("secret:site:list", "site", "--url=127.0.0.1:8770")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == " [error]  Invalid emulator URL '127.0.0.1:8770': expected something like http://127.0.0.1:8770. \n"


def test_an_unknown_token_is_reported_once(terminus):
    run = terminus("secret:site:set", "site", "K", "v", "--token=nobody")

    assert (run.exit_code, run.stdout, run.stderr) == (1, "", " [error]  Invalid or expired token. \n")


@pytest.fixture
def not_an_emulator():
    """A web server that answers every GET with an HTML page."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html>hello</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_a_server_that_is_not_an_emulator_is_named(terminus, not_an_emulator):
    run = terminus("secret:site:list", "site", f"--url={not_an_emulator}")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        f" [error]  The server at {not_an_emulator} does not answer like a Pantheon secrets "
        "emulator (no JSON from /_emulator/sites/site). \n"
    )
