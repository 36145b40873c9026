"""``pantheon-emulator ic-build``: set up an Integrated Composer build's secrets (SPEC §7).

The build reads its site's ``ic``-scoped secrets resolved for a dev or multidev
environment; ``composer`` secrets become Composer auth and ``env`` secrets environment
variables (see :mod:`emulator.composer_auth`). They are written to files, or given to
a command run as the build step, e.g.::

    pantheon-emulator ic-build demo-site.dev -- composer install --no-dev

The build log (standard output) names secrets, never their values.
"""

from __future__ import annotations

import json
import os
import subprocess

import click

from emulator.client.commands import control_get, parse_site_env, site_env_path, url_option
from emulator.client.composer_auth import build_secrets
from emulator.client.envfile import format_dotenv, write_private
from emulator.core import policy
from emulator.core.model import IC_ENVIRONMENTS_EXCLUDED, Environment

M = policy.Messages


def _names(items) -> str:
    return ", ".join(items) if items else "none"


@click.command("ic-build", context_settings={"ignore_unknown_options": True})
@click.argument("target", metavar="SITE.ENV")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("--auth-json", metavar="PATH", help="Write the Composer auth (auth.json format) to PATH.")
@click.option("--env-file", metavar="PATH", help="Write the build's environment variables (dotenv format) to PATH.")
@url_option
@click.pass_context
def ic_build(
    ctx: click.Context, target: str, command: tuple[str, ...], auth_json: str | None, env_file: str | None, url: str
) -> None:
    """Set up the secrets of an Integrated Composer build of SITE.ENV (dev or a multidev).

    composer secrets become Composer auth, env secrets environment variables. They are
    written to --auth-json / --env-file, and given to COMMAND (after --) if one is given:
    it runs with the env secrets set and COMPOSER_AUTH holding the generated auth merged
    with any COMPOSER_AUTH env secret. Below PHP 8.0 nothing is set up, as on Pantheon.
    """
    site, env = parse_site_env(target)
    if env in IC_ENVIRONMENTS_EXCLUDED:
        raise click.ClickException(M.IC_NOT_HERE.format(env=env))
    resolved = control_get(url, site_env_path(site, env, "/resolved?scope=ic"))
    if resolved["framework"] == "nodejs":
        raise click.ClickException(M.IC_NODEJS_SITE.format(site=resolved["site"]))
    php = resolved["php_version"]
    click.echo(f"Integrated Composer build of {resolved['site']}.{env} (PHP {php}, {resolved['framework']})")
    variables: dict[str, str] = {}
    if not Environment(env, php).php_at_least_8:
        click.echo(M.IC_PHP_TOO_OLD)
    else:
        build = build_secrets(resolved["secrets"])
        if build.problems and policy.IC_BUILD_FAILS_ON_MALFORMED_SECRET:
            raise click.ClickException("\n".join([M.IC_BUILD_FAILED, *(f"  {p.message}" for p in build.problems)]))
        for problem in build.problems:
            click.echo(f"Skipped: {problem.message}")
        variables = build.command_environment()
        click.echo(f"Composer auth: {_names([f'{kind}.{host}' for kind, hosts in build.auth.items() for host in hosts])}")
        click.echo(f"Environment variables: {_names(list(variables))}")
        if build.ignored:
            click.echo(f"Not used by builds (type runtime, file or vcs): {_names(build.ignored)}")
        if auth_json:
            write_private(auth_json, json.dumps(build.auth, indent=4) + "\n")
            click.echo(f"Composer auth written to {auth_json}")
        if env_file:
            write_private(env_file, format_dotenv(variables))
            click.echo(f"Environment variables written to {env_file}")
    if command:
        ctx.exit(_run(command, variables))


def _run(command: tuple[str, ...], variables: dict[str, str]) -> int:
    """Run the build step with ``variables`` over this process's environment."""
    click.echo(f"Running: {' '.join(command)}")
    try:
        return subprocess.run(list(command), env={**os.environ, **variables}).returncode
    except OSError as error:
        raise click.ClickException(f"Cannot run '{command[0]}': {error.strerror or error}") from None
