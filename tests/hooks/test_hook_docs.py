"""Every hook is documented, typed and shown with an example that is a valid plugin."""

from __future__ import annotations

import inspect
import re

import pytest

from emulator.hooks import specs as hookspecs
from emulator.hooks.manager import get_plugin_manager, hook_names

from ._support import PLUGIN_DOCS, code_blocks, hook_examples, module_from_source

HOOKS = hook_names()


def test_the_hooks_are_the_ones_the_issue_asks_for():
    assert HOOKS == [
        "pantheon_emulator_request",
        "pantheon_emulator_response",
        "pantheon_emulator_secret_changed",
        "pantheon_emulator_seed_world",
        "pantheon_emulator_startup",
        "pantheon_emulator_validate_secret",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_an_example(hook):
    examples = hook_examples()
    assert hook in examples, f"docs/plugins.md has no '### {hook}' section"
    defining = [code for code in examples[hook] if re.search(rf"@hookimpl.*\ndef {hook}\(", code, re.S)]
    assert defining, f"the '### {hook}' section of docs/plugins.md has no example implementing it"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_shows_its_real_signature_in_the_docs(hook):
    signature = str(inspect.signature(getattr(hookspecs, hook))).replace("'", "")
    assert f"`{hook}{signature}`" in PLUGIN_DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_spec_is_typed_and_has_a_docstring(hook):
    spec = getattr(hookspecs, hook)
    assert inspect.getdoc(spec)
    signature = inspect.signature(spec)
    assert signature.return_annotation is not inspect.Signature.empty
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())


def test_the_docs_describe_no_hook_that_does_not_exist():
    assert set(hook_examples()) <= set(HOOKS)


def test_every_python_example_in_the_docs_is_a_valid_plugin():
    blocks = code_blocks(PLUGIN_DOCS.read_text(encoding="utf-8"), "python")
    assert len(blocks) >= len(HOOKS)
    for i, source in enumerate(blocks):
        module = module_from_source(source, f"docs_block_{i}")
        pm = get_plugin_manager(plugins=[module], entry_points=False)
        assert pm.get_hookcallers(module), f"python block {i} of docs/plugins.md implements no hook"
