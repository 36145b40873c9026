"""Check a real response against the OpenAPI document: status, content type, headers, body schema."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator
from requests.structures import CaseInsensitiveDict


class NotInDocument(AssertionError):
    """A response the document does not describe."""


def operation(document: dict, method: str, template: str) -> dict:
    try:
        return document["paths"][template][method.lower()]
    except KeyError:
        raise NotInDocument(f"{method} {template} is not in the document") from None


def check_response(document: dict, method: str, template: str, status: int, headers: Any, body: bytes) -> None:
    """Raise NotInDocument unless the document describes this response of ``method template``."""
    op = operation(document, method, template)
    headers = CaseInsensitiveDict({k: ", ".join(v) if isinstance(v, list) else v for k, v in dict(headers).items()})
    described = op["responses"].get(str(status))
    if described is None:
        raise NotInDocument(f"{method} {template} answered {status}; documented: {sorted(op['responses'])}")
    for header in described.get("headers", {}):
        if header not in headers:
            raise NotInDocument(f"{method} {template} {status} lacks the documented header {header}")
    content = described.get("content", {})
    mimetype = (headers.get("Content-Type") or "").split(";")[0].strip()
    if mimetype not in content:
        raise NotInDocument(f"{method} {template} {status} answered {mimetype!r}; documented: {sorted(content)}")
    if mimetype == "application/json":
        payload = json.loads(body)
        schema = {**content[mimetype]["schema"], "components": document["components"]}
        errors = sorted(Draft202012Validator(schema).iter_errors(payload), key=lambda e: list(e.path))
        if errors:
            raise NotInDocument(
                f"{method} {template} {status} body breaks its schema: {errors[0].message} at {list(errors[0].path)}"
            )
    elif mimetype == "text/plain":
        body.decode("utf-8")  # error bodies are UTF-8 text
