"""The Pantheon secrets API (SPEC §4-§6) under ``/customer-secrets/v1``.

Each view authenticates, parses, calls the :class:`Emulator` and serialises; the
rules themselves live in the service, resolution and validation modules.
"""

from __future__ import annotations

from flask import Blueprint, request

from emulator.core import policy
from emulator.core.errors import NotFound, shown
from emulator.core.model import Secret, Site, User
from emulator.core.service import Owner
from emulator.web.http import emulator, json_bytes, json_bytes_response, json_object, json_response, request_facts

M = policy.Messages
API_PREFIX = policy.API_PREFIX
bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
WORKSPACE = "<any(sites, organizations):workspace>"


def management_caller() -> User:
    """The authenticated user, after counting this request against their rate limit."""
    facts = request_facts()
    facts.kind = "management"
    user = emulator().authenticate(request.headers.get("Authorization"))
    facts.actor = user.email
    emulator().count_request(user)
    return user


def managed_owner(workspace: str, ref: str) -> tuple[User, Owner]:
    user = management_caller()
    return user, emulator().owner_for(user, workspace, ref)


def summary(secret: Secret) -> dict:
    """What a successful write answers: the secret's shape, never its value."""
    return {"Name": secret.name, "Type": secret.type, "Scopes": list(secret.scopes), "Environments": sorted(secret.overrides)}


@bp.get("/sites/<site>/secrets/showall")
def list_site_secrets(site: str):
    _, owner = managed_owner("sites", site)
    return json_response(emulator().list_secrets(owner))


@bp.get("/organizations/<org>/secrets")
def list_org_secrets(org: str):
    _, owner = managed_owner("organizations", org)
    return json_response(emulator().list_secrets(owner))


@bp.post(f"/{WORKSPACE}/<ref>/secrets")
def create_secret(workspace: str, ref: str):
    user, owner = managed_owner(workspace, ref)
    body = json_object()
    if isinstance(body.get("name"), str):
        request_facts().secret = body["name"]
    return json_response(summary(emulator().create_from_request(owner, body, actor=user.email)))


@bp.patch(f"/{WORKSPACE}/<ref>/secrets/<name>")
def patch_secret(workspace: str, ref: str, name: str):
    user, owner = managed_owner(workspace, ref)
    body = json_object()
    if isinstance(body.get("env"), str):
        request_facts().environment = body["env"]
    secret = emulator().patch_from_request(owner, name, body, actor=user.email)
    if secret is None:
        return json_response({"Name": name, "Environment": body["env"], "Deleted": True})
    return json_response(summary(secret))


@bp.delete(f"/{WORKSPACE}/<ref>/secrets/<name>")
def delete_secret(workspace: str, ref: str, name: str):
    user, owner = managed_owner(workspace, ref)
    emulator().delete_secret(owner, name, actor=user.email)
    return json_response({"Name": name, "Deleted": True})


def runtime_site(site: str) -> Site:
    """The site whose runtime token the request carries; never rate limited."""
    facts = request_facts()
    facts.kind = "runtime"
    resolved_site = emulator().runtime_site(site, request.headers.get("Authorization"))
    facts.actor = f"runtime:{resolved_site.name}"
    return resolved_site


@bp.get("/sites/<site>/environments/<env>/secrets")
def runtime_secrets(site: str, env: str):
    """What ``pantheon_get_secret()`` sees: web-scoped, resolved, cached; never rate limited."""
    body, names = emulator().runtime_rendered(runtime_site(site), env, json_bytes_with_names)
    request_facts().delivered = names
    return json_bytes_response(body)


def json_bytes_with_names(payload: dict) -> tuple[bytes, tuple[str, ...]]:
    """The body answering a read of a whole runtime payload, and the names it delivers."""
    return json_bytes(payload), tuple(payload.get("Secrets", {}))


def json_bytes_by_name(payload: dict) -> dict[str, bytes]:
    """The body answering a read of each secret of a runtime payload."""
    return {name: json_bytes(entry) for name, entry in payload.get("Secrets", {}).items()}


@bp.get("/sites/<site>/environments/<env>/secrets/<name>")
def runtime_secret(site: str, env: str, name: str):
    body = emulator().runtime_rendered(runtime_site(site), env, json_bytes_by_name).get(name)
    if body is None:
        raise NotFound(M.RUNTIME_SECRET_NOT_FOUND.format(name=shown(name), site=shown(site), env=shown(env)))
    request_facts().delivered = (name,)
    return json_bytes_response(body)
