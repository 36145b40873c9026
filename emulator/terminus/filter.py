"""``--filter`` on lists, read as Terminus reads it (consolidation/filter-via-dot-access-data).

An expression is ``key=value`` (equal, ignoring case), ``key*=part`` (contains, ignoring
case; for an array, holds the item), or ``key~=/regex/``; ``!`` before an expression or
operator negates it, and ``&&`` / ``||`` combine terms strictly left to right. ``key``
may reach into a row with dots (``env-values.live``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from emulator.terminus.formats import FormatError

Test = Callable[[Mapping[str, Any]], bool]
CANNOT_PARSE = "Could not parse expression {expression}"
_OPERATOR = re.compile(r"([^!~*=]*)(!?~?\*?=)(.*)", re.DOTALL)
_MISSING = object()


def _get(row: Any, key: str) -> Any:
    value = row
    for part in key.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _php_regex(pattern: str) -> re.Pattern[str]:
    if len(pattern) < 2 or pattern[0].isalnum() or pattern[0] == "\\":
        raise FormatError(CANNOT_PARSE.format(expression=pattern))
    closing = {"(": ")", "[": "]", "{": "}", "<": ">"}.get(pattern[0], pattern[0])
    end = pattern.rfind(closing)
    if end <= 0:
        raise FormatError(CANNOT_PARSE.format(expression=pattern))
    flags = 0
    for flag in pattern[end + 1 :]:
        flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(flag, 0)
    return re.compile(pattern[1:end], flags)


def _term(expression: str) -> Test:
    if expression.startswith("!"):
        inner = _term(expression[1:])
        return lambda row: not inner(row)
    match = _OPERATOR.match(expression)
    if not match or not match.group(1) or not match.group(2):
        raise FormatError(CANNOT_PARSE.format(expression=expression))
    key, op, wanted = match.groups()
    negate = op.startswith("!")
    op = op.lstrip("!")
    if op == "=":

        def test(row: Mapping[str, Any]) -> bool:
            value = _get(row, key)
            return value is not _MISSING and not isinstance(value, (dict, list)) and _text(value).lower() == wanted.lower()
    elif op == "*=":

        def test(row: Mapping[str, Any]) -> bool:
            value = _get(row, key)
            if value is _MISSING:
                return False
            if isinstance(value, list):
                return wanted in value
            if isinstance(value, dict):
                return wanted in value.values()
            return wanted.lower() in _text(value).lower()
    elif op == "~=":
        pattern = _php_regex(wanted)

        def test(row: Mapping[str, Any]) -> bool:
            value = _get(row, key)
            return value is not _MISSING and not isinstance(value, (dict, list)) and bool(pattern.search(_text(value)))
    else:
        raise FormatError(f"Unrecognized operator {op}")
    return (lambda row: not test(row)) if negate else test


def compile_filter(expression: str) -> Test:
    """One test for rows: terms joined by && and || and applied left to right."""
    parts = re.split(r"(&&|\|\|)", expression)
    result = _term(parts[0])
    for index in range(1, len(parts), 2):
        left, right, op = result, _term(parts[index + 1]), parts[index]
        if op == "&&":
            result = lambda row, a=left, b=right: a(row) and b(row)
        else:
            result = lambda row, a=left, b=right: a(row) or b(row)
    return result


def apply_filter(rows: dict[Any, dict[str, Any]], expression: str | None) -> dict[Any, dict[str, Any]]:
    """The rows that pass ``expression`` (all of them when it is empty)."""
    if not expression:
        return rows
    test = compile_filter(expression)
    return {row_id: row for row_id, row in rows.items() if test(row)}
