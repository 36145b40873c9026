"""The examples in docs/testing.md are tests: they are extracted and run here."""

from __future__ import annotations

import re

import pytest

from tests.readme import page

FENCE = re.compile(r"^```(\w*)\s*$")
FILE_NOTE = re.compile(r"^<!-- file: (\S+) -->$")


def example_files(markdown: str) -> dict[str, str]:
    """Every ```python and ```json block, by file name: the `<!-- file: ... -->` note above it,
    or test_readme_<n>.py for a python block without one."""
    files: dict[str, str] = {}
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening or opening.group(1) not in ("python", "json"):
            if opening:  # another language: skip to its closing fence
                i += 1
                while i < len(lines) and lines[i] != "```":
                    i += 1
            i += 1
            continue
        note = FILE_NOTE.match(lines[i - 2]) if i >= 2 and not lines[i - 1].strip() else None
        note = note or (FILE_NOTE.match(lines[i - 1]) if i >= 1 else None)
        end = lines.index("```", i + 1)
        name = note.group(1) if note else f"test_readme_{len(files) + 1}.py"
        assert name not in files, f"two examples claim {name}"
        if not note and opening.group(1) != "python":
            raise AssertionError(f"a ```{opening.group(1)} example at line {i + 1} has no file note")
        files[name] = "\n".join(lines[i + 1 : end]) + "\n"
        i = end + 1
    return files


def test_the_extractor_finds_the_examples():
    files = example_files(page("docs/testing.md"))

    assert "seeding/seeds/acme.json" in files and "shared_world/conftest.py" in files
    assert sum(name.startswith("test_readme_") for name in files) >= 6


@pytest.mark.parametrize("transport", ["inprocess", "live"])
def test_every_example_passes_on_both_transports(suite, transport):
    files = example_files(page("docs/testing.md"))
    for name, text in files.items():
        suite.file(name, text)
    expected = sum(len(re.findall(r"^def test_", text, re.M)) for name, text in files.items() if name.endswith(".py"))

    result = suite.run(f"--pantheon-transport={transport}")

    result.assert_outcomes(passed=expected)
