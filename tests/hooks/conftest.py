"""Fixtures of the plugin tests."""

from __future__ import annotations

import queue
import re
import subprocess
import threading
from pathlib import Path

import pytest

from ._support import ServerProcess, clean_environment, emulator_command


@pytest.fixture
def serve(tmp_path):
    """Start ``pantheon-emulator serve --port 0 --memory ARGS`` as a child; every one is stopped after the test."""
    started: list[ServerProcess] = []

    def start(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> ServerProcess:
        process = subprocess.Popen(
            [emulator_command(), "serve", "--port", "0", "--memory", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_environment(env),
            cwd=cwd or tmp_path,
        )
        server = ServerProcess(process)
        started.append(server)
        lines: queue.Queue = queue.Queue()

        def drain() -> None:  # keep reading so the child never blocks on a full pipe
            for line in process.stderr:
                lines.put(line.rstrip("\n"))
            lines.put(None)

        server.reader = threading.Thread(target=drain, daemon=True)
        server.reader.start()
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                raise AssertionError(f"serve printed no banner within 60 s: {server.banner}") from None
            if line is None:
                raise AssertionError(f"serve exited with {process.wait()}: " + "\n".join(server.banner))
            server.banner.append(line)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                server.url = match.group(1)
            if line == "Press Ctrl-C to stop.":
                return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def plugins() -> list:
    """Plugin objects for the ``app`` fixture; parametrize a test with ``plugins`` to give some."""
    return []


@pytest.fixture
def app(config, plugins):
    """The shared ``app`` fixture, built with this test's ``plugins``."""
    from emulator.web.app import create_app

    return create_app(config, plugins=plugins)
