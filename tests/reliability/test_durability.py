"""Crash safety: every write the server acknowledged survives SIGKILL, and nothing is half-written.

A real ``pantheon-emulator serve --db FILE`` process is killed with SIGKILL while client
threads stream writes to it, then restarted on the same file. Each secret goes through
create -> dev override -> live override -> new default value; every value is long and
derived from its name, so a truncated or mixed-up value is caught.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time

import pytest
import requests

from .support import API, ServerProcess, secrets_of, state_of

SITE = "demo-site"  # the demo world an empty store starts with
TOKEN = {"Authorization": "demo-token"}
WRITERS = 4
ACKS_BEFORE_KILL = 240


def value_of(name: str, part: str) -> str:
    """A 2 KiB value that can only be whole: derived from the secret's name and the write."""
    digest = hashlib.sha256(f"{name}/{part}".encode()).hexdigest()
    return f"{name}/{part}/" + digest * 32


# The writes each secret receives, in order: (what, request body or None for the create)
STEPS = ("create", "dev", "live", "update")


def request_for(name: str, step: str) -> tuple[str, str, dict]:
    if step == "create":
        return "POST", f"{API}/sites/{SITE}/secrets", {"name": name, "value": value_of(name, "v1"), "scopes": ["web", "user"]}
    if step in ("dev", "live"):
        return "PATCH", f"{API}/sites/{SITE}/secrets/{name}", {"value": value_of(name, step), "env": step}
    return "PATCH", f"{API}/sites/{SITE}/secrets/{name}", {"value": value_of(name, "v2")}


class Writers:
    """Client threads that write until the server goes away, recording what was acknowledged."""

    def __init__(self, url: str, prefix: str):
        self.url = url
        self.prefix = prefix
        self.acked: set[tuple[str, str]] = set()
        self.sent: set[tuple[str, str]] = set()
        self.refused: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,), daemon=True) for n in range(WRITERS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def write(self, writer: int) -> None:
        with requests.Session() as session:
            for i in range(100_000):
                name = f"{self.prefix}_{writer}_{i}"
                for step in STEPS:
                    method, path, body = request_for(name, step)
                    with self.lock:
                        self.sent.add((name, step))
                    try:
                        response = session.request(method, self.url + path, json=body, headers=TOKEN, timeout=10)
                    except requests.RequestException:
                        return  # the server is gone
                    if not response.ok:
                        with self.lock:
                            self.refused.append(f"{method} {path}: {response.status_code} {response.text}")
                        return
                    with self.lock:
                        self.acked.add((name, step))

    def wait_for_acks(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < count:
            assert time.monotonic() < deadline, f"only {len(self.acked)} writes acknowledged"
            assert not self.refused, self.refused
            time.sleep(0.01)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


def check_round(secrets: dict[str, dict], writers: Writers) -> int:
    """Every acknowledged write is present and whole; unacknowledged ones are absent or whole."""
    names = {name for name, _ in writers.sent}
    for name, step in writers.acked:
        assert name in secrets, f"acknowledged {step} of {name} lost"
        secret = secrets[name]
        if step in ("dev", "live"):
            assert secret["overrides"].get(step) == value_of(name, step), f"acknowledged {step} override of {name} lost"
        if step == "update":
            assert secret["value"] == value_of(name, "v2"), f"acknowledged update of {name} lost"
    for name, secret in secrets.items():
        if not name.startswith(writers.prefix + "_"):
            continue
        assert name in names, f"{name} was never written"
        assert secret["value"] in (value_of(name, "v1"), value_of(name, "v2")), f"{name} has a half-written value"
        assert (secret["type"], secret["scopes"]) == ("runtime", ["web", "user"])
        assert set(secret["overrides"]) <= {"dev", "live"}
        for env, value in secret["overrides"].items():
            assert value == value_of(name, env), f"{name} has a half-written {env} override"
    return len([n for n in secrets if n.startswith(writers.prefix + "_")])


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(tmp_path):
    db = tmp_path / "store.sqlite3"
    args = ("--db", str(db), "--port", "0", "--no-rate-limit", "--cache-ttl", "0")
    rounds = []
    for round_number in range(2):
        server = ServerProcess(*args, cwd=tmp_path)
        try:
            if rounds:  # what the previous crash left is all still there
                secrets = secrets_of(state_of(server.url), "site", SITE)
                for writers in rounds:
                    check_round(secrets, writers)
            writers = Writers(server.url, prefix=f"R{round_number}")
            writers.start()
            writers.wait_for_acks(ACKS_BEFORE_KILL)
        finally:
            server.kill()  # SIGKILL while the writers are still sending
        writers.join()
        assert not writers.refused, writers.refused
        assert len(writers.sent) > len(writers.acked) or len(writers.acked) >= ACKS_BEFORE_KILL
        rounds.append(writers)

    server = ServerProcess(*args, cwd=tmp_path)
    try:
        secrets = secrets_of(state_of(server.url), "site", SITE)
        survived = [check_round(secrets, writers) for writers in rounds]
    finally:
        server.stop()
    assert all(count >= ACKS_BEFORE_KILL // len(STEPS) for count in survived), survived
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_check_catches_a_lost_or_torn_write():
    """check_round is not vacuous: a missing acknowledged write or a truncated value fails it."""
    writers = Writers("http://unused", prefix="R9")
    writers.sent = {("R9_0_0", "create"), ("R9_0_0", "dev")}
    writers.acked = {("R9_0_0", "create"), ("R9_0_0", "dev")}
    whole = {
        "R9_0_0": {
            "value": value_of("R9_0_0", "v1"),
            "type": "runtime",
            "scopes": ["web", "user"],
            "overrides": {"dev": value_of("R9_0_0", "dev")},
        }
    }
    assert check_round(whole, writers) == 1
    with pytest.raises(AssertionError, match="override of R9_0_0 lost"):
        check_round({"R9_0_0": {**whole["R9_0_0"], "overrides": {}}}, writers)
    with pytest.raises(AssertionError, match="half-written value"):
        check_round({"R9_0_0": {**whole["R9_0_0"], "value": value_of("R9_0_0", "v1")[:-1]}}, writers)
