"""Options: command line over ini file over defaults; bad values stop the run with a clear message."""

import pytest

REPORT = """
    def test_report(pantheon, pantheon_options):
        settings = pantheon.emulator.settings
        print(f"OPTIONS rate_limit={settings.rate_limit} cache_ttl={settings.cache_ttl:g} "
              f"transport={pantheon.transport} (options {pantheon_options})")
"""


def reported(result) -> str:
    [line] = [line for line in result.stdout.lines if "OPTIONS " in line]
    return line[line.index("OPTIONS ") :].split(" (options")[0]


def test_defaults_rate_limit_off_fifteen_minute_cache_in_process(suite):
    suite.tests(REPORT)

    assert reported(suite.run("-s")) == "OPTIONS rate_limit=False cache_ttl=900 transport=inprocess"


def test_the_ini_file_sets_them(suite):
    suite.ini("pantheon_rate_limit = on\npantheon_cache_ttl = 30\npantheon_transport = live\n")
    suite.tests(REPORT)

    assert reported(suite.run("-s")) == "OPTIONS rate_limit=True cache_ttl=30 transport=live"


def test_the_command_line_beats_the_ini_file(suite):
    suite.ini("pantheon_rate_limit = on\npantheon_cache_ttl = 30\npantheon_transport = live\n")
    suite.tests(REPORT)

    result = suite.run("-s", "--pantheon-rate-limit=off", "--pantheon-cache-ttl=0", "--pantheon-transport=inprocess")

    assert reported(result) == "OPTIONS rate_limit=False cache_ttl=0 transport=inprocess"


def test_the_rate_limit_option_reaches_the_api(suite):
    suite.tests("""
        import pytest
        from emulator.client import ClientError

        def test_limited(pantheon):
            dev = pantheon.user()
            pantheon.site("web", members=[dev])
            for _ in range(3):
                pantheon.as_user(dev).list_secrets("site", "web")
            with pytest.raises(ClientError) as limited:
                pantheon.as_user(dev).list_secrets("site", "web")
            assert limited.value.status == 429
    """)

    suite.run("--pantheon-rate-limit=on").assert_outcomes(passed=1)
    suite.run().assert_outcomes(failed=1)


def test_the_fixture_can_be_overridden_to_fix_settings_in_code(suite):
    suite.conftest("""
        import pytest
        from pytest_pantheon_secrets import PantheonOptions

        @pytest.fixture(scope="session")
        def pantheon_options():
            return PantheonOptions(rate_limit=True, cache_ttl=5.0)
    """)
    suite.tests(REPORT)

    assert reported(suite.run("-s")) == "OPTIONS rate_limit=True cache_ttl=5 transport=inprocess"


@pytest.mark.parametrize(
    "args, ini, message",
    [
        (["--pantheon-rate-limit=maybe"], "", "--pantheon-rate-limit: expected 'on' or 'off', got 'maybe'."),
        (["--pantheon-cache-ttl=soon"], "", "--pantheon-cache-ttl: expected a number of seconds (0 or more), got 'soon'."),
        (["--pantheon-cache-ttl=-1"], "", "--pantheon-cache-ttl: expected a number of seconds (0 or more), got '-1'."),
        (
            ["--pantheon-transport=carrier-pigeon"],
            "",
            "--pantheon-transport: expected one of inprocess, live, got 'carrier-pigeon'.",
        ),
        (
            [],
            "pantheon_cache_ttl = nan\n",
            "ini option 'pantheon_cache_ttl': expected a number of seconds (0 or more), got 'nan'.",
        ),
    ],
)
def test_a_bad_value_stops_the_run_naming_the_option(suite, args, ini, message):
    suite.ini(ini)
    suite.tests("def test_never_runs(): pass")

    result = suite.run(*args)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
