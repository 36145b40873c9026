"""Commands for the programs that read secrets: ``env`` and ``php-prepend-path`` (``ic-build``
is in :mod:`emulator.client.ic_build`), with the helpers they share. :mod:`emulator.cli` adds them."""

from __future__ import annotations

import shlex
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import click

from emulator.client.api import DEFAULT_URL, ClientError, ManagementClient
from emulator.client.envfile import FORMATS, format_variables, write_private
from emulator.core import policy
from emulator.core.site_env import URL_VARIABLE, with_emulator_url

PHP_DROP_IN = "php/pantheon_get_secret.php"


def parse_site_env(value: str) -> tuple[str, str]:
    """``"acme-web.dev"`` -> ``("acme-web", "dev")`` (a site name may itself hold dots)."""
    site, dot, env = value.rpartition(".")
    if not dot or not site or not env:
        raise click.BadParameter(policy.Messages.SITE_ENV_ARGUMENT.format(value=value))
    return site, env


def site_env_path(site: str, env: str, suffix: str = "") -> str:
    """The control-plane path of one site environment."""
    return f"/sites/{quote(site, safe='')}/environments/{quote(env, safe='')}{suffix}"


def control_get(url: str, path: str) -> Any:
    """GET ``path`` of the emulator's control plane at ``url``; a refusal, or no emulator
    answering there, becomes a click error with its one-line message."""
    try:
        return ManagementClient(url).control(path)
    except ClientError as error:
        raise click.ClickException(error.message) from None


def url_option(func):
    return click.option(
        "--url", envvar=URL_VARIABLE, default=DEFAULT_URL, show_default=True, help=f"The running emulator [env {URL_VARIABLE}]."
    )(func)


@click.command("env")
@click.argument("target", metavar="SITE.ENV")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="dotenv",
    show_default=True,
    help="dotenv (a .env file), json, or node (a script to preload with 'node -r').",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (owner-only permissions) instead of standard output.")
@url_option
def env_command(target: str, fmt: str, output: str | None, url: str) -> None:
    """Print the variables a site's process sees in an environment.

    Every site gets PANTHEON_SITE, PANTHEON_SITE_NAME, PANTHEON_ENVIRONMENT and the
    emulator's URL and runtime token (what the runtime client and the PHP drop-in read).
    A nodejs site also gets its env secrets, SITE_SECRETS_DEFAULT and SITE_SECRETS_PRODUCTION.
    """
    site, env = parse_site_env(target)
    found = control_get(url, site_env_path(site, env, "/variables"))["variables"]
    text = format_variables(with_emulator_url(found, url), fmt)
    if output:
        write_private(output, text)
        click.echo(f"Variables of {site}.{env} written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


def php_drop_in_path() -> Path:
    """Where the PHP ``pantheon_get_secret()`` drop-in is installed."""
    return Path(str(files("emulator.client").joinpath(PHP_DROP_IN)))


@click.command("php-prepend-path")
def php_prepend_path() -> None:
    """Print the path of the PHP drop-in defining pantheon_get_secret().

    Use it as PHP's auto_prepend_file, e.g.
    php -d auto_prepend_file="$(pantheon-emulator php-prepend-path)" script.php
    """
    click.echo(str(php_drop_in_path()))


def terminus_variables(url: str) -> dict[str, str]:
    """The variables that point a real Terminus (and its secrets plugin) at the emulator at ``url``.

    ``TERMINUS_PAPI_*`` are always given: without them the secrets plugin sends secrets and
    the session token to Pantheon's own host whatever ``TERMINUS_HOST`` says.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise click.ClickException(policy.Messages.BAD_EMULATOR_URL.format(url=url))
    port = port or (443 if parts.scheme == "https" else 80)
    return {
        "TERMINUS_HOST": parts.hostname,
        "TERMINUS_PORT": str(port),
        "TERMINUS_PROTOCOL": parts.scheme,
        "TERMINUS_VERIFY_HOST_CERT": "0",
        "TERMINUS_PAPI_HOST": parts.hostname,
        "TERMINUS_PAPI_PORT": str(port),
        "TERMINUS_PAPI_PROTOCOL": parts.scheme,
    }


@click.command("terminus-env")
@url_option
def terminus_env(url: str) -> None:
    """Print the export lines that point a real Terminus at the emulator:
    eval "$(pantheon-emulator terminus-env)", then terminus auth:login --machine-token=..."""
    for name, value in terminus_variables(url).items():
        click.echo(f"export {name}={shlex.quote(value)}")


COMMANDS = (env_command, php_prepend_path, terminus_env)
