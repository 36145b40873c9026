"""The browser guard: which ``Host`` the server answers, and which requests may change state.

Binding to 127.0.0.1 does not stop a web page: the user's browser may post a form to
``http://127.0.0.1:8770/_emulator/reset``, and a DNS-rebinding page may read
``/_emulator/state`` under its own host name. Every request therefore passes
:func:`check_host` (its ``Host`` must name an address the server serves, or one allowed
with ``--allow-host`` / ``PANTHEON_EMULATOR_ALLOWED_HOSTS``) and every state-changing
request :func:`check_same_origin` (no ``Origin`` or ``Sec-Fetch-Site`` saying it comes from
another site). Control-plane writes must also be something no HTML form can send
(:func:`check_not_a_form`): a JSON body, or the :data:`policy.CONTROL_HEADER` header.

Other routes of the same server (the web dashboard) call :func:`check_host` and
:func:`check_same_origin` the same way, and add their own CSRF token to forms.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, Request

from emulator.core import policy
from emulator.core.errors import Forbidden, shown

G = policy.GuardMessages
HOSTS_KEY = "pantheon_emulator_hosts"  # app.extensions[HOSTS_KEY]: the app's HostPolicy
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def _split(value: str) -> tuple[str, int | None] | None:
    """(host name, port or None) of a Host header or an allow-list entry; None if malformed."""
    try:
        parts = urlsplit(f"//{value.strip()}")
        name = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not name:
        return None
    return name.lower().rstrip("."), port


@dataclass
class HostPolicy:
    """The host names (and ports) a server answers to."""

    served: set[str] = field(default_factory=set)  # names of this server: checked with its ports
    ports: set[int] = field(default_factory=set)  # ports it is served on (empty: any)
    allowed: set[tuple[str, int | None]] = field(default_factory=set)  # extra names, any port when None
    any_host: bool = False

    def serve(self, host: str, port: int | None) -> None:
        """Note that the app is served on ``host``:``port`` (a wildcard bind adds this machine's name)."""
        self.served.update(policy.LOCAL_HOST_NAMES)
        if host in WILDCARD_BINDS:
            self.served.add(socket.gethostname().lower())
        else:
            found = _split(host if ":" not in host or host.startswith("[") else f"[{host}]")
            if found:
                self.served.add(found[0])
        if port:
            self.ports.add(port)

    def allow(self, entries: Iterable[str]) -> None:
        for entry in entries:
            entry = entry.strip()
            if entry == policy.ALLOW_ANY_HOST:
                self.any_host = True
            elif entry and (found := _split(entry)):
                self.allowed.add(found)

    def allows(self, host_header: str) -> bool:
        if self.any_host:
            return True
        found = _split(host_header)
        if found is None:
            return False
        name, port = found
        if (name, None) in self.allowed or (name, port) in self.allowed:
            return True
        return name in self.served and (port is None or not self.ports or port in self.ports)

    def describe(self) -> str:
        names = sorted(self.served) + sorted(f"{n}:{p}" if p else n for n, p in self.allowed)
        return ", ".join(names)


def host_policy(app: Flask) -> HostPolicy:
    """The app's host policy (made on first use: the localhost names only)."""
    found = app.extensions.get(HOSTS_KEY)
    if found is None:
        found = app.extensions[HOSTS_KEY] = HostPolicy()
        found.serve(policy.DEFAULT_HOST, None)
    return found


def check_host(request: Request, hosts: HostPolicy) -> None:
    """Forbidden unless the request's ``Host`` names an address the server answers to."""
    host = request.headers.get("Host", "")
    if not hosts.allows(host):
        raise Forbidden(G.FOREIGN_HOST.format(host=shown(host, 200), allowed=hosts.describe()))


def check_same_origin(request: Request) -> None:
    """Forbidden if a state-changing request comes from a page of another origin.

    Browsers send ``Origin`` on cross-origin posts (and ``Sec-Fetch-Site``); command-line
    clients send neither, and pass. Safe methods (GET, HEAD, OPTIONS) always pass.
    """
    if request.method not in policy.STATE_CHANGING_METHODS:
        return
    path = shown(request.path, 200)
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if fetch_site in policy.CROSS_SITE_FETCHES:
        raise Forbidden(G.CROSS_SITE.format(method=request.method, path=path, value=shown(fetch_site, 40)))
    origin = request.headers.get("Origin")
    if origin is None:
        return
    own = f"{request.scheme}://{request.headers.get('Host', '')}".lower()
    if origin.strip().rstrip("/").lower() != own:
        raise Forbidden(G.CROSS_ORIGIN.format(method=request.method, path=path, origin=shown(origin, 200)))


def check_not_a_form(request: Request) -> None:
    """Forbidden unless a state-changing request carries JSON or the control header."""
    if request.method not in policy.STATE_CHANGING_METHODS:
        return
    if request.mimetype == "application/json" or policy.CONTROL_HEADER in request.headers:
        return
    raise Forbidden(G.CONTROL_NEEDS_JSON.format(header=policy.CONTROL_HEADER))


def install(app: Flask, host: str, port: int | None, allowed: Iterable[str] = ()) -> HostPolicy:
    """Guard every route of ``app``; returns its host policy (served on ``host``:``port``)."""
    hosts = host_policy(app)
    hosts.serve(host, port)
    hosts.allow(allowed)

    @app.before_request
    def guard() -> None:
        from flask import request

        req = request._get_current_object()
        check_host(req, hosts)
        check_same_origin(req)
        if req.path.startswith(policy.CONTROL_PREFIX + "/"):
            check_not_a_form(req)

    return hosts
