"""Python clients for the emulator (or any service speaking the same API).

:class:`ManagementClient` makes the requests Terminus makes (SPEC §4), including the
POST -> 400 "PATCH" -> PATCH retry used to update a value. Give it a
``requests.Session`` of your own to reach an in-process app without sockets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from . import policy

API_PREFIX = "/customer-secrets/v1"
CONTROL_PREFIX = "/_emulator"
DEFAULT_URL = f"http://{policy.DEFAULT_HOST}:{policy.DEFAULT_PORT}"
ALREADY_EXISTS_CLIENT_MESSAGE = (  # [doc] what Terminus prints when type/scopes are given for an existing name
    "Secret '{name}' already exists. To update the value, omit type and scopes options."
)


class ClientError(Exception):
    """A request the emulator refused, or could not be sent."""

    def __init__(self, message: str, status: int | None = None, retry_after: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class Unreachable(ClientError):
    """Nothing answered at the emulator's URL."""


def _workspace(kind: str) -> str:
    if kind in ("site", "sites"):
        return "sites"
    if kind in ("org", "organization", "organizations"):
        return "organizations"
    raise ValueError(f"kind must be 'site' or 'org', not {kind!r}")


class ManagementClient:
    """The secrets management API as one user (identified by ``token``) sees it."""

    def __init__(self, url: str = DEFAULT_URL, token: str = policy.DEMO_USER_TOKEN,
                 session: requests.Session | None = None, timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> requests.Response:
        """Send one request as Terminus does; raise ClientError on a 4xx/5xx answer."""
        headers = {"Accept": "application/json", "Authorization": self.token}
        return self._send(method, f"{API_PREFIX}{path}", body, headers)

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> requests.Response:
        try:
            response = self.session.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=self.timeout)
        except requests.ConnectionError:
            raise Unreachable(policy.Messages.EMULATOR_UNREACHABLE.format(url=self.url)) from None
        except requests.Timeout:
            raise Unreachable(policy.Messages.EMULATOR_TIMEOUT.format(url=self.url, timeout=self.timeout)) from None
        except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL):
            raise Unreachable(policy.Messages.BAD_EMULATOR_URL.format(url=self.url)) from None
        if response.status_code >= 400:
            raise ClientError(response.text, response.status_code, response.headers.get("Retry-After"))
        return response

    def _json(self, response: requests.Response) -> Any:
        """The JSON body of a successful answer; anything else means we are not talking to an emulator."""
        try:
            return response.json()
        except ValueError:
            raise Unreachable(policy.Messages.NOT_AN_EMULATOR.format(url=self.url, path=response.request.path_url)) from None

    # -- the emulator's control plane (what Terminus learns from Pantheon's own API) ----

    def control(self, path: str) -> Any:
        """GET ``/_emulator{path}``: never rate limited, needs no token."""
        return self._json(self._send("GET", f"{CONTROL_PREFIX}{path}", None, {"Accept": "application/json"}))

    def site_info(self, site: str) -> dict:
        """A site's id, owner, framework and environments (with their PHP versions)."""
        return self.control(f"/sites/{quote(site, safe='')}")

    def organization_info(self, org: str) -> dict:
        """An organization's id, name and members."""
        return self.control(f"/organizations/{quote(org, safe='')}")

    # -- reads ------------------------------------------------------------------------

    def list_secrets(self, kind: str, ref: str) -> dict:
        """The raw list response: ``showall`` for a site, ``/secrets`` for an organization."""
        suffix = "/secrets/showall" if _workspace(kind) == "sites" else "/secrets"
        return self._json(self.request("GET", f"/{_workspace(kind)}/{ref}{suffix}"))

    # -- writes -----------------------------------------------------------------------

    def create_secret(self, kind: str, ref: str, name: str, value: str,
                      type: str | None = None, scopes: list[str] | None = None) -> dict:
        body: dict[str, Any] = {"name": name, "value": value}
        if type:
            body["type"] = type
        if scopes:
            body["scopes"] = list(scopes)
        return self._json(self.request("POST", f"/{_workspace(kind)}/{ref}/secrets", body))

    def set_secret(self, kind: str, ref: str, name: str, value: str,
                   type: str | None = None, scopes: list[str] | None = None) -> dict:
        """Create, or update the value of an existing secret, as ``terminus secret:*:set`` does."""
        try:
            return self.create_secret(kind, ref, name, value, type, scopes)
        except ClientError as error:
            if error.status != 400 or "PATCH" not in error.message:
                raise
            if type or scopes:
                raise ClientError(ALREADY_EXISTS_CLIENT_MESSAGE.format(name=name), 400) from None
            return self.set_value(kind, ref, name, value)

    def set_value(self, kind: str, ref: str, name: str, value: str) -> dict:
        return self._json(self.request("PATCH", f"/{_workspace(kind)}/{ref}/secrets/{name}", {"value": value}))

    def set_override(self, kind: str, ref: str, name: str, env: str, value: str) -> dict:
        return self._json(self.request("PATCH", f"/{_workspace(kind)}/{ref}/secrets/{name}", {"value": value, "env": env}))

    def delete_override(self, kind: str, ref: str, name: str, env: str) -> dict:
        return self._json(self.request("PATCH", f"/{_workspace(kind)}/{ref}/secrets/{name}", {"env": env, "value": None}))

    def delete_secret(self, kind: str, ref: str, name: str) -> dict:
        return self._json(self.request("DELETE", f"/{_workspace(kind)}/{ref}/secrets/{name}"))
