"""Terminus-compatible ``secret:*`` commands, run against a running emulator (SPEC §8).

``pantheon-emulator secret:site:set mysite.dev NAME VALUE`` does what ``terminus
secret:site:set`` does: it looks the site up (Terminus asks Pantheon's API; we ask the
emulator's control plane), then makes the requests Terminus makes through
:class:`~emulator.client.ManagementClient` (including the POST -> 400 "PATCH" -> PATCH
retry), and prints what Terminus prints: log lines on stderr, tables and other formats
on stdout (:mod:`emulator.terminus_format`), exit code 0 on success and 1 on any error.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import click

from emulator.client import ClientError, ManagementClient, Unreachable
from emulator.client.envfile import write_private
from emulator.client.settings import load_client_config
from emulator.core.model import php_version_tuple
from emulator.terminus.formats import FORMATS, FormatError, Records, check_format, php_json_pretty_objects, php_truthy, render

REDACTED = "[REDACTED]"


class Text:
    """What Terminus (4.2+, secrets plugin 1.3.4) prints, byte for byte."""

    SECRET_SET = "Secret successfully set."
    SET_FAILED = "An error happened when trying to set the secret."
    SECRET_DELETED = "Secret successfully deleted."
    OVERRIDE_DELETED = "Secret environment override deleted if it existed."
    DELETE_FAILED = "An error happened when trying to delete the secret."
    NO_SECRETS = "You have no Secrets."
    NO_ENV_OVERRIDES = "There are no environment overrides in the environment '{env}'."
    FILE_WRITTEN = "Secrets file written to: {path}. Please review this file and adjust accordingly for your local usage."
    CANNOT_WRITE = "Unable to write to file: {path}"
    OLD_PHP = "Secrets are only supported on PHP >=8.0 environments. This environment is running PHP {version}."
    SITE_NOT_FOUND = "Could not locate a site your user may access identified by {site}."
    ENV_NOT_FOUND = "Could not find an environment identified by {env}."
    ORG_UNAVAILABLE = "Either the org is unavailable or you dont have permission to access it."
    ORG_NOT_MEMBER = 'An organization of which you are a member, identified by "{org}", could not be found.'


ORG_LABELS = {
    "name": "Secret name",
    "type": "Secret type",
    "value": "Secret value",
    "scopes": "Secret scopes",
    "env-values": "Environment override values",
}
SITE_LABELS = {**ORG_LABELS, "org-values": "Org values"}
SITE_DEFAULT_TABLE_FIELDS = ("name", "type", "value", "scopes")
FIELDS_HELP = "Fields to show, comma-separated keys or labels ('*' for all): " + ", ".join(SITE_LABELS) + "."


def log(level: str, message: str) -> None:
    """One Terminus log line on stderr: `` [notice] ...``, `` [error]  ...``, `` [warning] ...``."""
    click.echo(f" {'[' + level + ']':<8} {message}", err=True)


class Failure(Exception):
    """A command failed; each message becomes an error line and the exit code is 1."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = messages


def terminus_command(func: Callable[..., None]) -> Callable[..., None]:
    """Run a command body, turning every failure into Terminus error lines and exit code 1."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
            return
        except Failure as failure:
            messages = failure.messages
        except (ClientError, FormatError) as error:  # includes Unreachable: one line naming the URL
            messages = (error.message,)
        for message in messages:
            log("error", message)
        raise click.exceptions.Exit(1)

    return run


def connection_options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option(
        "--token", metavar="TOKEN", help="Machine token to send [env PANTHEON_EMULATOR_TOKEN; default: the demo user's]."
    )(func)
    func = click.option(
        "--url", metavar="URL", help="The running emulator [env PANTHEON_EMULATOR_URL; default http://127.0.0.1:8770]."
    )(func)
    return func


def management_client(url: str | None, token: str | None) -> ManagementClient:
    settings = load_client_config(url, token)
    return ManagementClient(settings.url, settings.token)


# -- looking things up, as Terminus does before it calls the secrets API ------------------


def split_site_env(ref: str, keep_rest: bool = False) -> tuple[str, str | None]:
    """``site.env`` split as Terminus splits it (set/delete drop a third part; list keeps it)."""
    if "." not in ref:
        return ref, None
    parts = ref.split(".", 1) if keep_rest else ref.split(".")
    return parts[0], parts[1]


def _look_up(fetch: Callable[[str], dict], ref: str, missing: str) -> dict:
    """``fetch(ref)`` from the control plane; a 404 fails with ``missing`` (Unreachable has no status)."""
    try:
        return fetch(ref)
    except ClientError as error:
        if error.status == 404:
            raise Failure(missing) from None
        raise


def lookup_site(client: ManagementClient, ref: str) -> dict:
    return _look_up(client.site_info, ref, Text.SITE_NOT_FOUND.format(site=ref))


def check_environment(site: dict, env: str) -> dict:
    environments = site.get("environments") or {}
    if env not in environments:
        raise Failure(Text.ENV_NOT_FOUND.format(env=env))
    return environments[env]


def lookup_org(client: ManagementClient, ref: str, missing: str) -> dict:
    return _look_up(client.organization_info, ref, missing)


def api_failure(error: ClientError, *lead: str, denied: str) -> Failure:
    """What Terminus shows when the secrets API refuses a call.

    A 403 means Terminus' own lookup of the site or organization would have failed
    first, with ``denied``; a 401 means it would not have got past its login check.
    """
    if isinstance(error, Unreachable):
        return Failure(error.message)
    if error.status == 403:
        return Failure(denied)
    if error.status == 401:
        return Failure(error.message)
    return Failure(*lead, error.message)


def warn_old_php(site: dict, environment: dict) -> None:
    version = str(environment.get("php_version") or "")
    if site.get("framework") != "nodejs" and php_version_tuple(version) < (8, 0):
        log("warning", Text.OLD_PHP.format(version=version))


def type_and_scopes(secret_type: str | None, scope: str | None) -> tuple[str | None, list[str] | None]:
    """``--type`` and ``--scope=a,b`` as Terminus sends them (falsy values are not sent)."""
    scopes = [part.strip() for part in scope.split(",")] if php_truthy(scope) else None
    return (secret_type if php_truthy(secret_type) else None), scopes


# -- writes: the same requests and messages for a site or an organization -------------------


def set_value_or_override(
    client: ManagementClient,
    kind: str,
    owner_id: str,
    name: str,
    value: str,
    env: str | None,
    type_scopes: tuple[str | None, list[str] | None],
    denied: str,
) -> None:
    """Set ``name`` (with ``env``: its override there) as ``secret:*:set`` does, and say so."""
    try:
        if env:
            client.set_override(kind, owner_id, name, env, value)
        else:
            client.set_secret(kind, owner_id, name, value, *type_scopes)
    except ClientError as error:
        raise api_failure(error, Text.SET_FAILED, denied=denied) from None
    log("notice", Text.SECRET_SET)


def delete_secret_or_override(
    client: ManagementClient, kind: str, owner_id: str, name: str, env: str | None, denied: str
) -> None:
    """Delete ``name`` and its overrides (with ``env``: only that override) as ``secret:*:delete`` does, and say so."""
    try:
        if env:
            client.delete_override(kind, owner_id, name, env)
        else:
            client.delete_secret(kind, owner_id, name)
    except ClientError as error:
        raise api_failure(error, Text.DELETE_FAILED, denied=denied) from None
    log("notice", Text.OVERRIDE_DELETED if env else Text.SECRET_DELETED)


# -- lists -----------------------------------------------------------------------------


def _php_array(value: Any) -> dict:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return dict(enumerate(value))
    return {}


def secret_rows(response: dict, with_org_values: bool) -> dict[Any, dict[str, Any]]:
    """The list response as Terminus' rows: name, type, value, scopes, env-values[, org-values]."""
    rows = {}
    for name, entry in _php_array(response.get("Secrets")).items():
        row = {
            "name": name,
            "type": entry.get("Type"),
            "value": entry.get("Value"),
            "scopes": entry.get("Scopes"),
            "env-values": _php_array(entry.get("EnvValues")),
        }
        if with_org_values:
            row["org-values"] = _php_array(entry.get("OrgValues"))
        rows[name] = row
    return rows


def render_secret_cell(key: Any, value: Any) -> Any:
    """Terminus' cell renderer: ``[REDACTED]`` for empty values, ``, ``-joined scopes, ``env=value`` maps."""
    if key == "value" and not php_truthy(value):
        return REDACTED
    if key == "scopes":
        return ", ".join(str(scope) for scope in _php_array(value).values())
    if key in ("env-values", "org-values"):
        return ", ".join(f"{env}={item if php_truthy(item) else REDACTED}" for env, item in _php_array(value).items())
    return value


def print_records(rows: dict, labels: dict[str, str], default_fields: tuple[str, ...], fmt: str, fields: str | None) -> None:
    click.echo(render(Records(rows, labels, default_fields, render_secret_cell), fmt, fields), nl=False)


def list_options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--fields", metavar="FIELDS", help=FIELDS_HELP)(func)
    func = click.option(
        "--format",
        "fmt",
        default="table",
        show_default=True,
        metavar="FORMAT",
        help="Format the result data. Available formats: " + ",".join(sorted(FORMATS)) + ".",
    )(func)
    return func


type_option = click.option(
    "--type", "secret_type", metavar="TYPE", help="Secret type: runtime (the default), env, composer or file."
)
scope_option = click.option(
    "--scope", metavar="SCOPES", help="Secret scopes, comma-separated: ic, web, user (the default). Ex: --scope=ic,web."
)


# -- site commands -------------------------------------------------------------------------


@click.command("secret:site:set")
@click.argument("site_env", metavar="<site>[.<env>]")
@click.argument("name")
@click.argument("value")
@type_option
@scope_option
@connection_options
@terminus_command
def site_set(
    site_env: str, name: str, value: str, secret_type: str | None, scope: str | None, url: str | None, token: str | None
) -> None:
    """Set a site secret, or with <site>.<env> an environment override.

    Aliases: secret-set, secret:set.
    """
    client = management_client(url, token)
    site_ref, env = split_site_env(site_env)
    site = lookup_site(client, site_ref)
    warn_old_php(site, check_environment(site, "dev" if env is None else env))
    set_value_or_override(
        client,
        "site",
        site["id"],
        name,
        value,
        env,
        type_and_scopes(secret_type, scope),
        denied=Text.SITE_NOT_FOUND.format(site=site_ref),
    )


@click.command("secret:site:list")
@click.argument("site_env", metavar="<site>")
@list_options
@connection_options
@terminus_command
def site_list(site_env: str, fmt: str, fields: str | None, url: str | None, token: str | None) -> None:
    """List a site's secrets, with its owner organization's.

    Aliases: secrets, secret:list.
    """
    check_format(fmt)
    client = management_client(url, token)
    site_ref, env = split_site_env(site_env, keep_rest=True)
    site = lookup_site(client, site_ref)
    if env:
        check_environment(site, env)
    try:
        response = client.list_secrets("site", site["id"])
    except ClientError as error:
        raise api_failure(error, denied=Text.SITE_NOT_FOUND.format(site=site_ref)) from None
    rows = secret_rows(response, with_org_values=True)
    if not rows:
        log("warning", Text.NO_ENV_OVERRIDES.format(env=env) if env else Text.NO_SECRETS)
    print_records(rows, SITE_LABELS, SITE_DEFAULT_TABLE_FIELDS, fmt, fields)


@click.command("secret:site:delete")
@click.argument("site_env", metavar="<site>[.<env>]")
@click.argument("name")
@connection_options
@terminus_command
def site_delete(site_env: str, name: str, url: str | None, token: str | None) -> None:
    """Delete a site secret and its overrides, or with <site>.<env> one override.

    Aliases: secret-delete, secret:delete.
    """
    client = management_client(url, token)
    site_ref, env = split_site_env(site_env)
    site = lookup_site(client, site_ref)
    if env is not None:
        check_environment(site, env)
    delete_secret_or_override(client, "site", site["id"], name, env, denied=Text.SITE_NOT_FOUND.format(site=site_ref))


@click.command("secret:site:local-generate")
@click.argument("site_env", metavar="<site>")
@click.option(
    "--filepath",
    default="secrets.json",
    show_default=True,
    metavar="PATH",
    help="Where to write the file for the SDK's fake client (CUSTOMER_SECRETS_FAKE_FILE).",
)
@connection_options
@terminus_command
def site_local_generate(site_env: str, filepath: str, url: str | None, token: str | None) -> None:
    """Write a site's secrets to a JSON file for local development.

    Alias: secret:local-generate.
    """
    client = management_client(url, token)
    site_ref, _ = split_site_env(site_env, keep_rest=True)
    site = lookup_site(client, site_ref)
    try:
        response = client.list_secrets("site", site["id"])
    except ClientError as error:
        raise api_failure(error, denied=Text.SITE_NOT_FOUND.format(site=site_ref)) from None
    try:
        write_private(filepath, php_json_pretty_objects(response), make_parents=False)  # 0600: it holds values
    except (OSError, ValueError):
        raise Failure(Text.CANNOT_WRITE.format(path=filepath)) from None
    log("notice", Text.FILE_WRITTEN.format(path=filepath))


# -- organization commands -------------------------------------------------------------------


@click.command("secret:org:set")
@click.argument("org")
@click.argument("name")
@click.argument("value")
@type_option
@scope_option
@click.option("--env", metavar="ENV", help="Set an override for this environment instead of the value.")
@connection_options
@terminus_command
def org_set(
    org: str,
    name: str,
    value: str,
    secret_type: str | None,
    scope: str | None,
    env: str | None,
    url: str | None,
    token: str | None,
) -> None:
    """Set an organization secret, or with --env an environment override.

    Alias: secret-org-set.
    """
    client = management_client(url, token)
    not_member = Text.ORG_NOT_MEMBER.format(org=org)
    found = lookup_org(client, org, not_member)
    set_value_or_override(
        client,
        "org",
        found["id"],
        name,
        value,
        env if php_truthy(env) else None,
        type_and_scopes(secret_type, scope),
        denied=not_member,
    )


@click.command("secret:org:list")
@click.argument("org")
@list_options
@connection_options
@terminus_command
def org_list(org: str, fmt: str, fields: str | None, url: str | None, token: str | None) -> None:
    """List an organization's secrets.

    Alias: secret-org-list.
    """
    check_format(fmt)
    client = management_client(url, token)
    found = lookup_org(client, org, Text.ORG_UNAVAILABLE)
    try:
        response = client.list_secrets("org", found["id"])
    except ClientError as error:
        if error.status == 404:
            raise Failure(Text.ORG_UNAVAILABLE) from None
        raise api_failure(error, denied=Text.ORG_UNAVAILABLE) from None
    rows = secret_rows(response, with_org_values=False)
    if not rows:
        log("warning", Text.NO_SECRETS)
    print_records(rows, ORG_LABELS, (), fmt, fields)


@click.command("secret:org:delete")
@click.argument("org")
@click.argument("name")
@click.option("--env", metavar="ENV", help="Delete only the override for this environment.")
@connection_options
@terminus_command
def org_delete(org: str, name: str, env: str | None, url: str | None, token: str | None) -> None:
    """Delete an organization secret and its overrides, or with --env one override.

    Alias: secret-org-delete.
    """
    client = management_client(url, token)
    not_member = Text.ORG_NOT_MEMBER.format(org=org)
    found = lookup_org(client, org, not_member)
    delete_secret_or_override(client, "org", found["id"], name, env if php_truthy(env) else None, denied=not_member)


# -- registration ---------------------------------------------------------------------------

COMMANDS: tuple[tuple[click.Command, tuple[str, ...]], ...] = (
    (site_set, ("secret-set", "secret:set")),
    (site_list, ("secrets", "secret:list")),
    (site_delete, ("secret-delete", "secret:delete")),
    (site_local_generate, ("secret:local-generate",)),
    (org_set, ("secret-org-set",)),
    (org_list, ("secret-org-list",)),
    (org_delete, ("secret-org-delete",)),
)


def _alias(command: click.Command, name: str) -> click.Command:
    alias = copy.copy(command)
    alias.name = name
    alias.hidden = True  # listed once in --help, under the command's own name
    return alias


def register(group: click.Group) -> None:
    """Add every secret:* command and its Terminus aliases to ``group``."""
    for command, aliases in COMMANDS:
        group.add_command(command)
        for name in aliases:
            group.add_command(_alias(command, name))
