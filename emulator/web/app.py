"""The Flask application factory."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from emulator.config import Config, load_config
from emulator.core import policy
from emulator.core.errors import EmulatorError, InvalidInput, RateLimited, shown
from emulator.core.journal import RequestFacts
from emulator.core.service import Emulator
from emulator.core.settings import Settings
from emulator.core.store import Store
from emulator.hooks.manager import PluginManager, get_plugin_manager, has_implementations, register
from emulator.hooks.manager import check as check_plugins
from emulator.web import api, control, openapi, pantheon_api
from emulator.web.http import EXTENSION_KEY, emulator_of, text_response

log = logging.getLogger("pantheon_emulator")
M = policy.Messages


def read_seed_file(path: str) -> Any:
    """The JSON document in ``path``; InvalidInput naming the file when it cannot be read."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"Cannot read the seed file {path}: {error.strerror or error}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        detail = (
            f"{error.msg} at line {error.lineno} column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else "not UTF-8 text"
        )
        raise InvalidInput(f"The seed file {path} is not valid JSON: {detail}.") from None


def build_emulator(config: Config, hooks: PluginManager | None = None) -> Emulator:
    """The service for ``config``: its store opened, and seeded from ``config.seed`` or, when
    empty, from the first plugin offering a world (the demo world by default).

    ``hooks`` is the plugin manager; by default one is built from ``config``.
    """
    hooks = hooks if hooks is not None else get_plugin_manager(config)
    store = Store(config.db)
    settings = Settings(
        rate_limit=config.rate_limit,
        rate_limit_requests=config.rate_limit_requests,
        rate_limit_window=config.rate_limit_window,
        cache_ttl=config.cache_ttl,
        session_ttl=config.session_ttl,
    )
    em = Emulator(store, settings, hooks=hooks)
    if config.seed:
        em.seed(read_seed_file(config.seed))
    elif em.is_empty():
        world = hooks.hook.pantheon_emulator_seed_world(config=config, emulator=em)
        if world is not None:
            em.seed(world)
    return em


def create_app(
    config: Config | Mapping[str, Any] | None = None, emulator: Emulator | None = None, plugins: Iterable[object] = ()
) -> Flask:
    """A Flask app serving the emulator. ``config`` may be a Config or option overrides.

    ``plugins`` are plugin objects (modules or instances) registered on top of those
    ``config`` names and the installed ones.
    """
    if not isinstance(config, Config):
        config = load_config(config, dotenv_path=None) if emulator is not None else load_config(config)
    app = Flask(__name__, static_folder=None)  # no /static route: every route is in the OpenAPI document
    app.json.sort_keys = False
    app.config["PANTHEON_EMULATOR"] = config
    if emulator is None:
        emulator = build_emulator(config, get_plugin_manager(config, plugins))
    elif emulator.hooks is None:
        emulator.hooks = get_plugin_manager(config, plugins)
    else:
        for plugin in plugins:
            register(emulator.hooks, plugin)
        check_plugins(emulator.hooks)
    app.extensions[EXTENSION_KEY] = emulator
    register_blueprints(app)
    register_errors(app)
    register_journal(app)
    register_plugin_hooks(app)
    emulator.hooks.hook.pantheon_emulator_startup(app=app, emulator=emulator, config=config)
    return app


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(api.bp)
    app.register_blueprint(control.bp)
    app.register_blueprint(pantheon_api.bp)
    app.register_blueprint(openapi.bp)


def register_errors(app: Flask) -> None:
    """Every failure answers in plain text, whether raised by a view or by routing."""

    @app.errorhandler(EmulatorError)
    def emulator_error(error: EmulatorError):
        response = text_response(error.message, error.status)
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code == 404:
            message = M.NO_ROUTE.format(method=request.method, path=shown(request.path, 200))
        elif code == 405:
            message = M.METHOD_NOT_ALLOWED.format(method=request.method, path=shown(request.path, 200))
        elif code == 413:
            limit = request.max_content_length or policy.MAX_API_BODY_BYTES
            message = M.BODY_TOO_LARGE.format(limit=limit)
        else:
            message = f"{error.name}."
        response = text_response(message, code)
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.error("Unhandled %s on %s %s", type(error).__name__, request.method, request.path, exc_info=error)
        return text_response(M.INTERNAL, 500)


def register_journal(app: Flask) -> None:
    """Record each secrets-API call: who, what, status; never a value."""

    @app.after_request
    def record(response):
        # Unwrapped once: this runs on every request, and each proxy lookup costs.
        req = request._get_current_object()
        path = req.path
        if path.startswith(policy.API_PREFIX):
            args = req.view_args or {}
            facts = g.get("journal_facts") or RequestFacts()
            workspace = args.get("workspace") or ("sites" if "site" in args else "organizations" if "org" in args else None)
            ref = args.get("ref") or args.get("site") or args.get("org")
            emulator_of(app).journal.record(
                kind=facts.kind,
                actor=facts.actor,
                method=req.method,
                path=path,
                status=response.status_code,
                site=ref if workspace == "sites" else None,
                organization=ref if workspace == "organizations" else None,
                environment=args.get("env") or facts.environment,
                secret=args.get("name") or facts.secret,
                delivered=facts.delivered,
            )
        return response


def register_plugin_hooks(app: Flask) -> None:
    """Let plugins answer a request instead of its view, and shape every response.

    Registered after the journal, so the journal records what plugins made of a response.
    With no plugin implementing these hooks, each request pays two cheap checks.
    """

    @app.before_request
    def plugin_request():
        em = emulator_of(app)
        if has_implementations(em.hooks, "pantheon_emulator_request"):
            return em.hooks.hook.pantheon_emulator_request(request=request._get_current_object(), emulator=em)
        return None

    @app.after_request
    def plugin_response(response):
        em = emulator_of(app)
        if has_implementations(em.hooks, "pantheon_emulator_response"):
            replacement = em.hooks.hook.pantheon_emulator_response(
                request=request._get_current_object(), response=response, emulator=em
            )
            if replacement is not None:
                return replacement
        return response
