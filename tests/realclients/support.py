"""Pantheon's real clients against a real ``pantheon-emulator serve``: the world they see,
the server process, and how each client is run (see tests/tools.py for where they live)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.tools import REAL_TERMINUS, need_program, need_shared

# The world every real-client test (and docs/real-clients.md) runs against.
MACHINE_TOKEN = "dev-machine-token"
WORLD = {
    "users": [
        {"email": "dev@example.com", "token": MACHINE_TOKEN},
        {"email": "outsider@example.com", "token": "outsider-machine-token"},
    ],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {"name": "ORG_ONLY", "value": "org-only-value", "type": "runtime", "scopes": ["web", "user"]},
                {
                    "name": "SHARED_KEY",
                    "value": "org-shared",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"test": "org-shared-test"},
                },
            ],
        },
        {"name": "other", "members": ["outsider@example.com"]},
    ],
    "sites": [
        {
            "name": "acme-web",
            "owner": "acme",
            "framework": "drupal8",
            "runtime_token": "acme-web-runtime",
            "environments": {
                "dev": {"php_version": "8.3"},
                "test": {"php_version": "8.3"},
                "live": {"php_version": "8.3"},
                "feature": {"php_version": "8.2"},
            },
            "secrets": [
                {
                    "name": "SHARED_KEY",
                    "value": "site-shared",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "site-shared-live"},
                },
                {"name": "IC_ONLY", "value": "ic-only", "type": "env", "scopes": ["ic"]},
            ],
        },
        {
            "name": "acme-next",
            "owner": "acme",
            "framework": "nodejs",
            "runtime_token": "acme-next-runtime",
            "environments": {"dev": {}, "test": {}, "live": {}, "feature": {}},
            "secrets": [
                {
                    "name": "SHARED_KEY",
                    "value": "next-shared",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "next-shared-live", "feature": "next-shared-feature"},
                },
            ],
        },
        {
            "name": "acme-legacy",
            "owner": "acme",
            "runtime_token": "acme-legacy-runtime",
            "environments": {"dev": {"php_version": "7.4"}, "live": {"php_version": "8.1"}},
        },
        {"name": "other-site", "owner": "other", "runtime_token": "other-runtime", "environments": {"dev": {}}},
    ],
}


class Server:
    """``pantheon-emulator serve`` as a user runs it, on a free port of 127.0.0.1."""

    def __init__(self, workdir: Path, *args: str):
        seed = workdir / "world.json"
        seed.write_text(json.dumps(WORLD), encoding="utf-8")
        self.log = workdir / "server.log"
        self._log_file = self.log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "emulator.cli", "serve", "--port", "0", "--memory", "--seed", str(seed), *args],
            cwd=workdir,
            stdout=self._log_file,
            stderr=self._log_file,
            env={k: v for k, v in os.environ.items() if not k.startswith("PANTHEON_EMULATOR_")},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = re.search(r"listening on (http://\S+)", self.log.read_text(encoding="utf-8"))
            if match:
                self.url = match.group(1)
                self.port = int(self.url.rsplit(":", 1)[1])
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError("the emulator did not start:\n" + self.log.read_text(encoding="utf-8"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self._log_file.close()


@dataclass
class Run:
    code: int
    out: str
    err: str


class Terminus:
    """The real Terminus from ../shared/clients, with its own HOME, pointed at ``server``."""

    def __init__(self, server: Server, home: Path):
        need_program("php", "php-cli")
        need_shared(REAL_TERMINUS)
        self.home = home
        variables = subprocess.run(
            [sys.executable, "-m", "emulator.cli", "terminus-env", "--url", server.url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TERMINUS_")}
        self.env["HOME"] = str(home)
        self.env["COLUMNS"] = "250"  # tables unwrapped, whatever the terminal
        for line in variables.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            self.env[name] = value

    def __call__(self, *args: str, cwd: Path | None = None) -> Run:
        done = subprocess.run(
            [str(REAL_TERMINUS), *args], capture_output=True, text=True, env=self.env, cwd=cwd or self.home, timeout=120
        )
        return Run(done.returncode, done.stdout, done.stderr)
