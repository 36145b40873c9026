"""The dashboard's server time for a large site: 1,000 secrets, 10 environments.

    python benchmarks/bench_dashboard.py [--secrets 1000] [--environments 10] [--repeat 20]

A site owned by an organization holding half as many secrets again (so the matrix has
both layers), a tenth of the site's secrets with an override in every environment. Each
page is rendered through Flask's test client (no network: server time only) ``--repeat``
times after one warm-up: the site's Secrets tab, its resolution matrix for each scope, one secret's edit page
and the journal
with a full buffer of entries. Target: the Secrets tab and the matrix each render in under 300 ms (median).
Prints a table and PASS/FAIL; exits 0 either way.
"""

from __future__ import annotations

import argparse
import statistics
import time

import harness

from emulator.config import Config
from emulator.web.app import create_app

TARGET_MS = 300.0


def world(secrets: int, environments: int) -> dict:
    envs = {"dev": {}, "test": {}, "live": {}, **{f"md{i}": {} for i in range(environments - 3)}}
    site_secrets = []
    for i in range(secrets):
        entry = {"name": f"SECRET_{i:05d}", "value": f"value-{i}", "scopes": ["web", "user"] if i % 3 else ["web"]}
        if i % 10 == 0:
            entry["overrides"] = {env: f"value-{i}-{env}" for env in envs}
        site_secrets.append(entry)
    org_secrets = [
        {"name": f"SECRET_{i:05d}", "value": f"org-{i}", "scopes": ["web", "ic"]} for i in range(0, secrets + secrets // 2, 2)
    ]
    return {
        "users": [{"email": "dev@example.com", "token": "dev-token"}],
        "organizations": [{"name": "big-org", "members": ["dev@example.com"], "secrets": org_secrets}],
        "sites": [{"name": "big-site", "owner": "big-org", "environments": envs, "secrets": site_secrets}],
    }


def timed(client, path: str, repeat: int) -> list[float]:
    assert client.get(path).status_code == 200, path  # warm-up (templates compiled, memo filled)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets", type=int, default=1000)
    parser.add_argument("--environments", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    app = create_app(Config(db=":memory:", demo=False, rate_limit=False))
    em = app.extensions["pantheon_emulator"]
    em.seed(world(args.secrets, args.environments))
    client = app.test_client()
    for _ in range(1000):
        client.get("/customer-secrets/v1/sites/big-site/secrets/showall", headers={"Authorization": "dev-token"})
    rows = []
    names = 0
    for label, path in [
        ("Secrets tab", "/ui/sites/big-site"),
        ("Matrix, scope web", "/ui/sites/big-site/matrix?scope=web"),
        ("Matrix, scope ic", "/ui/sites/big-site/matrix?scope=ic"),
        ("Matrix, scope user", "/ui/sites/big-site/matrix?scope=user"),
        ("One secret's edit page", "/ui/sites/big-site/secrets/SECRET_00010"),
        ("Journal, 1000 entries", "/ui/journal"),
    ]:
        times = timed(client, path, args.repeat)
        size = len(client.get(path).data)
        rows.append((label, statistics.median(times), max(times), size))
    names = len(em.matrix(em.site("big-site"), "web")["rows"])
    print(f"Site: {args.secrets} site secrets, {names} names with the organization's, {args.environments} environments")
    print(f"{'page':<28} {'median ms':>10} {'max ms':>10} {'bytes':>10}")
    for label, median, longest, size in rows:
        print(f"{label:<28} {median:>10.1f} {longest:>10.1f} {size:>10}")
    slowest = max(rows[:4], key=lambda row: row[1])
    harness.verdict(
        "dashboard render",
        slowest[1] < TARGET_MS,
        f"slowest of the Secrets tab and the matrix ({slowest[0]}): {slowest[1]:.1f} ms median; target < {TARGET_MS:.0f} ms",
    )


if __name__ == "__main__":
    main()
