"""The Acme Coffee site: a small Flask application configured by Pantheon secrets.

``create_app()`` reads where to find the site's secrets from the process (the
variables Pantheon sets, plus the emulator's; a ``.env`` file under them), never the
secrets themselves: those are read per request (see :mod:`sample_site.site_secrets`).

Run it with ``python -m sample_site`` or ``flask --app sample_site.app run``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify, render_template, request

from emulator.client import SITE_NAME_VARIABLE, runtime_environment

from . import views
from .outbound import Outbox
from .site_secrets import SecretsUnavailable, close_runtime_client


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The site, configured from the process's environment and ``test_config``.

    Settings a test may give: ``DOTENV_PATH`` (the ``.env`` file to read, None for none),
    ``SECRETS_SESSION`` (a ``requests.Session`` for the runtime client, e.g. one that
    reaches an in-process emulator), ``SUPPORT_EMAIL``.
    """
    app = Flask(__name__)
    app.json.sort_keys = False  # the status report reads top-down
    app.config.from_mapping(
        DOTENV_PATH=".env",
        SECRETS_SESSION=None,
        SUPPORT_EMAIL="hello@acme-coffee.example",
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Where the secrets are: PANTHEON_SITE, PANTHEON_ENVIRONMENT, the emulator's URL and
    # runtime token, or CUSTOMER_SECRETS_FAKE_FILE. Read once; the values are read per request.
    app.config["PANTHEON"] = runtime_environment(dotenv_path=app.config["DOTENV_PATH"])
    app.config.setdefault("SITE_NAME", os.environ.get(SITE_NAME_VARIABLE))
    app.extensions["sample_site.outbox"] = Outbox()
    app.register_blueprint(views.bp)
    app.register_error_handler(SecretsUnavailable, _secrets_unavailable)
    app.teardown_appcontext(close_runtime_client)
    return app


def _secrets_unavailable(error: SecretsUnavailable):
    """Every page needs the secrets service; without it, say why (the reason names no value)."""
    if request.path.endswith(".json"):
        return jsonify({"error": str(error)}), 503
    return render_template("unavailable.html", reason=str(error)), 503
