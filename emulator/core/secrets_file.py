"""The local secrets file (SPEC §9): written as Terminus writes it, read as the SDK reads it.

The one module for the file's format. ``terminus secret:site:local-generate`` writes a
site's list response to a file (:func:`file_text`);
with ``CUSTOMER_SECRETS_FAKE_FILE`` pointing at it, the SDK's fake client answers
from that file instead of the service. Its rules, reproduced here exactly:

- each entry's value is ``Value``, or ``OrgValues.default`` when ``Value`` is empty
  and ``OrgValues.default`` is not ("empty" as PHP's ``empty()`` means it: null,
  ``""`` and ``"0"``);
- ``EnvValues`` (overrides), the other ``OrgValues`` and the scopes are ignored, so
  every entry of the file is visible whatever its scopes;
- a file that does not exist holds no secrets;
- where the SDK fails on the file, so does this reader, naming the secret and why: an
  entry without a string ``Type`` or a ``Scopes`` list (the SDK's ``Secret`` refuses it),
  or whose value is null (the SDK's ``getValue()`` throws), e.g. a secret without the
  ``user`` scope that local-generate could not read.

:func:`secrets_in_file` turns a file back into secrets, for ``seed --site`` to import.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from emulator.core import policy
from emulator.core.errors import InvalidInput, shown

log = logging.getLogger("pantheon_emulator.fakefile")


class FakeFileError(Exception):
    """The file exists but is not a secrets list (its contents are never quoted)."""


def php_empty(value: Any) -> bool:
    """PHP's ``empty()`` for a value decoded from JSON."""
    return value is None or value is False or value in ("", "0", 0, 0.0) or value == [] or value == {}


def fake_client_value(entry: Mapping[str, Any]) -> Any:
    """The value the SDK's fake client gives one entry of the file."""
    value = entry.get("Value")
    org_values = entry.get("OrgValues")
    org_default = org_values.get("default") if isinstance(org_values, Mapping) else None
    if php_empty(value) and not php_empty(org_default):
        return org_default
    return value


def read_fake_file(path: str | Path, only: str | None = None) -> dict[str, Any]:
    """Every secret in the file as ``{name: value}``; ``{}`` when the file does not exist.

    With ``only``, a null value fails only for that name (the SDK's ``getValue()`` of it)."""
    path = Path(path)
    if not path.is_file():
        log.warning("Secrets file %s does not exist; no secrets are available.", path)
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail="it is not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        detail = f"invalid JSON at line {error.lineno} column {error.colno}"
        raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail=detail)) from None
    secrets = data.get("Secrets") if isinstance(data, dict) else None
    if not isinstance(secrets, dict):
        raise FakeFileError(
            policy.Messages.FAKE_FILE_INVALID.format(path=path, detail="expected an object with a 'Secrets' object")
        )
    result: dict[str, Any] = {}
    for name, entry in secrets.items():
        if not isinstance(entry, dict):
            raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail=f"entry '{name}' is not an object"))
        for field, kind, expected in (("Type", str, "a string"), ("Scopes", list, "a list of scopes")):
            if not isinstance(entry.get(field), kind):
                detail = policy.Messages.FAKE_FILE_ENTRY_FIELD.format(name=shown(str(name)), field=field, expected=expected)
                raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail=detail))
        value = fake_client_value(entry)
        if value is None and (only is None or only == name):
            message = (
                policy.Messages.FAKE_FILE_NO_VALUE if "user" in entry["Scopes"] else policy.Messages.FAKE_FILE_NO_VALUE_USER_SCOPE
            )
            raise FakeFileError(message.format(name=shown(str(name)), path=path))
        result[name] = value
    return result


def file_text(listing: Mapping[str, Any]) -> str:
    """The file ``local-generate`` writes for a list response: PHP's ``json_encode(...,
    JSON_PRETTY_PRINT)`` of it (4-space indent, objects kept, ``/`` escaped as ``\\/``)."""
    return json.dumps(listing, indent=4, ensure_ascii=True).replace("/", "\\/")


def secrets_in_file(data: Any) -> list[dict[str, Any]]:
    """The secrets a local-generate file holds, as seed-document secrets.

    Each entry becomes a secret with the value the SDK's fake client reads, and its
    ``EnvValues`` and non-default ``OrgValues`` as overrides. Entries with no value at
    all (redacted) are skipped.
    """
    if not isinstance(data, dict) or not isinstance(data.get("Secrets"), dict):
        raise InvalidInput("Not a secrets file from 'secret:site:local-generate': expected an object with a 'Secrets' object.")
    found = []
    for name, entry in data["Secrets"].items():
        if not isinstance(entry, dict):
            raise InvalidInput(f"Secrets file entry '{shown(str(name))}' is not an object.")
        value = fake_client_value(entry)
        if value is None:
            continue
        org_values = entry.get("OrgValues") or {}
        overrides = {k: v for k, v in org_values.items() if k != "default" and v is not None}
        overrides.update({k: v for k, v in (entry.get("EnvValues") or {}).items() if v is not None})
        found.append(
            {"name": name, "value": value, "type": entry.get("Type"), "scopes": entry.get("Scopes"), "overrides": overrides}
        )
    return found


def entity_id_of(data: Any) -> str | None:
    """The site UUID a local-generate file names in ``EntityId``, if it is one."""
    entity_id = data.get("EntityId") if isinstance(data, dict) else None
    try:
        return str(uuid.UUID(entity_id)) if isinstance(entity_id, str) else None
    except ValueError:
        return None
