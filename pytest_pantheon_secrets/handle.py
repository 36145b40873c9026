"""The typed handle the ``pantheon`` fixtures return: a fake Pantheon for one test.

Building the world goes straight to the emulator's core (seed documents for users,
organizations and sites; the service for secrets), so it costs microseconds and obeys
exactly the rules the HTTP API obeys. Reading goes through the same resolution the
runtime uses. Talking HTTP goes through :attr:`FakePantheon.session`, in-process or
to a live server, depending on the fixture.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import requests

from emulator.client import ManagementClient
from emulator.core import policy, site_env
from emulator.core.errors import AlreadyExists, EmulatorError, InvalidInput, NotFound, SeedRejected, shown
from emulator.core.model import DEFAULT_PHP, STANDARD_ENVIRONMENTS, Organization, Secret, Site, User
from emulator.core.resolve import LAYERS, Resolved
from emulator.core.seed import SeedPlan
from emulator.core.service import Emulator, Owner

from .asserts import JournalView, masked

SiteRef = Site | str
OrgRef = Organization | str
UserRef = User | str
OwnerRef = Site | Organization | str
ACTOR = "pantheon-fixture"

# What `point_at` sets for the code under test: the variables a site's process finds
# its secrets by (the emulator's own names for them), plus a token to manage the site.
ENV_SITE = site_env.SITE_VARIABLE  # the site's UUID, as on Pantheon
ENV_SITE_NAME = site_env.SITE_NAME_VARIABLE
ENV_ENVIRONMENT = site_env.ENVIRONMENT_VARIABLE
ENV_URL = site_env.URL_VARIABLE
ENV_RUNTIME_TOKEN = site_env.RUNTIME_TOKEN_VARIABLE
ENV_USER_TOKEN = "PANTHEON_EMULATOR_TOKEN"  # read by the secret:* commands and the deploy script
ENV_FAKE_FILE = site_env.FAKE_FILE_VARIABLE


class FakePantheon:
    """A fake Pantheon for one test: build a world a line per thing, read it as a site does,
    drive its API as a user, and assert on what happened.

    ``url`` and ``session`` reach the emulator over HTTP: in-process (no sockets) for the
    ``pantheon`` fixture, a real server on 127.0.0.1 for ``pantheon_live``.
    """

    def __init__(
        self,
        emulator: Emulator,
        url: str,
        transport: str,
        make_session: Callable[[], requests.Session],
        fixture: Callable[[str], Any] | None = None,
        seeded: Iterable[dict] = (),
        default_cache_ttl: float = policy.RUNTIME_CACHE_TTL_SECONDS,
    ):
        self.emulator = emulator
        self.url = url
        self.transport = transport  # "inprocess" or "live"
        self.seeded: list[dict] = list(seeded)  # summaries of the seed documents applied before the test
        self.journal = JournalView(emulator, self.get_site)
        self._make_session = make_session
        self._session: requests.Session | None = None
        self._fixture = fixture
        self._numbers = itertools.count(1)
        self._default_cache_ttl = default_cache_ttl

    def __repr__(self) -> str:
        return f"<FakePantheon {self.transport} at {self.url}>"

    # -- HTTP -------------------------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        """A ``requests.Session`` that reaches the emulator at :attr:`url`."""
        if self._session is None:
            self._session = self._make_session()
        return self._session

    def as_user(self, user: UserRef) -> ManagementClient:
        """The management API (the Terminus request sequence) as ``user`` sees it."""
        return ManagementClient(self.url, token=self.get_user(user).token, session=self.session)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # -- building the world -------------------------------------------------------------

    def user(self, email: str | None = None, *, token: str | None = None) -> User:
        """A new user (``user<n>@example.com`` unless named) with a machine token."""
        __tracebackhide__ = True
        email = email or f"user{next(self._numbers)}@example.com"
        call = f"pantheon.user({email!r})"
        if self.emulator.find_user(email) is not None:
            raise InvalidInput(f"{call}: user '{shown(email)}' already exists; look it up with pantheon.get_user().")
        plan = self._seed(call, "users", {"email": email, "token": token})
        return plan.users[0]

    def org(
        self, name: str | None = None, *, members: Iterable[UserRef] = (), id: str | None = None, label: str | None = None
    ) -> Organization:
        """A new organization (``org-<n>`` unless named) with these member users; ``label``
        is its display name (Terminus finds an organization by it too; default: the name)."""
        __tracebackhide__ = True
        name = name or f"org-{next(self._numbers)}"
        call = f"pantheon.org({name!r})"
        if _named(self.emulator.find_organization(name), name):
            raise InvalidInput(f"{call}: organization '{shown(name)}' already exists; look it up with pantheon.get_org().")
        plan = self._seed(call, "organizations", {"name": name, "id": id, "label": label, "members": self._emails(members)})
        return plan.organizations[0][0]

    def site(
        self,
        name: str | None = None,
        *,
        owner: OrgRef | None = None,
        supporting: Iterable[OrgRef] = (),
        framework: str = "drupal",
        environments: Mapping[str, str] | Iterable[str] | None = None,
        php: str = DEFAULT_PHP,
        members: Iterable[UserRef] = (),
        runtime_token: str | None = None,
        id: str | None = None,
    ) -> Site:
        """A new site (``site-<n>`` unless named).

        ``owner`` is its organization (none: a personal site). ``environments`` maps names to
        PHP versions (``{"dev": "8.3", "legacy": "7.4"}``) or lists names that run ``php``;
        the default is dev, test and live on ``php``.
        """
        __tracebackhide__ = True
        name = name or f"site-{next(self._numbers)}"
        call = f"pantheon.site({name!r})"
        if _named(self.emulator.find_site(name), name):
            raise InvalidInput(f"{call}: site '{shown(name)}' already exists; look it up with pantheon.get_site().")
        if environments is None:
            environments = STANDARD_ENVIRONMENTS
        if isinstance(environments, str):
            environments = [environments]
        if isinstance(environments, Mapping):
            envs = {env: {"php_version": str(version)} for env, version in environments.items()}
        else:
            envs = {env: {"php_version": str(php)} for env in environments}
        item = {
            "name": name,
            "id": id,
            "owner": _org_name(owner),
            "supporting": [_org_name(o) for o in supporting],
            "framework": framework,
            "members": self._emails(members),
            "runtime_token": runtime_token,
            "environments": envs,
        }
        plan = self._seed(call, "sites", {key: value for key, value in item.items() if value is not None})
        return plan.sites[0][0]

    def secret(
        self,
        owner: OwnerRef,
        name: str,
        value: str,
        *,
        type: str | None = None,
        scopes: Iterable[str] | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> Secret:
        """A new secret of a site or an organization, with environment ``overrides``.

        Type and scopes default as in the API: ``runtime`` and ``["user"]``. Application code
        reads only ``web``-scoped secrets, so pass ``scopes=["web"]`` (or more) for those.
        A string such as ``"web,user"`` is refused, as the service refuses it.
        """
        __tracebackhide__ = True
        target = self._owner(owner)
        call = f"pantheon.secret({target.entity.name!r}, {name!r})"
        scope_list = scopes if scopes is None or isinstance(scopes, str) else list(scopes)
        try:
            with self.emulator.batch():
                secret = self.emulator.create_secret(target, name, value, type, scope_list, actor=ACTOR)
                for env, override in (overrides or {}).items():
                    secret = self.emulator.set_override(target, name, env, override, actor=ACTOR)
        except EmulatorError as error:
            raise _in_call(call, error) from None
        self.emulator.world_changed()
        return secret

    def override(self, owner: OwnerRef, name: str, env: str, value: str) -> Secret:
        """Set ``name``'s value in ``env``; on a site, also over a name only its organization has."""
        __tracebackhide__ = True
        target = self._owner(owner)
        try:
            secret = self.emulator.set_override(target, name, env, value, actor=ACTOR)
        except EmulatorError as error:
            raise _in_call(f"pantheon.override({target.entity.name!r}, {name!r}, {env!r})", error) from None
        self.emulator.world_changed()
        return secret

    def set_value(self, owner: OwnerRef, name: str, value: str) -> Secret:
        """Change a secret's default value."""
        __tracebackhide__ = True
        target = self._owner(owner)
        try:
            secret = self.emulator.update_value(target, name, value, actor=ACTOR)
        except EmulatorError as error:
            raise _in_call(f"pantheon.set_value({target.entity.name!r}, {name!r})", error) from None
        self.emulator.world_changed()
        return secret

    def delete(self, owner: OwnerRef, name: str, env: str | None = None) -> None:
        """Delete a secret with its overrides, or only its override for ``env``."""
        __tracebackhide__ = True
        target = self._owner(owner)
        try:
            if env is None:
                self.emulator.delete_secret(target, name, actor=ACTOR)
            else:
                self.emulator.delete_override(target, name, env, actor=ACTOR)
        except EmulatorError as error:
            raise _in_call(f"pantheon.delete({target.entity.name!r}, {name!r})", error) from None
        self.emulator.world_changed()

    def seed(self, document: dict) -> dict:
        """Apply a seed document (the format of ``pantheon-emulator seed``); returns its summary."""
        __tracebackhide__ = True
        try:
            summary = self.emulator.seed(document).summary()
        except EmulatorError as error:
            raise _in_call("pantheon.seed()", error) from None
        return summary

    def state(self) -> dict:
        """The whole world as a seed document."""
        return self.emulator.export()

    # -- looking things up --------------------------------------------------------------

    def get_user(self, user: UserRef) -> User:
        """A user by email or token (or the User itself, refreshed)."""
        __tracebackhide__ = True
        ref = user.email if isinstance(user, User) else user
        found = self.emulator.find_user(ref)
        if found is None:
            raise NotFound(f"No user '{shown(ref)}' in this fake Pantheon.")
        return found

    def get_org(self, org: OrgRef) -> Organization:
        """An organization by name or id."""
        return self.emulator.organization(org.id if isinstance(org, Organization) else org)

    def get_site(self, site: SiteRef) -> Site:
        """A site by name or id, as stored now (environments included)."""
        return self.emulator.site(site.id if isinstance(site, Site) else site)

    # -- reading as a site does ---------------------------------------------------------

    def runtime(self, site: SiteRef, env: str) -> dict[str, str]:
        """What application code in ``env`` reads now: web scope, resolved, through the runtime cache."""
        payload = self.emulator.runtime_payload(self.get_site(site), env)
        return {name: entry["Value"] for name, entry in payload.get("Secrets", {}).items()}

    def resolved(self, site: SiteRef, env: str, scope: str = "web") -> dict[str, Resolved]:
        """Every name ``env`` reads for ``scope``, uncached, each with the layer that supplied it."""
        found = self.get_site(site)
        self.emulator.environment_of(found, env)
        return self.emulator.resolved(found, env, scope)

    def value(self, site: SiteRef, env: str, name: str, scope: str = "web") -> str | None:
        """The value ``name`` resolves to in ``env`` for ``scope`` (uncached), or None."""
        found = self.resolved(site, env, scope).get(name)
        return found.value if found is not None else None

    def explain(self, site: SiteRef, env: str, name: str) -> dict:
        """Which layer supplies ``name`` in ``env`` for each scope, what it shadows, and why (no values)."""
        return self.emulator.explain(self.get_site(site), env, name)

    def assert_layer(self, site: SiteRef, env: str, name: str, layer: str, *, scope: str = "web") -> None:
        """``name`` in ``env`` takes its value from ``layer`` (``site-override``, ``site-default``,
        ``org-override`` or ``org-default``) for ``scope``."""
        __tracebackhide__ = True
        if layer not in LAYERS:
            raise ValueError(f"Unknown layer {layer!r}; layers are {', '.join(LAYERS)}.")
        explanation = self.explain(site, env, name)
        found = explanation["scopes"][scope]
        if found["layer"] == layer:
            return
        found_site = self.get_site(site)
        present = [key for key, info in explanation["layers"].items() if info["present"]]
        raise AssertionError(
            f"Expected {name!r} in {found_site.name}.{env} to come from {layer} for scope {scope!r}, "
            f"but {found['reason'][0].lower()}{found['reason'][1:]}\n"
            f"Layers holding {name!r} in {env}: {', '.join(present) or 'none'}.\n"
            f"What {found_site.name}.{env} reads now ({scope} scope): "
            f"{masked(self.emulator.resolved(found_site, env, scope))}."
        )

    def listing(self, owner: OwnerRef) -> dict:
        """The management API's list response for a site (``showall``) or an organization."""
        return self.emulator.list_secrets(self._owner(owner))

    # -- settings -----------------------------------------------------------------------

    def rate_limit(self, on: bool = True, *, limit: int | None = None, window: float | None = None) -> None:
        """Switch the management API's per-user rate limit on or off (off by default in tests);
        ``limit`` requests per ``window`` seconds (default 3 per second)."""
        changes: dict[str, Any] = {"rate_limit": bool(on)}
        if limit is not None:
            changes["rate_limit_requests"] = limit
        if window is not None:
            changes["rate_limit_window"] = window
        self.emulator.configure(**changes)

    def exhaust_rate_limit(self, user: UserRef) -> User:
        """Turn the rate limit on and use up ``user``'s requests for the current window."""
        found = self.get_user(user)
        self.rate_limit(True)
        self.emulator.use_up_rate_limit(found)
        return found

    def cache(self, on: bool = True, *, ttl: float | None = None) -> None:
        """Switch the runtime's 15-minute cache on (``ttl`` seconds) or off; either way it starts empty."""
        if on:
            ttl = ttl if ttl is not None else (self._default_cache_ttl or policy.RUNTIME_CACHE_TTL_SECONDS)
        self.emulator.configure(cache_ttl=float(ttl) if on else 0.0)  # a new TTL starts the cache empty

    def clear_cache(self) -> None:
        """Forget every cached runtime view, as if the cache had expired."""
        self.emulator.clear_cache()

    # -- pointing the code under test at the emulator -------------------------------------

    def point_at(self, site: SiteRef, env: str = "dev", *, user: UserRef | None = None) -> dict[str, str]:
        """Set the environment variables a site's code reads to find this emulator (undone after the test).

        ``PANTHEON_EMULATOR_TOKEN`` holds ``user``'s token, or else that of the first user who
        may manage the site; it is unset when there is none.
        """
        found = self.get_site(site)
        self.emulator.environment_of(found, env)
        values = {
            ENV_SITE: found.id,
            ENV_SITE_NAME: found.name,
            ENV_ENVIRONMENT: env,
            ENV_URL: self.url,
            ENV_RUNTIME_TOKEN: found.runtime_token,
        }
        manager = self.get_user(user) if user is not None else self.emulator.first_manager(found)
        monkeypatch = self._need("monkeypatch")
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        if manager is not None:
            monkeypatch.setenv(ENV_USER_TOKEN, manager.token)
            values[ENV_USER_TOKEN] = manager.token
        else:
            monkeypatch.delenv(ENV_USER_TOKEN, raising=False)
        return values

    def write_fake_file(self, site: SiteRef, path: str | os.PathLike[str] | None = None) -> Path:
        """Write ``secret:site:local-generate``'s file for ``site`` and point CUSTOMER_SECRETS_FAKE_FILE at it.

        The file is the site's list response pretty-printed with a 4-space indent (SPEC §9);
        by default it goes to the test's ``tmp_path``.
        """
        found = self.get_site(site)
        target = Path(path) if path is not None else self._need("tmp_path") / f"{found.name}.secrets.json"
        target.write_text(self.emulator.local_file_text(found), encoding="utf-8")
        self._need("monkeypatch").setenv(ENV_FAKE_FILE, str(target))
        return target

    # -- helpers ------------------------------------------------------------------------

    def _seed(self, call: str, section: str, item: dict) -> SeedPlan:
        __tracebackhide__ = True
        try:
            plan = self.emulator.seed({section: [item]})
        except SeedRejected as error:
            field = error.where.partition(".")[2] or error.where
            raise InvalidInput(f"{call}: {field}: {error.problem}") from None
        return plan

    def _emails(self, users: Iterable[UserRef]) -> list[str]:
        if isinstance(users, (str, User)):
            users = [users]
        return [u.email if isinstance(u, User) else u for u in users]

    def _owner(self, owner: OwnerRef) -> Owner:
        if isinstance(owner, Site):
            return Owner("site", self.get_site(owner))
        if isinstance(owner, Organization):
            return Owner("org", self.get_org(owner))
        site = self.emulator.find_site(owner)
        org = self.emulator.find_organization(owner)
        if site is not None and org is not None:
            raise InvalidInput(
                f"'{shown(owner)}' names both a site and an organization; pass the Site or Organization object instead."
            )
        if site is not None:
            return Owner("site", site)
        if org is not None:
            return Owner("org", org)
        raise NotFound(f"No site or organization '{shown(owner)}' in this fake Pantheon.")

    def _need(self, fixture_name: str) -> Any:
        if self._fixture is None:
            raise RuntimeError(f"This FakePantheon was made outside a test, so it has no {fixture_name}.")
        return self._fixture(fixture_name)


def _named(entity: Site | Organization | None, name: str) -> bool:
    return entity is not None and entity.name == name


def _org_name(org: OrgRef | None) -> str | None:
    return org.name if isinstance(org, Organization) else org


def _in_call(call: str, error: EmulatorError) -> EmulatorError:
    """``error`` again, its message prefixed with the handle call that raised it."""
    if isinstance(error, SeedRejected):
        return InvalidInput(f"{call}: {error.message}")
    if isinstance(error, AlreadyExists):
        return AlreadyExists(
            f"{call}: the secret already exists; change it with pantheon.set_value() or pantheon.override(), or delete it first."
        )
    return type(error)(f"{call}: {error.message}")
