"""docs/reliability.md states only what is true: its numbers and banner lines are the code's."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.core import policy
from emulator.core.model import MAX_VALUE_BYTES
from tests.readme import page

from . import test_fuzz
from .support import running_server

ROOT = Path(__file__).resolve().parents[2]
TEXT = page("docs/reliability.md")


def test_limits_in_the_table_are_the_policy_limits():
    assert policy.MAX_API_BODY_BYTES == 256 * 1024 and "over 256 KiB on the secrets API" in TEXT
    assert policy.MAX_CONTROL_BODY_BYTES == 64 * 1024 * 1024 and "(64 MiB on the control plane)" in TEXT
    assert f"over {policy.SECRET_NAME_MAX_LENGTH} characters" in TEXT
    assert f"a value over {MAX_VALUE_BYTES} bytes" in TEXT
    assert f"http://127.0.0.1:{policy.DEFAULT_PORT}/openapi.json" in TEXT


def test_fuzz_settings_named_in_the_readme_exist():
    assert test_fuzz.FUZZ_EXAMPLES >= 1 and "`FUZZ_EXAMPLES` (default 1000)" in TEXT
    assert "FUZZ_SEED" in test_fuzz.__doc__ and "FUZZ_SEED" in TEXT
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for marker in ("slow", "fuzz"):
        assert f'"{marker}:' in pyproject and f"-m {marker}" in TEXT or f'"not {marker}"' in TEXT


@pytest.mark.slow
def test_banner_lines_quoted_in_the_readme_are_what_serve_prints(tmp_path):
    with running_server("--memory", "--port", "0", cwd=tmp_path) as server:
        pass
    loopback = next(line.strip() for line in server.stderr_lines if line.startswith("Bound to"))
    assert f"\n{loopback}\n" in TEXT
    with running_server("--memory", "--port", "0", "--host", "127.0.0.2", cwd=tmp_path) as server:
        pass
    warning = next(line.strip() for line in server.stderr_lines if line.startswith("WARNING"))
    assert "\n" + warning.replace("127.0.0.2", "0.0.0.0") + "\n" in TEXT
