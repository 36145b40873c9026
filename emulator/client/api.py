"""Python clients for the emulator (or any service speaking the same API).

:class:`ManagementClient` makes the requests Terminus makes (SPEC §4), including the
POST -> 400 "PATCH" -> PATCH retry used to update a value. :class:`RuntimeClient`
(and the module functions :func:`get_secret` / :func:`get_secrets`) reads secrets as a
site's code does with ``pantheon_get_secret()``. Give either a ``requests.Session`` of
your own to reach an in-process app without sockets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from emulator.client.settings import setting_sources
from emulator.core import policy
from emulator.core.secrets_file import read_fake_file
from emulator.core.site_env import (
    ENVIRONMENT_VARIABLE,
    FAKE_FILE_VARIABLE,
    RUNTIME_TOKEN_VARIABLE,
    SITE_VARIABLE,
    URL_VARIABLE,
)

API_PREFIX = policy.API_PREFIX
CONTROL_PREFIX = policy.CONTROL_PREFIX
DEFAULT_URL = policy.DEFAULT_URL
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


@contextmanager
def reaching(url: str, timeout: float) -> Iterator[None]:
    """Turn a failure to reach ``url`` into one Unreachable error naming it."""
    try:
        yield
    except requests.ConnectionError:
        raise Unreachable(policy.Messages.EMULATOR_UNREACHABLE.format(url=url)) from None
    except requests.Timeout:
        raise Unreachable(policy.Messages.EMULATOR_TIMEOUT.format(url=url, timeout=timeout)) from None
    except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL):
        raise Unreachable(policy.Messages.BAD_EMULATOR_URL.format(url=url)) from None


def retry_after_seconds(header: str | None, default: float, ceiling: float) -> float:
    """The wait a ``Retry-After`` header asks for, within 0..``ceiling`` seconds;
    ``default`` when it is absent or not a number of seconds."""
    try:
        wanted = float(header) if header else default
    except ValueError:
        wanted = default
    if not math.isfinite(wanted):
        wanted = default if math.isnan(wanted) else ceiling
    return min(max(wanted, 0.0), ceiling)


def _workspace(kind: str) -> str:
    if kind in ("site", "sites"):
        return "sites"
    if kind in ("org", "organization", "organizations"):
        return "organizations"
    raise ValueError(f"kind must be 'site' or 'org', not {kind!r}")


class ManagementClient:
    """The secrets management API as one user (identified by ``token``) sees it."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        token: str = policy.DEMO_USER_TOKEN,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ):
        self.url = url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> requests.Response:
        """Send one request as Terminus does; raise ClientError on a 4xx/5xx answer."""
        headers = {"Accept": "application/json", "Authorization": self.token}
        return self._send(method, f"{API_PREFIX}{path}", body, headers)

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> requests.Response:
        with reaching(self.url, self.timeout):
            response = self.session.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=self.timeout)
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

    def control(self, path: str, method: str = "GET", body: Any = None) -> Any:
        """Call the emulator's control plane, ``/_emulator{path}``: never rate limited, needs no token."""
        return self._json(
            self._send(method, f"{CONTROL_PREFIX}{path}", body, {"Accept": "application/json", policy.CONTROL_HEADER: "1"})
        )

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

    def create_secret(
        self, kind: str, ref: str, name: str, value: str, type: str | None = None, scopes: list[str] | None = None
    ) -> dict:
        body: dict[str, Any] = {"name": name, "value": value}
        if type:
            body["type"] = type
        if scopes:
            body["scopes"] = list(scopes)
        return self._json(self.request("POST", f"/{_workspace(kind)}/{ref}/secrets", body))

    def set_secret(
        self, kind: str, ref: str, name: str, value: str, type: str | None = None, scopes: list[str] | None = None
    ) -> dict:
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


# -- runtime reads: what application code sees (SPEC §6, §9) ----------------------------

RUNTIME_VARIABLES = (URL_VARIABLE, SITE_VARIABLE, ENVIRONMENT_VARIABLE, RUNTIME_TOKEN_VARIABLE, FAKE_FILE_VARIABLE)


def runtime_environment(environ: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env") -> dict[str, str]:
    """The runtime client's variables: a ``.env`` file first, the environment over it."""
    found: dict[str, str] = {}
    for _, values in setting_sources(environ, dotenv_path):
        found.update({k: values[k] for k in RUNTIME_VARIABLES if values.get(k)})
    return found


class RuntimeClient:
    """``pantheon_get_secret()`` for Python: the web-scoped values of one site environment.

    Reads from the emulator's runtime route with the site's runtime token, or, when
    ``fake_file`` is given, from a local secrets file with the SDK fake client's rules.
    Values are cached by the server (SPEC §6), not here: a change shows up once the
    server's cache for the environment expires.
    """

    def __init__(
        self,
        site: str | None = None,
        environment: str | None = None,
        token: str | None = None,
        url: str = DEFAULT_URL,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        fake_file: str | Path | None = None,
    ):
        self.fake_file = Path(fake_file) if fake_file else None
        if self.fake_file is None:
            for variable, given in ((SITE_VARIABLE, site), (RUNTIME_TOKEN_VARIABLE, token)):
                if not given:
                    raise ClientError(policy.Messages.RUNTIME_NOT_CONFIGURED.format(variable=variable))
        self.site = site
        self.environment = environment or policy.RUNTIME_CLIENT_DEFAULT_ENVIRONMENT
        self.token = token
        self.url = url.rstrip("/")
        self._owns_session = session is None
        self.session = session or requests.Session()
        self.timeout = timeout

    def close(self) -> None:
        """Close the HTTP session, unless it was given to the client."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> RuntimeClient:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        dotenv_path: str | Path | None = ".env",
        session: requests.Session | None = None,
    ) -> RuntimeClient:
        """A client configured as a site's process is: PANTHEON_SITE, PANTHEON_ENVIRONMENT,
        PANTHEON_EMULATOR_URL, PANTHEON_EMULATOR_RUNTIME_TOKEN, CUSTOMER_SECRETS_FAKE_FILE
        (from the environment, or a ``.env`` file under it)."""
        found = runtime_environment(environ, dotenv_path)
        return cls(
            site=found.get(SITE_VARIABLE),
            environment=found.get(ENVIRONMENT_VARIABLE),
            token=found.get(RUNTIME_TOKEN_VARIABLE),
            url=found.get(URL_VARIABLE, DEFAULT_URL),
            session=session,
            fake_file=found.get(FAKE_FILE_VARIABLE),
        )

    def _get(self, path: str) -> tuple[int, str]:
        """GET a runtime route: ``(status, body)``, the connection released either way."""
        url = f"{self.url}{API_PREFIX}/sites/{quote(self.site, safe='')}/environments/{quote(self.environment, safe='')}/secrets{path}"
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
        with reaching(self.url, self.timeout), self.session.get(url, headers=headers, timeout=self.timeout) as response:
            return response.status_code, response.text

    def payload(self) -> dict:
        """The SDK payload ``{"SiteID", "Secrets", "Count", "Version", "Scopes"}`` for this environment."""
        status, body = self._get("")
        if status >= 400:
            raise ClientError(body, status)
        return json.loads(body)

    def get_secrets(self) -> dict[str, str | None]:
        """Every secret this environment can read, as ``{name: value}``."""
        if self.fake_file is not None:
            return read_fake_file(self.fake_file)
        return {name: entry["Value"] for name, entry in self.payload().get("Secrets", {}).items()}

    def get_secret(self, name: str) -> str | None:
        """The value of ``name``, or None when this environment has no such secret."""
        if self.fake_file is not None:
            return read_fake_file(self.fake_file, only=name).get(name)
        status, body = self._get(f"/{quote(name, safe='')}")
        if status == 404:
            self.payload()  # a missing name, unless the site or environment itself is unknown (raises)
            return None
        if status >= 400:
            raise ClientError(body, status)
        return json.loads(body)["Value"]


def get_secret(name: str) -> str | None:
    """``pantheon_get_secret(name)``: the value for this process's site and environment, or None."""
    with RuntimeClient.from_environment() as client:
        return client.get_secret(name)


def get_secrets() -> dict[str, str | None]:
    """All secrets this process's site and environment can read, as ``{name: value}``."""
    with RuntimeClient.from_environment() as client:
        return client.get_secrets()
