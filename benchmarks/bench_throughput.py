"""Server throughput: requests/s over 8 keep-alive connections, against moto and the ceiling.

    python benchmarks/bench_throughput.py [--seconds 3] [--repeat 5] [--threads 8]

Five servers run side by side, each in its own process, and wrk (``apt-get install
wrk``) measures one workload after another, round after round; each emulator workload
runs right beside the one it is compared with, and ratios are the median of the
round-by-round ratios, so a noisy neighbour sways both sides alike:

- the emulator (``pantheon-emulator serve --no-rate-limit``), with an in-memory store
  and, for the runtime read, with a SQLite file (the default of ``serve``);
- ``moto_server``, moto's standalone server, answering Secrets Manager calls;
- moto's own WSGI app under waitress with the same thread count (``moto_server`` runs
  Werkzeug's development server, which closes every connection; this row shows what
  moto does on the emulator's server);
- a trivial Flask route under waitress with the same thread count: the ceiling, what
  any Flask app can do on this machine with this server.

Reads: a runtime read of one secret (``GET .../environments/dev/secrets/NAME`` with the
site's runtime token) against moto's GetSecretValue; the whole environment
(``GET .../environments/dev/secrets``, what the SDK fetches) is measured too. Writes
(rate limit off): the emulator's PATCH of a value and POST of a new secret against
moto's PutSecretValue and CreateSecret, and a trivial POST route that parses its JSON
body. Besides requests/s, the server's CPU time per answered request (Linux) is shown:
other load on the machine sways it less.

Targets: at least 2,000 runtime reads/s, at least 4x moto_server, at least 75% of the
ceiling. Prints tables and PASS/FAIL for each; exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import harness
import requests

SITE, ENV, NAME, VALUE = "bench-site", "dev", "BENCH_SECRET", "bench-value-0000"
USER_TOKEN, RUNTIME_TOKEN = "bench-token", "bench-runtime-token"
MOTO_SECRET = "bench/secret"
API = "/customer-secrets/v1"

WORLD = {
    "users": [{"email": "bench@example.com", "token": USER_TOKEN}],
    "organizations": [
        {
            "name": "bench-org",
            "members": ["bench@example.com"],
            "secrets": [{"name": "ORG_SECRET", "value": "org-value", "scopes": ["web", "user"]}],
        }
    ],
    "sites": [
        {
            "name": SITE,
            "owner": "bench-org",
            "runtime_token": RUNTIME_TOKEN,
            "secrets": [{"name": NAME, "value": VALUE, "type": "runtime", "scopes": ["web", "user"]}],
        }
    ],
}


@dataclass
class Workload:
    """One kind of request against one server, and the wrk runs measured for it."""

    kind: str  # "read" or "write"
    process: harness.Server
    what: str
    path: str
    headers: tuple[str, ...] = ()
    script: str | None = None
    args: tuple[str, ...] = ()
    runs: list[dict] = field(default_factory=list)

    @property
    def server(self) -> str:
        return self.process.name

    @property
    def cpu_us(self) -> float | None:
        """Median server CPU time per answered request, in microseconds."""
        values = [r["cpu_us"] for r in self.runs if r.get("cpu_us") is not None]
        return harness.median(values) if values else None

    @property
    def rps(self) -> float:
        return harness.median([r["rps"] for r in self.runs])

    @property
    def p50(self) -> float | None:
        values = [r["p50_ms"] for r in self.runs if r["p50_ms"] is not None]
        return harness.median(values) if values else None

    @property
    def failed(self) -> int:
        return sum(r["failed"] for r in self.runs)


def header_lines(headers: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{k}: {v}" for k, v in headers.items())


def workloads(
    emulator: harness.Server, on_file: harness.Server, moto: harness.Server, moto_w: harness.Server, ceiling: harness.Server
) -> list[Workload]:
    runtime = (f"Authorization: Bearer {RUNTIME_TOKEN}",)
    management = (f"Authorization: {USER_TOKEN}", "Content-Type: application/json")
    get_value = json.dumps({"SecretId": MOTO_SECRET})
    put_value = json.dumps({"SecretId": MOTO_SECRET, "SecretString": "new-value"})
    create_moto = json.dumps({"Name": "%NAME%", "SecretString": VALUE})
    create_ours = json.dumps({"name": "%NAME%", "value": VALUE, "scopes": ["web", "user"]})
    moto_read = ("POST", get_value, *header_lines(harness.moto_headers("GetSecretValue")))
    moto_put = ("POST", put_value, *header_lines(harness.moto_headers("PutSecretValue")))
    moto_create = (create_moto, *header_lines(harness.moto_headers("CreateSecret")))
    # Listed so that each emulator workload runs right beside the one it is compared with.
    return [
        Workload(
            "read",
            emulator,
            "runtime read, one secret",
            f"{emulator.url}{API}/sites/{SITE}/environments/{ENV}/secrets/{NAME}",
            runtime,
        ),
        Workload("read", ceiling, "trivial GET route", f"{ceiling.url}/read"),
        Workload("read", moto, "GetSecretValue", moto.url, script="request.lua", args=moto_read),
        Workload(
            "read", emulator, "runtime read, environment", f"{emulator.url}{API}/sites/{SITE}/environments/{ENV}/secrets", runtime
        ),
        Workload("read", moto_w, "GetSecretValue", moto_w.url, script="request.lua", args=moto_read),
        Workload(
            "read",
            on_file,
            "runtime read, one secret",
            f"{on_file.url}{API}/sites/{SITE}/environments/{ENV}/secrets/{NAME}",
            runtime,
        ),
        Workload(
            "write",
            emulator,
            "PATCH value",
            f"{emulator.url}{API}/sites/{SITE}/secrets/{NAME}",
            script="request.lua",
            args=("PATCH", json.dumps({"value": "new-value"}), *management),
        ),
        Workload(
            "write",
            ceiling,
            "trivial POST route, JSON body",
            f"{ceiling.url}/write",
            script="request.lua",
            args=("POST", json.dumps({"name": NAME, "value": VALUE}), "Content-Type: application/json"),
        ),
        Workload("write", moto, "PutSecretValue", moto.url, script="request.lua", args=moto_put),
        Workload("write", moto_w, "PutSecretValue", moto_w.url, script="request.lua", args=moto_put),
        Workload(
            "write",
            emulator,
            "POST new secret",
            f"{emulator.url}{API}/sites/{SITE}/secrets",
            script="create.lua",
            args=("{run}", create_ours, *management),
        ),
        Workload("write", moto, "CreateSecret", moto.url, script="create.lua", args=("{run}", *moto_create)),
        Workload("write", moto_w, "CreateSecret", moto_w.url, script="create.lua", args=("{run}", *moto_create)),
    ]


def measure(load: Workload, seconds: float, run: int) -> dict:
    """One wrk run, with the server's CPU time per answered request."""
    args = tuple(a.replace("{run}", f"R{run}") for a in load.args)
    cpu_before = load.process.cpu_seconds()
    result = harness.wrk(load.path, seconds, connections=8, script=load.script, headers=load.headers, args=args)
    cpu_after = load.process.cpu_seconds()
    answered = result["requests"] - result["failed"]
    if cpu_before is not None and cpu_after is not None and answered > 0:
        result["cpu_us"] = (cpu_after - cpu_before) / answered * 1e6
    return result


def check_reachable(loads: list[Workload]) -> None:
    """Each workload answers 2xx once before it is timed (a benchmark of errors proves nothing)."""
    for load in loads:
        result = harness.wrk(
            load.path,
            1,
            connections=1,
            script=load.script,
            headers=load.headers,
            args=tuple(a.replace("{run}", "CHECK") for a in load.args),
        )
        if result["failed"]:
            sys.exit(f"{load.server} / {load.what} fails: check its request before benchmarking.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk run (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of wrk runs; medians count (default 5)")
    parser.add_argument("--threads", type=int, default=8, help="WSGI threads of every server (default 8)")
    opts = parser.parse_args()
    harness.require_wrk()
    print(f"# Server throughput ({harness.machine()})")
    print(
        f"wrk: 1 thread, 8 keep-alive connections, {opts.seconds:g} s a run, median of {opts.repeat}; "
        f"servers: {opts.threads} WSGI threads\n"
    )

    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as scratch:
        seed = Path(scratch) / "world.json"
        seed.write_text(json.dumps(WORLD))
        with (
            harness.running(
                "emulator", harness.emulator_argv("--memory", "--no-rate-limit", "--seed", str(seed), threads=opts.threads)
            ) as emulator,
            harness.running(
                "emulator (SQLite file)",
                harness.emulator_argv(
                    "--db", str(Path(scratch) / "store.sqlite3"), "--no-rate-limit", "--seed", str(seed), threads=opts.threads
                ),
            ) as on_file,
            harness.running("moto_server", harness.moto_argv(), cwd=scratch) as moto,
            harness.running(
                "moto @ waitress",
                [sys.executable, str(here / "peer_servers.py"), "moto", "--threads", str(opts.threads)],
                cwd=scratch,
            ) as moto_w,
            harness.running(
                "ceiling", [sys.executable, str(here / "peer_servers.py"), "ceiling", "--threads", str(opts.threads)]
            ) as ceiling,
        ):
            with requests.Session() as session:
                for url in (moto.url, moto_w.url):
                    harness.moto_call(session, url, "CreateSecret", {"Name": MOTO_SECRET, "SecretString": VALUE})
            loads = workloads(emulator, on_file, moto, moto_w, ceiling)
            check_reachable(loads)
            for load in loads:  # warm-up: imports, caches, JIT-free but lazy paths
                measure(load, 1, run=0)
            for run in range(1, opts.repeat + 1):
                for load in loads:
                    load.runs.append(measure(load, opts.seconds, run))
                    time.sleep(0.2)
    report(loads)


def report(loads: list[Workload]) -> None:
    def find(server: str, what: str) -> Workload:
        return next(l for l in loads if l.server == server and l.what == what)

    for kind, title in (("read", "Reads"), ("write", "Management writes (rate limit off)")):
        rows = []
        for load in (l for l in loads if l.kind == kind):
            runs = " / ".join(f"{r['rps']:,.0f}" for r in load.runs)
            rows.append((load.server, load.what, load.rps, load.p50, load.cpu_us, runs, load.failed or ""))
        print(f"## {title}\n")
        print(harness.table(("server", "request", "req/s (median)", "p50 ms", "server CPU us/req", "runs req/s", "failed"), rows))
        print()

    def ratio(a: Workload, b: Workload) -> float:
        """Median of the round-by-round ratios: each pair ran seconds apart, under the same load."""
        return harness.median([x["rps"] / y["rps"] for x, y in zip(a.runs, b.runs)])

    def cpu_ratio(a: Workload, b: Workload) -> float | None:
        """Same, of server CPU per request (b's over a's): less swayed by other processes."""
        pairs = [(x.get("cpu_us"), y.get("cpu_us")) for x, y in zip(a.runs, b.runs)]
        values = [y / x for x, y in pairs if x and y]
        return harness.median(values) if values else None

    ours = find("emulator", "runtime read, one secret")
    whole = find("emulator", "runtime read, environment")
    moto, moto_w = find("moto_server", "GetSecretValue"), find("moto @ waitress", "GetSecretValue")
    ceiling = find("ceiling", "trivial GET route")
    patch, create = find("emulator", "PATCH value"), find("emulator", "POST new secret")
    pairs = [
        ("runtime read (one secret) / moto_server GetSecretValue", ours, moto, "x"),
        ("runtime read (one secret) / moto @ waitress GetSecretValue", ours, moto_w, "x"),
        ("runtime read (one secret) / trivial route (ceiling)", ours, ceiling, "%"),
        ("runtime read (environment) / trivial route (ceiling)", whole, ceiling, "%"),
        (
            "runtime read (one secret, SQLite file) / trivial route (ceiling)",
            find("emulator (SQLite file)", "runtime read, one secret"),
            ceiling,
            "%",
        ),
        ("PATCH value / moto_server PutSecretValue", patch, find("moto_server", "PutSecretValue"), "x"),
        ("PATCH value / moto @ waitress PutSecretValue", patch, find("moto @ waitress", "PutSecretValue"), "x"),
        ("POST secret / moto_server CreateSecret", create, find("moto_server", "CreateSecret"), "x"),
        ("POST secret / moto @ waitress CreateSecret", create, find("moto @ waitress", "CreateSecret"), "x"),
        ("PATCH value / trivial POST route (ceiling)", patch, find("ceiling", "trivial POST route, JSON body"), "%"),
    ]
    comparisons = [(name, ratio(a, b), cpu_ratio(a, b), unit) for name, a, b, unit in pairs]

    def shown(value: float | None, unit: str) -> str | None:
        if value is None:
            return None
        return f"{value:.1f}x" if unit == "x" else f"{value:.0%}"

    print("## Ratios (median of the per-round ratios)\n")
    print("By requests/s, and by server CPU per request (the peer's over ours), which other load on the machine sways less.\n")
    print(
        harness.table(
            ("comparison", "by req/s", "by CPU/request"),
            [(name, shown(r, unit), shown(c, unit)) for name, r, c, unit in comparisons],
        )
    )
    print()
    failed = sum(l.failed for l in loads)
    if failed:
        print(f"NOTE: {failed} request(s) failed in all (see the 'failed' column); they are not counted as answered.")
    (_, to_moto, cpu_moto, _), _, (_, to_ceiling, cpu_ceiling, _) = comparisons[:3]
    harness.verdict("runtime reads >= 2,000/s", ours.rps >= 2000, f"{ours.rps:,.0f}/s")
    harness.verdict(
        "runtime reads >= 4x moto_server", to_moto >= 4, f"{to_moto:.1f}x by req/s ({shown(cpu_moto, 'x')} by CPU/request)"
    )
    harness.verdict(
        "runtime reads >= 75% of the ceiling",
        to_ceiling >= 0.75,
        f"{to_ceiling:.0%} by req/s ({shown(cpu_ceiling, '%')} by CPU/request)",
    )


if __name__ == "__main__":
    main()
