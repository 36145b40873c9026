"""The plugin manager: built-in defaults, installed plugins and named modules, checked.

:func:`get_plugin_manager` builds a fresh manager each call (nothing happens at
import). Plugins come, in this order, from

1. the built-in defaults (:data:`DEFAULT_PLUGINS`), so a plugin can replace them;
2. installed distributions declaring an entry point in the ``pantheon_emulator`` group;
3. modules named by ``--plugin MODULE`` / ``PANTHEON_EMULATOR_PLUGINS`` (``Config.plugins``);
4. objects handed over in Python (``create_app(config, plugins=[...])``).

A name in ``Config.blocked_plugins`` (``--block-plugin NAME``) is never loaded. A
hook implementation that matches no hook, or a ``pantheon_emulator_*`` function
missing ``@hookimpl``, is refused with a :class:`PluginError` naming it.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import os
import sys
from collections.abc import Iterable
from typing import Any

import pluggy

from emulator.config import Config
from emulator.core.errors import PluginError
from emulator.core.events import SecretChange
from emulator.hooks import specs as hookspecs
from emulator.hooks.specs import HOOK_PREFIX, PROJECT

ENTRY_POINT_GROUP = "pantheon_emulator"
DEFAULT_PLUGINS: dict[str, str] = {"demo-world": "emulator.hooks.defaults"}  # name -> module


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus the small interface the core calls (:class:`emulator.core.service.SecretHooks`)."""

    def wants(self, hook: str) -> bool:
        return has_implementations(self, hook)

    def validate_secret(self, change: SecretChange, value: str | None) -> str | None:
        message = self.hook.pantheon_emulator_validate_secret(change=change, value=value)
        return str(message) if message else None

    def secret_changed(self, change: SecretChange, value: str | None) -> None:
        self.hook.pantheon_emulator_secret_changed(change=change, value=value)


def hook_names() -> list[str]:
    """Every hook a plugin may implement, sorted."""
    return sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith(HOOK_PREFIX))


def get_plugin_manager(
    config: Config | None = None, plugins: Iterable[object] = (), *, entry_points: bool = True
) -> PluginManager:
    """A plugin manager holding the hooks and every plugin ``config`` asks for.

    ``entry_points=False`` skips installed plugins (for tests that want only their own).
    """
    config = config if config is not None else Config()
    pm = PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in config.blocked_plugins:
        pm.set_blocked(name)
    for name, module_name in DEFAULT_PLUGINS.items():
        if not pm.is_blocked(name):
            register(pm, importlib.import_module(module_name), name)
    if entry_points:
        _load_entry_points(pm)
    for module_name in config.plugins:
        if not pm.is_blocked(module_name):
            register(pm, _import_plugin_module(module_name), module_name)
    for plugin in plugins:
        register(pm, plugin)
    check(pm)
    return pm


def register(pm: pluggy.PluginManager, plugin: object, name: str | None = None) -> str | None:
    """Register ``plugin`` (once), refusing unmarked or badly declared hook functions."""
    if pm.is_registered(plugin) or (name is not None and pm.is_blocked(name)):
        return None
    label = name or _describe(plugin)
    if name is not None and pm.has_plugin(name):
        raise PluginError(f"Two plugins are named '{name}': {_describe(pm.get_plugin(name))} and {_describe(plugin)}.")
    unmarked = [attr for attr in dir(plugin) if attr.startswith(HOOK_PREFIX) and _is_unmarked_function(pm, plugin, attr)]
    if unmarked:
        raise PluginError(
            f"Plugin '{label}' defines {unmarked[0]}() without @hookimpl. "
            "Mark it ('from emulator import hookimpl', then '@hookimpl' above it) or rename it."
        )
    try:
        return pm.register(plugin, name)
    except pluggy.PluginValidationError as error:
        detail = _argument_problem(pm, plugin) or str(error).replace("\n", "; ")
        raise PluginError(f"Plugin '{label}' is invalid: {detail}") from None


def check(pm: pluggy.PluginManager) -> None:
    """Refuse implementations of hooks that do not exist (a misspelt name, most often)."""
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError(_unknown_hook_message(pm, error.plugin)) from None


def plugin_names(pm: pluggy.PluginManager) -> list[str]:
    """Names of the registered plugins other than the built-in defaults, in load order."""
    return [name for name, plugin in pm.list_name_plugin() if plugin is not None and name not in DEFAULT_PLUGINS]


def has_implementations(pm: pluggy.PluginManager | None, hook_name: str) -> bool:
    """True if some plugin implements ``hook_name`` (a cheap test before building arguments)."""
    return pm is not None and bool(getattr(pm.hook, hook_name).get_hookimpls())


# -- internals -----------------------------------------------------------------------------


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as error:  # any failure while importing someone else's code
            source = f" (installed by {ep.dist.name} {ep.dist.version})" if ep.dist is not None else ""
            raise PluginError(f"Cannot load plugin '{ep.name}' = '{ep.value}'{source}: {type(error).__name__}: {error}") from None
        register(pm, plugin, ep.name)


def _import_plugin_module(module_name: str) -> Any:
    """Import a ``--plugin`` module; the current directory is searched last, as ``python -m`` would."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        cwd = os.getcwd()
        if error.name == module_name.split(".")[0] and cwd not in sys.path and "" not in sys.path:
            sys.path.append(cwd)
            return _import_plugin_module(module_name)
        raise PluginError(f"Cannot import plugin module '{module_name}': {error}.") from None
    except Exception as error:
        raise PluginError(f"Plugin module '{module_name}' failed while importing: {type(error).__name__}: {error}") from None


def _is_unmarked_function(pm: pluggy.PluginManager, plugin: object, attr: str) -> bool:
    found = inspect.getattr_static(plugin, attr, None)
    if isinstance(found, (staticmethod, classmethod)):
        found = found.__func__
    return inspect.isroutine(found) and pm.parse_hookimpl_opts(plugin, attr) is None


def _argument_problem(pm: pluggy.PluginManager, plugin: object) -> str | None:
    """Which hook implementation of ``plugin`` asks for an argument its hook does not have."""
    for attr in dir(plugin):
        opts = pm.parse_hookimpl_opts(plugin, attr)
        if opts is None:
            continue
        hook_name = opts.get("specname") or attr
        spec = getattr(hookspecs, hook_name, None)
        if spec is None:
            continue
        offered = list(inspect.signature(spec).parameters)
        parameters = inspect.signature(getattr(plugin, attr)).parameters.values()
        wanted = [p.name for p in parameters if p.name not in offered and p.default is inspect.Parameter.empty]
        if wanted:
            return (
                f"{attr}() asks for {', '.join(repr(w) for w in wanted)}, which {hook_name} does not pass. "
                f"It passes: {', '.join(offered)}."
            )
    return None


def _unknown_hook_message(pm: pluggy.PluginManager, plugin: object) -> str:
    label = pm.get_name(plugin) or _describe(plugin)
    known = hook_names()
    unknown = [caller.name for caller in pm.get_hookcallers(plugin) or [] if not caller.has_spec()]
    name = unknown[0] if unknown else "?"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Plugin '{label}' implements unknown hook '{name}'.{hint} Known hooks: {', '.join(known)}."


def _describe(plugin: object) -> str:
    if inspect.ismodule(plugin):
        return plugin.__name__
    if inspect.isclass(plugin):
        return f"{plugin.__module__}.{plugin.__qualname__}"
    return f"{type(plugin).__module__}.{type(plugin).__qualname__} instance"
