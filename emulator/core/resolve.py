"""Value resolution (SPEC §3): which value a site's environment reads for each name.

Pure functions over model objects. The runtime read path, Integrated Composer builds,
the Next.js variables, the CLI and the pytest plugin all call these, and
:func:`explain` reports the same decision in words, so there is one rule set.

For a name, the candidates in order of precedence are::

    site override for E  >  site default  >  org override for E  >  org default

where "org" is the site's *owner* organization (supporting organizations contribute
nothing). A candidate takes part in scope X only if its secret carries X; the first
one that takes part supplies the value, type and scopes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.core.model import Secret

SITE_OVERRIDE = "site-override"
SITE_DEFAULT = "site-default"
ORG_OVERRIDE = "org-override"
ORG_DEFAULT = "org-default"
LAYERS: tuple[str, ...] = (SITE_OVERRIDE, SITE_DEFAULT, ORG_OVERRIDE, ORG_DEFAULT)


@dataclass(frozen=True)
class Candidate:
    """One place a value for a name could come from."""

    layer: str
    secret: Secret
    value: str

    @property
    def type(self) -> str:
        return self.secret.type

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.secret.scopes


@dataclass(frozen=True)
class Resolved:
    """The value an environment reads for a name, and where it came from."""

    name: str
    value: str
    type: str
    scopes: tuple[str, ...]
    layer: str
    shadowed: tuple[str, ...] = ()


def candidates(org_secret: Secret | None, site_secret: Secret | None, env: str) -> list[Candidate]:
    """Every value a name could take in ``env``, highest precedence first."""
    found: list[Candidate] = []
    for secret, override_layer, default_layer in (
        (site_secret, SITE_OVERRIDE, SITE_DEFAULT),
        (org_secret, ORG_OVERRIDE, ORG_DEFAULT),
    ):
        if secret is None:
            continue
        if env in secret.overrides:
            found.append(Candidate(override_layer, secret, secret.overrides[env]))
        if secret.value is not None:
            found.append(Candidate(default_layer, secret, secret.value))
    return found


def resolve_name(org_secret: Secret | None, site_secret: Secret | None, env: str, scope: str | None) -> Resolved | None:
    """The value one name reads in ``env`` for ``scope`` (None: any scope), or None."""
    taking_part = [c for c in candidates(org_secret, site_secret, env) if scope is None or c.secret.has_scope(scope)]
    if not taking_part:
        return None
    winner = taking_part[0]
    return Resolved(
        name=winner.secret.name,
        value=winner.value,
        type=winner.type,
        scopes=winner.scopes,
        layer=winner.layer,
        shadowed=tuple(c.layer for c in taking_part[1:]),
    )


def winning_layer(org_secret: Secret | None, site_secret: Secret | None, env: str, scope: str) -> str | None:
    """The layer :func:`resolve_name` would pick for ``scope`` (None: the name is invisible),
    without building the candidates: the dashboard's matrix asks this for every cell."""
    for secret, override_layer, default_layer in (
        (site_secret, SITE_OVERRIDE, SITE_DEFAULT),
        (org_secret, ORG_OVERRIDE, ORG_DEFAULT),
    ):
        if secret is None or scope not in secret.scopes:
            continue
        if env in secret.overrides:
            return override_layer
        if secret.value is not None:
            return default_layer
    return None


def resolve_environment(
    org_secrets: Iterable[Secret], site_secrets: Iterable[Secret], env: str, scope: str | None
) -> dict[str, Resolved]:
    """Every name ``env`` reads for ``scope``, sorted by name.

    ``org_secrets`` are the owner organization's (pass nothing for a personal site).
    """
    org = {s.name: s for s in org_secrets}
    site = {s.name: s for s in site_secrets}
    result: dict[str, Resolved] = {}
    for name in sorted(org.keys() | site.keys()):
        resolved = resolve_name(org.get(name), site.get(name), env, scope)
        if resolved is not None:
            result[name] = resolved
    return result


@dataclass(frozen=True)
class ScopeExplanation:
    scope: str
    visible: bool
    layer: str | None
    type: str | None
    shadowed: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Explanation:
    """Why ``name`` reads as it does in ``env``, for each scope. Holds no values."""

    name: str
    environment: str
    layers: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    scopes: Mapping[str, ScopeExplanation] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "secret": self.name,
            "environment": self.environment,
            "layers": dict(self.layers),
            "scopes": {
                scope: {
                    "visible": e.visible,
                    "layer": e.layer,
                    "type": e.type,
                    "shadowed": list(e.shadowed),
                    "reason": e.reason,
                }
                for scope, e in self.scopes.items()
            },
        }


def explain(
    org_secret: Secret | None,
    site_secret: Secret | None,
    env: str,
    scopes: Iterable[str],
    has_owner: bool = True,
) -> Explanation:
    """Which layer supplies ``env``'s value for each scope, what it shadows, and why not."""
    name = secret.name if (secret := site_secret or org_secret) else ""
    all_candidates = candidates(org_secret, site_secret, env)
    layers: dict[str, dict[str, Any]] = {}
    for layer in LAYERS:
        match = next((c for c in all_candidates if c.layer == layer), None)
        layers[layer] = {"present": True, "type": match.type, "scopes": list(match.scopes)} if match else {"present": False}
    result: dict[str, ScopeExplanation] = {}
    for scope in scopes:
        resolved = resolve_name(org_secret, site_secret, env, scope)
        if resolved is not None:
            shadow_text = f"; it shadows {', '.join(resolved.shadowed)}" if resolved.shadowed else ""
            reason = f"{resolved.layer} supplies the value for scope '{scope}'{shadow_text}."
            result[scope] = ScopeExplanation(scope, True, resolved.layer, resolved.type, resolved.shadowed, reason)
            continue
        result[scope] = ScopeExplanation(
            scope, False, None, None, (), _why_invisible(all_candidates, scope, env, has_owner, site_secret, org_secret)
        )
    return Explanation(name=name, environment=env, layers=layers, scopes=result)


def _why_invisible(
    found: list[Candidate], scope: str, env: str, has_owner: bool, site_secret: Secret | None, org_secret: Secret | None
) -> str:
    if not found:
        if site_secret is None and org_secret is None:
            where = "the site or its owner organization" if has_owner else "the site (a personal site has no organization layer)"
            return f"No secret of this name exists on {where}."
        return f"The site entry holds only overrides for other environments, and no default applies to '{env}'."
    lacking = "; ".join(f"{c.layer} has scopes [{', '.join(c.scopes)}]" for c in found)
    return f"No layer carries scope '{scope}': {lacking}."
