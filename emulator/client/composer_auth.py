"""What an Integrated Composer build makes of its secrets (SPEC §7), as pure functions.

``composer`` secrets become Composer auth entries, named by the secret and shaped as
``composer config --global <kind>.<host> ...`` stores them in ``auth.json``; ``env``
secrets become environment variables of the build. No Flask, no HTTP: the input is
the build's resolved ``ic`` secrets as ``{name: {"type": ..., "value": ...}}``.

Problems are reported by secret *name*; a value never appears in a message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.core import policy

M = policy.Messages
COMPOSER_AUTH = "COMPOSER_AUTH"

# Every kind Composer documents for auth.json (getcomposer.org/doc/articles/
# authentication-for-private-packages.md), by how a secret's value becomes the entry.
# Auth kinds whose entry is the token itself.
TOKEN_KINDS: tuple[str, ...] = ("github-oauth", "gitlab-oauth", "gitlab-token", "bearer")
# Auth kinds whose entry is an object built from a "first second" value.
PAIR_KINDS: dict[str, tuple[str, str]] = {
    "bitbucket-oauth": ("consumer-key", "consumer-secret"),
    "http-basic": ("username", "password"),
    "forgejo-token": ("username", "token"),
}
# Auth kinds whose entry is JSON: a list of "Name: value" headers, or an object of strings.
JSON_KINDS: dict[str, str] = {
    "custom-headers": "a JSON array of 'Header-Name: value' strings",
    "client-certificate": "a JSON object with a 'local_cert' path (and optional 'local_pk', 'passphrase')",
}
# gitlab-token also takes Composer's object form, {"username": ..., "token": ...}.
GITLAB_TOKEN_OBJECT = "a token, or a JSON object with 'username' and 'token' strings"
AUTH_KINDS: tuple[str, ...] = TOKEN_KINDS + tuple(PAIR_KINDS) + tuple(JSON_KINDS)


def _json_entry(name: str, kind: str, value: str) -> Any:
    """The entry of a JSON kind (custom-headers, client-certificate, gitlab-token's object form)."""
    expected = JSON_KINDS.get(kind, GITLAB_TOKEN_OBJECT)
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        raise MalformedSecret(name, M.IC_AUTH_ENTRY_MALFORMED.format(name=name, expected=expected)) from None
    if kind == "custom-headers":
        ok = (
            isinstance(parsed, list)
            and bool(parsed)
            and all(isinstance(h, str) and ":" in h and h.split(":", 1)[0].strip() for h in parsed)
        )
    elif kind == "client-certificate":
        ok = (
            isinstance(parsed, dict)
            and isinstance(parsed.get("local_cert"), str)
            and bool(parsed["local_cert"])
            and set(parsed) <= {"local_cert", "local_pk", "passphrase"}
            and all(isinstance(v, str) for v in parsed.values())
        )
    else:
        ok = (
            isinstance(parsed, dict)
            and set(parsed) == {"username", "token"}
            and all(isinstance(v, str) and v for v in parsed.values())
        )
    if not ok:
        raise MalformedSecret(name, M.IC_AUTH_ENTRY_MALFORMED.format(name=name, expected=expected))
    return parsed


class MalformedSecret(ValueError):
    """A secret the build cannot use; the message names it, never its value."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass
class BuildSecrets:
    """What a build is given: Composer auth, environment variables, and what was wrong."""

    auth: dict[str, dict[str, Any]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    problems: list[MalformedSecret] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # ic-scoped secrets of other types
    given_auth: dict[str, Any] = field(default_factory=dict)  # a valid COMPOSER_AUTH env secret, parsed

    def command_environment(self) -> dict[str, str]:
        """The variables a build command runs with: the env secrets, and COMPOSER_AUTH
        holding the generated auth merged with any valid COMPOSER_AUTH env secret."""
        variables = dict(self.env)
        if self.auth:
            variables[COMPOSER_AUTH] = json.dumps(merge_auth(self.auth, self.given_auth), separators=(",", ":"))
        return variables


def auth_entry(name: str, value: str) -> tuple[str, str, Any]:
    """``(kind, host, entry)`` for one ``composer`` secret, e.g.
    ``("http-basic", "repo.example.com", {"username": ..., "password": ...})``."""
    kind, _, host = name.partition(".")
    if kind not in AUTH_KINDS or not host:
        raise MalformedSecret(name, M.IC_UNKNOWN_AUTH.format(name=name, kinds=", ".join(AUTH_KINDS)))
    if kind in JSON_KINDS or (kind == "gitlab-token" and value.lstrip().startswith("{")):
        return kind, host, _json_entry(name, kind, value)
    if kind in PAIR_KINDS:
        first, second = PAIR_KINDS[kind]
        parts = value.strip().split(policy.COMPOSER_PAIR_SEPARATOR, 1)
        if len(parts) != 2 or not all(parts):
            raise MalformedSecret(name, M.IC_PAIR_MALFORMED.format(name=name, first=first, second=second))
        return kind, host, {first: parts[0], second: parts[1].strip()}
    if not value.strip():
        raise MalformedSecret(name, M.IC_EMPTY_TOKEN.format(name=name))
    return kind, host, value.strip()


def composer_auth(secrets: Mapping[str, str]) -> tuple[dict[str, dict[str, Any]], list[MalformedSecret]]:
    """The auth.json object for ``{name: value}`` of ``composer`` secrets, and the problems."""
    auth: dict[str, dict[str, Any]] = {}
    problems: list[MalformedSecret] = []
    for name in sorted(secrets):
        try:
            kind, host, entry = auth_entry(name, secrets[name])
        except MalformedSecret as problem:
            problems.append(problem)
            continue
        auth.setdefault(kind, {})[host] = entry
    return auth, problems


def check_composer_auth_json(name: str, text: str) -> dict:
    """The object a COMPOSER_AUTH value holds; MalformedSecret if it is not a JSON object."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedSecret(
            name, M.IC_COMPOSER_AUTH_INVALID.format(name=name, detail=f"{error.msg} at line {error.lineno} column {error.colno}")
        ) from None
    if not isinstance(parsed, dict):
        raise MalformedSecret(name, M.IC_COMPOSER_AUTH_INVALID.format(name=name, detail="expected a JSON object"))
    return parsed


def merge_auth(generated: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """``generated`` auth with ``given`` laid over it, host by host (SPEC §7; policy decides who wins)."""
    low, high = (generated, given) if policy.COMPOSER_AUTH_ENV_SECRET_WINS else (given, generated)
    merged: dict[str, Any] = {kind: dict(hosts) if isinstance(hosts, Mapping) else hosts for kind, hosts in low.items()}
    for kind, hosts in high.items():
        if isinstance(hosts, Mapping) and isinstance(merged.get(kind), dict):
            merged[kind].update(hosts)
        else:
            merged[kind] = dict(hosts) if isinstance(hosts, Mapping) else hosts
    return merged


def build_secrets(resolved: Mapping[str, Mapping[str, Any]]) -> BuildSecrets:
    """Sort a build's resolved ``ic`` secrets into Composer auth and environment variables."""
    by_type: dict[str, dict[str, str]] = {}
    for name, entry in resolved.items():
        by_type.setdefault(entry["type"], {})[name] = entry["value"]
    result = BuildSecrets()
    result.auth, result.problems = composer_auth(by_type.pop("composer", {}))
    result.env = dict(sorted(by_type.pop("env", {}).items()))
    if COMPOSER_AUTH in result.env:
        try:
            result.given_auth = check_composer_auth_json(COMPOSER_AUTH, result.env[COMPOSER_AUTH])
        except MalformedSecret as problem:
            result.problems.append(problem)  # the generated auth stands alone
    result.ignored = sorted(name for names in by_type.values() for name in names)
    return result
