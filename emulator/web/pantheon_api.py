"""Terminus' core API under ``/api``: what real Terminus calls to log in, find a site or an
organization and its environments, before the secrets plugin talks to ``/customer-secrets/v1``.

The shapes are the ones Terminus reads (``../shared/clients/terminus/PROTOCOL.md``). A user
sees only what the secrets API lets them manage (``Emulator.can_manage_site`` and org
membership); everything else is a 404 with a plain-text body, never a 3xx or 5xx (Terminus
retries those for about 75 s).
"""

from __future__ import annotations

from flask import Blueprint, request

from emulator.core import policy
from emulator.core.errors import InvalidInput, NotFound, shown
from emulator.core.model import Organization, Site, User
from emulator.core.service import user_id_of
from emulator.web.http import emulator, json_object, json_response, request_facts

M = policy.Messages
bp = Blueprint("pantheon_api", __name__, url_prefix=policy.CORE_API_PREFIX)


def caller() -> User:
    """The user whose session (or machine) token the request carries, raw or Bearer."""
    facts = request_facts()
    facts.kind = "core"
    user = emulator().core_user(request.headers.get("Authorization"))
    facts.actor = user.email
    return user


def own_user(user_id: str) -> User:
    """The caller, if ``user_id`` is theirs; another user's data is never shown."""
    user = caller()
    if user_id_of(user) != user_id:
        raise NotFound(M.CORE_USER_NOT_FOUND.format(user=shown(user_id)))
    return user


def paged(items: list[dict]) -> list[dict]:
    """One page as Terminus asks for it: ``?limit=N[&start=<id>]``, ``start`` inclusive."""
    raw = request.args.get("limit")
    limit = policy.CORE_API_PAGE_LIMIT
    if raw is not None:
        if not raw.isdigit() or not 1 <= int(raw) <= policy.CORE_API_PAGE_LIMIT:
            raise InvalidInput(M.BAD_PAGE_LIMIT.format(max=policy.CORE_API_PAGE_LIMIT, value=shown(raw)))
        limit = int(raw)
    start = request.args.get("start")
    if start:
        ids = [item["id"] for item in items]
        items = items[ids.index(start) :] if start in ids else [item for item in items if item["id"] > start]
    return items[:limit]


def user_body(user: User) -> dict:
    local = user.email.split("@", 1)[0]
    return {
        "id": user_id_of(user),
        "email": user.email,
        "profile": {"firstname": local, "lastname": "", "full_name": local},
    }


def org_body(org: Organization) -> dict:
    return {"id": org.id, "profile": {"name": org.label, "machine_name": org.name}}


def site_body(site: Site) -> dict:
    """A site as ``site:info`` and ``site:list`` read it."""
    owner = emulator().owner_org_of(site)
    return {
        "id": site.id,
        "name": site.name,
        "label": site.name,
        "created": 0,
        "framework": site.framework,
        "organization": owner.id if owner else "",
        "holder_type": "organization" if owner else "user",
        "holder_id": owner.id if owner else "",
        "owner": "",
        "plan_name": "Sandbox",
        "preferred_zone": "us-central1",
        "preferred_zone_label": "United States",
        "frozen": False,
        "upstream": {},
        "settings": {"max_num_cdes": 10},
    }


def environment_body(site: Site, name: str) -> dict:
    env = site.environments[name]
    return {
        "id": name,
        "php_version": env.php_version.replace(".", ""),
        "environment_created": 0,
        "on_server_development": False,
        "connection_mode": "git",
        "dns_zone": "pantheonsite.io",
        "lock": {"locked": False},
    }


def visible_site(ref: str) -> Site:
    """A site the caller may manage, by UUID (or name); 404 otherwise, unknown or not."""
    user = caller()
    site = emulator().find_site(ref)
    if site is None or not emulator().can_manage_site(user, site):
        raise NotFound(M.CORE_SITE_NOT_FOUND.format(site=shown(ref)))
    return site


@bp.post("/authorize/machine-token")
def machine_token_login():
    """A session for the user whose machine token this is; 401 with a plain string otherwise."""
    facts = request_facts()
    facts.kind = "core"
    session = emulator().login(json_object().get("machine_token"))
    facts.actor = session.user.email
    return json_response({"session": session.token, "user_id": session.user_id, "expires_at": session.expires_at})


@bp.get("/users/<user_id>")
def user(user_id: str):
    return json_response(user_body(own_user(user_id)))


@bp.get("/users/<user_id>/memberships/organizations")
def user_organizations(user_id: str):
    user = own_user(user_id)
    items = [{"id": org.id, "role": "admin", "organization": org_body(org)} for org in emulator().user_organizations(user)]
    return json_response(paged(items))


@bp.get("/users/<user_id>/memberships/sites")
def user_sites(user_id: str):
    """The sites the caller is on the team of (``site:list`` adds their orgs' sites)."""
    user = own_user(user_id)
    sites = [s for s in emulator().manageable_sites(user) if user.email in s.members]
    items = [{"id": s.id, "role": "team_member", "site": site_body(s)} for s in sorted(sites, key=lambda s: s.id)]
    return json_response(paged(items))


@bp.get("/organizations/<org_id>/memberships/sites")
def organization_sites(org_id: str):
    user = caller()
    org = emulator().find_organization(org_id)
    if org is None or user.email not in org.members:
        raise NotFound(M.CORE_ORG_NOT_FOUND.format(org=shown(org_id)))
    sites = [s for s in emulator().sites() if org.id in (s.owner, *s.supporting)]
    items = [
        {"id": s.id, "organization_id": org.id, "role": "owner", "site": site_body(s)} for s in sorted(sites, key=lambda s: s.id)
    ]
    return json_response(paged(items))


@bp.get("/site-names/<name>")
def site_name(name: str):
    site = visible_site(name)
    return json_response({"id": site.id, "name": site.name})


@bp.get("/sites/<site_id>")
def site(site_id: str):
    return json_response(site_body(visible_site(site_id)))


@bp.get("/sites/<site_id>/environments")
def environments(site_id: str):
    found = visible_site(site_id)
    return json_response({name: environment_body(found, name) for name in found.environments})


@bp.get("/sites/<site_id>/environments/<env>/settings")
def environment_settings(site_id: str, env: str):
    """What ``env:list`` asks of test and live: whether the environment is initialized."""
    found = visible_site(site_id)
    if env not in found.environments:
        raise NotFound(M.ENV_NOT_FOUND.format(env=shown(env), site=found.name))
    return json_response({"is_initialized": True})


@bp.post("/track")
def track():
    """Terminus reports every command here; accepted at once, whoever asks."""
    request_facts().kind = "core"
    return json_response({})
