"""The README and the pages under docs/, read by the tests that keep their sections true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def page(path: str = "README.md") -> str:
    """The text of ``path`` (relative to the project root): ``README.md`` or ``docs/<page>.md``."""
    return (ROOT / path).read_text(encoding="utf-8")


def section(heading: str, path: str = "README.md") -> str:
    """The ``## heading`` section of ``path`` (default the README), up to the next ``## `` heading."""
    text = page(path)
    start = text.index(f"\n## {heading}\n") + 1
    end = text.find("\n## ", start + 3)
    return text[start:] if end == -1 else text[start : end + 1]


def console_transcript(text: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for each ``$ `` line of the ``console`` blocks in ``text``, in order."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
    return steps
