"""Validation rules for secrets (SPEC §2), as pure functions that raise InvalidInput."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.core import policy
from emulator.core.errors import InvalidInput, shown
from emulator.core.model import DEFAULT_SCOPES, DEFAULT_TYPE, MAX_VALUE_BYTES

ENV_VAR_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # [doc] names of `env` secrets
SECRET_NAME = re.compile(policy.SECRET_NAME_PATTERN)
ENVIRONMENT_NAME = re.compile(policy.ENVIRONMENT_NAME_PATTERN)
M = policy.Messages


def json_kind(value: Any) -> str:
    """How a JSON value's type reads in a message: 'a number', 'null', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check_type(secret_type: Any) -> str:
    if secret_type is None:
        return DEFAULT_TYPE
    if not isinstance(secret_type, str):
        raise InvalidInput(M.WRONG_FIELD_TYPE.format(field="type", expected="a string", kind=json_kind(secret_type)))
    if secret_type not in policy.SECRET_TYPES:
        raise InvalidInput(M.UNKNOWN_TYPE.format(type=shown(secret_type), valid=", ".join(policy.SECRET_TYPES)))
    return secret_type


def check_scopes(scopes: Any) -> tuple[str, ...]:
    """Validated scopes in the order given, duplicates dropped; defaults when None.

    [doc] The service decodes its JSON body into typed fields: ``scopes`` is an array of
    strings, and a string such as ``"web,user"`` is refused, never split.
    """
    if scopes is None:
        return DEFAULT_SCOPES
    if not isinstance(scopes, list):
        raise InvalidInput(M.WRONG_FIELD_TYPE.format(field="scopes", expected="an array of strings", kind=json_kind(scopes)))
    result: list[str] = []
    for scope in scopes:
        if not isinstance(scope, str):
            raise InvalidInput(
                M.WRONG_FIELD_TYPE.format(
                    field="scopes", expected="an array of strings", kind="an array containing " + json_kind(scope)
                )
            )
        if scope not in policy.SECRET_SCOPES:
            raise InvalidInput(M.UNKNOWN_SCOPE.format(scope=shown(scope), valid=", ".join(policy.SECRET_SCOPES)))
        if scope not in result:
            result.append(scope)
    if not result:
        raise InvalidInput(M.EMPTY_SCOPES)
    return tuple(result)


def check_name(name: Any, secret_type: str = DEFAULT_TYPE) -> str:
    if not isinstance(name, str):
        raise InvalidInput(M.WRONG_FIELD_TYPE.format(field="name", expected="a string", kind=json_kind(name)))
    if secret_type == "env" and not ENV_VAR_NAME.fullmatch(name):
        raise InvalidInput(M.INVALID_ENV_NAME.format(name=shown(name)))
    if not name or len(name) > policy.SECRET_NAME_MAX_LENGTH or not SECRET_NAME.fullmatch(name):
        raise InvalidInput(M.BAD_NAME.format(name=shown(name), max=policy.SECRET_NAME_MAX_LENGTH))
    return name


def check_value(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(M.VALUE_NOT_STRING.format(kind=json_kind(value)))
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidInput(M.VALUE_NOT_UTF8.format(name=shown(name))) from None
    if size > MAX_VALUE_BYTES:
        raise InvalidInput(M.VALUE_TOO_LARGE.format(name=shown(name), size=size, limit=MAX_VALUE_BYTES))
    return value


def check_environment_name(env: Any) -> str:
    if not isinstance(env, str):
        raise InvalidInput(M.WRONG_FIELD_TYPE.format(field="env", expected="a string", kind=json_kind(env)))
    if not ENVIRONMENT_NAME.fullmatch(env):
        raise InvalidInput(M.BAD_ENV_NAME.format(env=shown(env)))
    return env


def check_fields(body: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str] = ()) -> None:
    """Reject unknown fields and report the first missing required one."""
    allowed = set(allowed)
    for key in body:
        if key not in allowed:
            raise InvalidInput(M.UNKNOWN_FIELD.format(field=shown(str(key))))
    for key in required:
        if key not in body:
            raise InvalidInput(M.MISSING_FIELD.format(field=key))
