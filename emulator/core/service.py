"""The secrets service itself, and the one door into the store: access rules, secret
operations, runtime reads, and the world operations (seed, export, look-ups).

No Flask here. The HTTP API, the control plane, the CLI and the pytest plugin all
drive an :class:`Emulator`; it validates with :mod:`rules`, resolves with
:mod:`resolve` and persists through :class:`Store`, which nothing else touches.
Plugins reach it through the small :class:`SecretHooks` interface; the hooks wing
provides the implementation.
"""

from __future__ import annotations

import logging
import secrets as token_source
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol, TypeVar, cast

from emulator.core import clock, policy, resolve, rules, site_env
from emulator.core.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, RateLimited, Unauthenticated, shown
from emulator.core.events import ChangeAction, SecretChange
from emulator.core.journal import Journal
from emulator.core.model import Environment, Organization, OwnerKind, Secret, Site, User, php_version_tuple
from emulator.core.ratelimit import RateLimiter
from emulator.core.secrets_file import file_text
from emulator.core.seed import SeedPlan, apply_seed, export_state, from_local_generate
from emulator.core.settings import Settings, check_settings
from emulator.core.store import Store

M = policy.Messages
log = logging.getLogger("pantheon_emulator")
WorkspaceKind = Literal["sites", "organizations"]
NO_ENVIRONMENT = ""  # an environment name no override can carry (rules.check_environment_name)
R = TypeVar("R")
_MISSING = object()
_CacheEntry = tuple[float, dict[str, Any], dict[Callable[[dict[str, Any]], Any], Any]]  # (expiry, payload, renderings)


HookName = Literal["pantheon_emulator_validate_secret", "pantheon_emulator_secret_changed"]


class SecretHooks(Protocol):
    """What the service asks of plugins: veto a secret before it is stored, observe a change.

    :class:`emulator.hooks.manager.PluginManager` implements it over pluggy.
    """

    def wants(self, hook: HookName) -> bool:
        """True if some plugin implements ``hook`` (checked before building its arguments)."""
        ...

    def validate_secret(self, change: SecretChange, value: str | None) -> str | None:
        """A message refusing the secret, or None to accept it."""
        ...

    def secret_changed(self, change: SecretChange, value: str | None) -> None:
        """Told after a change is stored."""
        ...


@dataclass(frozen=True)
class Owner:
    """Whoever owns a set of secrets: a site or an organization."""

    kind: OwnerKind
    entity: Site | Organization

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def site(self) -> Site:
        """The site, for an owner of kind "site"."""
        assert isinstance(self.entity, Site), self.kind
        return self.entity


@dataclass(frozen=True)
class Session:
    """A Terminus login: the session token, whose it is, and when it expires (unix seconds)."""

    token: str
    user: User
    user_id: str
    expires_at: int


USER_ID_NAMESPACE = uuid.UUID("6f1d2a4e-9b8c-4c1e-9a51-3c2d7e0f5a10")


def user_id_of(user: User) -> str:
    """A user's id in Terminus' core API: a UUID derived from the email, stable across restarts."""
    return str(uuid.uuid5(USER_ID_NAMESPACE, user.email.lower()))


def split_token(header: str | None) -> str | None:
    """The token in an Authorization header: raw (as Terminus sends) or 'Bearer <token>'."""
    if not header:
        return None
    header = header.strip()
    if policy.ACCEPT_BEARER_PREFIX and header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header or None


class Emulator:
    """One fake Pantheon: its store, rate limiter, runtime cache and journal."""

    def __init__(self, store: Store, settings: Settings | None = None, hooks: SecretHooks | None = None):
        self._store = store
        self.settings = settings or Settings()
        self.hooks = hooks
        self.ratelimiter = RateLimiter(
            self.settings.rate_limit_requests, self.settings.rate_limit_window, self.settings.rate_limit
        )
        self.journal = Journal(self.settings.journal_size)
        self._cache: dict[tuple[str, str], _CacheEntry] = {}
        self._cache_lock = threading.Lock()
        self._sessions: dict[str, tuple[str, float]] = {}  # session token -> (email, expiry)
        self._sessions_lock = threading.Lock()

    # -- settings and lifecycle -------------------------------------------------------

    def configure(self, **changes: Any) -> Settings:
        """Change settings at run time (rate limit on/off and size, cache TTL).

        Every change is checked before any is applied; a bad one raises InvalidInput
        naming it and leaves the settings as they were. A new cache TTL empties the cache.
        """
        checked = check_settings(changes)
        for key, value in checked.items():
            setattr(self.settings, key, value)
        if "cache_ttl" in checked:
            self.clear_cache()
        self.ratelimiter.enabled = self.settings.rate_limit
        self.ratelimiter.limit = self.settings.rate_limit_requests
        self.ratelimiter.window = self.settings.rate_limit_window
        return self.settings

    def reset(self) -> None:
        """Forget everything: world, cache, journal and rate-limit windows."""
        self._store.clear()
        self.clear_runtime_state()

    def close(self) -> None:
        self._store.close()

    @property
    def store_path(self) -> str:
        """Where the world is kept: a file path, or ``:memory:``."""
        return self._store.path

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several writes as one: all stored, or (on an error) none."""
        with self._store.transaction():
            yield

    def world_changed(self) -> None:
        """After the world was set up from outside the API (seed, import, a test's handle):
        the runtime cache follows :data:`policy.CONTROL_PLANE_CLEARS_CACHE`."""
        if policy.CONTROL_PLANE_CLEARS_CACHE:
            self.clear_cache()

    # -- the world as a whole (seed documents) -------------------------------------------

    def is_empty(self) -> bool:
        return self._store.is_empty()

    def seed(self, document: Any) -> SeedPlan:
        """Check and write a seed document whole (nothing is written if any part is refused)."""
        plan = apply_seed(self._store, document)
        self.world_changed()
        return plan

    def export(self) -> dict[str, Any]:
        """The whole world as a seed document; seeding it into an empty emulator recreates it."""
        return export_state(self._store)

    def import_local_file(self, site_name: str, data: Any) -> SeedPlan:
        """Add the secrets of a ``local-generate`` file to site ``site_name`` (created if new);
        a secret of the same name is replaced, every other secret kept."""
        with self._store.transaction():
            plan = apply_seed(self._store, from_local_generate(self._store, data, site_name), replace_secrets=False)
        self.world_changed()
        return plan

    def local_file_text(self, site: Site) -> str:
        """The file ``secret:site:local-generate`` writes for ``site`` (SPEC §9)."""
        return file_text(self.list_secrets(Owner("site", site)))

    def users(self) -> list[User]:
        return self._store.users()

    def sites(self) -> list[Site]:
        return self._store.sites()

    def organizations(self) -> list[Organization]:
        return self._store.organizations()

    def find_user(self, ref: str) -> User | None:
        """A user by email or machine token, or None."""
        return self._store.user(ref) or self._store.user_by_token(ref)

    def find_site(self, ref: str) -> Site | None:
        """A site by name or id, or None."""
        return self._store.site(ref)

    def find_organization(self, ref: str) -> Organization | None:
        """An organization by name or id, or None."""
        return self._store.organization(ref)

    def first_manager(self, site: Site) -> User | None:
        """A user who may manage ``site``: a team member, else the first member of its owner
        or a supporting organization."""
        for email in site.members:
            return self._store.user(email)
        for org_id in (site.owner, *site.supporting):
            org = self._store.organization(org_id) if org_id else None
            if org is not None and org.members:
                return self._store.user(org.members[0])
        return None

    def clear_runtime_state(self) -> None:
        self.clear_cache()
        self.journal.clear()
        self.ratelimiter.clear()

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    # -- who is asking ---------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> User:
        """The user holding the machine token or the live session token in ``authorization``."""
        token = split_token(authorization)
        if token is None:
            raise Unauthenticated(M.NO_TOKEN)
        user = self._store.user_by_token(token) or self.session_user(token)
        if user is None:
            raise Unauthenticated(M.BAD_TOKEN)
        return user

    # -- sessions (Terminus' core API) ------------------------------------------------

    def login(self, machine_token: Any) -> Session:
        """A new session for the user whose machine token this is; Unauthenticated otherwise.
        It lives ``settings.session_ttl`` seconds of :mod:`clock` time."""
        user = self._store.user_by_token(machine_token) if isinstance(machine_token, str) and machine_token else None
        if user is None:
            raise Unauthenticated(M.BAD_MACHINE_TOKEN)
        token = token_source.token_urlsafe(24)
        expiry = clock.now() + self.settings.session_ttl
        with self._sessions_lock:
            moment = clock.now()
            for stale in [t for t, (_, exp) in self._sessions.items() if exp <= moment]:
                del self._sessions[stale]
            self._sessions[token] = (user.email, expiry)
        return Session(token, user, user_id_of(user), int(expiry))

    def session_user(self, token: str) -> User | None:
        """The user of a live session token, or None (unknown or expired)."""
        with self._sessions_lock:
            held = self._sessions.get(token)
        if held is None or held[1] <= clock.now():
            return None
        return self._store.user(held[0])

    def core_user(self, authorization: str | None) -> User:
        """The caller of Terminus' core API: a live session (or machine) token, raw or Bearer."""
        token = split_token(authorization)
        if token is None:
            raise Unauthenticated(M.SESSION_REQUIRED)
        return self.authenticate(authorization)

    def user_by_id(self, user_id: str) -> User | None:
        return next((u for u in self._store.users() if user_id_of(u) == user_id), None)

    def manageable_sites(self, user: User) -> list[Site]:
        """Every site ``user`` may manage, by name."""
        return sorted((s for s in self._store.sites() if self.can_manage_site(user, s)), key=lambda s: s.name)

    def user_organizations(self, user: User) -> list[Organization]:
        """Every organization ``user`` belongs to, by id (the order Terminus pages in)."""
        return sorted((o for o in self._store.organizations() if user.email in o.members), key=lambda o: o.id)

    def management_user(self, authorization: str | None) -> User:
        """The user a management-API request comes from, after counting it against their
        rate limit (SPEC §5): RateLimited, with the seconds to wait, beyond it."""
        user = self.authenticate(authorization)
        self.count_request(user)
        return user

    def count_request(self, user: User) -> None:
        """Count one management request of ``user``; RateLimited beyond the limit."""
        wait = self.ratelimiter.check(user.email)
        if wait:
            raise RateLimited(
                M.RATE_LIMITED.format(limit=self.ratelimiter.limit, window=self.ratelimiter.describe_window()),
                retry_after=wait,
            )

    def use_up_rate_limit(self, user: User) -> None:
        """Spend every request ``user`` has left in the current window (for tests of 429 handling)."""
        while not self.ratelimiter.check(user.email):
            pass

    def site(self, ref: str) -> Site:
        site = self._store.site(ref)
        if site is None:
            raise NotFound(M.SITE_NOT_FOUND.format(site=shown(ref)))
        return site

    def organization(self, ref: str) -> Organization:
        org = self._store.organization(ref)
        if org is None:
            raise NotFound(M.ORG_NOT_FOUND.format(org=shown(ref)))
        return org

    def can_manage_site(self, user: User, site: Site) -> bool:
        """Team member, or member of the owner or a supporting organization ([ours])."""
        if user.email in site.members:
            return True
        return any(self._store.is_org_member(org_id, user.email) for org_id in (site.owner, *site.supporting) if org_id)

    def owner_for(self, user: User, workspace: WorkspaceKind, ref: str) -> Owner:
        """The site or organization at ``/{workspace}/{ref}``, if ``user`` may manage it."""
        if workspace == "sites":
            site = self.site(ref)
            if not self.can_manage_site(user, site):
                raise Forbidden(M.NO_SITE_ACCESS.format(site=shown(ref)))
            return Owner("site", site)
        org = self.organization(ref)
        if user.email not in org.members:
            raise Forbidden(M.NO_ORG_ACCESS.format(org=shown(ref)))
        return Owner("org", org)

    def owner_org_of(self, site: Site) -> Organization | None:
        return self._store.organization(site.owner) if site.owner else None

    # -- listing (SPEC §4) ------------------------------------------------------------

    def list_secrets(self, owner: Owner) -> dict[str, Any]:
        """The list response for a site (``showall``) or an organization."""
        own = {s.name: s for s in self._store.secrets(owner.kind, owner.id)}
        if owner.kind == "org":
            return {
                "EntityType": "organizations",
                "EntityId": owner.id,
                "Secrets": {name: _entry(own[name], with_org=False) for name in sorted(own)},
            }
        org_secrets = {s.name: s for s in self._store.secrets("org", owner.site.owner)} if owner.site.owner else {}
        listing = {}
        for name in sorted(own.keys() | org_secrets.keys()):
            site_secret, org_secret = own.get(name), org_secrets.get(name)
            entry = _entry(cast(Secret, site_secret or org_secret), with_org=True, site_layer=site_secret is not None)
            if org_secret is not None:
                entry["OrgValues"] = _org_values(org_secret)
            listing[name] = entry
        return {"EntityType": "sites", "EntityId": owner.id, "Secrets": listing}

    # -- writes (SPEC §2, §4) -----------------------------------------------------------

    def create_secret(
        self, owner: Owner, name: Any, value: Any, secret_type: Any = None, scopes: Any = None, actor: str = ""
    ) -> Secret:
        secret_type = rules.check_type(secret_type)
        scopes = rules.check_scopes(scopes)
        name = rules.check_name(name, secret_type)
        value = rules.check_value(name, value)
        with self._store.transaction():
            if self._store.secret(owner.kind, owner.id, name) is not None:
                raise AlreadyExists(M.ALREADY_EXISTS.format(name=name))
            secret = Secret(name, value, secret_type, scopes, {})
            self._validate_hook(owner, secret, "create", actor)
            self._store.put_secret(owner.kind, owner.id, secret)
        self._changed(owner, "create", name, None, actor, secret)
        return secret

    def create_from_request(self, owner: Owner, body: Mapping[str, Any], actor: str = "") -> Secret:
        """``POST .../secrets``: the body's fields checked, then :meth:`create_secret`."""
        rules.check_fields(body, ("name", "value", "type", "scopes"), ("name", "value"))
        return self.create_secret(owner, body["name"], body["value"], body.get("type"), body.get("scopes"), actor=actor)

    def patch_from_request(self, owner: Owner, name: str, body: Mapping[str, Any], actor: str = "") -> Secret | None:
        """``PATCH .../secrets/{name}``: a new default value, an override, or (``value`` null
        with ``env``) an override deleted, which returns None. Type and scopes never change
        after creation [doc]: a body naming them is refused."""
        if "type" in body or "scopes" in body:
            raise InvalidInput(M.TYPE_IMMUTABLE.format(name=shown(name)))
        rules.check_fields(body, ("value", "env"), ("value",))
        if "env" not in body:
            return self.update_value(owner, name, body["value"], actor=actor)
        if body["value"] is None:
            self.delete_override(owner, name, body["env"], actor=actor)
            return None
        return self.set_override(owner, name, body["env"], body["value"], actor=actor)

    def update_value(self, owner: Owner, name: str, value: Any, actor: str = "") -> Secret:
        rules.check_name(name)
        value = rules.check_value(name, value)
        with self._store.transaction():
            existing = self._store.secret(owner.kind, owner.id, name)
            if existing is None:
                raise NotFound(M.SECRET_NOT_FOUND.format(name=name))
            updated = replace(existing, value=value)
            self._validate_hook(owner, updated, "update", actor)
            self._store.set_value(owner.kind, owner.id, name, value)
        self._changed(owner, "update", name, None, actor, updated)
        return updated

    def set_override(self, owner: Owner, name: str, env: Any, value: Any, actor: str = "") -> Secret:
        rules.check_name(name)
        env = self._check_override_env(owner, env)
        value = rules.check_value(name, value)
        with self._store.transaction():
            existing = self._secret_or_inherited(owner, name)
            if existing is None:
                raise NotFound(M.OVERRIDE_WITHOUT_SECRET.format(name=name))
            updated = replace(existing, overrides={**existing.overrides, env: value})
            self._validate_hook(owner, updated, "override", actor, env)
            self._store.put_secret(owner.kind, owner.id, updated)
        self._changed(owner, "override", name, env, actor, updated)
        return updated

    def delete_override(self, owner: Owner, name: str, env: Any, actor: str = "") -> bool:
        """Remove one override; idempotent ([ours]). True if one was removed."""
        rules.check_name(name)
        env = rules.check_environment_name(env)
        with self._store.transaction():
            existing = self._secret_or_inherited(owner, name)
            if existing is None:
                raise NotFound(M.OVERRIDE_WITHOUT_SECRET.format(name=name))
            removed = self._store.delete_override(owner.kind, owner.id, name, env)
            if removed and existing.value is None and set(existing.overrides) == {env}:
                self._store.delete_secret(owner.kind, owner.id, name)  # an emptied overrides-only entry
        if removed:
            self._changed(owner, "delete-override", name, env, actor, existing)
        return removed

    def change_scopes(self, owner: Owner, name: str, scopes: Any, actor: str = "") -> Secret:
        """Give an existing secret new scopes, keeping its value, type and overrides.

        Only the dashboard offers this, as Pantheon's Site Dashboard does; the API and
        Terminus still refuse it (SPEC §2: type and scopes are fixed once created).
        """
        rules.check_name(name)
        checked = rules.check_scopes(scopes)
        with self._store.transaction():
            existing = self._store.secret(owner.kind, owner.id, name)
            if existing is None:
                raise NotFound(M.SECRET_NOT_FOUND.format(name=name))
            updated = replace(existing, scopes=checked)
            self._validate_hook(owner, updated, "update", actor)
            self._store.put_secret(owner.kind, owner.id, updated)
        self._changed(owner, "update", name, None, actor, updated)
        return updated

    def delete_secret(self, owner: Owner, name: str, actor: str = "") -> None:
        rules.check_name(name)
        if not self._store.delete_secret(owner.kind, owner.id, name):
            raise NotFound(M.SECRET_NOT_FOUND.format(name=name))
        self._changed(owner, "delete", name, None, actor)

    def _check_override_env(self, owner: Owner, env: Any) -> str:
        checked = rules.check_environment_name(env)
        if owner.kind == "site" and checked not in owner.site.environments:
            raise NotFound(M.ENV_NOT_FOUND.format(env=checked, site=owner.site.name))
        return checked

    def _secret_or_inherited(self, owner: Owner, name: str) -> Secret | None:
        """The owner's secret; for a site, else an overrides-only entry over the org's."""
        existing = self._store.secret(owner.kind, owner.id, name)
        if existing is not None or owner.kind == "org" or not owner.site.owner:
            return existing
        org_secret = self._store.secret("org", owner.site.owner, name)
        if org_secret is None:
            return None
        return Secret(name, None, org_secret.type, org_secret.scopes, {})

    def _validate_hook(self, owner: Owner, secret: Secret, action: ChangeAction, actor: str, env: str | None = None) -> None:
        """Extension point: plugins may veto a secret before it is stored (400 with their message)."""
        if self.hooks is None or not self.hooks.wants("pantheon_emulator_validate_secret"):
            return
        change = _change(owner, action, secret.name, env, actor, secret)
        message = self.hooks.validate_secret(change, _written(secret, env))
        if message:
            raise InvalidInput(str(message))

    def _changed(
        self, owner: Owner, action: ChangeAction, name: str, env: str | None, actor: str, secret: Secret | None = None
    ) -> None:
        """Extension point: plugins observe every change; only those declaring ``value`` get it."""
        if self.hooks is None or not self.hooks.wants("pantheon_emulator_secret_changed"):
            return
        change = _change(owner, action, name, env, actor, secret)
        value = _written(secret, env) if secret is not None and action in ("create", "update", "override") else None
        try:
            self.hooks.secret_changed(change, value)
        except Exception:  # the change is stored; a failing observer must not turn it into an error
            log.exception(
                "A pantheon_emulator_secret_changed hook failed after %s of secret '%s'; the change stands.", action, name
            )

    # -- reads ------------------------------------------------------------------------

    def resolved(self, site: Site, env: str, scope: str | None) -> dict[str, resolve.Resolved]:
        """What ``env`` of ``site`` reads for ``scope`` (SPEC §3), uncached."""
        org_secrets = self._store.secrets("org", site.owner) if site.owner else []
        return resolve.resolve_environment(org_secrets, self._store.secrets("site", site.id), env, scope)

    def resolved_defaults(self, site: Site, scope: str | None) -> dict[str, resolve.Resolved]:
        """What ``site`` reads for ``scope`` where no environment override applies."""
        return self.resolved(site, NO_ENVIRONMENT, scope)

    def process_variables(self, site: Site, env: str) -> dict[str, str]:
        """The variables ``site``'s process sees in ``env`` (SPEC §10; see :mod:`site_env`)."""
        self.environment_of(site, env)
        if not site_env.sees_secrets(site):  # a PHP site: no secrets to resolve at all
            return site_env.process_variables(site, env, {}, {})
        scope = policy.NEXTJS_SCOPE
        org_secrets = self._store.secrets("org", site.owner) if site.owner else []
        site_secrets = self._store.secrets("site", site.id)  # read once, resolved per environment
        by_environment = _environments_for_variables(org_secrets, site_secrets, site, (env, policy.NEXTJS_PRODUCTION_ENVIRONMENT))
        defaults = resolve.resolve_environment(org_secrets, site_secrets, NO_ENVIRONMENT, scope)
        return site_env.process_variables(site, env, defaults, by_environment)

    def environment_of(self, site: Site, env: str) -> Environment:
        if env not in site.environments:
            raise NotFound(M.ENV_NOT_FOUND.format(env=shown(env), site=site.name))
        return site.environments[env]

    def runtime_site(self, site_ref: str, authorization: str | None) -> Site:
        """The site a runtime token may read: its own, and no other.

        A caller whose token nobody holds gets 401 whether or not ``site_ref`` exists, so
        it cannot tell which sites do. The common case (the site's own token) costs one
        memoised lookup; the token is only searched for when it does not match.
        """
        token = split_token(authorization)
        if token is None:
            raise Unauthenticated(M.RUNTIME_TOKEN_REQUIRED)
        site = self._store.site(site_ref)
        if site is not None and token == site.runtime_token:
            return site
        if self._store.site_by_runtime_token(token) is None and self._store.user_by_token(token) is None:
            raise Unauthenticated(M.BAD_TOKEN)
        if site is None:
            raise NotFound(M.SITE_NOT_FOUND.format(site=shown(site_ref)))
        raise Forbidden(M.RUNTIME_WRONG_SITE.format(site=shown(site_ref)))

    def runtime_payload(self, site: Site, env: str) -> dict[str, Any]:
        """The SDK payload of web-scoped secrets, served from the cache while fresh (SPEC §6)."""
        return self._runtime_entry(site, env)[1]

    def runtime_rendered(self, site: Site, env: str, render: Callable[[dict[str, Any]], R]) -> R:
        """``render(runtime_payload(site, env))``, kept beside the cached payload while it is fresh.

        The HTTP layer passes its serialiser, so a cached read of a large environment
        is not serialised again on every request.
        """
        _, payload, renderings = self._runtime_entry(site, env)
        rendered = renderings.get(render, _MISSING)
        if rendered is _MISSING:
            rendered = renderings[render] = render(payload)
        return cast(R, rendered)

    def check_runtime_php(self, site: Site, env: str) -> Environment:
        """``env`` of ``site``, if secrets may be read there at run time: PHP 8.0 or later, or
        a Node.js site; InvalidInput naming the environment and its version otherwise."""
        environment = self.environment_of(site, env)
        if site.framework in policy.RUNTIME_PHP_EXEMPT_FRAMEWORKS:
            return environment
        if php_version_tuple(environment.php_version) < policy.RUNTIME_MIN_PHP:
            raise InvalidInput(M.RUNTIME_PHP_TOO_OLD.format(env=env, site=site.name, version=shown(environment.php_version)))
        return environment

    def _runtime_entry(self, site: Site, env: str) -> _CacheEntry:
        """(expiry, payload, renderings) for ``env`` of ``site``: the cached one while fresh."""
        self.check_runtime_php(site, env)
        key = (site.id, env)
        moment = clock.now()
        ttl = self.settings.cache_ttl
        if ttl > 0:
            with self._cache_lock:
                hit = self._cache.get(key)
            # Fresh while before its expiry and not before it was made: a clock that went
            # backwards (freezegun) expires it.
            if hit is not None and hit[0] - ttl <= moment < hit[0]:
                return hit
        secrets = self.resolved(site, env, "web")
        payload: dict[str, Any] = {"SiteID": site.id}
        if secrets:  # [doc] the platform omits "Secrets" when there are none
            payload["Secrets"] = {
                name: {"Type": r.type, "Value": r.value, "Scopes": list(r.scopes)} for name, r in secrets.items()
            }
        payload.update({"Count": len(secrets), "Version": "", "Scopes": ["web"]})
        entry: _CacheEntry = (moment + ttl, payload, {})
        if ttl > 0:
            with self._cache_lock:
                self._cache[key] = entry
        return entry

    def site_secret_names(self, site: Site) -> set[str]:
        """The names ``site`` holds itself (the rest of its list is its organization's)."""
        return {s.name for s in self._store.secrets("site", site.id)}

    def matrix(self, site: Site, scope: str) -> dict[str, Any]:
        """Every name ``site`` holds or inherits, down; its environments, across: in each
        cell the layer that wins for ``scope``, or None where the name is invisible (SPEC §3).
        No values; :meth:`explain` says why for one cell."""
        rules.check_scopes([scope])
        org_secrets = {s.name: s for s in self._store.secrets("org", site.owner)} if site.owner else {}
        site_secrets = {s.name: s for s in self._store.secrets("site", site.id)}
        environments = list(site.environments)
        rows = []
        for name in sorted(org_secrets.keys() | site_secrets.keys()):
            org_secret, site_secret = org_secrets.get(name), site_secrets.get(name)
            layers = [resolve.winning_layer(org_secret, site_secret, env, scope) for env in environments]
            rows.append({"name": name, "site": site_secret is not None, "org": org_secret is not None, "layers": layers})
        return {"scope": scope, "environments": environments, "rows": rows}

    def explain(self, site: Site, env: str, name: str) -> dict[str, Any]:
        """Provenance of ``name`` in ``env``: which layer wins per scope, and why."""
        self.environment_of(site, env)
        org_secret = self._store.secret("org", site.owner, name) if site.owner else None
        site_secret = self._store.secret("site", site.id, name)
        explanation = resolve.explain(org_secret, site_secret, env, policy.SECRET_SCOPES, has_owner=bool(site.owner))
        result = explanation.to_dict()
        result["secret"] = name
        result["site"] = site.name
        return result


def _change(owner: Owner, action: ChangeAction, name: str, env: str | None, actor: str, secret: Secret | None) -> SecretChange:
    return SecretChange(
        action=action,
        owner_kind=owner.kind,
        owner_id=owner.id,
        owner_name=owner.entity.name,
        secret=name,
        environment=env,
        actor=actor,
        time=clock.isoformat(clock.now()),
        type=secret.type if secret is not None else None,
        scopes=tuple(secret.scopes) if secret is not None else None,
    )


def _written(secret: Secret, env: str | None) -> str | None:
    """The value a write stored: the override's for ``env``, else the default."""
    return secret.overrides[env] if env is not None else secret.value


def _redacted(secret: Secret, value: str | None) -> str | None:
    """[doc] values of a secret without the `user` scope are listed as null."""
    return value if "user" in secret.scopes else None


def _entry(secret: Secret, with_org: bool, site_layer: bool = True) -> dict[str, Any]:
    entry = {
        "Type": secret.type,
        "Value": _redacted(secret, secret.value) if site_layer else None,
        "Scopes": list(secret.scopes),
        "EnvValues": {env: _redacted(secret, v) for env, v in secret.overrides.items()} if site_layer else {},
    }
    if with_org:
        entry["OrgValues"] = {}
    return entry


def _org_values(org_secret: Secret) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    if org_secret.value is not None:
        values["default"] = _redacted(org_secret, org_secret.value)
    for env, value in org_secret.overrides.items():
        values[env] = _redacted(org_secret, value)
    return values


def _environments_for_variables(
    org_secrets: list[Secret], site_secrets: list[Secret], site: Site, whole: tuple[str, ...]
) -> dict[str, dict[str, resolve.Resolved]]:
    """What each environment resolves for a Next.js process's variables: all of it for the
    environments in ``whole`` (the process's own, and ``live``); for any other, only the
    names something overrides there, the one thing ``SITE_SECRETS_DEFAULT`` takes from it (a
    name nothing overrides there reads its default, which the defaults already give). So
    the cost grows with the secrets and the overrides, not secrets times environments."""
    scope = policy.NEXTJS_SCOPE
    overridden: dict[str, set[str]] = {}
    for secret in (*org_secrets, *site_secrets):
        for env in secret.overrides:
            overridden.setdefault(env, set()).add(secret.name)
    org_by_name = {s.name: s for s in org_secrets}
    site_by_name = {s.name: s for s in site_secrets}
    result: dict[str, dict[str, resolve.Resolved]] = {}
    for env in site.environments:
        if env in whole:
            result[env] = resolve.resolve_environment(org_secrets, site_secrets, env, scope)
        elif env in overridden:
            names = overridden[env]  # each with its defaults too: a site default beats an org override
            org = [org_by_name[n] for n in names if n in org_by_name]
            site_layer = [site_by_name[n] for n in names if n in site_by_name]
            result[env] = resolve.resolve_environment(org, site_layer, env, scope)
        else:
            result[env] = {}
    return result
