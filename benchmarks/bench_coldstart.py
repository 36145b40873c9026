"""Cold start: from launching the server to its first successful answer, against moto_server.

    python benchmarks/bench_coldstart.py [--repeat 10]

Each launch is a new process on a free port, polled every 5 ms until it answers 200:

- ``pantheon-emulator serve --memory``: the demo world seeded, then a runtime read;
- ``pantheon-emulator serve`` in an empty directory: a new SQLite file created and
  seeded, then the same read (what a newcomer's first run does);
- ``moto_server``: a Secrets Manager ListSecrets call;
- for scale, the floor: ``python -c "import flask, waitress"``, what any Flask app
  served by waitress pays before it can answer.

The launches take turns, so a noisy neighbour hurts each alike. Target: the emulator
answers in under 0.5 s (median) and sooner than moto_server. Prints a table and
PASS/FAIL; exits 0 either way.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import harness

RUNTIME_READ = "/customer-secrets/v1/sites/demo-site/environments/dev/secrets"
TIMEOUT = 60.0


def first_answer(argv: list[str], port: int, request: Callable[[http.client.HTTPConnection], None], cwd: str) -> float:
    """Seconds from launching ``argv`` until ``request`` on ``port`` gets a 200."""
    server = harness.Server(argv[0], argv, cwd=cwd)
    try:
        while time.perf_counter() - server.started < TIMEOUT:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                request(connection)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    return time.perf_counter() - server.started
            except (ConnectionError, OSError):
                pass
            finally:
                connection.close()
            if server.process.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited:\n{server.output()[-2000:]}")
            time.sleep(0.005)
        raise RuntimeError(f"{argv[0]} did not answer within {TIMEOUT:g} s")
    finally:
        server.stop()


def runtime_read(connection: http.client.HTTPConnection) -> None:
    connection.request("GET", RUNTIME_READ, headers={"Authorization": "Bearer demo-runtime-token"})


def list_secrets(connection: http.client.HTTPConnection) -> None:
    connection.request("POST", "/", body=json.dumps({}), headers=harness.moto_headers("ListSecrets"))


def emulator_memory(scratch: str) -> float:
    port = harness.free_port()
    argv = [harness.executable("pantheon-emulator"), "serve", "--memory", "--port", str(port)]
    return first_answer(argv, port, runtime_read, scratch)


def emulator_new_file(scratch: str) -> float:
    port = harness.free_port()
    fresh = tempfile.mkdtemp(dir=scratch)
    argv = [harness.executable("pantheon-emulator"), "serve", "--port", str(port)]
    return first_answer(argv, port, runtime_read, fresh)


def moto(scratch: str) -> float:
    port = harness.free_port()
    return first_answer(harness.moto_argv(port), port, list_secrets, scratch)


def floor(scratch: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import flask, waitress.server"], check=True, cwd=scratch)
    return time.perf_counter() - start


CONTENDERS = {
    "emulator (--memory)": emulator_memory,
    "emulator (new SQLite file)": emulator_new_file,
    "moto_server": moto,
    "floor: import flask + waitress": floor,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="launches of each server; the median counts (default 10)")
    opts = parser.parse_args()
    print(f"# Cold start ({harness.machine()})")
    print(f"launch to first 200, polled every 5 ms; median of {opts.repeat} launches each, taking turns\n")
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    with tempfile.TemporaryDirectory() as scratch:
        for launch in CONTENDERS.values():  # warm the page cache once, uncounted
            launch(scratch)
        for _ in range(opts.repeat):
            for name, launch in CONTENDERS.items():
                times[name].append(launch(scratch))

    medians = {name: harness.median(values) for name, values in times.items()}
    moto_median = medians["moto_server"]
    rows = [
        (name, medians[name], min(values), max(values), f"{moto_median / medians[name]:.1f}x") for name, values in times.items()
    ]
    print(harness.table(("server", "median s", "min s", "max s", "moto / this"), rows))
    print()
    ours = medians["emulator (--memory)"]
    harness.verdict(
        "emulator cold start < 0.5 s",
        ours < 0.5,
        f"{ours:.3f} s median (--memory); {medians['emulator (new SQLite file)']:.3f} s with a new file",
    )
    harness.verdict(
        "emulator starts faster than moto_server",
        ours < moto_median,
        f"{ours:.3f} s vs {moto_median:.3f} s ({moto_median / ours:.1f}x)",
    )


if __name__ == "__main__":
    main()
