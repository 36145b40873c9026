"""The ``pantheon-emulator`` command: serve, seed, export, reset.

The one place that wires every command group together: the Terminus-compatible
``secret:*`` commands (:mod:`emulator.terminus`) and the client's ``env``,
``php-prepend-path`` and ``ic-build`` (:mod:`emulator.client`) are added here.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from emulator.core import policy
from emulator.core.errors import EmulatorError

if TYPE_CHECKING:
    from emulator.core.service import Emulator

DEFAULT_URL = policy.DEFAULT_URL
CONTROL_TIMEOUT = 30.0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pantheon-secrets-emulator", prog_name="pantheon-emulator")
def main() -> None:
    """A local, offline stand-in for Pantheon's Secrets service."""


def _fail(message: str) -> None:
    raise click.ClickException(message)


@main.command()
@click.option("--host", help=f"Interface to bind [env PANTHEON_EMULATOR_HOST; default {policy.DEFAULT_HOST}].")
@click.option("--port", type=int, help=f"Port (0 picks a free one) [env PANTHEON_EMULATOR_PORT; default {policy.DEFAULT_PORT}].")
@click.option("--db", "db", metavar="PATH", help="SQLite file holding the world [env PANTHEON_EMULATOR_DB].")
@click.option("--memory", is_flag=True, default=None, help="Keep the world in memory only [env PANTHEON_EMULATOR_MEMORY].")
@click.option("--seed", metavar="FILE", help="Seed document to load at start-up [env PANTHEON_EMULATOR_SEED].")
@click.option(
    "--no-rate-limit",
    "no_rate_limit",
    is_flag=True,
    default=None,
    help="Turn the 3 requests/s limit off [env PANTHEON_EMULATOR_RATE_LIMIT=0].",
)
@click.option(
    "--cache-ttl",
    type=float,
    metavar="SECONDS",
    help="Runtime cache lifetime, 0 disables [env PANTHEON_EMULATOR_CACHE_TTL; default 900].",
)
@click.option(
    "--session-ttl",
    type=float,
    metavar="SECONDS",
    help="Lifetime of a Terminus login session [env PANTHEON_EMULATOR_SESSION_TTL; default 86400].",
)
@click.option("--threads", type=int, help="Worker threads of the WSGI server [env PANTHEON_EMULATOR_THREADS; default 8].")
@click.option(
    "--plugin",
    "plugins",
    metavar="MODULE",
    multiple=True,
    help="Load a plugin module; repeatable [env PANTHEON_EMULATOR_PLUGINS, comma separated].",
)
@click.option(
    "--block-plugin",
    "blocked_plugins",
    metavar="NAME",
    multiple=True,
    help="Never load the plugin NAME (e.g. demo-world); repeatable [env PANTHEON_EMULATOR_BLOCKED_PLUGINS].",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    metavar="NAME",
    multiple=True,
    help="Also answer requests whose Host is NAME ('*': any); repeatable [env PANTHEON_EMULATOR_ALLOWED_HOSTS, comma separated].",
)
def serve(**options: Any) -> None:
    """Run the emulator under the waitress WSGI server until Ctrl-C."""
    from emulator.config import load_config
    from emulator.web.app import create_app

    if options.pop("no_rate_limit"):
        options["rate_limit"] = False
    for name in ("plugins", "blocked_plugins", "allowed_hosts"):
        options[name] = list(options[name]) or None
    try:
        config = load_config(options)
    except EmulatorError as error:
        _fail(error.message)
    server = _bind(config)  # before the store is opened: a failed start creates nothing
    try:
        app = create_app(config)
    except EmulatorError as error:
        server.close()
        _fail(error.message)
    run_server(app, config, server)


def _bind(config: Any) -> Any:
    """The waitress server listening on the configured address, with no app yet."""
    from emulator.web.server import bind_wsgi_server

    try:
        return bind_wsgi_server(host=config.host, port=config.port, threads=config.threads)
    except OSError as error:
        _fail(f"Cannot listen on {config.host}:{config.port}: {error.strerror or error}")


def run_server(app: Any, config: Any, server: Any = None) -> None:
    """Serve ``app``; ``server`` is the socket already bound for it (see :func:`serve`)."""
    from emulator.web.http import emulator_of
    from emulator.web.server import attach_app

    em = emulator_of(app)
    if server is None:
        server = _bind(config)
    attach_app(server, app)
    url = f"http://{config.host}:{server.effective_port}"
    _banner(em, config, url)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        em.close()
        click.echo("Pantheon secrets emulator stopped.", err=True)


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


def _banner(em, config, url: str) -> None:
    echo = lambda text="": click.echo(text, err=True)
    echo(f"Pantheon secrets emulator listening on {url}")
    echo(f"Dashboard: {url}/")
    if config.host not in ("127.0.0.1", "localhost", "::1") and config.container:
        echo(policy.CONTAINER_BIND_NOTE.format(host=config.host, port=config.port))
    elif config.host not in ("127.0.0.1", "localhost", "::1"):
        echo(
            f"WARNING: bound to {config.host}, reachable from other machines. The emulator has no real "
            "authentication; never expose it to a network you do not trust."
        )
    else:
        echo(f"Bound to {config.host} only (use --host to change).")
    echo(f"Store: {'memory (lost on exit)' if config.memory else Path(config.db).resolve()}")
    limit = f"{config.rate_limit_requests:d} requests per {config.rate_limit_window:g} s per user" if config.rate_limit else "off"
    echo(f"Rate limit: {limit}; runtime cache: {f'{config.cache_ttl:g} s' if config.cache_ttl else 'off'}")
    from emulator.hooks.manager import plugin_names

    echo(f"Plugins: {', '.join(plugin_names(em.hooks)) or 'none'}")
    users, sites = em.users(), em.sites()
    for user in users[:5]:
        echo(f"User: {user.email}  token: {user.token}")
    for site in sites[:5]:
        owner_org = em.find_organization(site.owner) if site.owner else None
        owner = owner_org.name if owner_org else "(personal)"
        echo(
            f"Site: {site.name}  org: {owner}  environments: {', '.join(site.environments)}  runtime token: {site.runtime_token}"
        )
    if users:
        echo("Try:")
        echo(
            f"  curl -H 'Authorization: {users[0].token}' {url}{policy.API_PREFIX}/sites/"
            f"{sites[0].name if sites else '<site>'}/secrets/showall"
        )
    echo("Press Ctrl-C to stop.")


# -- control-plane twins ---------------------------------------------------------------


def _target_options(func):
    func = click.option("--db", "db", metavar="PATH", help="Act on this store file directly instead of a running server.")(func)
    func = click.option(
        "--url",
        envvar="PANTHEON_EMULATOR_URL",
        default=DEFAULT_URL,
        show_default=True,
        help="The running emulator [env PANTHEON_EMULATOR_URL].",
    )(func)
    return func


def _control(url: str, method: str, path: str, payload: Any = None) -> Any:
    """Call the running emulator's control plane; any failure is one line naming it."""
    from emulator.client import ClientError, ManagementClient

    try:
        return ManagementClient(url, timeout=CONTROL_TIMEOUT).control(path, method, payload)
    except ClientError as error:
        _fail(error.message)


@contextmanager
def _store_file(db: str) -> Iterator[Emulator]:
    """The emulator over store file ``db`` (no server), closed afterwards; its errors become one line."""
    from emulator.core.service import Emulator
    from emulator.core.store import Store

    try:
        em = Emulator(Store(db))
    except EmulatorError as error:
        _fail(error.message)
    try:
        yield em
    except EmulatorError as error:
        _fail(error.message)
    finally:
        em.close()


def _load_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        _fail(f"Cannot read {path}: {error.strerror}")
    except json.JSONDecodeError as error:
        _fail(f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}.")


@main.command("seed")
@click.argument("file")
@click.option("--site", metavar="NAME", help="FILE was written by 'secret:site:local-generate': import it into site NAME.")
@_target_options
def seed_command(file: str, site: str | None, url: str, db: str | None) -> None:
    """Load a seed document (or a local-generate secrets file) into the emulator."""
    from urllib.parse import quote

    doc = _load_json(file)
    if db:
        summary = None
        try:
            with _store_file(db) as em:
                plan = em.import_local_file(site, doc) if site else em.seed(doc)
                summary = plan.summary()  # committed: from here on the seed is stored
        except KeyboardInterrupt:
            if summary is None:
                raise  # nothing was committed (the transaction rolled back): click says Aborted!
            click.echo(policy.Messages.SEED_STORED_BEFORE_INTERRUPT, err=True)
    elif site:
        summary = _control(url, "POST", f"/sites/{quote(site, safe='')}/import", doc)
    else:
        summary = _control(url, "POST", "/seed", doc)
    click.echo(seed_message(summary))


def seed_message(summary: dict[str, Any]) -> str:
    """The one line a seed prints: what it stored, and what it replaced."""
    M = policy.Messages
    text = M.SEEDED.format(users=len(summary["users"]), organizations=len(summary["organizations"]), sites=len(summary["sites"]))
    replaced = summary.get("replaced") or {}
    orgs, sites = replaced.get("organizations", []), replaced.get("sites", [])
    if summary.get("secrets_kept") and sites:
        text += M.SEED_IMPORTED_INTO.format(site=sites[0])
    elif orgs or sites:
        entities = [f"organization '{name}'" for name in orgs] + [f"site '{name}'" for name in sites]
        text += M.SEED_REPLACED.format(entities=", ".join(entities), whose="its" if len(entities) == 1 else "their")
    return text + "."


@main.command("export")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@_target_options
def export_command(output: str | None, url: str, db: str | None) -> None:
    """Print the emulator's whole world as a seed document."""
    if db:
        with _store_file(db) as em:
            state = em.export()
    else:
        state = _control(url, "GET", "/state")
    text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
    if output:
        from emulator.client.envfile import write_private

        try:
            write_private(output, text)  # 0600: it holds every value and token
        except OSError as error:
            _fail(f"Cannot write {output}: {error.strerror or error}")
        click.echo(f"World written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@main.command("reset")
@_target_options
def reset_command(url: str, db: str | None) -> None:
    """Remove every user, organization, site and secret."""
    if db:
        with _store_file(db) as em:
            em.reset()
    else:
        _control(url, "POST", "/reset")
    click.echo("Emulator reset.")


# The command groups of the other wings: Terminus' secret:* commands, and the client's
# env, php-prepend-path and ic-build.
from emulator.client.commands import COMMANDS as _CLIENT_COMMANDS  # noqa: E402
from emulator.client.doctor import doctor as _doctor  # noqa: E402
from emulator.client.ic_build import ic_build as _ic_build  # noqa: E402
from emulator.client.pull import pull as _pull  # noqa: E402
from emulator.terminus.commands import register as _register_terminus_commands  # noqa: E402

_register_terminus_commands(main)
for _command in (_ic_build, _doctor, _pull, *_CLIENT_COMMANDS):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
