"""Real Terminus (../shared/clients/terminus) run against the emulator, for side-by-side tests.

Terminus first asks Pantheon's core API (``/api/...``: login, site names, sites,
environments, memberships) and only then the secrets API; the emulator's own ``/api``
(emulator/web/pantheon_api.py) answers both, on a real HTTP server, so real Terminus and
our ``secret:*`` commands meet the same server code, the same world and the same secrets.
Formatting and messages are Terminus' own.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from emulator.web.server import BackgroundServer
from tests.tools import REAL_TERMINUS, need_program, need_shared


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


class RealTerminus:
    """Real Terminus logged in as ``token`` against a server on 127.0.0.1 that has both APIs."""

    def __init__(self, emulator_app: Flask, home: Path, token: str, config: str = ""):
        need_program("php", "php-cli")
        need_shared(REAL_TERMINUS)
        self.server = BackgroundServer(emulator_app)
        self.url = self.server.url
        port = self.url.rsplit(":", 1)[1]
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "COLUMNS": "80",
            "TERMINUS_HOST": "127.0.0.1",
            "TERMINUS_PORT": port,
            "TERMINUS_PROTOCOL": "http",
            "TERMINUS_VERIFY_HOST_CERT": "0",
            "TERMINUS_PAPI_HOST": "127.0.0.1",
        }
        self.cwd = home
        if config:  # ~/.terminus/config.yml, e.g. "http_max_retries: 0"
            (home / ".terminus").mkdir(exist_ok=True)
            (home / ".terminus" / "config.yml").write_text(config)
        login = self.run("auth:login", f"--machine-token={token}")
        assert login.exit_code == 0, login

    def run(self, *args: str) -> Run:
        done = subprocess.run(
            [str(REAL_TERMINUS), *args], env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def script(self, lines: list[list[str]]) -> list[Run]:
        """Several commands in one PHP process would not be Terminus; this just runs them in turn."""
        return [self.run(*line) for line in lines]

    def stop(self) -> None:
        self.server.stop()
