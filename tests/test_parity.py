"""docs/parity.md holds: every test it names exists, and every policy message has a row."""

from __future__ import annotations

import ast
import re

from emulator.core import policy
from tests.readme import ROOT, page

TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def ledger_rows() -> list[list[str]]:
    rows = []
    for line in page("docs/parity.md").splitlines():
        if line.startswith("|") and not line.startswith("|---") and not line.startswith("| behaviour"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def functions_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_row_names_tests_that_exist():
    rows = ledger_rows()
    assert len(rows) >= 40
    missing = []
    for row in rows:
        assert len(row) == 5, row
        refs = TEST_REF.findall(row[4])
        assert refs, f"row names no test: {row[0]}"
        for path, name in refs:
            if not (ROOT / path).is_file() or name not in functions_in(path):
                missing.append(f"{path}::{name}")
    assert missing == []


def test_every_policy_message_has_a_row():
    text = page("docs/parity.md")
    messages = [name for name, value in vars(policy.Messages).items() if isinstance(value, str) and name.isupper()]
    assert len(messages) > 40
    assert [name for name in messages if not re.search(rf"`Messages\.{name}`", text)] == []


def test_rows_where_the_record_is_silent_give_our_reason():
    for row in ledger_rows():
        if row[2] == "silent" or row[1] == "silent":
            assert re.match(r"\[ours\]: \S", row[3]), f"a silent row must say why our choice is the strict one: {row[0]}"
