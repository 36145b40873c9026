"""The server binds to 127.0.0.1 unless told otherwise, says so, and warns when it is told otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from .support import ServerProcess, running_server


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on ``port``, from /proc/net/tcp."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            addresses.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return addresses


@pytest.mark.slow
def test_serve_binds_to_loopback_by_default_and_says_so(tmp_path):
    with running_server("--memory", "--port", "0", cwd=tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert requests.get(f"{server.url}/_emulator/health", timeout=10).status_code == 200
        port = int(server.url.rsplit(":", 1)[1])
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"127.0.0.1"}
    assert "Bound to 127.0.0.1 only (use --host to change)." in server.output
    assert "WARNING" not in server.output


@pytest.mark.slow
def test_serve_on_another_address_warns_that_there_is_no_real_authentication(tmp_path):
    # 127.0.0.2 is still loopback (nothing leaves the machine) but is not the default.
    server = ServerProcess("--memory", "--port", "0", "--host", "127.0.0.2", cwd=tmp_path)
    try:
        assert server.url.startswith("http://127.0.0.2:")
    finally:
        server.stop()
    assert (
        "WARNING: bound to 127.0.0.2, reachable from other machines. The emulator has no real "
        "authentication; never expose it to a network you do not trust."
    ) in server.output
    assert "Bound to 127.0.0.1 only" not in server.output
