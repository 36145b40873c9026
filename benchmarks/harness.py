"""What every benchmark script shares: servers in subprocesses, wrk, medians, tables.

Only public tools: Python, the packages of the ``bench`` extra, and ``wrk`` (Debian:
``apt-get install wrk``). Every server binds 127.0.0.1 on a free port and is stopped
when its script ends, whatever happens.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk"
URL_IN_OUTPUT = re.compile(r"(?:listening on|Running on|Serving on) (http://127\.0\.0\.1:\d+)")


def executable(name: str) -> str:
    """A console script of the running interpreter's environment (else from PATH)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"'{name}' not found: install the project with its bench extra (pip install -e '.[bench]').")
    return found


def free_port() -> int:
    """A port the kernel just handed out for 127.0.0.1 (used for servers timed from launch)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process whose output goes to a temporary file (a pipe would fill up)."""

    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix="bench-", suffix=".log", delete=False)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        self.url = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def wait_for_url(self, timeout: float = 60.0) -> str:
        """The URL the server announced in its output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = URL_IN_OUTPUT.search(self.output())
            if found:
                self.url = found.group(1)
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        output = self.output()
        self.stop()
        raise RuntimeError(f"{self.name} did not start:\n{output[-2000:]}")

    def rss_mib(self) -> float | None:
        """Resident memory of the server process in MiB (Linux /proc; None elsewhere)."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used (Linux /proc; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()
            os.unlink(self.log.name)


@contextmanager
def running(name: str, argv: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Iterator[Server]:
    """A started server that announced its URL; stopped on exit."""
    server = Server(name, argv, env, cwd)
    try:
        server.wait_for_url()
        yield server
    finally:
        server.stop()


def emulator_argv(*extra: str, threads: int = 8) -> list[str]:
    return [executable("pantheon-emulator"), "serve", "--port", "0", "--threads", str(threads), *extra]


def moto_argv(port: int = 0) -> list[str]:
    return [executable("moto_server"), "-H", "127.0.0.1", "-p", str(port)]


# -- wrk -----------------------------------------------------------------------------


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: apt-get install wrk")
    return found


def wrk(
    url: str,
    seconds: float,
    connections: int = 8,
    threads: int = 1,
    script: str | None = None,
    headers: Sequence[str] = (),
    args: Sequence[str] = (),
) -> dict:
    """Run wrk once; requests/s, latency percentiles (ms) and the count of failed responses."""
    argv = [require_wrk(), "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--latency"]
    for header in headers:
        argv += ["-H", header]
    if script:
        argv += ["-s", str(LUA / script)]
    argv.append(url)
    if args:
        argv += ["--", *args]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not rps:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)) if total else 0,
        "p50_ms": _latency(out, "50%"),
        "p99_ms": _latency(out, "99%"),
        "failed": (int(bad.group(1)) if bad else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def _latency(out: str, percentile: str) -> float | None:
    found = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if not found:
        return None
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


# -- figures -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (readable in a terminal, pasteable into RESULTS.md)."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.3g}" if value < 1 else f"{value:.1f}"
    return str(value)


def verdict(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return ok


def machine() -> str:
    """One line naming where the figures were taken."""
    cores = os.cpu_count()
    try:
        mem_kib = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        memory = f"{mem_kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    try:
        load = "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = "load unknown"
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')}  {platform.system()} {platform.machine()}, {cores} cores, {memory}, "
        f"Python {platform.python_version()}, {load}"
    )


# -- moto (the peer) ------------------------------------------------------------------

# moto checks no signature, but it routes on the credential scope of an AWS4 header.
MOTO_AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/secretsmanager/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


def moto_headers(action: str) -> dict[str, str]:
    """The headers of a Secrets Manager call, as an SDK would send them (unsigned)."""
    return {
        "Authorization": MOTO_AUTH,
        "X-Amz-Target": f"secretsmanager.{action}",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Date": "20240101T000000Z",
    }


def moto_call(session, url: str, action: str, body: dict) -> dict:
    """One Secrets Manager call against a moto server; raises unless it answered 200."""
    import json

    response = session.post(url + "/", headers=moto_headers(action), data=json.dumps(body), timeout=30)
    if response.status_code != 200:
        raise RuntimeError(f"moto {action} answered {response.status_code}: {response.text[:300]}")
    return response.json()
