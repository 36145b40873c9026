"""The plugin is tested as its users meet it: generated test suites run with pytester."""

from __future__ import annotations

import textwrap

# Imported before any in-process pytester run: pytester drops the modules a run imported
# when it ends, and a module re-imported half-way (requests' cookie jar, say) no longer
# matches the classes other modules still hold.
import freezegun  # noqa: F401
import pytest
import requests  # noqa: F401
import waitress.server  # noqa: F401

from pytest_pantheon_secrets import backend, handle, seeding, transport  # noqa: F401

INI = "[pytest]\nfilterwarnings = error\naddopts = -p no:cacheprovider\n"


class Suite:
    """A generated test suite in pytester's directory, run in-process unless asked otherwise."""

    def __init__(self, pytester: pytest.Pytester):
        self.pytester = pytester
        pytester.makeini(INI)

    @property
    def path(self):
        return self.pytester.path

    def tests(self, source: str, name: str = "test_suite") -> None:
        self.pytester.makepyfile(**{name: textwrap.dedent(source)})

    def conftest(self, source: str) -> None:
        self.pytester.makeconftest(textwrap.dedent(source))

    def file(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")

    def ini(self, text: str) -> None:
        self.pytester.makeini(INI + textwrap.dedent(text))

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest(*args)

    def run_subprocess(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*args)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> Suite:
    return Suite(pytester)
