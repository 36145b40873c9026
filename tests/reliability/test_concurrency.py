"""Parallel writers and readers on one site and one store: no lost update, no lock error, exact counts.

Every writer creates its own secrets, sets its own environment's override of one shared
secret (a read-modify-write of that secret's overrides), and races every other writer to
create the same name. Readers poll the list and the runtime read meanwhile.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from emulator.config import Config
from emulator.web.app import create_app

from .support import API, ServerProcess, busy_site, secrets_of, state_of, write_secrets

WRITERS = 8
PER_WRITER = 30


def check_outcome(states: list[dict], problems: list[list[str]], prefixes: list[str]) -> None:
    """The world every server reports is the same, and holds exactly what the writers did."""
    flat = [p for ps in problems for p in ps]
    assert flat.count("won RACE") == 1, flat
    assert [p for p in flat if p != "won RACE"] == []
    assert all(state == states[0] for state in states[1:]), "servers disagree about the store"
    secrets = secrets_of(states[0], "site", "busy")
    for prefix in prefixes:
        mine = {name: s for name, s in secrets.items() if name.startswith(prefix + "_")}
        assert len(mine) == PER_WRITER, (prefix, len(mine))
        assert all(s["value"] == f"value-{name.replace('_', '-')}" for name, s in mine.items())
    envs = [f"e{n}" for n in range(len(prefixes))]
    assert secrets["SHARED"]["overrides"] == {env: f"override-{env}" for env in envs}, "an override was lost"
    assert secrets["SHARED"]["value"] == "base"
    assert secrets["RACE"]["value"] in prefixes
    assert len(secrets) == len(prefixes) * PER_WRITER + 2


class Readers:
    """Threads listing the site and reading it at runtime until told to stop."""

    def __init__(self, urls: list[str], count: int = 3):
        self.urls = urls
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.reads = 0
        self.threads = [threading.Thread(target=self.read, args=(urls[n % len(urls)],)) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def read(self, url: str) -> None:
        seen = 0
        with requests.Session() as session:
            while not self.stop.is_set():
                listing = session.get(
                    f"{url}{API}/sites/busy/secrets/showall", headers={"Authorization": "writer-token"}, timeout=60
                )
                runtime = session.get(
                    f"{url}{API}/sites/busy/environments/dev/secrets", headers={"Authorization": "Bearer busy-rt"}, timeout=60
                )
                if listing.status_code != 200 or runtime.status_code != 200:
                    self.failures.append(
                        f"{listing.status_code} {listing.text[:200]} / {runtime.status_code} {runtime.text[:200]}"
                    )
                    return
                secrets = listing.json()["Secrets"]
                if len(secrets) < seen:
                    self.failures.append(f"the list shrank from {seen} to {len(secrets)}")
                seen = len(secrets)
                torn = [n for n, s in secrets.items() if n[0] == "W" and s["Value"] != f"value-{n.replace('_', '-')}"]
                if torn:
                    self.failures.append(f"half-written: {torn}")
                self.reads += 1

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert self.failures == []
        assert self.reads > 0


def file_backed_app(tmp_path):
    app = create_app(Config(db=str(tmp_path / "store.sqlite3"), demo=False, rate_limit=False, cache_ttl=0))
    app.extensions["pantheon_emulator"].seed(busy_site(WRITERS))
    return app


@pytest.mark.slow
def test_writer_and_reader_threads_against_one_server(tmp_path, serve_app):
    url = serve_app(file_backed_app(tmp_path), threads=8)
    prefixes = [f"W{n}" for n in range(WRITERS)]
    readers = Readers([url])
    with ThreadPoolExecutor(WRITERS) as pool:
        problems = list(
            pool.map(write_secrets, [url] * WRITERS, prefixes, [PER_WRITER] * WRITERS, [f"e{n}" for n in range(WRITERS)])
        )
    readers.finish()
    check_outcome([state_of(url)], problems, prefixes)


@pytest.mark.slow
def test_writer_processes_against_one_server(tmp_path, serve_app):
    url = serve_app(file_backed_app(tmp_path), threads=8)
    prefixes = [f"W{n}" for n in range(4)]
    readers = Readers([url], count=2)
    with multiprocessing.get_context("spawn").Pool(len(prefixes)) as pool:
        problems = pool.starmap(write_secrets, [(url, p, PER_WRITER, f"e{n}") for n, p in enumerate(prefixes)])
    readers.finish()
    check_outcome([state_of(url)], problems, prefixes)


@pytest.mark.slow
def test_two_server_processes_share_one_store_file(tmp_path):
    """Two `serve` processes on one SQLite file, each written to by threads: one consistent world."""
    db = str(tmp_path / "shared.sqlite3")
    args = ("--db", db, "--port", "0", "--no-rate-limit", "--cache-ttl", "0", "--threads", "4")
    first = ServerProcess(*args, cwd=tmp_path)
    second = None
    try:
        seeded = requests.post(f"{first.url}/_emulator/seed", json=busy_site(WRITERS), timeout=30)
        assert seeded.status_code == 200, seeded.text
        second = ServerProcess(*args, cwd=tmp_path)
        urls = [first.url, second.url]
        prefixes = [f"W{n}" for n in range(WRITERS)]
        readers = Readers(urls, count=2)
        with ThreadPoolExecutor(WRITERS) as pool:
            problems = list(
                pool.map(
                    write_secrets,
                    [urls[n % 2] for n in range(WRITERS)],
                    prefixes,
                    [PER_WRITER] * WRITERS,
                    [f"e{n}" for n in range(WRITERS)],
                )
            )
        readers.finish()
        check_outcome([state_of(url) for url in urls], problems, prefixes)
    finally:
        for server in (first, second):
            if server is not None:
                server.stop()
    for server in (first, second):
        assert "locked" not in server.output and "Unhandled" not in server.output, server.output


def test_the_outcome_check_catches_a_lost_override():
    """check_outcome is not vacuous."""
    secrets = [
        {"name": f"W0_{i}", "value": f"value-W0-{i}", "type": "runtime", "scopes": ["web"], "overrides": {}}
        for i in range(PER_WRITER)
    ]
    secrets += [
        {"name": "SHARED", "value": "base", "type": "runtime", "scopes": ["web"], "overrides": {}},
        {"name": "RACE", "value": "W0", "type": "runtime", "scopes": ["user"], "overrides": {}},
    ]
    state = json.loads(json.dumps({"sites": [{"name": "busy", "secrets": secrets}]}))
    with pytest.raises(AssertionError, match="an override was lost"):
        check_outcome([state], [["won RACE"]], ["W0"])
