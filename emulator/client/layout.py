"""What a site has: its environments and, per environment and scope, the secrets it reads
(name, type, scopes and the layer that supplies them), never their values.

Two sources give the same :class:`SiteLayout`:

- :func:`from_emulator`: a running emulator's control plane, which resolves each
  environment exactly as SPEC §3 says;
- :func:`from_pantheon`: any server speaking Pantheon's API with a machine token (how a
  user checks a real site). The secrets list is resolved here by SPEC §3; where a
  value is hidden (no ``user`` scope) a site entry counts as holding a default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from emulator.client.api import ClientError, ManagementClient
from emulator.client.pantheon import PantheonClient
from emulator.core import policy

SCOPES = policy.SECRET_SCOPES
COMPOSER_AUTH = "COMPOSER_AUTH"


@dataclass(frozen=True)
class Held:
    """One secret as an environment reads it: type, scopes, and ``site`` or ``org``."""

    type: str
    scopes: tuple[str, ...]
    layer: str


@dataclass
class SiteLayout:
    name: str
    id: str
    framework: str
    owner: str | None  # the owner organization's name; None for a personal site
    environments: dict[str, str]  # env -> PHP version
    owner_id: str | None = None  # the owner organization's UUID, when the source gives it
    reads: dict[str, dict[str, dict[str, Held]]] = field(default_factory=dict)  # env -> scope -> name -> Held
    # env -> hosts a COMPOSER_AUTH env/ic secret covers (None: it exists but its value is hidden)
    composer_auth_hosts: dict[str, set[str] | None] = field(default_factory=dict)

    def held(self, env: str) -> dict[str, Held]:
        """Every secret ``env`` has, whatever its scope (the first layer that supplies it)."""
        found: dict[str, Held] = {}
        for scope in SCOPES:
            for name, held in self.reads.get(env, {}).get(scope, {}).items():
                found.setdefault(name, held)
        return found


def auth_hosts(value: Any) -> set[str] | None:
    """The hosts a COMPOSER_AUTH value (Composer's auth JSON) covers; None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return set()
    if not isinstance(parsed, dict):
        return set()
    return {host for hosts in parsed.values() if isinstance(hosts, dict) for host in hosts}


def from_emulator(url: str, site: str, timeout: float = 30.0) -> SiteLayout:
    """The layout of ``site`` from the emulator at ``url`` (its control plane)."""
    client = ManagementClient(url, timeout=timeout)
    try:
        info = client.site_info(site)
    except ClientError as error:
        if error.status == 404:
            raise ClientError(policy.Messages.PANTHEON_SITE_UNKNOWN.format(site=site, url=client.url), 404) from None
        raise
    layout = SiteLayout(
        name=info["name"],
        id=info["id"],
        framework=info.get("framework") or "",
        owner=info.get("owner"),
        environments={env: str(e.get("php_version", "")) for env, e in info["environments"].items()},
    )
    for env in layout.environments:
        per_scope: dict[str, dict[str, Held]] = {}
        for scope in SCOPES:
            answer = client.control(
                f"/sites/{quote(layout.name, safe='')}/environments/{quote(env, safe='')}/resolved?scope={scope}"
            )
            secrets = answer["secrets"]
            per_scope[scope] = {
                name: Held(
                    entry["type"], tuple(entry["scopes"]), "org" if str(entry.get("layer", "")).startswith("org") else "site"
                )
                for name, entry in secrets.items()
            }
            if scope == "ic" and COMPOSER_AUTH in secrets and secrets[COMPOSER_AUTH]["type"] == "env":
                layout.composer_auth_hosts[env] = auth_hosts(secrets[COMPOSER_AUTH]["value"]) or set()
        layout.reads[env] = per_scope
    return layout


def from_pantheon(client: PantheonClient, site: str) -> tuple[SiteLayout, dict]:
    """The layout of ``site`` through Pantheon's API, and the raw secrets list it came from."""
    site_id = client.site_id(site)
    info = client.site(site_id)
    environments = client.environments(site_id)
    owner_id = str(info.get("organization") or "")
    owner = None
    if owner_id:
        names = {org.id: org.name for org in client.organizations()}
        owner = names.get(owner_id, owner_id)
    listing = client.secrets(site_id)
    layout = SiteLayout(
        name=str(info.get("name") or site),
        id=str(info.get("id") or site_id),
        framework=str(info.get("framework") or ""),
        owner=owner,
        environments=environments,
        owner_id=owner_id or None,
    )
    entries = listing.get("Secrets") or {}
    for env in environments:
        per_scope: dict[str, dict[str, Held]] = {scope: {} for scope in SCOPES}
        for name, entry in sorted(entries.items()):
            scopes = tuple(entry.get("Scopes") or ())
            kind = str(entry.get("Type") or "")
            site_layer = site_entry(entry)
            org_values = entry.get("OrgValues") or {}
            org_here = "default" in org_values or env in org_values
            site_here = site_layer and (env in (entry.get("EnvValues") or {}) or not _override_only(entry))
            if not (site_here or org_here):
                continue
            held = Held(kind, scopes, "site" if site_here else "org")
            for scope in scopes:
                if scope in per_scope:
                    per_scope[scope][name] = held
            if name == COMPOSER_AUTH and kind == "env" and "ic" in scopes:
                value = entry.get("Value") if site_here else org_values.get(env, org_values.get("default"))
                if site_here:
                    value = (entry.get("EnvValues") or {}).get(env, value)
                layout.composer_auth_hosts[env] = auth_hosts(value)
        layout.reads[env] = per_scope
    return layout, listing


def site_entry(entry: dict) -> bool:
    """Whether a ``showall`` entry holds a site secret (not only the owner organization's).

    An organization-only entry has no site value and no site overrides but organization
    values. (A site secret without the ``user`` scope and without overrides, on a name
    the organization also holds, looks the same; it is then counted as the organization's.)
    """
    return not (entry.get("Value") is None and not entry.get("EnvValues") and entry.get("OrgValues"))


def _override_only(entry: dict) -> bool:
    """A site entry that only overrides an organization secret (SPEC §3 rule 5)."""
    return entry.get("Value") is None and bool(entry.get("EnvValues")) and "default" in (entry.get("OrgValues") or {})
