"""The control plane under ``/_emulator``: seed, reset, export, journal, provenance.

For tests and tooling only; not part of Pantheon's API, never rate limited.
"""

from __future__ import annotations

from flask import Blueprint, request

from emulator.core import policy
from emulator.core.errors import InvalidInput, shown
from emulator.core.journal import FILTERABLE
from emulator.core.version import __version__
from emulator.web.http import emulator, json_body, json_object, json_response

bp = Blueprint("control", __name__, url_prefix=policy.CONTROL_PREFIX)


@bp.get("/health")
def health():
    em = emulator()
    return json_response({"status": "ok", "version": __version__, "store": em.store_path})


@bp.post("/reset")
def reset():
    emulator().reset()
    return json_response({"status": "reset"})


@bp.post("/seed")
def seed_world():
    doc = json_body(limit=policy.MAX_CONTROL_BODY_BYTES)
    plan = emulator().seed(doc)
    return json_response({"status": "seeded", **plan.summary()})


@bp.post("/sites/<site>/import")
def import_local_file(site: str):
    """The secrets of a ``secret:site:local-generate`` file, added to ``site``."""
    plan = emulator().import_local_file(site, json_body(limit=policy.MAX_CONTROL_BODY_BYTES))
    return json_response({"status": "seeded", **plan.summary()})


@bp.get("/state")
def state():
    return json_response(emulator().export())


@bp.get("/journal")
def journal():
    unknown = sorted(set(request.args) - set(FILTERABLE))
    if unknown:
        raise InvalidInput(f"Unknown journal filter '{shown(unknown[0])}'. Filters: {', '.join(FILTERABLE)}.")
    entries = emulator().journal.entries(**{k: request.args.get(k) for k in FILTERABLE})
    return json_response({"entries": [e.to_dict() for e in entries]})


@bp.get("/settings")
def get_settings():
    return json_response(_settings_dict())


@bp.patch("/settings")
def patch_settings():
    emulator().configure(**json_object(policy.MAX_API_BODY_BYTES))
    return json_response(_settings_dict())


def _settings_dict() -> dict:
    s = emulator().settings
    return {
        "rate_limit": s.rate_limit,
        "rate_limit_requests": s.rate_limit_requests,
        "rate_limit_window": s.rate_limit_window,
        "cache_ttl": s.cache_ttl,
        "session_ttl": s.session_ttl,
    }


@bp.get("/sites/<site>/environments/<env>/explain/<name>")
def explain(site: str, env: str, name: str):
    em = emulator()
    return json_response(em.explain(em.site(site), env, name))


@bp.get("/sites/<site>")
def site_info(site: str):
    """A site as tooling needs it: owner, framework, environments and their PHP versions."""
    em = emulator()
    found = em.site(site)
    owner = em.owner_org_of(found)
    return json_response(
        {
            "id": found.id,
            "name": found.name,
            "owner": owner.name if owner else None,
            "framework": found.framework,
            "environments": {e.name: {"php_version": e.php_version} for e in found.environments.values()},
        }
    )


@bp.get("/organizations/<org>")
def organization_info(org: str):
    """An organization as tooling needs it: id, name and members."""
    found = emulator().organization(org)
    return json_response({"id": found.id, "name": found.name, "members": list(found.members)})


@bp.get("/sites/<site>/environments/<env>/resolved")
def resolved(site: str, env: str):
    """The values ``env`` reads for one scope (``?scope=web|ic|user``), uncached, with provenance."""
    em = emulator()
    found = em.site(site)
    environment = em.environment_of(found, env)
    scope = request.args.get("scope", "web")
    if scope not in policy.SECRET_SCOPES:
        raise InvalidInput(policy.Messages.UNKNOWN_SCOPE.format(scope=shown(scope), valid=", ".join(policy.SECRET_SCOPES)))
    return json_response(
        {
            "site": found.name,
            "environment": env,
            "framework": found.framework,
            "php_version": environment.php_version,
            "scope": scope,
            "secrets": {
                name: {"type": r.type, "value": r.value, "scopes": list(r.scopes), "layer": r.layer}
                for name, r in em.resolved(found, env, scope).items()
            },
        }
    )


@bp.get("/sites/<site>/environments/<env>/variables")
def variables(site: str, env: str):
    """The variables the site's process sees in ``env`` (SPEC §10), with its runtime token."""
    em = emulator()
    found = em.site(site)
    return json_response(
        {
            "site": found.name,
            "environment": env,
            "framework": found.framework,
            "variables": em.process_variables(found, env),
        }
    )
