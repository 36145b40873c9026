"""A 429 (or 5xx) is retried as Terminus retries it, waiting what Retry-After says, bounded.

Terminus' core retries every answer that is not 20x/40x five times (src/Request/Request.php)
and then fails with its own words; scripts of Terminus commands therefore stall but
succeed under Pantheon's rate limit. The docs walkthrough, run back to back under the
default rate limit, must succeed too.
"""

from __future__ import annotations

import shlex
import time

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.config import Config
from emulator.contrib.faults import FaultInjector
from emulator.core import policy
from emulator.web.app import create_app
from emulator.web.server import BackgroundServer
from tests.readme import console_transcript, page
from tests.terminus.conftest import TERMINUS_WORLD, TOKEN


@pytest.fixture
def serve():
    servers = []

    def start(config: Config, plugins=()) -> tuple[str, object]:
        app = create_app(config, plugins=list(plugins))
        service = app.extensions["pantheon_emulator"]
        if not config.demo:
            service.seed(TERMINUS_WORLD)
        server = BackgroundServer(app)
        servers.append(server)
        return server.url, service

    yield start
    for server in servers:
        server.stop()


def run(url: str, *args: str, token: str | None = TOKEN, columns: str = "80"):
    env = {"PANTHEON_EMULATOR_URL": url, "PANTHEON_EMULATOR_TOKEN": token, "COLUMNS": columns}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_the_docs_walkthrough_run_back_to_back_under_the_default_rate_limit_succeeds(serve, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = Config(db=":memory:", demo=True)
    assert (config.rate_limit, config.rate_limit_requests, config.rate_limit_window) == (True, 3, 1.0)
    url, service = serve(config)
    started = time.monotonic()

    for command, expected in console_transcript(page("docs/terminus.md")):
        words = shlex.split(command)
        env = {}
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        result = run(url, *words[1:], token=None, columns=env.get("COLUMNS", "80"))
        assert [line.rstrip() for line in result.output.splitlines()] == expected, command

    # The limit refused some requests (so retries happened), each waited about Retry-After, not minutes.
    assert 429 in [entry.status for entry in service.journal.entries()]
    assert time.monotonic() - started < 60


def test_a_429_is_retried_five_times_then_fails_with_terminus_words(serve):
    url, _ = serve(
        Config(db=":memory:", demo=False, rate_limit=False), plugins=[FaultInjector(status=429, rate=1.0, retry_after=0)]
    )

    result = run(url, "secret:site:list", "site")

    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[0].startswith(" [error]  HTTP request GET " + url + "/customer-secrets/v1/sites/")
    # As observed from real Terminus against the same fault (it never shows the body).
    assert lines[0].endswith("/secrets/showall has failed with error . ")
    assert lines[1:] == [' [error]  HTTP request has failed with error "Maximum retry attempts reached". ']


def test_with_verbose_each_retry_is_a_warning_naming_the_wait(serve):
    url, _ = serve(
        Config(db=":memory:", demo=False, rate_limit=False), plugins=[FaultInjector(status=503, rate=1.0, retry_after=0)]
    )

    result = run(url, "secret:org:list", "acme", "-v")

    warnings = [line for line in result.stderr.splitlines() if line.startswith(" [warning]")]
    assert len(warnings) == 2 * policy.TERMINUS_MAX_RETRIES
    assert warnings[0].endswith("/secrets has failed: status code - 503")
    assert warnings[1] == " [warning] Retrying in 0 seconds."
    assert " 1 out of 5 (reason: status code - 503)" in warnings[2]
    assert result.exit_code == 1


def test_a_40x_is_not_retried(serve):
    url, service = serve(Config(db=":memory:", demo=False, rate_limit=False))

    result = run(url, "secret:site:delete", "site", "NOPE")

    assert result.exit_code == 1
    assert [e.status for e in service.journal.entries()] == [404]


def test_the_wait_is_bounded_whatever_retry_after_says():
    from emulator.terminus.commands import retry_wait

    assert retry_wait("3600") == policy.TERMINUS_RETRY_MAX_WAIT_SECONDS
    assert retry_wait("0") == 0
    assert retry_wait("soon") == policy.TERMINUS_RETRY_DEFAULT_WAIT_SECONDS
    assert retry_wait(None) == policy.TERMINUS_RETRY_DEFAULT_WAIT_SECONDS
    assert retry_wait("nan") == policy.TERMINUS_RETRY_DEFAULT_WAIT_SECONDS  # never a sleep(nan)
    assert retry_wait("inf") == policy.TERMINUS_RETRY_MAX_WAIT_SECONDS
