"""The Flask application factory."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from . import api, control, policy
from .config import Config, load_config
from .errors import EmulatorError, RateLimited
from .http import text_response
from .seed import apply_seed, demo_world
from .service import Emulator, Settings
from .store import Store

log = logging.getLogger("pantheon_emulator")
M = policy.Messages
EXTENSION_KEY = "pantheon_emulator"


def build_emulator(config: Config) -> Emulator:
    """The service for ``config``: its store opened, and seeded or given the demo world."""
    store = Store(config.db)
    settings = Settings(
        rate_limit=config.rate_limit,
        rate_limit_requests=config.rate_limit_requests,
        rate_limit_window=config.rate_limit_window,
        cache_ttl=config.cache_ttl,
    )
    em = Emulator(store, settings)
    if config.seed:
        import json
        from pathlib import Path

        apply_seed(store, json.loads(Path(config.seed).read_text(encoding="utf-8")))
    elif config.demo and store.is_empty():
        apply_seed(store, demo_world())
    return em


def create_app(config: Config | Mapping[str, Any] | None = None, emulator: Emulator | None = None) -> Flask:
    """A Flask app serving the emulator. ``config`` may be a Config or option overrides."""
    if not isinstance(config, Config):
        config = load_config(config, dotenv_path=None) if emulator is not None else load_config(config)
    app = Flask(__name__)
    app.json.sort_keys = False
    app.config["PANTHEON_EMULATOR"] = config
    app.extensions[EXTENSION_KEY] = emulator if emulator is not None else build_emulator(config)
    register_blueprints(app)
    register_errors(app)
    register_journal(app)
    return app


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(api.bp)
    app.register_blueprint(control.bp)


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
            message = M.NO_ROUTE.format(method=request.method, path=request.path)
        elif code == 405:
            message = M.METHOD_NOT_ALLOWED.format(method=request.method, path=request.path)
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
        if path.startswith(api.API_PREFIX):
            args = req.view_args or {}
            state = g._get_current_object()
            workspace = args.get("workspace") or ("sites" if "site" in args else "organizations" if "org" in args else None)
            ref = args.get("ref") or args.get("site") or args.get("org")
            app.extensions[EXTENSION_KEY].journal.record(
                kind=state.get("journal_kind", "management"),
                actor=state.get("actor", "anonymous"),
                method=req.method,
                path=path,
                status=response.status_code,
                site=ref if workspace == "sites" else None,
                organization=ref if workspace == "organizations" else None,
                environment=args.get("env") or state.get("environment"),
                secret=args.get("name") or state.get("secret"),
            )
        return response
