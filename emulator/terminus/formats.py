"""Terminus' output formats for lists of records, reproduced byte for byte (SPEC §8).

Terminus prints lists through consolidation/output-formatters on Symfony Console, a
PHP stack with habits of its own: ``table`` pads cells inside space borders and wraps
wide tables to the terminal, ``csv`` quotes the way ``fputcsv`` does, ``json`` is PHP's
``json_encode`` (an empty array is ``[]``), ``yaml`` is Symfony's dumper (an empty map is
``{  }``). This module reproduces those formats from plain Python data; it knows
nothing about secrets. A command hands over :class:`Records` and gets text back.

The data model follows PHP arrays: a key that reads as a canonical integer ("0",
"42") *is* an integer, and an array whose keys are 0..n-1 is a list.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FORMATS: tuple[str, ...] = (
    "csv",
    "json",
    "list",
    "null",
    "php",
    "print-r",
    "sections",
    "string",
    "table",
    "tsv",
    "var_dump",
    "var_export",
    "xml",
    "yaml",
)
HUMAN_READABLE_FORMATS = ("table",)  # only these fall back to the command's default table fields
DEFAULT_TERMINAL_WIDTH = 80  # Symfony's Terminal when neither COLUMNS nor stty knows better

CellRenderer = Callable[[Any, Any], Any]


class FormatError(Exception):
    """The requested format or fields cannot be produced."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


UNKNOWN_FORMAT = "The requested format, '{format}', is not available."
UNKNOWN_FIELD = "The requested field, '{field}', is not defined."


@dataclass
class Records:
    """Rows of fields as a Terminus command returns them (``RowsOfFields``).

    ``rows`` maps a row id to its fields; ``labels`` maps each field key to its label
    in display order; ``default_table_fields`` is what a table shows without
    ``--fields``; ``renderer(key, value)`` turns a raw cell into its text for the
    human formats (table, csv, tsv, list).
    """

    rows: Mapping[Any, Mapping[str, Any]]
    labels: Mapping[str, str]
    default_table_fields: tuple[str, ...] = ()
    renderer: CellRenderer | None = None
    object_id: int = 0  # PHP's object handle that ``var_dump`` shows (``{#1102``); not stable in PHP


def check_format(fmt: str) -> None:
    """Raise the error Terminus' formatter manager gives for a format it does not have."""
    if fmt not in FORMATS:
        raise FormatError(UNKNOWN_FORMAT.format(format=fmt))


def render(records: Records, fmt: str, fields: str | None = None, width: int | None = None, ansi: bool = False) -> str:
    """``records`` in format ``fmt`` exactly as Terminus writes it to standard output.

    With ``ansi`` (``--ansi``) a table's header cells are green, padding included, as
    Symfony's Table draws them; no other format is coloured.
    """
    check_format(fmt)
    rows = php_array(records.rows)
    if fmt == "list":
        return "\n".join(str(key) for key in rows) + "\n"
    if fmt == "null":
        return ""
    selected = _select_fields(records, rows, fields, human_readable=fmt in HUMAN_READABLE_FORMATS)
    table = {row_id: {key: row.get(key, "") for key in selected} for row_id, row in rows.items()}
    if fmt == "json":
        return php_json_encode(table, escape_slashes=False) + "\n"
    if fmt == "yaml":
        return yaml_dump(table) + "\n"
    if fmt == "php":
        return php_serialize(table) + "\n"
    if fmt == "print-r":
        return php_print_r(table) + "\n"
    if fmt == "var_dump":
        return var_dump_table(records.object_id, dict(selected), table)
    if fmt == "var_export":
        return TABLE_CLASS + "::__set_state(array(\n" + _export_items(table, "   ", "  ") + "))\n"
    if fmt == "xml":
        return xml_document(table) + "\n"
    if fmt == "string":  # tsv of the raw values: no cell renderer, arrays read "Array"
        return "".join(tsv_line(_php_string(value) for value in row.values()) + "\n" for row in table.values())
    rendered = [[_render_cell(records.renderer, key, value) for key, value in row.items()] for row in table.values()]
    if fmt == "sections":
        return "".join(_section(row_id, list(selected), line) for row_id, line in zip(table, rendered))
    headers = list(selected.values())
    if fmt == "csv":
        return "".join(csv_line(line) for line in [headers, *rendered])
    if fmt == "tsv":
        return "".join(tsv_line(line) + "\n" for line in rendered)
    keys = list(selected)
    wrapped = wrap_cells(
        dict(selected), [dict(zip(keys, line)) for line in rendered], terminal_width() if width is None else width
    )
    return symfony_table(headers, [[row[key] for key in keys] for row in wrapped], ansi)


def _render_cell(renderer: CellRenderer | None, key: str, value: Any) -> Any:
    return renderer(key, value) if renderer else value


# -- PHP values ------------------------------------------------------------------------

_PHP_INT_KEY = re.compile(r"0|-?[1-9][0-9]*")


def php_key(key: Any) -> Any:
    """A PHP array key: strings holding a canonical 64-bit integer become ints."""
    if isinstance(key, str) and _PHP_INT_KEY.fullmatch(key) and -(2**63) <= int(key) < 2**63:
        return int(key)
    return key


def php_array(mapping: Mapping[Any, Any]) -> dict:
    """``mapping`` with its keys as PHP would hold them (later duplicates win)."""
    return {php_key(key): value for key, value in mapping.items()}


def is_php_list(value: Any) -> bool:
    """True for a list, or a dict whose keys are exactly 0..n-1 in order."""
    if isinstance(value, list):
        return True
    return isinstance(value, dict) and all(key == index for index, key in enumerate(value))


def php_truthy(value: Any) -> bool:
    """PHP's truthiness: null, "", "0", 0 and empty arrays are false."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, (dict, list, tuple)):
        return len(value) > 0
    return bool(value)


def _php_round(number: float) -> int:
    """PHP's round(): halves go away from zero."""
    return int(math.floor(number + 0.5)) if number >= 0 else -int(math.floor(-number + 0.5))


# -- JSON (json_encode) -------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        arr = php_array(value)
        if is_php_list(arr):
            return [_json_value(v) for v in arr.values()]
        return {str(k): _json_value(v) for k, v in arr.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def php_json_encode(value: Any, escape_slashes: bool = True) -> str:
    """``json_encode(value, JSON_PRETTY_PRINT)`` of PHP *arrays* (dicts follow PHP's list rule)."""
    text = json.dumps(_json_value(value), indent=4, ensure_ascii=True)
    return text.replace("/", "\\/") if escape_slashes else text


# -- CSV / TSV --------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def csv_line(cells: Iterable[Any]) -> str:
    """One ``fputcsv`` record (delimiter ``,``, enclosure ``"``, escape ``\\``) read back by ``fgets``."""
    out = []
    for cell in cells:
        text = _cell_text(cell)
        if any(ch in text for ch in ',"\\\n\r\t '):
            quoted, escaped = ['"'], False
            for ch in text:
                if ch == "\\":
                    escaped = True
                elif not escaped and ch == '"':
                    quoted.append('"')
                else:
                    escaped = False
                quoted.append(ch)
            quoted.append('"')
            out.append("".join(quoted))
        else:
            out.append(text)
    record = ",".join(out) + "\n"
    return record[: record.index("\n") + 1]  # fgets stops at the first newline


def tsv_line(cells: Iterable[Any]) -> str:
    return "\t".join(_cell_text(cell).replace("\t", "\\t").replace("\n", "\\n") for cell in cells)


# -- field selection (--fields) ------------------------------------------------------------


def _select_fields(records: Records, rows: dict, fields: str | None, human_readable: bool) -> dict[str, str]:
    labels = dict(records.labels)
    first_row = next(iter(rows.values()), None) or labels
    if fields:
        wanted = fields.split(",")
    elif human_readable and records.default_table_fields:
        wanted = list(records.default_table_fields)
    else:
        return {key: label for key, label in labels.items() if key in first_row}
    selected: dict[str, str] = {}
    for requested in wanted:
        matches = _matching_fields(requested, labels)
        if not matches:
            raise FormatError(UNKNOWN_FIELD.format(field=requested))
        for key in matches:
            if key in first_row and key not in selected:
                selected[key] = labels[key]
    return selected


_REGEX_FIELD = re.compile(r"^([^\w\s\\]).*\1([a-zA-Z]*)$", re.DOTALL)


def _field_pattern(text: str) -> re.Pattern | None:
    """A ``--fields`` entry as a pattern: ``/regex/flags``, or a glob (``*``, ``?``)."""
    regex = _REGEX_FIELD.match(text)
    try:
        if regex and len(text) > 1:
            body = text[1 : len(text) - 1 - len(regex.group(2))]
            return re.compile(body, re.IGNORECASE if "i" in regex.group(2) else 0)
        parts = ["^"] if text.startswith(".") else ["^(?=[^.])"]
        for ch in text:
            parts.append({"*": "[^/]*", "?": "[^/]"}.get(ch, re.escape(ch)))
        return re.compile("".join(parts) + "$")
    except re.error:
        return None


def _matching_fields(requested: str, labels: Mapping[str, str]) -> list[str]:
    pattern = _field_pattern(requested)
    if pattern is None:
        return []
    return [key for key, label in labels.items() if pattern.search(label) or pattern.search(key)]


# -- table (Symfony Table, 'consolidation' style) -----------------------------------------


def terminal_width() -> int:
    """What Symfony's Terminal reports: COLUMNS, else the size of the terminal on stdin, else 80."""
    raw = os.environ.get("COLUMNS")
    if raw is not None:
        digits = re.match(r"\s*([+-]?\d+)", raw)
        return int(digits.group(1)) if digits else 0
    try:
        return os.get_terminal_size(0).columns or DEFAULT_TERMINAL_WIDTH
    except (OSError, ValueError):
        return DEFAULT_TERMINAL_WIDTH


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide East Asian characters count 2)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def symfony_table(headers: list[str], rows: list[list[Any]], ansi: bool = False) -> str:
    """A table drawn as Symfony's Table does with the 'consolidation' style."""

    def lines_of(row: list[Any]) -> list[list[str]]:
        cells = [_cell_text(cell).split("\n") for cell in row]
        height = max((len(cell) for cell in cells), default=1)
        return [[cell[i] if i < len(cell) else "" for cell in cells] for i in range(height)]

    header_lines = lines_of(headers)
    body_lines = [line for row in rows for line in lines_of(row)]
    columns = len(headers)
    widths = [max((display_width(line[c]) for line in header_lines + body_lines), default=0) for c in range(columns)]
    separator = " " + "".join("-" * (w + 2) + " " for w in widths)

    def draw(line: list[str], start: str = "", end: str = "") -> str:
        return " " + "".join(
            start + " " + cell + " " * (w - display_width(cell)) + " " + end + " " for cell, w in zip(line, widths)
        )

    header_style = ("\x1b[32m", "\x1b[39m") if ansi else ("", "")
    out = [separator, *(draw(line, *header_style) for line in header_lines)]
    if body_lines:
        out.append(separator)
        out.extend(draw(line) for line in body_lines)
    out.append(separator)
    return "\n".join(out) + "\n"


# -- word wrapping of wide tables (output-formatters' WordWrapper) -------------------------

PADDING_IN_EACH_CELL = 3  # a space border plus the padding on both sides of a cell
EXTRA_PADDING_AT_END_OF_LINE = 1


def _byte_len(value: Any) -> int:
    return len(_cell_text(value).encode("utf-8"))


def wrap_cells(headers: Mapping[str, str], rows: list[dict[str, Any]], width: int) -> list[dict[str, Any]]:
    """Cells wrapped so the table fits ``width`` columns (no wrapping when width is 0)."""
    if not width or not rows:
        return rows
    data: dict[str, int] = {}
    for row in rows:
        for key, cell in row.items():
            data[key] = max(data.get(key, 0), _byte_len(cell))
    minimum = {key: len(label.encode("utf-8")) for key, label in headers.items()}
    available = width - (EXTRA_PADDING_AT_END_OF_LINE + len(data) * PADDING_IN_EACH_CELL)
    widths = _calculate_widths(available, data, minimum)
    return [
        {key: php_wordwrap(cell, int(widths.get(key, 0))) if isinstance(cell, str) else cell for key, cell in row.items()}
        for row in rows
    ]


def _enforce_minimums(widths: dict[str, float], minimum: Mapping[str, int]) -> dict[str, float]:
    return {key: max(value, minimum.get(key, value)) for key, value in widths.items()}


def _combine(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    combined = dict(second)
    combined.update(first)
    return combined


def _distribute(widths: dict[str, float], available: float) -> dict[str, float]:
    total = sum(widths.values())
    keys = list(widths)
    if total <= 0:
        return dict(widths)
    result: dict[str, float] = {key: _php_round(widths[key] / total * available) for key in keys[:-1]}
    result[keys[-1]] = available - sum(result.values())
    return result


def _calculate_widths(available: float, data: dict[str, int], minimum: Mapping[str, int]) -> dict[str, float]:
    if not data:
        return {}
    if sum(data.values()) <= available:
        return _enforce_minimums(dict(data), minimum)
    average = available / len(data)
    short = _enforce_minimums({k: v for k, v in data.items() if v <= average}, minimum)
    if not short:
        return _distribute_long_columns(available, dict(data), minimum)
    remaining = {k: v for k, v in data.items() if k not in short}
    return _combine(short, _calculate_widths(available - sum(short.values()), remaining, minimum))


def _distribute_long_columns(available: float, data: dict[str, float], minimum: Mapping[str, int]) -> dict[str, float]:
    result = _distribute(data, available)
    undersized = {k: v for k, v in result.items() if k in minimum and v <= minimum[k]}
    if not undersized or len(undersized) == len(data):
        return result
    remaining = {k: v for k, v in data.items() if k not in undersized}
    return _combine(undersized, _distribute_long_columns(available - sum(undersized.values()), remaining, minimum))


def php_wordwrap(text: str, width: int, cut: bool = True) -> str:
    """PHP's ``wordwrap(text, width, "\\n", cut)``, counting bytes as PHP does."""
    data = text.encode("utf-8")
    if not data:
        return text
    out = bytearray()
    last_start = last_space = 0
    current = 0
    length = len(data)
    while current < length:
        byte = data[current]
        if byte == 0x0A and current + 1 < length:
            out += data[last_start : current + 1]
            last_start = last_space = current + 1
        elif byte == 0x20:
            if current - last_start >= width:
                out += data[last_start:current] + b"\n"
                last_start = current + 1
            last_space = current
        elif current - last_start >= width and cut and last_start >= last_space:
            out += data[last_start:current] + b"\n"
            last_start = last_space = current
        elif current - last_start >= width and last_start < last_space:
            out += data[last_start:last_space] + b"\n"
            last_start = last_space = last_space + 1
        current += 1
    if last_start != current:
        out += data[last_start:current]
    return out.decode("utf-8", errors="replace")


# -- YAML (Symfony's Yaml::dump with inline level PHP_INT_MAX, indent 2) ---------------------

YAML_INDENT = 2
_PHP_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*")
_YAML_BINARY = re.compile(r"[\x01-\x06\x0e-\x1a\x1c-\x1f]")
_YAML_DOUBLE = re.compile(r"[\x00-\x1f\x7f\x85\xa0\u2028\u2029]")
_YAML_SINGLE_ANYWHERE = re.compile(r"""[\s'":{}\[\],&*#?]""")
_YAML_SINGLE_START = "-?|<>=!%@`"
_YAML_RESERVED_WORDS = ("null", "~", "true", "false", "y", "n", "yes", "no", "on", "off")
_YAML_DIGITS = re.compile(r"[0-9]+[_0-9]*")
_YAML_HEX = re.compile(r"0x[0-9a-f_]+", re.IGNORECASE)
_YAML_TIMESTAMP = re.compile(
    r"[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
    r"(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?"
)
_YAML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x7f": "\\x7f",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _yaml_double_quoted(text: str) -> str:
    def escape(ch: str) -> str:
        if ch in _YAML_ESCAPES:
            return _YAML_ESCAPES[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x20 else ch

    return '"' + "".join(escape(ch) for ch in text) + '"'


def _yaml_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _yaml_needs_single_quotes(text: str) -> bool:
    if text.lower() in _YAML_RESERVED_WORDS:
        return True
    if _YAML_SINGLE_ANYWHERE.search(text):
        return True
    return text[0] in _YAML_SINGLE_START or unicodedata.category(text[0]) == "Zs"


def yaml_scalar(value: Any) -> str:
    """One value written inline, as Symfony's ``Inline::dump`` writes it."""
    if isinstance(value, (dict, list, tuple)):
        return _yaml_inline_array(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PHP_NUMERIC.fullmatch(text) and not any(ch in text for ch in "\f\n\r\t\v"):
        return f"'{text}'"
    if text == "":
        return "''"
    if _YAML_BINARY.search(text):
        return "!!binary " + base64.b64encode(text.encode("utf-8")).decode("ascii")
    if _YAML_DOUBLE.search(text):
        return _yaml_double_quoted(text)
    if _yaml_needs_single_quotes(text):
        single = _yaml_single_quoted(text)
        if "'" not in text:
            return single
        double = _yaml_double_quoted(text)
        return double if len(double.encode()) < len(single.encode()) else single
    if _YAML_DIGITS.fullmatch(text) or _YAML_HEX.fullmatch(text) or _YAML_TIMESTAMP.fullmatch(text):
        return _yaml_single_quoted(text)
    return text


def _yaml_items(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(php_array(value).items())
    return list(enumerate(value))


def _yaml_inline_array(value: Any) -> str:
    items = _yaml_items(value)
    if items and is_php_list(dict(items)):
        return "[" + ", ".join(yaml_scalar(v) for _, v in items) + "]"
    return "{ " + ", ".join(f"{yaml_scalar(k)}: {yaml_scalar(v)}" for k, v in items) + " }"


def _is_array(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple))


def yaml_dump(value: Any, indent: int = 0) -> str:
    """Block-style YAML of ``value`` (never inlined except empty arrays, which read ``{  }``)."""
    prefix = " " * indent
    if not _is_array(value) or not value:
        return prefix + yaml_scalar(value)
    items = _yaml_items(value)
    as_map = not is_php_list(dict(items))
    out = ""
    for key, item in items:
        if out and not out.endswith("\n"):
            out += "\n"
        inline = not _is_array(item) or not item
        head = f"{yaml_scalar(key)}:" if as_map else "-"
        if inline:
            out += f"{prefix}{head} {yaml_dump(item)}\n"
        else:
            out += f"{prefix}{head}\n{yaml_dump(item, indent + YAML_INDENT)}"
    return out


# -- PHP's own dumps: serialize, print_r, var_export -------------------------------------

TABLE_CLASS = "\\Consolidation\\OutputFormatters\\Transformations\\TableTransformation"


def _php_items(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(php_array(value).items())
    if isinstance(value, (list, tuple)):
        return list(enumerate(value))
    return []


def _php_string(value: Any) -> str:
    """PHP's (string) cast: null and false are "", true is "1", an array is "Array"."""
    if isinstance(value, (dict, list, tuple)):
        return "Array"
    return _cell_text(value)


def php_serialize(value: Any) -> str:
    """PHP's ``serialize()`` of arrays, strings, numbers, booleans and null."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode("utf-8", "surrogatepass"))}:"{value}";'
    items = _php_items(value)
    return f"a:{len(items)}:{{" + "".join(php_serialize(key) + php_serialize(item) for key, item in items) + "}"


def php_print_r(value: Any, pad: str = "") -> str:
    """``print_r($value, true)``."""
    if not isinstance(value, (dict, list, tuple)):
        return _php_string(value)
    lines = [f"Array\n{pad}(\n"]
    for key, item in _php_items(value):
        text = php_print_r(item, pad + " " * 8)
        lines.append(f"{pad}    [{key}] => {text}\n")
    lines.append(f"{pad})\n")
    return "".join(lines)


def _export_scalar(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _export_key(key: Any) -> str:
    return str(key) if isinstance(key, int) else _export_scalar(key)


def _export(value: Any, indent: str) -> str:
    """``var_export()`` of ``value`` written at ``indent``."""
    if not isinstance(value, (dict, list, tuple)):
        return _export_scalar(value)
    return f"\n{indent}array (\n" + _export_items(value, indent + "  ", indent + "  ") + f"{indent})"


def _export_items(value: Any, key_indent: str, value_indent: str) -> str:
    return "".join(f"{key_indent}{_export_key(key)} => {_export(item, value_indent)},\n" for key, item in _php_items(value))


# -- var_dump (Symfony VarDumper's CliDumper of the TableTransformation) -----------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_NAMES = {"\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x00": "\\0"}


def _dump_escape(text: str) -> str:
    return _CONTROL.sub(lambda m: _CONTROL_NAMES.get(m.group(), f"\\x{ord(m.group()):02X}"), text)


def _dump_string(text: str, indent: str) -> str:
    """A string as CliDumper shows it: quoted, control characters escaped; several lines as a block."""
    lines = text.split("\n")
    if len(lines) == 2 and lines[1] == "":
        lines = [text]
    if len(lines) == 1:
        return f'"{_dump_escape(text)}"'
    last = len(lines) - 1
    shown = [line + "\n" if i < last else line for i, line in enumerate(lines)]
    if shown[-1] == "":
        shown.pop()
    inner = indent + "  "
    return '"""\n' + "".join(f"{inner}{_dump_escape(line)}\n" for line in shown) + f'{inner}"""'


def _dump_key(key: Any) -> str:
    return str(key) if isinstance(key, int) else f'"{_dump_escape(str(key))}"'


def _dump(value: Any, indent: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dict, list, tuple)):
        items = _php_items(value)
        if not items:
            return "[]"
        inner = indent + "  "
        body = "".join(f"{inner}{_dump_key(key)} => {_dump(item, inner)}\n" for key, item in items)
        return f"array:{len(items)} [\n{body}{indent}]"
    return _dump_string(str(value), indent)


def var_dump_table(object_id: int, headers: dict[str, str], table: dict) -> str:
    """``--format=var_dump``: the TableTransformation object as Terminus dumps it."""
    return (
        f"{TABLE_CLASS[1:]} {{#{object_id}\n"
        f"  #headers: {_dump(headers, '  ')}\n"
        "  #rowLabels: []\n"
        '  #layout: "table"\n'
        "  #originalData: null\n"
        f"  storage: {_dump(table, '  ')}\n"
        "  flag::STD_PROP_LIST: false\n"
        "  flag::ARRAY_AS_PROPS: false\n"
        '  iteratorClass: "ArrayIterator"\n'
        "}\n"
    )


# -- sections (a compact two-column table per row) -----------------------------------------


def _section(row_id: Any, keys: list[str], cells: list[Any]) -> str:
    names = [key[:1].upper() + key[1:] for key in keys]
    texts = [_php_string(cell) for cell in cells]
    name_width = max((display_width(name) for name in names), default=0)
    value_width = max((display_width(text) for text in texts), default=0)
    lines = [
        name + " " * (name_width - display_width(name)) + " " + text + " " * (value_width - display_width(text)) + " "
        for name, text in zip(names, texts)
    ]
    return f"\n{row_id}\n" + "".join(line + "\n" for line in lines)


# -- xml (consolidation's XmlSchema over DOMDocument, formatted) -----------------------------

_NUMERIC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")
_NEVER_ATTRIBUTES = ("description",)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attribute(text: str) -> str:
    escaped = _xml_text(text).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;")


def _xml_child_name(key: Any, child: str, value: Any) -> str:
    if isinstance(key, int) or (isinstance(key, str) and _NUMERIC.fullmatch(key)):
        return child
    if isinstance(value, (dict, list, tuple)):
        items = dict(_php_items(value))
        if items.get("id", object()) == key or items.get("name", object()) == key:
            return child
    return str(key)


def _xml_element(name: str, value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(value, str):
        return [f"{pad}<{name}>{_xml_text(value)}</{name}>"]
    child = name[:-1] if name.endswith("s") else "item"
    attributes, children = [], []
    for key, item in _php_items(value):
        element = _xml_child_name(key, child, item)
        if element != child and isinstance(item, str) and element not in _NEVER_ATTRIBUTES:
            attributes.append(f' {key}="{_xml_attribute(item)}"')
        else:
            children.extend(_xml_element(element, item, depth + 1))
    opening = f"{pad}<{name}{''.join(attributes)}"
    if not children:
        return [opening + "/>"]
    return [opening + ">", *children, f"{pad}</{name}>"]


def xml_document(value: Any) -> str:
    """``DOMDocument::saveXML()`` (formatted) of the data, as ``--format=xml`` prints it."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(_xml_element("document", value, 0)) + "\n"
