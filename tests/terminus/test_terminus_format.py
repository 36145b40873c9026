"""The output formats on their own: Terminus' layouts from plain data, no server."""

from __future__ import annotations

import pytest

from emulator.terminus.formats import (
    FormatError,
    Records,
    csv_line,
    php_json_encode,
    php_wordwrap,
    render,
    terminal_width,
    yaml_scalar,
)

SPEC_TABLE = """\
 ------------- ------------- --------------
  Secret name   Secret type   Secret value
 ------------- ------------- --------------
  foo           env           bar
 ------------- ------------- --------------
"""
LABELS = {"name": "Secret name", "type": "Secret type", "value": "Secret value"}


def test_the_table_of_spec_section_8():
    out = render(Records({"foo": {"name": "foo", "type": "env", "value": "bar"}}, LABELS), "table", width=80)

    assert [line.rstrip() for line in out.splitlines()] == SPEC_TABLE.splitlines()
    assert all(line.endswith(" ") for line in out.splitlines())  # Symfony's right border is a space


def test_default_table_fields_apply_to_tables_only():
    records = Records({"a": {"name": "a", "type": "env", "value": "x"}}, LABELS, default_table_fields=("name",))

    assert render(records, "csv") == '"Secret name","Secret type","Secret value"\na,env,x\n'
    assert render(records, "table", width=80).splitlines()[1] == "  Secret name  "


def test_fields_accept_globs_and_labels_and_reject_unknown_ones():
    records = Records({"a": {"name": "a", "type": "env", "value": "x"}}, LABELS)

    assert render(records, "csv", fields="value,Secret name") == '"Secret value","Secret name"\nx,a\n'
    assert render(records, "csv", fields="*e") == '"Secret name","Secret type","Secret value"\na,env,x\n'
    with pytest.raises(FormatError, match="The requested field, 'colour', is not defined."):
        render(records, "csv", fields="colour")


def test_renderer_applies_to_human_formats_but_not_json():
    records = Records(
        {"a": {"name": "a", "value": None}},
        {"name": "N", "value": "V"},
        renderer=lambda key, value: "[hidden]" if key == "value" and value is None else value,
    )

    assert render(records, "csv") == "N,V\na,[hidden]\n"
    assert render(records, "json") == '{\n    "a": {\n        "name": "a",\n        "value": null\n    }\n}\n'


def test_php_arrays_in_json_numeric_keys_and_lists():
    assert php_json_encode({}) == "[]"
    assert php_json_encode({"0": "a", "1": "b"}) == '[\n    "a",\n    "b"\n]'
    assert php_json_encode({"1": "a"}) == '{\n    "1": "a"\n}'
    assert php_json_encode({"u": "a/b é"}) == '{\n    "u": "a\\/b \\u00e9"\n}'
    assert php_json_encode({"u": "a/b"}, escape_slashes=False) == '{\n    "u": "a/b"\n}'


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        (["a", "b c", None, ""], 'a,"b c",,\n'),
        (['say "hi"'], '"say ""hi"""\n'),
        (['back\\"slash'], '"back\\"slash"\n'),  # fputcsv does not double a quote after its escape character
        (["two\nlines", "x"], '"two\n'),  # fgets() reads the record back only up to its first newline
    ],
)
def test_csv_is_fputcsv_read_back_by_fgets(cells, line):
    assert csv_line(cells) == line


@pytest.mark.parametrize(
    ("text", "width", "wrapped"),
    [
        ("hello world", 5, "hello\nworld"),
        ("abcdefghij", 4, "abcd\nefgh\nij"),
        ("short", 10, "short"),
        ("default=org-value, live=org-live", 17, "default=org-value\n, live=org-live"),
    ],
)
def test_wordwrap_cuts_like_php(text, width, wrapped):
    assert php_wordwrap(text, width) == wrapped


@pytest.mark.parametrize(
    ("value", "dumped"),
    [
        ("plain", "plain"),
        ("0", "'0'"),
        ("yes", "'yes'"),
        ("", "''"),
        (None, "null"),
        ("a b", "'a b'"),
        ("-x", "'-x'"),
        ("2024-01-01", "'2024-01-01'"),
        ("a\nb", '"a\\nb"'),
        ("it's ok", '"it\'s ok"'),
        ("github-oauth.github.com", "github-oauth.github.com"),
    ],
)
def test_yaml_scalars_are_quoted_as_symfony_does(value, dumped):
    assert yaml_scalar(value) == dumped


def test_empty_arrays_in_yaml_and_list_format():
    records = Records({"a": {"name": "a", "env": {}}}, {"name": "N", "env": "E"})

    assert render(records, "yaml") == "a:\n  name: a\n  env: {  }\n\n"
    assert render(Records({}, {"name": "N"}), "yaml") == "{  }\n"
    assert render(records, "list") == "a\n"


@pytest.mark.parametrize("fmt", ["html", "var-dump"])
def test_unknown_format(fmt):
    with pytest.raises(FormatError, match=f"The requested format, '{fmt}', is not available."):
        render(Records({}, {}), fmt)


@pytest.mark.parametrize(("columns", "width"), [("120", 120), ("0", 0), ("abc", 0), (" 90 ", 90)])
def test_terminal_width_follows_columns_as_symfony_does(monkeypatch, columns, width):
    monkeypatch.setenv("COLUMNS", columns)

    assert terminal_width() == width


def test_no_wrapping_when_the_width_is_zero():
    records = Records({"a": {"name": "a", "value": "x" * 200}}, {"name": "N", "value": "V"})

    assert max(len(line) for line in render(records, "table", width=0).splitlines()) == 1 + 3 + 1 + 200 + 3
