"""The local secrets file (SPEC §9), read the way the PHP SDK's fake client reads it.

``terminus secret:site:local-generate`` writes a site's list response to a file;
with ``CUSTOMER_SECRETS_FAKE_FILE`` pointing at it, the SDK's fake client answers
from that file instead of the service. Its rules, reproduced here exactly:

- each entry's value is ``Value``, or ``OrgValues.default`` when ``Value`` is empty
  and ``OrgValues.default`` is not ("empty" as PHP's ``empty()`` means it: null,
  ``""`` and ``"0"``);
- ``EnvValues`` (overrides), the other ``OrgValues`` and the scopes are ignored, so
  every entry of the file is visible whatever its scopes;
- a file that does not exist holds no secrets.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Mapping

from emulator.core import policy

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


def read_fake_file(path: str | Path) -> dict[str, Any]:
    """Every secret in the file as ``{name: value}``; ``{}`` when the file does not exist."""
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
        raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail="expected an object with a 'Secrets' object"))
    result: dict[str, Any] = {}
    for name, entry in secrets.items():
        if not isinstance(entry, dict):
            raise FakeFileError(policy.Messages.FAKE_FILE_INVALID.format(path=path, detail=f"entry '{name}' is not an object"))
        result[name] = fake_client_value(entry)
    return result
