"""Seed documents: the JSON that describes a world, read, checked and written whole.

``apply_seed`` validates a whole document against itself and the current store
before writing anything, then writes it in one transaction, so a seed with a
dangling reference is refused with a message naming it and nothing is stored.
``export_state`` returns a document that seeds the same world again.
"""

from __future__ import annotations

import re
import secrets as _tokens
import uuid
from dataclasses import dataclass, field
from typing import Any, NoReturn

from emulator.core import policy, rules
from emulator.core.errors import InvalidInput, SeedRejected, shown
from emulator.core.model import DEFAULT_PHP, STANDARD_ENVIRONMENTS, Environment, Organization, Secret, Site, User
from emulator.core.secrets_file import entity_id_of, secrets_in_file
from emulator.core.store import Store

ID_NAMESPACE = uuid.UUID("6f1c2f3e-7d4b-5a9e-8c21-3b0f7e5d9a10")
ENTITY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
TOP_LEVEL = ("users", "organizations", "sites")
USER_FIELDS = ("email", "token")
ORG_FIELDS = ("name", "id", "label", "members", "secrets")
SITE_FIELDS = ("name", "id", "owner", "supporting", "framework", "members", "runtime_token", "environments", "secrets")
SECRET_FIELDS = ("name", "value", "type", "scopes", "overrides")


def derived_id(kind: str, name: str) -> str:
    """A stable UUID for an entity seeded without one."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{name}"))


def new_token() -> str:
    return _tokens.token_urlsafe(24)


@dataclass
class SeedPlan:
    """What a checked seed document will write."""

    users: list[User] = field(default_factory=list)
    organizations: list[tuple[Organization, list[Secret]]] = field(default_factory=list)
    sites: list[tuple[Site, list[Secret]]] = field(default_factory=list)
    #: names of the organizations and sites that already existed and were replaced
    replaced: dict[str, list[str]] = field(default_factory=lambda: {"organizations": [], "sites": []})
    #: True when a replaced site kept the secrets the document does not name (an import)
    secrets_kept: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "replaced": {"organizations": list(self.replaced["organizations"]), "sites": list(self.replaced["sites"])},
            "secrets_kept": self.secrets_kept,
            "users": [{"email": u.email, "token": u.token} for u in self.users],
            "organizations": [{"name": o.name, "id": o.id} for o, _ in self.organizations],
            "sites": [
                {"name": s.name, "id": s.id, "runtime_token": s.runtime_token, "environments": list(s.environments)}
                for s, _ in self.sites
            ],
        }


class _Checker:
    """Walks a seed document, naming the path of the first problem it meets."""

    def __init__(self, store: Store, doc: Any):
        self.store = store
        self.doc = doc
        self.plan = SeedPlan()

    def fail(self, where: str, message: str) -> NoReturn:
        raise SeedRejected(where, message)

    def obj(self, value: Any, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {rules.json_kind(value)}.")
        for key in value:
            if key not in allowed:
                self.fail(where, f"unknown field '{shown(str(key))}' (allowed: {', '.join(allowed)}).")
        for key in required:
            if key not in value:
                self.fail(where, f"missing required field '{key}'.")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"expected an array, got {rules.json_kind(value)}.")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value:
            got = "an empty string" if value == "" else rules.json_kind(value)
            self.fail(where, f"expected a non-empty string, got {got}.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(where, "not valid Unicode text (it holds an unpaired surrogate).")
        return value

    def entity_name(self, value: Any, where: str) -> str:
        name = self.string(value, where)
        if not ENTITY_NAME.fullmatch(name):
            self.fail(where, f"invalid name '{shown(name)}': use 1-100 letters, numbers, '.', '_' and '-'.")
        return name

    def entity_id(self, value: Any, kind: str, name: str, where: str) -> str:
        existing = self.store.site(name) if kind == "site" else self.store.organization(name)
        existing_id = existing.id if existing is not None and existing.name == name else None
        if value is None:
            return existing_id or derived_id(kind, name)
        try:
            entity_id = str(uuid.UUID(self.string(value, where)))
        except ValueError:
            self.fail(where, f"'{shown(str(value))}' is not a UUID.")
        if existing_id is not None and existing_id != entity_id:
            label = "site" if kind == "site" else "organization"
            self.fail(where, f"{label} '{name}' already exists with id {existing_id}.")
        return entity_id

    def run(self) -> SeedPlan:
        doc = self.obj(self.doc, "the document", TOP_LEVEL)
        emails = self.users(doc.get("users"))
        org_ids, org_secrets = self.organizations(doc.get("organizations"), emails)
        self.sites(doc.get("sites"), emails, org_ids, org_secrets)
        return self.plan

    def users(self, value: Any) -> set[str]:
        """Check the users; return every email known afterwards."""
        emails = {u.email for u in self.store.users()}
        tokens = {u.token: u.email for u in self.store.users()}
        runtime_tokens = {s.runtime_token: s.name for s in self.store.sites()}
        listed: set[str] = set()
        for i, raw in enumerate(self.items(value, "users")):
            where = f"users[{i}]"
            item = self.obj(raw, where, USER_FIELDS, ("email",))
            email = self.string(item["email"], f"{where}.email")
            self.once(listed, email, where, f"user '{shown(email)}'")
            token = self.string(item["token"], f"{where}.token") if item.get("token") is not None else None
            if token is None:
                existing = self.store.user(email)
                token = existing.token if existing else new_token()
            if tokens.get(token, email) != email:
                self.fail(f"{where}.token", f"this token already belongs to user '{shown(tokens[token])}'.")
            if token in runtime_tokens:
                self.fail(f"{where}.token", f"this token is the runtime token of site '{shown(runtime_tokens[token])}'.")
            tokens[token] = email
            emails.add(email)
            self.plan.users.append(User(email, token))
        return emails

    def organizations(self, value: Any, emails: set[str]) -> tuple[dict[str, str], dict[str, dict[str, Secret]]]:
        """Check the organizations; return org ids by id and name, and each seeded org's secrets."""
        org_ids: dict[str, str] = {}
        for org in self.store.organizations():
            org_ids[org.name] = org_ids[org.id] = org.id
        org_secrets: dict[str, dict[str, Secret]] = {}
        listed: set[str] = set()
        listed_ids: set[str] = set()
        for i, raw in enumerate(self.items(value, "organizations")):
            where = f"organizations[{i}]"
            item = self.obj(raw, where, ORG_FIELDS, ("name",))
            name = self.entity_name(item["name"], f"{where}.name")
            self.once(listed, name, where, f"organization '{name}'")
            org_id = self.entity_id(item.get("id"), "org", name, f"{where}.id")
            self.once(listed_ids, org_id, f"{where}.id", f"organization id {org_id}")
            label = self.string(item["label"], f"{where}.label") if item.get("label") is not None else name
            members = self.members(item.get("members"), emails, f"{where}.members")
            secrets = self.secrets(item.get("secrets"), f"{where}.secrets", site=None, inherited={})
            if self.store.organization(org_id) is not None:
                self.plan.replaced["organizations"].append(name)
            org_ids[name] = org_ids[org_id] = org_id
            org_secrets[org_id] = {s.name: s for s in secrets}
            self.plan.organizations.append((Organization(org_id, name, members, label), secrets))
        return org_ids, org_secrets

    def sites(self, value: Any, emails: set[str], org_ids: dict[str, str], org_secrets: dict[str, dict[str, Secret]]) -> None:
        runtime_tokens = {s.runtime_token: s.name for s in self.store.sites()}
        user_tokens = {u.token for u in self.store.users()} | {u.token for u in self.plan.users}
        listed: set[str] = set()
        listed_ids: set[str] = set()
        for i, raw in enumerate(self.items(value, "sites")):
            where = f"sites[{i}]"
            item = self.obj(raw, where, SITE_FIELDS, ("name",))
            name = self.entity_name(item["name"], f"{where}.name")
            self.once(listed, name, where, f"site '{name}'")
            site_id = self.entity_id(item.get("id"), "site", name, f"{where}.id")
            self.once(listed_ids, site_id, f"{where}.id", f"site id {site_id}")
            owner = None if item.get("owner") is None else self.org_ref(item["owner"], org_ids, f"{where}.owner")
            supporting = tuple(
                self.org_ref(ref, org_ids, f"{where}.supporting[{j}]")
                for j, ref in enumerate(self.items(item.get("supporting"), f"{where}.supporting"))
            )
            framework = self.string(item.get("framework", "drupal"), f"{where}.framework")
            members = self.members(item.get("members"), emails, f"{where}.members")
            token = item.get("runtime_token")
            if token is None:
                existing = self.store.site(name)
                token = existing.runtime_token if existing and existing.name == name else new_token()
            token = self.string(token, f"{where}.runtime_token")
            if runtime_tokens.get(token, name) != name:
                self.fail(f"{where}.runtime_token", f"this token already belongs to site '{shown(runtime_tokens[token])}'.")
            if token in user_tokens:
                self.fail(f"{where}.runtime_token", "this token is a user's machine token; a token must name one holder.")
            runtime_tokens[token] = name
            environments = self.environments(item.get("environments"), f"{where}.environments")
            site = Site(site_id, name, owner, supporting, framework, members, token, environments)
            if owner in org_secrets:
                inherited = org_secrets[owner]
            else:
                inherited = {s.name: s for s in self.store.secrets("org", owner)} if owner else {}
            secrets = self.secrets(item.get("secrets"), f"{where}.secrets", site=site, inherited=inherited)
            if self.store.site(site_id) is not None:
                self.plan.replaced["sites"].append(name)
            self.plan.sites.append((site, secrets))

    def once(self, listed: set[str], key: str, where: str, label: str) -> None:
        """Refuse a second entry for ``key`` in one list."""
        if key in listed:
            self.fail(where, f"{label} is listed twice.")
        listed.add(key)

    def org_ref(self, value: Any, org_ids: dict[str, str], where: str) -> str:
        """The id of the organization ``value`` names (by id or name), or a failure naming it."""
        org_id = org_ids.get(self.string(value, where))
        if org_id is None:
            self.fail(where, f"unknown organization '{shown(value)}'.")
        return org_id

    def members(self, value: Any, emails: set[str], where: str) -> tuple[str, ...]:
        result = []
        for j, email in enumerate(self.items(value, where)):
            email = self.string(email, f"{where}[{j}]")
            if email not in emails:
                self.fail(f"{where}[{j}]", f"unknown user '{shown(email)}'.")
            if email not in result:
                result.append(email)
        return tuple(result)

    def environments(self, value: Any, where: str) -> dict[str, Environment]:
        if value is None:
            return {name: Environment(name, DEFAULT_PHP) for name in STANDARD_ENVIRONMENTS}
        if not isinstance(value, dict):
            self.fail(where, f"expected an object of environments, got {rules.json_kind(value)}.")
        result = {}
        for env, spec in value.items():
            try:
                rules.check_environment_name(env)
            except InvalidInput as error:
                self.fail(f"{where}.{shown(str(env))}", error.message)
            spec = self.obj(spec if spec is not None else {}, f"{where}.{env}", ("php_version",))
            php = spec.get("php_version", DEFAULT_PHP)
            if not isinstance(php, str) or not re.fullmatch(r"[0-9]+(\.[0-9]+)*", php):
                self.fail(f"{where}.{env}.php_version", f"expected a version such as '8.3', got {rules.json_kind(php)}.")
            result[env] = Environment(env, php)
        return result

    def secrets(self, value: Any, where: str, site: Site | None, inherited: dict[str, Secret]) -> list[Secret]:
        result: list[Secret] = []
        names: set[str] = set()
        for j, raw in enumerate(self.items(value, where)):
            at = f"{where}[{j}]"
            item = self.obj(raw, at, SECRET_FIELDS, ("name", "value"))
            try:
                secret_type = rules.check_type(item.get("type"))
                scopes = rules.check_scopes(item.get("scopes"))
                name = rules.check_name(item["name"], secret_type)
                value_ = None if item["value"] is None else rules.check_value(name, item["value"])
            except InvalidInput as error:
                self.fail(at, error.message)
            self.once(names, name, at, f"secret '{name}'")
            overrides = {}
            raw_overrides = {} if item.get("overrides") is None else item["overrides"]
            if not isinstance(raw_overrides, dict):
                self.fail(f"{at}.overrides", f"expected an object of environment to value, got {rules.json_kind(raw_overrides)}.")
            for env, override in raw_overrides.items():
                try:
                    rules.check_environment_name(env)
                    overrides[env] = rules.check_value(name, override)
                except InvalidInput as error:
                    self.fail(f"{at}.overrides", error.message)
                if site is not None and env not in site.environments:
                    self.fail(f"{at}.overrides", f"unknown environment '{env}' on site '{site.name}'.")
            if value_ is None:
                # An overrides-only site entry. Its organization secret may have been deleted
                # since (the API keeps the entry, SPEC §2): one listing its own type and scopes,
                # as an export does, stands alone.
                standalone = "type" in item and "scopes" in item
                if site is None or (name not in inherited and not standalone):
                    self.fail(at, policy.Messages.OVERRIDE_WITHOUT_SECRET.format(name=name))
                if not overrides:
                    self.fail(at, f"secret '{name}' has a null value and no overrides.")
                if "type" not in item and "scopes" not in item:
                    secret_type, scopes = inherited[name].type, inherited[name].scopes
            result.append(Secret(name, value_, secret_type, scopes, overrides))
        return result


def check_seed(store: Store, doc: Any) -> SeedPlan:
    """Validate ``doc`` against itself and ``store``; raise InvalidInput naming the problem."""
    return _Checker(store, doc).run()


def apply_seed(store: Store, doc: Any, replace_secrets: bool = True) -> SeedPlan:
    """Check and write a seed document in one write transaction (so a concurrent seed is
    checked against what it wrote); an entity already present is replaced, and with
    ``replace_secrets`` its secrets too (else only the secrets the document names)."""
    with store.transaction():
        plan = check_seed(store, doc)
        plan.secrets_kept = not replace_secrets
        for user in plan.users:
            store.put_user(user)
        for org, secrets in plan.organizations:
            store.put_organization(org)
            store.delete_secrets_of("org", org.id)
            for secret in secrets:
                store.put_secret("org", org.id, secret)
        for site, secrets in plan.sites:
            store.put_site(site)
            if replace_secrets:
                store.delete_secrets_of("site", site.id)
            for secret in secrets:
                store.put_secret("site", site.id, secret)
    return plan


def _secret_doc(secret: Secret) -> dict[str, Any]:
    return {
        "name": secret.name,
        "value": secret.value,
        "type": secret.type,
        "scopes": list(secret.scopes),
        "overrides": dict(secret.overrides),
    }


def export_state(store: Store) -> dict[str, Any]:
    """The whole world as a seed document; seeding it into an empty store recreates it."""
    with store.transaction(write=False):
        orgs = store.organizations()
        names = {o.id: o.name for o in orgs}
        return {
            "users": [{"email": u.email, "token": u.token} for u in store.users()],
            "organizations": [
                {
                    "name": o.name,
                    "id": o.id,
                    "label": o.label,
                    "members": list(o.members),
                    "secrets": [_secret_doc(s) for s in store.secrets("org", o.id)],
                }
                for o in orgs
            ],
            "sites": [_site_doc(store, s, names) for s in store.sites()],
        }


def _site_doc(store: Store, site: Site, org_names: dict[str, str]) -> dict[str, Any]:
    return {
        "name": site.name,
        "id": site.id,
        "owner": org_names.get(site.owner) if site.owner else None,
        "supporting": [org_names[o] for o in site.supporting],
        "framework": site.framework,
        "members": list(site.members),
        "runtime_token": site.runtime_token,
        "environments": {e.name: {"php_version": e.php_version} for e in site.environments.values()},
        "secrets": [_secret_doc(s) for s in store.secrets("site", site.id)],
    }


def from_local_generate(store: Store, data: Any, site_name: str) -> dict[str, Any]:
    """A seed document importing a ``secret:site:local-generate`` file into ``site_name``:
    the site as stored (or a new one with dev, test and live) holding only the file's
    secrets; applied with ``replace_secrets=False`` each is added or replaces the one of the
    same name, and every other secret of the site is left alone."""
    imported = secrets_in_file(data)
    existing = store.site(site_name)
    if existing is not None:
        org_names = {o.id: o.name for o in store.organizations()}
        site_doc = _site_doc(store, existing, org_names)
    else:
        site_doc = {"name": site_name, "environments": {env: {} for env in STANDARD_ENVIRONMENTS}, "secrets": []}
        entity_id = entity_id_of(data)
        if entity_id:
            site_doc["id"] = entity_id
    site_doc["secrets"] = []
    by_name: dict[str, Any] = {}
    for secret in imported:
        for env in secret["overrides"]:
            site_doc["environments"].setdefault(env, {})
        by_name[secret["name"]] = secret
    site_doc["secrets"] = list(by_name.values())
    return {"sites": [site_doc]}
