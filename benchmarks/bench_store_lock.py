"""A big CLI seed next to a running server, and reads while another process holds the lock.

    python benchmarks/bench_store_lock.py [--secrets 200000]

Issue #14 item 9. A ``pantheon-emulator serve --db FILE`` server answers cached runtime
reads over one keep-alive connection, in a loop, while:

1. ``pantheon-emulator seed --db FILE big.json`` writes a site with N secrets (another
   process, the same store file): how long the seed takes, and the reads' median, 99th
   percentile and worst latency during it, against the same figures before it;
2. a third connection holds the store's write lock (``BEGIN IMMEDIATE``): how long
   ``GET /_emulator/state``, ``pantheon-emulator export --db`` and a cached runtime read
   take (none of them may wait for the lock), and what a write answers (503 after
   ``policy.STORE_LOCK_WAIT_SECONDS``).

Targets: reads during the seed keep a worst latency under 0.5 s (the issue measured a
1.3 s stall); with the lock held, the state and the export take no longer than without
it (1.5x + 0.5 s) and a write answers 503. Prints figures and PASS/FAIL; exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import harness
import requests

API = "/customer-secrets/v1"
WORLD = {
    "users": [{"email": "dev@example.com", "token": "dev-token"}],
    "sites": [
        {
            "name": "web",
            "members": ["dev@example.com"],
            "runtime_token": "web-rt",
            "secrets": [{"name": "API_KEY", "value": "k", "scopes": ["web"]}],
        }
    ],
}


def read_loop(url: str, stop: threading.Event, latencies: list[float]) -> None:
    session = requests.Session()
    read = f"{url}{API}/sites/web/environments/dev/secrets/API_KEY"
    while not stop.is_set():
        started = time.perf_counter()
        assert session.get(read, headers={"Authorization": "Bearer web-rt"}, timeout=60).status_code == 200
        latencies.append(time.perf_counter() - started)


def figures(latencies: list[float]) -> list[object]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return [len(ordered), f"{statistics.median(ordered) * 1000:.2f}", f"{p99 * 1000:.2f}", f"{ordered[-1] * 1000:.1f}"]


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets", type=int, default=200_000)
    args = parser.parse_args()
    print(harness.machine())
    with tempfile.TemporaryDirectory() as tmp:
        db, seed, big = Path(tmp) / "store.sqlite3", Path(tmp) / "world.json", Path(tmp) / "big.json"
        seed.write_text(json.dumps(WORLD))
        big.write_text(
            json.dumps(
                {
                    "sites": [
                        {
                            "name": "big",
                            "secrets": [{"name": f"S{i}", "value": f"v{i}", "scopes": ["web"]} for i in range(args.secrets)],
                        }
                    ]
                }
            )
        )
        argv = harness.emulator_argv("--db", str(db), "--seed", str(seed), "--no-rate-limit", threads=4)
        with harness.running("emulator", argv) as server:
            url = server.url
            stop, before = threading.Event(), []
            reader = threading.Thread(target=read_loop, args=(url, stop, before))
            reader.start()
            time.sleep(2)
            stop.set()
            reader.join()

            stop, during = threading.Event(), []
            reader = threading.Thread(target=read_loop, args=(url, stop, during))
            reader.start()
            cli = [harness.executable("pantheon-emulator"), "seed", "--db", str(db), str(big)]
            seed_seconds, done = timed(lambda: subprocess.run(cli, capture_output=True, text=True))
            stop.set()
            reader.join()
            print(f"\nCLI seed --db of {args.secrets:,} secrets next to the server: {seed_seconds:.2f} s ({done.stdout.strip()})")
            print(
                harness.table(
                    ["cached runtime reads", "count", "median ms", "p99 ms", "worst ms"],
                    [["before the seed (2 s)", *figures(before)], ["during the seed", *figures(during)]],
                )
            )

            free_state_s, _ = timed(lambda: requests.get(f"{url}/_emulator/state", timeout=60))
            export = [harness.executable("pantheon-emulator"), "export", "--db", str(db)]
            free_export_s, _ = timed(lambda: subprocess.run(export, capture_output=True, text=True))
            print(f"\nWith no lock held: GET /_emulator/state {free_state_s:.3f} s, export --db {free_export_s:.3f} s")
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                session = requests.Session()
                rows = []
                state_s, state = timed(lambda: session.get(f"{url}/_emulator/state", timeout=60))
                rows.append(["GET /_emulator/state", state.status_code, f"{state_s:.3f}"])
                export_s, exported = timed(lambda: subprocess.run(export, capture_output=True, text=True))
                rows.append(["pantheon-emulator export --db", f"exit {exported.returncode}", f"{export_s:.3f}"])
                read = f"{url}{API}/sites/web/environments/dev/secrets/API_KEY"
                read_s, answer = timed(lambda: session.get(read, headers={"Authorization": "Bearer web-rt"}, timeout=60))
                rows.append(["cached runtime read", answer.status_code, f"{read_s:.3f}"])
                write_s, write = timed(
                    lambda: session.post(
                        f"{url}{API}/sites/web/secrets",
                        json={"name": "X", "value": "v"},
                        headers={"Authorization": "dev-token"},
                        timeout=60,
                    )
                )
                rows.append(
                    [
                        "a write (POST a secret)",
                        f"{write.status_code} Retry-After {write.headers.get('Retry-After')}",
                        f"{write_s:.3f}",
                    ]
                )
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            print("\nWhile another connection holds the store's write lock:")
            print(harness.table(["call", "answer", "seconds"], rows))
            worst = max(during)
            harness.verdict("reads flow during the seed", worst < 0.5, f"worst cached read {worst * 1000:.0f} ms (< 500 ms)")
            harness.verdict(
                "reads and exports skip the lock",
                state_s < free_state_s * 1.5 + 0.5
                and export_s < free_export_s * 1.5 + 0.5
                and read_s < 0.5
                and exported.returncode == 0
                and write.status_code == 503,
                f"state {state_s:.3f} s, read {read_s:.3f} s, export exit {exported.returncode}, write {write.status_code}",
            )


if __name__ == "__main__":
    main()
