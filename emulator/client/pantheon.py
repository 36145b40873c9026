"""A small client for Pantheon's own API, as Terminus uses it with a machine token.

Terminus logs in with ``POST /api/authorize/machine-token``, looks a site up by name
(``/api/site-names/{name}``), reads the site and its environments, the user's
organization memberships, and then the secrets list, which takes the session raw in
``Authorization`` (the core API takes it as ``Bearer``). A 429 is retried after its
``Retry-After``, a bounded number of times (SPEC §5, §10). Any failure is one
:class:`ClientError` line naming the server and the call; no value is ever in a message.

:func:`site_layout` turns those answers into a :class:`~emulator.client.layout.SiteLayout`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from emulator.client.api import ClientError, Unreachable, reaching, retry_after_seconds
from emulator.core import policy

M = policy.Messages
CORE = policy.CORE_API_PREFIX


def php_version(api_value: Any) -> str:
    """Pantheon's ``"83"`` (or ``83``, or ``"8.3"``) as ``"8.3"``."""
    text = str(api_value or "").strip()
    if text and "." not in text and text.isdigit() and len(text) >= 2:
        return f"{text[0]}.{text[1:]}"
    return text


@dataclass(frozen=True)
class Organization:
    id: str
    name: str


class PantheonClient:
    """One user's session with a server speaking Pantheon's API (Pantheon, or an emulator)."""

    def __init__(
        self,
        url: str,
        token: str,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        secrets_url: str | None = None,
    ):
        self.url = url.rstrip("/")
        self.secrets_url = (secrets_url or url).rstrip("/")  # the secrets API, when it is served elsewhere
        self.token = token
        self.http = session or requests.Session()
        self.timeout = timeout
        self.sleep = sleep
        self.session_token: str | None = None
        self.user_id: str | None = None
        self.retries = 0  # 429s waited out, for the caller's summary

    # -- transport ------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None, raw_auth: bool = False, login: bool = False) -> Any:
        base = self.secrets_url if raw_auth else self.url
        headers = {"Accept": "application/json"}
        if not login:
            self.login()
            headers["Authorization"] = self.session_token if raw_auth else f"Bearer {self.session_token}"  # type: ignore[assignment]
        for attempt in range(policy.PANTHEON_API_MAX_RETRIES + 1):
            with reaching(base, self.timeout):
                response = self.http.request(method, f"{base}{path}", json=body, headers=headers, timeout=self.timeout)
            if response.status_code != policy.STATUS_RATE_LIMITED:
                break
            if attempt == policy.PANTHEON_API_MAX_RETRIES:
                raise ClientError(M.PANTHEON_RATE_LIMITED.format(url=base, tries=attempt + 1), 429)
            self.retries += 1
            self.sleep(retry_after_seconds(response.headers.get("Retry-After"), 1.0, policy.PANTHEON_API_MAX_WAIT_SECONDS))
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:300] or response.reason
            if login and response.status_code in (401, 403):
                raise ClientError(M.PANTHEON_TOKEN_REFUSED.format(url=self.url, detail=detail), response.status_code)
            raise ClientError(
                M.PANTHEON_API_FAILED.format(url=base, status=response.status_code, method=method, path=path, detail=detail),
                response.status_code,
            )
        try:
            return response.json()
        except ValueError:
            raise Unreachable(M.NOT_PANTHEON_API.format(url=base, path=path)) from None

    # -- calls ----------------------------------------------------------------------

    def login(self) -> None:
        """Trade the machine token for a session, once."""
        if self.session_token is not None:
            return
        answer = self._call(
            "POST", f"{CORE}/authorize/machine-token", {"machine_token": self.token, "client": "terminus"}, login=True
        )
        if not isinstance(answer, dict) or not answer.get("session"):
            raise Unreachable(M.NOT_PANTHEON_API.format(url=self.url, path=f"{CORE}/authorize/machine-token"))
        self.session_token = str(answer["session"])
        self.user_id = str(answer.get("user_id", ""))

    def site_id(self, name: str) -> str:
        """The UUID of site ``name`` (Terminus' lookup); one line naming it when unknown."""
        try:
            answer = self._call("GET", f"{CORE}/site-names/{quote(name, safe='')}")
        except ClientError as error:
            if error.status in (403, 404):
                raise ClientError(M.PANTHEON_SITE_UNKNOWN.format(site=name, url=self.url), error.status) from None
            raise
        return str(answer["id"])

    def site(self, site_id: str) -> dict:
        return self._call("GET", f"{CORE}/sites/{quote(site_id, safe='')}?site_state=true")

    def environments(self, site_id: str) -> dict[str, str]:
        """``{env: php version}``, e.g. ``{"dev": "8.3"}``."""
        answer = self._call("GET", f"{CORE}/sites/{quote(site_id, safe='')}/environments")
        return {name: php_version((env or {}).get("php_version")) for name, env in (answer or {}).items()}

    def organizations(self) -> list[Organization]:
        """The organizations the user belongs to (id and machine name)."""
        self.login()
        answer = self._call("GET", f"{CORE}/users/{quote(self.user_id or '', safe='')}/memberships/organizations?limit=100")
        found = []
        for membership in answer or []:
            org = membership.get("organization") or {}
            profile = org.get("profile") or {}
            org_id = str(org.get("id") or membership.get("id") or "")
            found.append(Organization(org_id, str(profile.get("machine_name") or profile.get("name") or org_id)))
        return found

    def secrets(self, site_id: str) -> dict:
        """The site's secrets list (``showall``), owner organization's secrets included."""
        return self._call("GET", f"{policy.API_PREFIX}/sites/{quote(site_id, safe='')}/secrets/showall", raw_auth=True)
