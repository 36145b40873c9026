"""Request parsing and response building shared by the API and the control plane."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, Response, current_app, g, request

from emulator.core import policy
from emulator.core.errors import InvalidInput, PayloadTooLarge
from emulator.core.journal import RequestFacts
from emulator.core.service import Emulator

M = policy.Messages
EXTENSION_KEY = "pantheon_emulator"  # where an app keeps its Emulator: app.extensions[EXTENSION_KEY]


def emulator_of(app: Flask) -> Emulator:
    """The emulator an app built by :func:`emulator.web.app.create_app` serves."""
    return app.extensions[EXTENSION_KEY]


def emulator() -> Emulator:
    """The emulator of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]


def request_facts() -> RequestFacts:
    """The journal facts of the current request, made on first use."""
    facts = g.get("journal_facts")
    if facts is None:
        facts = g.journal_facts = RequestFacts()
    return facts


def json_bytes(payload: Any) -> bytes:
    """The body of a JSON response: UTF-8, not ASCII-escaped, one trailing newline."""
    return (json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8")


def json_response(payload: Any, status: int = 200) -> Response:
    return json_bytes_response(json_bytes(payload), status)


def json_bytes_response(body: bytes, status: int = 200) -> Response:
    """A JSON response whose body :func:`json_bytes` already made."""
    return Response(body, status=status, mimetype="application/json")


def text_response(message: str, status: int) -> Response:
    return Response(message, status=status, content_type="text/plain; charset=utf-8")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _finite_float(text: str) -> float:
    """A JSON number as a float, refusing ones too large to hold (``1e999`` is not infinity)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a number is too large")
    return number


def json_body(limit: int = policy.MAX_API_BODY_BYTES) -> Any:
    """The request's JSON body, checked for size, content type and syntax."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(M.BODY_TOO_LARGE.format(limit=limit))
    request.max_content_length = limit
    raw = request.get_data(cache=True)
    content_type = request.mimetype or ""
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise InvalidInput(M.NOT_JSON_CONTENT.format(content_type=request.content_type or "none"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(M.BAD_JSON.format(detail=f"invalid UTF-8 at byte {error.start}")) from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise InvalidInput(M.BAD_JSON.format(detail="it is nested too deeply")) from None
    except ValueError as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        where = f" at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        raise InvalidInput(M.BAD_JSON.format(detail=f"{detail}{where}")) from None


def json_object(limit: int = policy.MAX_API_BODY_BYTES) -> dict:
    body = json_body(limit)
    if not isinstance(body, dict):
        raise InvalidInput(M.NOT_JSON_OBJECT)
    return body
