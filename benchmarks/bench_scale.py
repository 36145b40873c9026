"""Scale: a site with N secrets whose owner organization has N more, N = 10 ... 10,000.

    python benchmarks/bench_scale.py [--sizes 10,100,1000,10000] [--no-moto]

For each N a new ``pantheon-emulator serve --memory --no-rate-limit --seed FILE`` is
started with that world and measured over one keep-alive connection:

- seeding: launch to first answer, the world loaded from the seed file;
- ``showall`` of the site (its N secrets merged with the org's N) and the org's list;
- a runtime read of one secret, cached (the SDK's steady state), and of the whole
  environment, cached and uncached (the cache is emptied before each uncached read);
- the server's resident memory (RSS) once all that has run.

The peer is ``moto_server`` holding the same number of secrets (2N, created through its
API) at the smallest and the largest N: its GetSecretValue and its RSS.

Targets: a cached runtime read of one secret does not grow with N (at the largest N
within 1.5x of the smallest, or 0.5 ms); ``showall`` grows at most linearly (from
the second-largest N to the largest, its time per secret grows by at most 1.5x: CPU
caches and the garbage collector cost more per item in a bigger heap, whatever the
algorithm). Prints tables and PASS/FAIL; exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

import harness
import requests

API = "/customer-secrets/v1"
SITE, ORG, ENV = "scale-site", "scale-org", "dev"
USER_TOKEN, RUNTIME_TOKEN = "scale-token", "scale-runtime-token"
SCOPES = (["web", "user"], ["web"], ["user"], ["ic", "web"])
# Linear work still costs more per item once it outgrows the CPU caches, and CPython's
# collector walks a bigger heap: up to 1.5x per secret counts as linear.
LINEAR_SLACK = 1.5


def world(n: int) -> dict:
    """N org secrets and N site secrets; a tenth of the site's override an org name, a tenth carry overrides."""

    def secrets(prefix: str) -> list[dict]:
        out = []
        for i in range(n):
            secret = {"name": f"{prefix}_{i:05d}", "value": f"{prefix.lower()}-value-{i}", "scopes": SCOPES[i % 4]}
            if i % 10 == 0:
                secret["overrides"] = {"live": f"{prefix.lower()}-live-{i}"}
            out.append(secret)
        return out

    site_secrets = secrets("SITE")
    for i in range(0, n, 10):  # the site overrides some of its org's names
        site_secrets.append({"name": f"ORG_{i:05d}", "value": f"site-over-org-{i}", "scopes": ["web", "user"]})
    return {
        "users": [{"email": "scale@example.com", "token": USER_TOKEN}],
        "organizations": [{"name": ORG, "members": ["scale@example.com"], "secrets": secrets("ORG")}],
        "sites": [{"name": SITE, "owner": ORG, "runtime_token": RUNTIME_TOKEN, "secrets": site_secrets}],
    }


def median_ms(session: requests.Session, method: str, url: str, repeat: int, before=None, **kwargs) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` requests (each answered 200), and the body size."""
    times, size = [], 0
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        response = session.request(method, url, timeout=120, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{method} {url} answered {response.status_code}: {response.text[:300]}")
        size = len(response.content)
    return harness.median(times), size


def measure_emulator(n: int, scratch: str) -> dict:
    seed = Path(scratch) / f"world-{n}.json"
    seed.write_text(json.dumps(world(n)))
    repeat = 5 if n >= 10_000 else 20
    with harness.running(f"emulator N={n}", harness.emulator_argv("--memory", "--no-rate-limit", "--seed", str(seed))) as server:
        with requests.Session() as session:
            base = server.url + API
            loaded = time.perf_counter() - server.started
            management = {"headers": {"Authorization": USER_TOKEN}}
            runtime = {"headers": {"Authorization": f"Bearer {RUNTIME_TOKEN}"}}
            environment = f"{base}/sites/{SITE}/environments/{ENV}/secrets"

            def empty_cache():
                session.patch(f"{server.url}/_emulator/settings", json={"cache_ttl": 900}, timeout=30).raise_for_status()

            result = {"n": n, "seed_s": loaded}
            result["showall_ms"], result["showall_bytes"] = median_ms(
                session, "GET", f"{base}/sites/{SITE}/secrets/showall", repeat, **management
            )
            result["org_list_ms"], _ = median_ms(session, "GET", f"{base}/organizations/{ORG}/secrets", repeat, **management)
            result["env_uncached_ms"], result["env_bytes"] = median_ms(
                session, "GET", environment, repeat, before=empty_cache, **runtime
            )
            result["env_cached_ms"], _ = median_ms(session, "GET", environment, repeat, **runtime)
            result["one_cached_ms"], _ = median_ms(session, "GET", f"{environment}/SITE_00000", 200, **runtime)
            result["rss_mib"] = server.rss_mib()
    return result


def measure_moto(total: int, scratch: str) -> dict:
    """moto_server holding ``total`` secrets: GetSecretValue latency and RSS."""
    with harness.running(f"moto_server {total}", harness.moto_argv(), cwd=scratch) as server:
        started = time.perf_counter()
        with requests.Session() as session:  # one at a time: moto answers 500 to concurrent creates
            for i in range(total):
                harness.moto_call(session, server.url, "CreateSecret", {"Name": f"SECRET_{i:05d}", "SecretString": f"value-{i}"})
            loaded = time.perf_counter() - started
            body = json.dumps({"SecretId": "SECRET_00000"})
            one_ms, _ = median_ms(
                session, "POST", server.url + "/", 200, data=body, headers=harness.moto_headers("GetSecretValue")
            )
        return {"total": total, "load_s": loaded, "one_ms": one_ms, "rss_mib": server.rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000", help="secrets per site and per org (default 10,100,1000,10000)")
    parser.add_argument("--no-moto", action="store_true", help="skip the moto_server peer (it takes a minute to fill)")
    opts = parser.parse_args()
    sizes = sorted(int(s) for s in opts.sizes.split(","))
    print(f"# Scale ({harness.machine()})")
    print(
        "each N: a site with N secrets (plus N/10 over org names) owned by an org with N; "
        "one keep-alive connection; medians of 20 requests (5 at N >= 10,000; 200 for one-secret reads)\n"
    )
    with tempfile.TemporaryDirectory() as scratch:
        results = [measure_emulator(n, scratch) for n in sizes]
        peers = []
        if not opts.no_moto:
            try:
                peers = [measure_moto(2 * n, scratch) for n in sorted({sizes[0], sizes[-1]})]
            except RuntimeError as error:
                print(f"NOTE: the moto_server peer could not be measured: {str(error)[:300]}\n")

    print(
        harness.table(
            (
                "N",
                "seed+start s",
                "showall ms",
                "showall KiB",
                "org list ms",
                "env uncached ms",
                "env cached ms",
                "env KiB",
                "one secret ms",
                "RSS MiB",
            ),
            [
                (
                    r["n"],
                    r["seed_s"],
                    r["showall_ms"],
                    r["showall_bytes"] / 1024,
                    r["org_list_ms"],
                    r["env_uncached_ms"],
                    r["env_cached_ms"],
                    r["env_bytes"] / 1024,
                    r["one_cached_ms"],
                    r["rss_mib"],
                )
                for r in results
            ],
        )
    )
    print()
    small, large = results[0], results[-1]
    if peers:
        print(
            harness.table(
                (
                    "moto_server secrets",
                    "fill s",
                    "GetSecretValue ms",
                    "RSS MiB",
                    "emulator one secret ms (same total)",
                    "emulator RSS MiB",
                    "moto / emulator latency",
                    "moto / emulator RSS",
                ),
                [
                    (
                        p["total"],
                        p["load_s"],
                        p["one_ms"],
                        p["rss_mib"],
                        r["one_cached_ms"],
                        r["rss_mib"],
                        f"{p['one_ms'] / r['one_cached_ms']:.1f}x",
                        f"{p['rss_mib'] / r['rss_mib']:.1f}x" if p["rss_mib"] and r["rss_mib"] else None,
                    )
                    for p, r in zip(peers, (small, large) if len(peers) == 2 else (large,))
                ],
            )
        )
        print()

    growth = large["one_cached_ms"] / small["one_cached_ms"]
    harness.verdict(
        f"cached runtime read does not grow from N={small['n']:,} to N={large['n']:,}",
        growth <= 1.5 or large["one_cached_ms"] - small["one_cached_ms"] <= 0.5,
        f"{small['one_cached_ms']:.2f} ms -> {large['one_cached_ms']:.2f} ms ({growth:.2f}x)",
    )
    if len(results) >= 2:
        before = results[-2]
        factor = large["n"] / before["n"]
        grew = large["showall_ms"] / before["showall_ms"]
        exponent = math.log(grew) / math.log(factor)
        per_secret = grew / factor
        harness.verdict(
            f"showall grows at most linearly (N={before['n']:,} -> {large['n']:,})",
            per_secret <= LINEAR_SLACK,
            f"{before['showall_ms']:.1f} ms -> {large['showall_ms']:.1f} ms: x{grew:.1f} for x{factor:g} "
            f"secrets, x{per_secret:.2f} per secret (exponent {exponent:.2f})",
        )
    print(
        f"INFO  RSS at N={large['n']:,} ({2 * large['n']:,} secrets): {large['rss_mib']:.0f} MiB"
        if large["rss_mib"]
        else "INFO  RSS not available on this platform"
    )


if __name__ == "__main__":
    main()
