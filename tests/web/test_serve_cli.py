"""`pantheon-emulator serve`, `seed`, `export` and `reset`, run as a user would: as processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import ACME_WORLD

EXE = [sys.executable, "-m", "emulator.cli"]


class Server:
    def __init__(self, cwd: Path, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen(
            [*EXE, "serve", "--port", "0", *args],
            cwd=cwd,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.banner: list[str] = []
        for line in self.proc.stderr:
            self.banner.append(line.rstrip("\n"))
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1)
            if line.startswith("Press Ctrl-C"):
                break
        else:
            raise AssertionError("server did not start:\n" + "\n".join(self.banner))

    def stop(self, sig=signal.SIGINT) -> str:
        self.proc.send_signal(sig)
        rest = self.proc.stderr.read()
        self.proc.wait(timeout=10)
        self.proc.stderr.close()
        return rest


@pytest.fixture
def serve(tmp_path):
    servers: list[Server] = []

    def start(*args, **kw) -> Server:
        server = Server(tmp_path, *args, **kw)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        server.proc.stderr.close()


def test_empty_store_gets_the_demo_world_reachable_with_the_printed_token(serve):
    server = serve()
    text = "\n".join(server.banner)
    token = re.search(r"token: (\S+)", text).group(1)
    assert "Bound to 127.0.0.1 only" in text
    response = requests.get(f"{server.url}/customer-secrets/v1/sites/demo-site/secrets/showall", headers={"Authorization": token})
    assert response.status_code == 200
    assert "MAIL_API_KEY" in response.json()["Secrets"]
    assert "stopped" in server.stop()
    assert server.proc.returncode == 0


def test_banner_prints_the_dashboard_address_and_it_serves_the_shipped_assets(serve):
    server = serve("--memory")
    dashboard = re.search(r"^Dashboard: (http://\S+)$", "\n".join(server.banner), re.M).group(1)
    assert dashboard == f"{server.url}/"
    page = requests.get(dashboard, timeout=10)
    assert page.status_code == 200 and "demo-site" in page.text
    for asset in re.findall(r'(?:href|src)="(/ui/static/[^"]+)"', page.text):
        assert requests.get(f"{server.url}{asset}", timeout=10).status_code == 200
    assert "http://" not in page.text.replace(server.url, "")  # no CDN, nothing from elsewhere


def test_state_survives_a_restart_on_the_same_store(serve, tmp_path):
    server = serve("--db", "world.sqlite3")
    created = requests.post(
        f"{server.url}/customer-secrets/v1/sites/demo-site/secrets",
        json={"name": "KEPT", "value": "kept-value", "scopes": ["web", "user"]},
        headers={"Authorization": "demo-token"},
    )
    assert created.status_code == 200
    server.stop(signal.SIGTERM)
    server = serve("--db", "world.sqlite3")
    listed = requests.get(
        f"{server.url}/customer-secrets/v1/sites/demo-site/secrets/showall", headers={"Authorization": "demo-token"}
    )
    assert listed.json()["Secrets"]["KEPT"]["Value"] == "kept-value"
    server.stop()


def test_seed_option_memory_and_environment_variables(serve, tmp_path):
    (tmp_path / "seed.json").write_text(json.dumps(ACME_WORLD))
    server = serve("--memory", env={"PANTHEON_EMULATOR_SEED": "seed.json", "PANTHEON_EMULATOR_CACHE_TTL": "0"})
    text = "\n".join(server.banner)
    assert "memory" in text and "runtime cache: off" in text and "dev@example.com" in text
    assert not (tmp_path / ".pantheon-emulator").exists()
    response = requests.get(
        f"{server.url}/customer-secrets/v1/organizations/acme/secrets", headers={"Authorization": "dev-token"}
    )
    assert response.status_code == 200
    server.stop()


def test_dotenv_file_configures_serve(serve, tmp_path):
    (tmp_path / ".env").write_text("PANTHEON_EMULATOR_RATE_LIMIT=off\nPANTHEON_EMULATOR_MEMORY=1\n")
    server = serve()
    assert "Rate limit: off" in "\n".join(server.banner)
    server.stop()


def test_no_rate_limit_flag(serve):
    server = serve("--memory", "--no-rate-limit")
    statuses = {
        requests.get(
            f"{server.url}/customer-secrets/v1/organizations/demo-org/secrets", headers={"Authorization": "demo-token"}
        ).status_code
        for _ in range(6)
    }
    assert statuses == {200}
    server.stop()


def test_binding_elsewhere_warns(serve):
    server = serve("--memory", "--host", "0.0.0.0")
    assert any("no real authentication" in line for line in server.banner)
    server.stop()


def run(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_seed_and_export_twins_over_http(serve, tmp_path):
    server = serve("--memory")
    (tmp_path / "seed.json").write_text(json.dumps(ACME_WORLD))
    result = run("seed", "seed.json", "--url", server.url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Seeded 3 user(s), 2 organization(s), 2 site(s)." in result.stdout
    exported = json.loads(run("export", "--url", server.url, cwd=tmp_path).stdout)
    assert exported == requests.get(f"{server.url}/_emulator/state").json()
    assert {s["name"] for s in exported["sites"]} >= {"acme-web", "personal"}
    assert run("reset", "--url", server.url, cwd=tmp_path).returncode == 0
    assert requests.get(f"{server.url}/_emulator/state").json()["sites"] == []
    server.stop()


def test_seed_refused_whole_is_a_clear_error(serve, tmp_path):
    server = serve("--memory")
    before = requests.get(f"{server.url}/_emulator/state").json()
    (tmp_path / "bad.json").write_text(json.dumps({"sites": [{"name": "x", "owner": "ghost"}]}))
    result = run("seed", "bad.json", "--url", server.url, cwd=tmp_path)
    assert result.returncode != 0
    assert "unknown organization 'ghost'" in result.stderr and "Traceback" not in result.stderr
    assert requests.get(f"{server.url}/_emulator/state").json() == before
    server.stop()


def test_seed_and_export_directly_on_a_store_file(tmp_path):
    (tmp_path / "seed.json").write_text(json.dumps(ACME_WORLD))
    assert run("seed", "seed.json", "--db", "w.sqlite3", cwd=tmp_path).returncode == 0
    exported = json.loads(run("export", "--db", "w.sqlite3", cwd=tmp_path).stdout)
    assert [o["name"] for o in exported["organizations"]] == ["acme", "partner"]


def test_import_a_local_generate_file_into_a_site(tmp_path):
    local = {
        "EntityType": "sites",
        "EntityId": "0b7c4b7a-5d2e-4a43-9f9a-1f0f6a3c9d21",
        "Secrets": {
            "SITE_ONE": {
                "Type": "runtime",
                "Value": "one",
                "Scopes": ["web", "user"],
                "EnvValues": {"live": "one-live"},
                "OrgValues": {},
            },
            "FROM_ORG": {
                "Type": "env",
                "Value": None,
                "Scopes": ["ic", "user"],
                "EnvValues": {},
                "OrgValues": {"default": "org"},
            },
            "REDACTED": {"Type": "runtime", "Value": None, "Scopes": ["web"], "EnvValues": {}, "OrgValues": {}},
        },
    }
    (tmp_path / "secrets.json").write_text(json.dumps(local, indent=4))
    result = run("seed", "--site", "imported", "--db", "w.sqlite3", "secrets.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = json.loads(run("export", "--db", "w.sqlite3", cwd=tmp_path).stdout)["sites"][0]
    assert site["id"] == local["EntityId"]
    assert {s["name"]: (s["value"], s["overrides"]) for s in site["secrets"]} == {
        "SITE_ONE": ("one", {"live": "one-live"}),
        "FROM_ORG": ("org", {}),
    }


def test_missing_seed_file_is_a_clear_error(tmp_path):
    result = run("seed", "nope.json", "--db", "w.sqlite3", cwd=tmp_path)
    assert result.returncode != 0 and "Cannot read nope.json" in result.stderr


def test_unreachable_server_is_one_clear_line(tmp_path):
    result = run("export", "--url", "http://127.0.0.1:9", cwd=tmp_path)
    assert result.returncode != 0
    assert "Cannot reach the emulator at http://127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seed", "missing.json"], "Cannot read the seed file missing.json"),
        (["--seed", "broken.json"], "The seed file broken.json is not valid JSON"),
        (["--db", "blocker/store.sqlite3"], "Cannot open the store blocker/store.sqlite3"),
        (["--port", "70000"], "Invalid port 70000"),
    ],
)
def test_start_up_problems_are_one_clear_line(tmp_path, args, message):
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "blocker").write_text("a file where a directory should be")
    result = run("serve", *args, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_readme_tour_banner_is_what_serve_prints(serve, tmp_path):
    from tests.readme import section

    block = section("A five-minute tour").split("```text\n", 1)[1].split("```", 1)[0]
    documented = [line for line in block.splitlines()[1:] if not line.startswith("Store:")]
    server = serve()
    printed = [line.replace(server.url, "http://127.0.0.1:8770") for line in server.banner if not line.startswith("Store:")]
    server.stop()
    assert printed == documented


@pytest.mark.parametrize("command", [["export"], ["reset"], ["seed", "seed.json"]])
def test_an_unopenable_store_file_is_one_clear_line(tmp_path, command):
    (tmp_path / "seed.json").write_text(json.dumps(ACME_WORLD))
    (tmp_path / "blocker").write_text("a file where a directory should be")
    result = run(*command, "--db", "blocker/w.sqlite3", cwd=tmp_path)
    assert result.returncode != 0
    assert "Cannot open the store blocker/w.sqlite3" in result.stderr and "Traceback" not in result.stderr
