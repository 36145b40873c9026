"""Declarative seeding: seed documents from markers and the ``pantheon_seed`` fixture.

A source is a seed document (a dict, in the format of :mod:`emulator.seed`) or the
path of a JSON file holding one: relative to the test file for a marker, to the file
that defines the fixture (a conftest) for ``pantheon_seed``. Every problem stops the
test at setup with a message naming the source and, for a wrong reference, the path
inside the document that holds it.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import pytest

from emulator.core.errors import EmulatorError, SeedRejected
from emulator.core.service import Emulator

SeedSource = Union[dict, str, "os.PathLike[str]"]


@dataclass(frozen=True)
class LoadedSeed:
    label: str  # how messages name the source
    document: Any


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_sources(value: Any) -> list[SeedSource]:
    """``None``, one source, or a list/tuple of them, as a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def load(source: Any, base: Path, origin: str) -> LoadedSeed:
    """Read one source; ``origin`` says where it was given (a marker, the fixture)."""
    if isinstance(source, dict):
        return LoadedSeed(f"the seed document of {origin}", source)
    if not isinstance(source, (str, os.PathLike)):
        pytest.fail(f"{origin}: a seed source is a dict or a path to a JSON file, not {type(source).__name__}.", pytrace=False)
    path = Path(source)
    if not path.is_absolute():
        path = base / path
    label = f"seed file '{os.fspath(source)}' ({origin})"
    problem = None
    try:
        document = _read_json(path)
    except OSError as error:
        problem = f"Cannot read {label} at {path}: {error.strerror or error}."
    except json.JSONDecodeError as error:
        problem = f"{_sentence(label)} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}."
    if problem is not None:
        pytest.fail(problem, pytrace=False)  # outside the except: the message says it all
    return LoadedSeed(label, document)


def _read_json(path: Path) -> Any:
    """The parsed contents of ``path``, read once per version of the file.

    The ``pantheon`` fixtures load their seed files for every test, and a directory's
    tests usually share one; the memo is keyed on the file's modification time and size,
    so a file edited during the run is read again. Seeding never modifies a document.
    """
    stat = path.stat()
    return _parse_json_file(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _parse_json_file(path: Path, mtime_ns: int, size: int) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def sources_for(request: pytest.FixtureRequest, fixture_value: Any) -> list[LoadedSeed]:
    """The seeds of one test: the ``pantheon_seed`` fixture's, then its markers, outermost first."""
    base = Path(request.node.path).parent
    loaded = [load(source, _fixture_dir(request) or base, "the pantheon_seed fixture") for source in as_sources(fixture_value)]
    markers = list(request.node.iter_markers("pantheon_seed"))
    for marker in reversed(markers):  # iter_markers yields the closest first
        if marker.kwargs:
            pytest.fail(
                f"@pytest.mark.pantheon_seed takes seed sources as positional arguments, not {', '.join(marker.kwargs)}=.",
                pytrace=False,
            )
        if not marker.args:
            pytest.fail("@pytest.mark.pantheon_seed needs at least one seed source (a dict or a JSON path).", pytrace=False)
        loaded.extend(load(source, base, "@pytest.mark.pantheon_seed") for source in marker.args)
    return loaded


def _fixture_dir(request: pytest.FixtureRequest) -> Path | None:
    """The directory of the file defining the ``pantheon_seed`` fixture in force (a conftest, usually).

    Paths the fixture returns are relative to it, as a marker's are to its test file. pytest
    keeps this on a private attribute, so when it is missing the test file's directory is used.
    """
    info = getattr(request.node, "_fixtureinfo", None)
    definitions = getattr(info, "name2fixturedefs", {}).get("pantheon_seed") or ()
    try:
        return Path(inspect.getfile(definitions[-1].func)).parent
    except (IndexError, AttributeError, TypeError):
        return None


def apply_all(emulator: Emulator, seeds: Iterable[LoadedSeed]) -> list[dict]:
    """Apply each seed in order; the first refused one fails the test naming source and place."""
    summaries = []
    for seed in seeds:
        problem = None
        try:
            summaries.append(emulator.seed(seed.document).summary())
        except SeedRejected as error:
            problem = f"{_sentence(seed.label)} was rejected at {error.where}: {error.problem}"
        except EmulatorError as error:
            problem = f"{_sentence(seed.label)} was rejected: {error.message}"
        if problem is not None:
            pytest.fail(problem, pytrace=False)
    if summaries:
        emulator.clear_cache()
    return summaries
