"""The parts of Terminus' command line that real Terminus cannot be compared on byte for byte."""

from __future__ import annotations

import pytest

from emulator.core.version import __version__


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_and_help_answer_whatever_else_the_line_holds(terminus, journal, flag):
    version = terminus("secret:site:list", "--bogus", flag)
    helped = terminus("secret-org-set", "-h", "--bogus")

    assert (version.exit_code, version.stdout, version.stderr) == (0, f"pantheon-emulator {__version__}\n", "")
    assert helped.exit_code == 0
    for option in ("--type", "--scope", "--env", "--debug", "-q, --quiet", "-v, --verbose", "-y, --yes", "--field"):
        assert option in helped.stdout or option == "--field"
    assert journal() == []


def test_an_alias_shows_the_command_own_synopsis_in_a_usage_error(terminus):
    run = terminus("secrets", "--nope")

    assert run.exit_code == 1
    assert run.stdout == ""
    assert (
        "\nsecret:site:list [--debug] [--format FORMAT] [--fields FIELDS] [--field FIELD] [--filter [FILTER]] [--] <site_id>\n"
        in run.stderr
    )


def test_quiet_prints_nothing_even_on_failure_and_keeps_the_exit_code(terminus):
    assert (terminus("secret:site:list", "nosuch", "-q").exit_code, terminus("secret:site:list", "nosuch", "-q").stderr) == (
        1,
        "",
    )
    run = terminus("secret:site:list", "-q")
    assert (run.exit_code, run.stdout, run.stderr) == (1, "", "")


def test_a_filter_that_cannot_be_parsed_is_named(terminus):
    run = terminus("secret:site:list", "site", "--filter=justaword")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == " [error]  Could not parse expression justaword \n"
