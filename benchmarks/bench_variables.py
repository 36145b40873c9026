"""The variables a site's process sees, at scale: PHP sites against Node (Next.js) sites.

    python benchmarks/bench_variables.py [--sizes 10000x23,20000x103] [--repeat 5]

Issue #14 item 13. For each size ``NxE`` a ``pantheon-emulator serve --memory`` holds two
sites with N secrets each and E environments (dev, test, live and E-3 multidevs): one
``drupal`` (PHP), one ``nodejs``. It measures ``GET /_emulator/sites/SITE/environments/dev/variables``
(the median of ``--repeat`` calls over one keep-alive connection) and one
``pantheon-emulator env`` run for each site, and the server's RSS afterwards.

Targets: a PHP site's variables cost the same whatever its secrets (at the largest size
within 1.5x, or 20 ms, of the smallest); a Node site's answer in under 10 s (the issue
measured 34 s for 20k x 103 before the fix). Prints tables and PASS/FAIL; exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import harness
import requests


def world(secrets: int, environments: int) -> dict:
    envs = {"dev": {}, "test": {}, "live": {}, **{f"md{i}": {} for i in range(environments - 3)}}
    listed = [
        {"name": f"S{i}", "value": f"v{i}", "scopes": ["web"], **({"overrides": {"live": f"l{i}"}} if i % 10 == 0 else {})}
        for i in range(secrets)
    ]
    return {
        "users": [{"email": "dev@example.com", "token": "dev-token"}],
        "sites": [
            {"name": name, "framework": framework, "runtime_token": f"{name}-rt", "environments": envs, "secrets": listed}
            for name, framework in (("php-site", "drupal"), ("node-site", "nodejs"))
        ],
    }


def measure(size: str, repeat: int) -> list[list[object]]:
    secrets, environments = (int(part) for part in size.split("x"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "world.json"
        seed.write_text(json.dumps(world(secrets, environments)))
        argv = harness.emulator_argv("--memory", "--seed", str(seed), "--no-rate-limit", "--cache-ttl", "0", threads=2)
        with harness.running("emulator", argv) as server:
            session = requests.Session()
            for site in ("php-site", "node-site"):
                url = f"{server.url}/_emulator/sites/{site}/environments/dev/variables"
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    answer = session.get(url, timeout=600)
                    times.append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text
                count = len(answer.json()["variables"])
                env = {**os.environ, "PANTHEON_EMULATOR_URL": server.url, "PANTHEON_SITE": site, "PANTHEON_ENVIRONMENT": "dev"}
                started = time.perf_counter()
                cli = subprocess.run(
                    [harness.executable("pantheon-emulator"), "env", f"{site}.dev", "--url", server.url],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                cli_s = time.perf_counter() - started
                rows.append(
                    [
                        size,
                        site,
                        count,
                        f"{harness.median(times) * 1000:.1f}",
                        f"{cli_s:.2f} (exit {cli.returncode})",
                        f"{server.rss_mib():.0f}",
                    ]
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100x23,10000x23,20000x103")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(harness.machine())
    rows = [row for size in args.sizes.split(",") for row in measure(size, args.repeat)]
    print(harness.table(["secrets x envs", "site", "variables", "route median ms", "env CLI s", "RSS MiB"], rows))
    php = [float(r[3]) for r in rows if r[1] == "php-site"]
    node = [float(r[3]) for r in rows if r[1] == "node-site"]
    harness.verdict("PHP cost flat", php[-1] <= max(php[0] * 1.5, php[0] + 20), f"{php[0]:.1f} ms -> {php[-1]:.1f} ms")
    harness.verdict("Node under 10 s", node[-1] < 10_000, f"largest {node[-1]:.0f} ms")


if __name__ == "__main__":
    main()
