"""Helpers for the reliability tests: a multi-tenant world, server subprocesses, state snapshots."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import requests

API = "/customer-secrets/v1"

# Every value below is unique and greppable, so a test can scan any output for leaks.
# Access as SPEC §1 grants it (the oracle the isolation tests check against, written out
# by hand rather than computed by the code under test):
#   north-web  owner north (alice), supporting partner (dave)
#   north-shop owner north (alice), team carol
#   south-web  owner south (bob)
#   erin-blog  personal site, team erin
#   mallory    belongs to nothing
TENANT_WORLD = {
    "users": [
        {"email": "alice@example.com", "token": "alice-token"},
        {"email": "bob@example.com", "token": "bob-token"},
        {"email": "carol@example.com", "token": "carol-token"},
        {"email": "dave@example.com", "token": "dave-token"},
        {"email": "erin@example.com", "token": "erin-token"},
        {"email": "mallory@example.com", "token": "mallory-token"},
    ],
    "organizations": [
        {
            "name": "north",
            "members": ["alice@example.com"],
            "secrets": [
                {
                    "name": "ORG_SHARED",
                    "value": "SV-north-shared",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "SV-north-shared-live"},
                },
                {
                    "name": "ORG_HIDDEN",
                    "value": "SV-north-hidden",
                    "scopes": ["web", "ic"],
                    "overrides": {"live": "SV-north-hidden-live"},
                },
            ],
        },
        {
            "name": "south",
            "members": ["bob@example.com"],
            "secrets": [
                {"name": "ORG_SHARED", "value": "SV-south-shared", "scopes": ["web", "user"]},
                {"name": "ORG_HIDDEN", "value": "SV-south-hidden", "scopes": ["ic"]},
            ],
        },
        {
            "name": "partner",
            "members": ["dave@example.com"],
            "secrets": [
                {"name": "PARTNER_KEY", "value": "SV-partner-key", "scopes": ["web", "user"]},
            ],
        },
    ],
    "sites": [
        {
            "name": "north-web",
            "owner": "north",
            "supporting": ["partner"],
            "runtime_token": "north-web-rt",
            "secrets": [
                {
                    "name": "SITE_VISIBLE",
                    "value": "SV-north-web-visible",
                    "scopes": ["web", "user"],
                    "overrides": {"test": "SV-north-web-visible-test"},
                },
                {
                    "name": "SITE_HIDDEN",
                    "value": "SV-north-web-hidden",
                    "scopes": ["web"],
                    "overrides": {"live": "SV-north-web-hidden-live"},
                },
            ],
        },
        {
            "name": "north-shop",
            "owner": "north",
            "members": ["carol@example.com"],
            "runtime_token": "north-shop-rt",
            "secrets": [
                {"name": "SITE_VISIBLE", "value": "SV-north-shop-visible", "scopes": ["web", "user"]},
                {"name": "SITE_HIDDEN", "value": "SV-north-shop-hidden", "scopes": ["web", "ic"]},
            ],
        },
        {
            "name": "south-web",
            "owner": "south",
            "runtime_token": "south-web-rt",
            "secrets": [
                {"name": "SITE_VISIBLE", "value": "SV-south-web-visible", "scopes": ["web", "user"]},
                {"name": "SITE_HIDDEN", "value": "SV-south-web-hidden", "scopes": ["web"]},
            ],
        },
        {
            "name": "erin-blog",
            "members": ["erin@example.com"],
            "runtime_token": "erin-blog-rt",
            "secrets": [
                {"name": "SITE_VISIBLE", "value": "SV-erin-blog-visible", "scopes": ["web", "user"]},
                {"name": "SITE_HIDDEN", "value": "SV-erin-blog-hidden", "scopes": ["web"]},
            ],
        },
    ],
}

USER_TOKENS = {u["email"].split("@")[0]: u["token"] for u in TENANT_WORLD["users"]}
RUNTIME_TOKENS = {s["name"]: s["runtime_token"] for s in TENANT_WORLD["sites"]}
SITE_MANAGERS = {
    "north-web": {"alice", "dave"},
    "north-shop": {"alice", "carol"},
    "south-web": {"bob"},
    "erin-blog": {"erin"},
}
ORG_MEMBERS = {"north": {"alice"}, "south": {"bob"}, "partner": {"dave"}}


def seeded_values(world: dict = TENANT_WORLD) -> set[str]:
    """Every secret value (defaults and overrides) in a seed document."""
    values = set()
    for owner in (*world.get("organizations", []), *world.get("sites", [])):
        for secret in owner.get("secrets", []):
            if secret.get("value") is not None:
                values.add(secret["value"])
            values.update((secret.get("overrides") or {}).values())
    return values


def clean_environ(**extra: str) -> dict[str, str]:
    """os.environ without PANTHEON_EMULATOR_* settings that would change a server under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTHEON_EMULATOR_")}
    env.update(extra)
    return env


BANNER_URL = re.compile(r"listening on (http://\S+)")


class ServerProcess:
    """``pantheon-emulator serve`` in a subprocess; its stderr is collected as it runs."""

    def __init__(self, *args: str, cwd: Path, timeout: float = 30.0):
        self.args = [sys.executable, "-m", "emulator.cli", "serve", *args]
        self.proc = subprocess.Popen(
            self.args,
            cwd=cwd,
            env=clean_environ(PYTHONUNBUFFERED="1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self.stderr_lines: list[str] = []
        self.stdout_lines: list[str] = []
        self._url: str | None = None
        self._ready = threading.Event()
        self._readers = [
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines, True), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.stdout_lines, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        if not self._ready.wait(timeout) or self._url is None:
            self.kill()
            raise RuntimeError(f"server did not start: {' '.join(self.args)}\n{self.output}")

    def _pump(self, stream, lines: list[str], watch: bool) -> None:
        for line in stream:
            lines.append(line)
            if watch and self._url is None and (match := BANNER_URL.search(line)):
                self._url = match.group(1)
            if watch and self._url is not None and "Press Ctrl-C" in line:
                self._ready.set()
        self._ready.set()  # the process ended

    @property
    def url(self) -> str:
        assert self._url is not None
        return self._url

    @property
    def output(self) -> str:
        """Everything the process wrote so far, stderr first."""
        return "".join(self.stderr_lines) + "".join(self.stdout_lines)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        """SIGTERM, then wait for the orderly shutdown."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self._reap()

    def _reap(self) -> None:
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()


@contextmanager
def running_server(*args: str, cwd: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(*args, cwd=cwd)
    try:
        yield server
    finally:
        server.stop()


def state_of(url: str) -> dict:
    response = requests.get(f"{url}/_emulator/state", timeout=30)
    response.raise_for_status()
    return response.json()


def secrets_of(state: dict, kind: str, name: str) -> dict[str, dict]:
    """A site's or organization's secrets in an exported state, by name."""
    key = "sites" if kind == "site" else "organizations"
    owner = next(o for o in state[key] if o["name"] == name)
    return {s["name"]: s for s in owner["secrets"]}


def raw_exchange(url: str, head: bytes, body_chunks=(), timeout: float = 10.0) -> bytes:
    """Send raw bytes (a request head, then body chunks) to a server; return its whole answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server may close the connection once it has refused the body
        answer = b""
        while True:
            try:
                data = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer and b"Content-Length" in answer:
                head_end = answer.index(b"\r\n\r\n") + 4
                length = int(answer.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                if len(answer) >= head_end + length:
                    break
    return answer


def busy_site(envs: int) -> dict:
    """A seed with one site that has ``envs`` multidev environments (e0, e1, ...) besides dev/test/live."""
    names = ["dev", "test", "live", *(f"e{i}" for i in range(envs))]
    return {
        "users": [{"email": "writer@example.com", "token": "writer-token"}],
        "sites": [
            {
                "name": "busy",
                "members": ["writer@example.com"],
                "runtime_token": "busy-rt",
                "environments": {env: {} for env in names},
                "secrets": [{"name": "SHARED", "value": "base", "scopes": ["web", "user"]}],
            }
        ],
    }


def write_secrets(url: str, prefix: str, count: int, env: str) -> list[str]:
    """One writer: create ``count`` secrets, set its own override of SHARED, race to create RACE.

    Returns what went wrong (non-2xx answers other than losing the RACE), and 'won RACE' if it won.
    """
    problems = []
    headers = {"Authorization": "writer-token"}
    base = f"{url}{API}/sites/busy/secrets"
    with requests.Session() as session:
        for i in range(count):
            response = session.post(
                base,
                json={"name": f"{prefix}_{i}", "value": f"value-{prefix}-{i}", "scopes": ["web", "user"]},
                headers=headers,
                timeout=60,
            )
            if response.status_code != 200:
                problems.append(f"create {prefix}_{i}: {response.status_code} {response.text}")
        response = session.patch(f"{base}/SHARED", json={"value": f"override-{env}", "env": env}, headers=headers, timeout=60)
        if response.status_code != 200:
            problems.append(f"override {env}: {response.status_code} {response.text}")
        response = session.post(base, json={"name": "RACE", "value": prefix}, headers=headers, timeout=60)
        if response.status_code == 200:
            problems.append("won RACE")
        elif response.status_code != 400 or "PATCH" not in response.text:
            problems.append(f"RACE: {response.status_code} {response.text}")
    return problems
