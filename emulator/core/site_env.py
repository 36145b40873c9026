"""The variables a site's process sees (SPEC §10), from already-resolved secrets.

Pure functions: the values come from :mod:`resolve` through the service. Every site
gets Pantheon's ``PANTHEON_SITE`` (the site's UUID), ``PANTHEON_SITE_NAME`` and
``PANTHEON_ENVIRONMENT``, plus the emulator's runtime token so the runtime client and
the PHP drop-in can find their secrets. A ``nodejs`` (Next.js) site also gets its
``env`` secrets as variables, every secret as JSON in ``SITE_SECRETS_DEFAULT``
(``{"NAME": {"value", "type", "envValues"}}``) and the ``live`` values in
``SITE_SECRETS_PRODUCTION`` (``{"NAME": "live value"}``, a string per name, as Pantheon's
Node helper reads it), and ``APP_ENV``, the environment's name. PHP sites get no
secrets as variables: application servers do not set them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from emulator.core import policy, resolve
from emulator.core.model import Site

NODEJS = "nodejs"
OVERRIDE_LAYERS = (resolve.SITE_OVERRIDE, resolve.ORG_OVERRIDE)

# The variables a process finds its secrets by: Pantheon's own, then the emulator's.
SITE_VARIABLE = "PANTHEON_SITE"
SITE_NAME_VARIABLE = "PANTHEON_SITE_NAME"
ENVIRONMENT_VARIABLE = "PANTHEON_ENVIRONMENT"
URL_VARIABLE = "PANTHEON_EMULATOR_URL"
RUNTIME_TOKEN_VARIABLE = "PANTHEON_EMULATOR_RUNTIME_TOKEN"
FAKE_FILE_VARIABLE = "CUSTOMER_SECRETS_FAKE_FILE"  # the SDK's fake client (SPEC §9)

Resolution = Mapping[str, resolve.Resolved]


def site_secrets_default(defaults: Resolution, by_environment: Mapping[str, Resolution]) -> dict[str, dict[str, Any]]:
    """``SITE_SECRETS_DEFAULT``: each name's default value and type, and the value of
    every environment where an override supplies it."""
    names = sorted(set(defaults).union(*by_environment.values()))
    result: dict[str, dict[str, Any]] = {}
    for name in names:
        default = defaults.get(name)
        per_env = {env: resolved[name] for env, resolved in sorted(by_environment.items()) if name in resolved}
        result[name] = {
            "value": default.value if default else None,
            "type": default.type if default else next(iter(per_env.values())).type,
            "envValues": {env: r.value for env, r in per_env.items() if r.layer in OVERRIDE_LAYERS},
        }
    return result


def site_secrets_production(live: Resolution) -> dict[str, str]:
    """``SITE_SECRETS_PRODUCTION``: each name's value in ``live``, a string per name [doc]."""
    return {name: r.value for name, r in live.items() if r.value is not None}


def sees_secrets(site: Site) -> bool:
    """True if ``site``'s process sees secrets as variables (Next.js); PHP sites do not."""
    return site.framework == NODEJS


def process_variables(site: Site, env: str, defaults: Resolution, by_environment: Mapping[str, Resolution]) -> dict[str, str]:
    """Every variable ``site``'s process sees in ``env``; ``by_environment`` holds each
    environment's resolved secrets for :data:`policy.NEXTJS_SCOPE`, ``defaults`` the
    values before any override."""
    variables = {
        SITE_VARIABLE: site.id,
        SITE_NAME_VARIABLE: site.name,
        ENVIRONMENT_VARIABLE: env,
        RUNTIME_TOKEN_VARIABLE: site.runtime_token,
    }
    if not sees_secrets(site):
        return variables
    for name, resolved in by_environment.get(env, {}).items():
        if resolved.type == "env" and name not in variables:
            variables[name] = resolved.value
    variables["APP_ENV"] = env
    compact: dict[str, Any] = {"separators": (",", ":"), "ensure_ascii": False}
    variables["SITE_SECRETS_DEFAULT"] = json.dumps(site_secrets_default(defaults, by_environment), **compact)
    live = by_environment.get(policy.NEXTJS_PRODUCTION_ENVIRONMENT, {})
    variables["SITE_SECRETS_PRODUCTION"] = json.dumps(site_secrets_production(live), **compact)
    return variables


# The lines of a .env file (`pantheon-emulator env`, the dashboard's copyable block).
_BARE = re.compile(r"^[A-Za-z0-9_./:@%+,=-]*$")


def dotenv_value(value: str) -> str:
    """``value`` as python-dotenv reads it back: bare when safe, else single-quoted with
    ``\\`` and ``'`` escaped (newlines kept). Note python-dotenv still expands ``${NAME}``
    unless read with ``interpolate=False``."""
    if _BARE.match(value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def format_dotenv(variables: Mapping[str, str]) -> str:
    return "".join(f"{name}={dotenv_value(value)}\n" for name, value in variables.items())


def with_emulator_url(variables: Mapping[str, str], url: str) -> dict[str, str]:
    """``variables`` with the emulator's URL just before its runtime token: the lines
    ``pantheon-emulator env SITE.ENV`` prints, so the runtime client finds the server."""
    result: dict[str, str] = {}
    for name, value in variables.items():
        if name == RUNTIME_TOKEN_VARIABLE:
            result[URL_VARIABLE] = url.rstrip("/")
        result[name] = value
    return result
