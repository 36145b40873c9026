"""The layer rules of docs/architecture.md, checked on every import in the product packages.

Each module's imports are read from its source (module level, function level and
``TYPE_CHECKING`` blocks alike), so a lazy import cannot hide a broken rule or a cycle.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("emulator", "pytest_pantheon_secrets", "sample_site")

# core's contract: the modules other wings may use to speak the same language as the server.
CORE_CONTRACT = {f"emulator.core.{name}" for name in ("model", "policy", "errors", "site_env", "secrets_file", "version")}

# Who may import what, first-party: a module matching the key (longest prefix wins) may import
# modules matching one of the listed prefixes (its own wing always included).
FIRST_PARTY_RULES: dict[str, tuple[str, ...]] = {
    "emulator.core": ("emulator.core",),
    "emulator.hooks": ("emulator.core", "emulator.config"),
    "emulator.web": ("emulator.core", "emulator.hooks", "emulator.config"),
    "emulator.client": tuple(CORE_CONTRACT),
    "emulator.terminus": ("emulator.client", *CORE_CONTRACT),
    "emulator.contrib": ("emulator.core", "emulator.hooks", "emulator.config", "emulator.web.http"),
    "emulator.config": ("emulator.core", "emulator.client.settings"),
    "emulator": ("emulator.core",),  # the package root re-exports public names only
    "emulator.cli": ("emulator",),  # the one place that wires every command group together
    "pytest_pantheon_secrets": ("emulator", "pytest_pantheon_secrets"),
    "sample_site": ("emulator.client", "sample_site"),
}
# The app factory wires wings together; the package root hands out create_app and hookimpl lazily.
WIRING = {
    "emulator.web.app": ("emulator.hooks",),
    "emulator": ("emulator.web.app", "emulator.hooks.specs"),
}
# Third-party packages each wing may import (the standard library is always allowed).
THIRD_PARTY_RULES: dict[str, tuple[str, ...]] = {
    "emulator.core": (),
    "emulator.hooks": ("pluggy", "flask"),
    "emulator.web": ("flask", "werkzeug", "waitress"),
    "emulator.client": ("requests", "dotenv", "click"),
    "emulator.terminus": ("click",),
    "emulator.contrib": ("flask",),
    "emulator.config": ("dotenv",),
    "emulator": (),
    "emulator.cli": ("click",),
    "pytest_pantheon_secrets": ("pytest", "requests", "werkzeug"),
    "sample_site": ("flask", "requests", "dotenv", "click", "waitress"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def product_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" not in path.relative_to(ROOT / package).parts:
                found[_module_name(path)] = path
    return found


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module ``module`` imports, resolved to a module or package name."""
    path = product_modules()[module]
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in product_modules() else base)
    return frozenset(found)


def _rule(table: dict[str, tuple[str, ...]], module: str) -> tuple[str, tuple[str, ...]]:
    keys = [key for key in table if module == key or module.startswith(key + ".")]
    key = max(keys, key=len)
    return key, table[key]


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _top(name: str) -> str:
    return name.split(".")[0]


def test_every_product_module_falls_under_a_rule():
    for module in product_modules():
        assert _rule(FIRST_PARTY_RULES, module) and _rule(THIRD_PARTY_RULES, module), module


@pytest.mark.parametrize("module", sorted(product_modules()))
def test_imports_follow_the_layer_rules(module):
    wing, allowed_first = _rule(FIRST_PARTY_RULES, module)
    _, allowed_third = _rule(THIRD_PARTY_RULES, module)
    allowed_first = (*allowed_first, wing, *WIRING.get(module, ()))
    if wing == "emulator":  # the root allows only what WIRING and the rule name, not every emulator module
        allowed_first = (*FIRST_PARTY_RULES["emulator"], *WIRING["emulator"]) if module == "emulator" else allowed_first
    broken = []
    for name in sorted(imports_of(module)):
        if _top(name) in PACKAGES:
            if name != module and not _matches(name, allowed_first) and not (name == "emulator" and wing != "emulator"):
                broken.append(name)
        elif _top(name) not in sys.stdlib_module_names and _top(name) != "__future__":
            if _top(name) not in allowed_third:
                broken.append(name)
    assert not broken, f"{module} ({wing} wing) imports what docs/architecture.md forbids it: {', '.join(broken)}"


def test_the_core_imports_no_framework():
    """The core is pure: the standard library and itself (its contract is what the wings share)."""
    for module in product_modules():
        if module.startswith("emulator.core"):
            outside = [
                n
                for n in imports_of(module)
                if not n.startswith("emulator.core") and _top(n) not in sys.stdlib_module_names and _top(n) != "__future__"
            ]
            assert not outside, f"{module} imports {outside}"


def test_there_is_no_import_cycle():
    graph = {
        module: {name for name in imports_of(module) if name in product_modules() and name != module}
        for module in product_modules()
    }
    # A package's __init__ importing its own submodules is how a package re-exports; a
    # submodule importing its package back would be a cycle, and is caught below.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                cycle = stack[stack.index(name) :] + [name]
                pytest.fail("Import cycle: " + " -> ".join(cycle))
            if name not in state:
                visit(name)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
