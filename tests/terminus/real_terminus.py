"""Real Terminus (../shared/clients/terminus) run against the emulator, for side-by-side tests.

Terminus first asks Pantheon's core API (``/api/...``: login, site names, sites,
environments, memberships) and only then the secrets API. ``core_api`` answers those
core calls from the emulator's own world (PROTOCOL.md lists them); every other path goes
to the emulator's Flask app, so real Terminus and our ``secret:*`` commands meet the same
server, the same world and the same secrets. Formatting and messages are Terminus' own.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, jsonify, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from emulator.web.server import BackgroundServer
from tests.tools import REAL_TERMINUS, need_program, need_shared


def core_api(emulator_app: Flask) -> Flask:
    """A stand-in for Pantheon's core API over the emulator's world (users are named by email)."""
    service = emulator_app.extensions["pantheon_emulator"]
    stub = Flask("core_api")

    def user_of_session():
        header = request.headers.get("Authorization", "")
        user = service.find_user(header.removeprefix("Bearer "))
        if user is None:
            abort(401)
        return user

    @stub.post("/authorize/machine-token")
    def login():
        user = service.find_user((request.get_json(silent=True) or {}).get("machine_token", ""))
        if user is None:
            return '"Unauthorized"', 401
        return jsonify(session=user.token, user_id=user.email, expires_at=int(time.time()) + 86400)

    @stub.get("/users/<email>")
    def user(email: str):
        return jsonify(email=email, id=email)

    @stub.get("/site-names/<name>")
    def site_name(name: str):
        site = service.find_site(name)
        if site is None or site.name != name:  # the reason Pantheon gives is not on record: the emulator's own
            answer = emulator_app.test_client().get(f"/_emulator/sites/{name}")
            return json.dumps(answer.get_data(as_text=True)), 404
        return jsonify(id=site.id, name=site.name)

    @stub.get("/sites/<uuid>")
    def site(uuid: str):
        found = service.find_site(uuid)
        if found is None:
            return '"Not found"', 404
        return jsonify(id=found.id, name=found.name, framework=found.framework)

    @stub.get("/sites/<uuid>/environments")
    def environments(uuid: str):
        found = service.find_site(uuid)
        if found is None:
            return '"Not found"', 404
        return jsonify(
            {e.name: {"id": e.name, "php_version": e.php_version.replace(".", "")} for e in found.environments.values()}
        )

    @stub.get("/users/<email>/memberships/organizations")
    def memberships(email: str):
        me = user_of_session()
        return jsonify(
            [
                {
                    "id": org.id,
                    "role": "admin",
                    "organization": {"id": org.id, "profile": {"machine_name": org.name, "name": org.name}},
                }
                for org in service.organizations()
                if me.email in org.members
            ]
        )

    @stub.post("/track")
    def track():
        return "", 200

    return stub


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


class RealTerminus:
    """Real Terminus logged in as ``token`` against a server on 127.0.0.1 that has both APIs."""

    def __init__(self, emulator_app: Flask, home: Path, token: str):
        need_program("php", "php-cli")
        need_shared(REAL_TERMINUS)
        self.server = BackgroundServer(DispatcherMiddleware(emulator_app, {"/api": core_api(emulator_app)}))  # type: ignore[arg-type]
        self.url = self.server.url
        port = self.url.rsplit(":", 1)[1]
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "COLUMNS": "80",
            "TERMINUS_HOST": "127.0.0.1",
            "TERMINUS_PORT": port,
            "TERMINUS_PROTOCOL": "http",
            "TERMINUS_VERIFY_HOST_CERT": "0",
            "TERMINUS_PAPI_HOST": "127.0.0.1",
        }
        self.cwd = home
        login = self.run("auth:login", f"--machine-token={token}")
        assert login.exit_code == 0, login

    def run(self, *args: str) -> Run:
        done = subprocess.run(
            [str(REAL_TERMINUS), *args], env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def script(self, lines: list[list[str]]) -> list[Run]:
        """Several commands in one PHP process would not be Terminus; this just runs them in turn."""
        return [self.run(*line) for line in lines]

    def stop(self) -> None:
        self.server.stop()
