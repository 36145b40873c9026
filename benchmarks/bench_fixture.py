"""What a test pays for a seeded fake Pantheon, next to moto and pytest-httpserver.

Run:  python benchmarks/bench_fixture.py [--tests N] [--strict]
(needs the ``bench`` extra: ``pip install -e '.[bench]'``)

Method. The cost that matters is what one more test costs a suite, so each contender
is a generated suite of N identical tests run by pytest in a fresh subprocess, the way
a user runs it. A hook wrapper around ``pytest_runtest_protocol`` times every test
from setup through teardown (fixtures, the body, finalizers, reporting). The first
tests of each suite are dropped as warm-up (imports, building the app or the mock), so
the figures are the steady per-test cost. The same N tests with an empty fixture give
pytest's own per-test overhead, which is subtracted to give the net cost of the fixture
and its work ("net" columns; medians subtracted). Times within one run are comparable;
across runs, on a shared machine, expect noise.

Each test does the same job: seed an organization's secret and a site override, then
read the value back as the application would.

- pantheon:          ``pantheon`` fixture; org, site, web-scoped org secret, live override
                     on the site, read back with ``pantheon.runtime`` (the runtime view).
- pantheon+http:     the same, read back over HTTP through ``pantheon.session`` (in-process).
- pantheon_live:     the same, read back over a real socket to the live server.
- moto default:      ``with mock_aws():`` + a boto3 Secrets Manager client per test (moto's
                     documented pytest fixture); create_secret, put_secret_value, get_secret_value.
- moto fastest:      the same with ``mock_aws(config={"core": {"reset_boto3_session": False}})``,
                     moto's documented switch to keep boto3's default session between mocks.
- httpserver:        pytest-httpserver's ``httpserver`` fixture with one stubbed JSON answer
                     and one GET: the floor for any stub over a socket.

A second, smaller figure times the ``pantheon`` work alone in a loop (no pytest), to
show how much of the per-test cost is the emulator and how much is pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

WARMUP = 20

TIMING_CONFTEST = """
import json, os, time
import pytest

_TIMES = []

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = time.perf_counter()
    yield
    _TIMES.append(time.perf_counter() - start)

def pytest_sessionfinish(session):
    with open(os.environ["BENCH_TIMES_FILE"], "w") as out:
        json.dump(_TIMES, out)
"""

PANTHEON_BODY = """
    org = pantheon.org("acme")
    site = pantheon.site("web", owner=org)
    pantheon.secret(org, "API_KEY", "org-value", scopes=["web"])
    pantheon.override(site, "API_KEY", "live", "live-value")
"""

SUITES: dict[str, tuple[str, str]] = {
    "baseline": (
        """
import pytest

@pytest.fixture
def nothing():
    yield None
""",
        """
def test_{i}(nothing):
    assert nothing is None
""",
    ),
    "pantheon": (
        "",
        """
def test_{i}(pantheon):"""
        + PANTHEON_BODY
        + """
    assert pantheon.runtime(site, "live")["API_KEY"] == "live-value"
""",
    ),
    "pantheon+http": (
        "",
        """
def test_{i}(pantheon):"""
        + PANTHEON_BODY
        + """
    answer = pantheon.session.get(
        f"{{pantheon.url}}/customer-secrets/v1/sites/web/environments/live/secrets/API_KEY",
        headers={{"Authorization": f"Bearer {{site.runtime_token}}"}},
    )
    assert answer.json()["Value"] == "live-value"
""",
    ),
    "pantheon_live": (
        "",
        """
def test_{i}(pantheon_live):"""
        + PANTHEON_BODY.replace("pantheon.", "pantheon_live.")
        + """
    answer = pantheon_live.session.get(
        f"{{pantheon_live.url}}/customer-secrets/v1/sites/web/environments/live/secrets/API_KEY",
        headers={{"Authorization": f"Bearer {{site.runtime_token}}"}},
    )
    assert answer.json()["Value"] == "live-value"
""",
    ),
    "moto default": (
        """
import boto3
import pytest
from moto import mock_aws

@pytest.fixture
def secretsmanager():
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")
""",
        """
def test_{i}(secretsmanager):
    secretsmanager.create_secret(Name="API_KEY", SecretString="org-value")
    secretsmanager.put_secret_value(SecretId="API_KEY", SecretString="live-value")
    assert secretsmanager.get_secret_value(SecretId="API_KEY")["SecretString"] == "live-value"
""",
    ),
    "moto fastest": (
        """
import boto3
import pytest
from moto import mock_aws

@pytest.fixture
def secretsmanager():
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        yield boto3.client("secretsmanager", region_name="us-east-1")
""",
        """
def test_{i}(secretsmanager):
    secretsmanager.create_secret(Name="API_KEY", SecretString="org-value")
    secretsmanager.put_secret_value(SecretId="API_KEY", SecretString="live-value")
    assert secretsmanager.get_secret_value(SecretId="API_KEY")["SecretString"] == "live-value"
""",
    ),
    "httpserver": (
        """
import requests
import pytest

@pytest.fixture
def http():
    with requests.Session() as session:
        yield session
""",
        """
def test_{i}(httpserver, http):
    httpserver.expect_request("/secrets/API_KEY").respond_with_json({{"Value": "live-value"}})
    assert http.get(httpserver.url_for("/secrets/API_KEY")).json()["Value"] == "live-value"
""",
    ),
}

AWS_ENV = {  # moto's documented fake credentials, so nothing can reach a real account
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def run_suite(name: str, tests: int, workdir: Path) -> list[float]:
    """Per-test seconds of one generated suite, warm-up dropped."""
    conftest, template = SUITES[name]
    suite = workdir / name.replace(" ", "_").replace("+", "_")
    suite.mkdir()
    (suite / "conftest.py").write_text(TIMING_CONFTEST + textwrap.dedent(conftest), encoding="utf-8")
    body = "".join(template.format(i=i) for i in range(tests + WARMUP))
    (suite / "test_bench.py").write_text(body, encoding="utf-8")
    (suite / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    times_file = suite / "times.json"
    env = {**os.environ, **AWS_ENV, "BENCH_TIMES_FILE": str(times_file)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"Suite {name!r} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(times_file.read_text())[WARMUP:]


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def direct_loop(rounds: int) -> list[float]:
    """The pantheon work alone, with no pytest around it: reset, build the handle, seed, read."""
    from pytest_pantheon_secrets.backend import SharedEmulator
    from pytest_pantheon_secrets.handle import FakePantheon
    from pytest_pantheon_secrets.options import PantheonOptions

    backend = SharedEmulator(PantheonOptions())
    times = []
    try:
        for _ in range(rounds + WARMUP):
            start = time.perf_counter()
            pantheon = FakePantheon(backend.fresh(), backend.url_for("inprocess"), "inprocess", make_session=None)
            org = pantheon.org("acme")
            site = pantheon.site("web", owner=org)
            pantheon.secret(org, "API_KEY", "org-value", scopes=["web"])
            pantheon.override(site, "API_KEY", "live", "live-value")
            assert pantheon.runtime(site, "live")["API_KEY"] == "live-value"
            times.append(time.perf_counter() - start)
    finally:
        backend.close()
    return times[WARMUP:]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=300, help="measured tests per suite (default 300)")
    parser.add_argument("--only", nargs="*", choices=sorted(SUITES), help="run only these suites (the baseline always runs)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    names = [n for n in SUITES if not args.only or n in args.only or n == "baseline"]
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pantheon-") as tmp:
        for name in names:
            print(f"running {name} ({args.tests} tests + {WARMUP} warm-up) ...", file=sys.stderr, flush=True)
            results[name] = run_suite(name, args.tests, Path(tmp))
    direct = direct_loop(max(args.tests, 1000))

    base = statistics.median(results["baseline"])
    print(
        f"\nPer-test cost, ms ({args.tests} tests per suite after {WARMUP} warm-up; "
        f"pytest's own overhead {ms(base).strip()} ms subtracted for 'net')"
    )
    print(f"{'suite':<16}{'median':>9}{'p90':>9}{'net med':>9}{'net p90':>9}")
    net: dict[str, float] = {}
    for name, times in results.items():
        med, high = statistics.median(times), p90(times)
        net[name] = med - base
        print(f"{name:<16}{ms(med)}{ms(high)}{ms(med - base)}{ms(high - base)}")
    print(
        f"\npantheon work alone (no pytest): median {ms(statistics.median(direct)).strip()} ms, p90 {ms(p90(direct)).strip()} ms"
    )

    verdicts = []
    if "pantheon" in net:
        ours = net["pantheon"]
        print("\nRatios (net medians, contender / pantheon):")
        for name in ("moto default", "moto fastest", "httpserver", "pantheon+http", "pantheon_live"):
            if name in net:
                print(f"  {name:<14} {net[name] / ours:7.1f}x")
        verdicts.append(("pantheon net median <= 2 ms", ours <= 0.002))
        if "moto fastest" in net:
            verdicts.append(("moto fastest >= 5x pantheon", net["moto fastest"] >= 5 * ours))
        if "moto default" in net:
            verdicts.append(("moto default >= 50x pantheon", net["moto default"] >= 50 * ours))
        print("\nTargets:")
        for label, ok in verdicts:
            print(f"  {'met   ' if ok else 'MISSED'} {label}")
    return 1 if args.strict and not all(ok for _, ok in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
