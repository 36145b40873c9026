"""Building the plugin manager: where plugins come from, blocking, and refusing bad ones."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.config import Config, load_config
from emulator.core.errors import PluginError
from emulator.hooks.manager import DEFAULT_PLUGINS, get_plugin_manager, plugin_names
from emulator.web.app import create_app

from ._support import PLUGIN_DOCS

_counter = itertools.count()

OBSERVER = """
from emulator import hookimpl

SEEN = []

@hookimpl
def pantheon_emulator_secret_changed(change):
    SEEN.append(change.secret)
"""

MISSPELT = """
from emulator import hookimpl

@hookimpl
def pantheon_emulator_secret_change(change):
    pass
"""


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    """Write ``source`` as an importable module with a fresh name; returns the name."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(source: str, stem: str = "team_plugin") -> str:
        name = f"{stem}_{next(_counter)}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    yield write


def test_a_module_named_in_the_config_is_loaded_under_its_name(plugin_module):
    name = plugin_module(OBSERVER)
    pm = get_plugin_manager(Config(plugins=[name]), entry_points=False)
    assert plugin_names(pm) == [name]
    assert pm.get_plugin(name) is sys.modules[name]


def test_plugins_come_from_the_environment_comma_separated(plugin_module):
    first, second = plugin_module(OBSERVER), plugin_module(OBSERVER)
    config = load_config(environ={"PANTHEON_EMULATOR_PLUGINS": f"{first}, {second}"}, dotenv_path=None)
    assert plugin_names(get_plugin_manager(config, entry_points=False)) == [first, second]


def test_a_blocked_plugin_is_not_even_imported(plugin_module):
    name = plugin_module("raise RuntimeError('imported although blocked')")
    config = load_config(environ={"PANTHEON_EMULATOR_PLUGINS": name, "PANTHEON_EMULATOR_BLOCKED_PLUGINS": name}, dotenv_path=None)
    pm = get_plugin_manager(config, entry_points=False)
    assert plugin_names(pm) == []
    assert pm.is_blocked(name)


def test_a_module_named_twice_is_loaded_once(plugin_module):
    name = plugin_module(OBSERVER)
    pm = get_plugin_manager(Config(plugins=[name, name]), entry_points=False)
    assert plugin_names(pm) == [name]
    assert len(pm.hook.pantheon_emulator_secret_changed.get_hookimpls()) == 1


def test_the_demo_world_is_a_default_plugin_that_can_be_blocked():
    assert "demo-world" in DEFAULT_PLUGINS
    seeded = create_app(Config(db=":memory:"))
    assert [s.name for s in seeded.extensions["pantheon_emulator"].sites()] == ["demo-site"]
    blocked = create_app(Config(db=":memory:", blocked_plugins=["demo-world"]))
    assert blocked.extensions["pantheon_emulator"].is_empty()


def test_a_misspelt_hook_is_refused_with_a_suggestion(plugin_module):
    name = plugin_module(MISSPELT)
    with pytest.raises(PluginError) as caught:
        get_plugin_manager(Config(plugins=[name]), entry_points=False)
    assert caught.value.message.startswith(
        f"Plugin '{name}' implements unknown hook 'pantheon_emulator_secret_change'. "
        "Did you mean 'pantheon_emulator_secret_changed'? Known hooks: pantheon_emulator_request, "
    )


def test_serve_stops_on_a_misspelt_hook_with_the_message_the_docs_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "team_rules", raising=False)
    (tmp_path / "team_rules.py").write_text(MISSPELT, encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--memory", "--port", "0", "--plugin", "team_rules"])
    assert result.exit_code == 1
    documented = next(line for line in PLUGIN_DOCS.read_text(encoding="utf-8").splitlines() if line.startswith("Error: Plugin"))
    assert result.output.startswith(documented + " Known hooks: ")


def test_a_hook_function_without_hookimpl_is_refused(plugin_module):
    name = plugin_module("def pantheon_emulator_startup(app):\n    pass\n")
    with pytest.raises(PluginError, match=rf"Plugin '{name}' defines pantheon_emulator_startup\(\) without @hookimpl"):
        get_plugin_manager(Config(plugins=[name]), entry_points=False)


def test_a_hook_argument_the_hook_does_not_have_is_refused(plugin_module):
    name = plugin_module("""
        from emulator import hookimpl

        @hookimpl
        def pantheon_emulator_secret_changed(change, secret_value):
            pass
    """)
    with pytest.raises(PluginError) as caught:
        get_plugin_manager(Config(plugins=[name]), entry_points=False)
    assert caught.value.message == (
        f"Plugin '{name}' is invalid: pantheon_emulator_secret_changed() asks for 'secret_value', "
        "which pantheon_emulator_secret_changed does not pass. It passes: change, value."
    )


def test_an_unknown_module_is_named_in_the_error():
    with pytest.raises(
        PluginError, match="Cannot import plugin module 'no_such_plugin_module': No module named 'no_such_plugin_module'"
    ):
        get_plugin_manager(Config(plugins=["no_such_plugin_module"]), entry_points=False)


def test_a_module_that_fails_on_import_is_named_in_the_error(plugin_module):
    name = plugin_module("raise ValueError('missing ACME_VAULT_URL')")
    with pytest.raises(PluginError, match=f"Plugin module '{name}' failed while importing: ValueError: missing ACME_VAULT_URL"):
        get_plugin_manager(Config(plugins=[name]), entry_points=False)


def test_plugin_objects_can_be_handed_to_create_app():
    from emulator import hookimpl

    class Recorder:
        def __init__(self):
            self.names = []

        @hookimpl
        def pantheon_emulator_secret_changed(self, change):
            self.names.append(change.secret)

    recorder = Recorder()
    app = create_app(Config(db=":memory:", rate_limit=False), plugins=[recorder])
    response = app.test_client().post(
        "/customer-secrets/v1/sites/demo-site/secrets", json={"name": "A", "value": "v"}, headers={"Authorization": "demo-token"}
    )
    assert response.status_code == 200
    assert recorder.names == ["A"]


def test_importing_emulator_stays_cheap():
    code = (
        "import sys, emulator\n"
        "assert 'pluggy' not in sys.modules and 'flask' not in sys.modules, sorted(sys.modules)\n"
        "from emulator import hookimpl\n"
        "print(type(hookimpl).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "HookimplMarker"
