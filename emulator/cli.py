"""The ``pantheon-emulator`` command: serve, seed, export, reset.

The Terminus-compatible ``secret:*`` commands are registered from :mod:`emulator.terminus`.
"""

from __future__ import annotations

import json
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import click

from emulator.core import policy
from emulator.core.errors import EmulatorError

if TYPE_CHECKING:
    from emulator.core.store import Store

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
@click.option("--no-rate-limit", "no_rate_limit", is_flag=True, default=None, help="Turn the 3 requests/s limit off [env PANTHEON_EMULATOR_RATE_LIMIT=0].")
@click.option("--cache-ttl", type=float, metavar="SECONDS", help="Runtime cache lifetime, 0 disables [env PANTHEON_EMULATOR_CACHE_TTL; default 900].")
@click.option("--threads", type=int, help="Worker threads of the WSGI server [env PANTHEON_EMULATOR_THREADS; default 8].")
@click.option("--plugin", "plugins", metavar="MODULE", multiple=True,
              help="Load a plugin module; repeatable [env PANTHEON_EMULATOR_PLUGINS, comma separated].")
@click.option("--block-plugin", "blocked_plugins", metavar="NAME", multiple=True,
              help="Never load the plugin NAME (e.g. demo-world); repeatable [env PANTHEON_EMULATOR_BLOCKED_PLUGINS].")
def serve(**options: Any) -> None:
    """Run the emulator under the waitress WSGI server until Ctrl-C."""
    from emulator.web.app import create_app
    from emulator.config import load_config

    if options.pop("no_rate_limit"):
        options["rate_limit"] = False
    for name in ("plugins", "blocked_plugins"):
        options[name] = list(options[name]) or None
    try:
        config = load_config(options)
        app = create_app(config)
    except EmulatorError as error:
        _fail(error.message)
    run_server(app, config)


def run_server(app, config) -> None:
    from emulator.web.server import create_wsgi_server

    em = app.extensions["pantheon_emulator"]
    try:
        server = create_wsgi_server(app, host=config.host, port=config.port, threads=config.threads)
    except OSError as error:
        _fail(f"Cannot listen on {config.host}:{config.port}: {error.strerror or error}")
    url = f"http://{config.host}:{server.effective_port}"
    _banner(em, config, url)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        em.store.close()
        click.echo("Pantheon secrets emulator stopped.", err=True)


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


def _banner(em, config, url: str) -> None:
    echo = lambda text="": click.echo(text, err=True)  # noqa: E731
    echo(f"Pantheon secrets emulator listening on {url}")
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        echo(f"WARNING: bound to {config.host}, reachable from other machines. The emulator has no real "
             "authentication; never expose it to a network you do not trust.")
    else:
        echo(f"Bound to {config.host} only (use --host to change).")
    echo(f"Store: {'memory (lost on exit)' if config.memory else Path(config.db).resolve()}")
    echo(f"Rate limit: {'%d requests per %g s per user' % (config.rate_limit_requests, config.rate_limit_window) if config.rate_limit else 'off'}; "
         f"runtime cache: {'%g s' % config.cache_ttl if config.cache_ttl else 'off'}")
    from emulator.hooks.manager import plugin_names

    echo(f"Plugins: {', '.join(plugin_names(em.hooks)) or 'none'}")
    users, sites = em.store.users(), em.store.sites()
    for user in users[:5]:
        echo(f"User: {user.email}  token: {user.token}")
    for site in sites[:5]:
        owner = em.store.organization(site.owner).name if site.owner else "(personal)"
        echo(f"Site: {site.name}  org: {owner}  environments: {', '.join(site.environments)}  runtime token: {site.runtime_token}")
    if users:
        echo("Try:")
        echo(f"  curl -H 'Authorization: {users[0].token}' {url}/customer-secrets/v1/sites/"
             f"{sites[0].name if sites else '<site>'}/secrets/showall")
    echo("Press Ctrl-C to stop.")


# -- control-plane twins ---------------------------------------------------------------

def _target_options(func):
    func = click.option("--db", "db", metavar="PATH", help="Act on this store file directly instead of a running server.")(func)
    func = click.option("--url", envvar="PANTHEON_EMULATOR_URL", default=DEFAULT_URL, show_default=True,
                        help="The running emulator [env PANTHEON_EMULATOR_URL].")(func)
    return func


def _control(url: str, method: str, path: str, payload: Any = None) -> Any:
    """Call the running emulator's control plane; any failure is one line naming it."""
    import requests

    from emulator.client import ClientError, reaching

    try:
        with reaching(url, CONTROL_TIMEOUT):
            response = requests.request(method, url.rstrip("/") + "/_emulator" + path, json=payload, timeout=CONTROL_TIMEOUT)
    except ClientError as error:
        _fail(error.message)
    if response.status_code >= 400:
        _fail(response.text)
    return response.json()


@contextmanager
def _store_file(db: str) -> Iterator[Store]:
    """The store in file ``db``, closed afterwards; its errors become one line."""
    from emulator.core.store import Store

    try:
        store = Store(db)
    except EmulatorError as error:
        _fail(error.message)
    try:
        yield store
    except EmulatorError as error:
        _fail(error.message)
    finally:
        store.close()


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
    from emulator.core import seed as seeding
    from emulator.core.store import Store

    doc = _load_json(file)
    if db:
        with _store_file(db) as store:
            if site:
                doc = seeding.from_local_generate(store, doc, site)
            summary = seeding.apply_seed(store, doc).summary()
    else:
        if site:
            scratch = Store(":memory:")  # the server's world, to convert the file against
            try:
                seeding.apply_seed(scratch, _control(url, "GET", "/state"))
                doc = seeding.from_local_generate(scratch, doc, site)
            except EmulatorError as error:
                _fail(error.message)
            finally:
                scratch.close()
        summary = _control(url, "POST", "/seed", doc)
    click.echo(
        f"Seeded {len(summary['users'])} user(s), {len(summary['organizations'])} organization(s), "
        f"{len(summary['sites'])} site(s)."
    )


@main.command("export")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@_target_options
def export_command(output: str | None, url: str, db: str | None) -> None:
    """Print the emulator's whole world as a seed document."""
    from emulator.core import seed as seeding

    if db:
        with _store_file(db) as store:
            state = seeding.export_state(store)
    else:
        state = _control(url, "GET", "/state")
    text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"World written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@main.command("reset")
@_target_options
def reset_command(url: str, db: str | None) -> None:
    """Remove every user, organization, site and secret."""
    if db:
        with _store_file(db) as store:
            store.clear()
    else:
        _control(url, "POST", "/reset")
    click.echo("Emulator reset.")


from emulator.terminus.commands import register as register_terminus_commands  # noqa: E402

register_terminus_commands(main)

# Consumers: ic-build, env, php-prepend-path (emulator/consumer_cli.py).
from emulator.client.commands import register as _register_consumer_commands  # noqa: E402

_register_consumer_commands(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
