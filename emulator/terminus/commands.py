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
import time
from collections.abc import Callable, Sequence
from typing import Any

import click

from emulator.client import ClientError, ManagementClient, Unreachable
from emulator.client.api import API_PREFIX, reaching, retry_after_seconds
from emulator.client.envfile import write_private
from emulator.client.settings import load_client_config
from emulator.core import policy
from emulator.core.model import php_version_tuple
from emulator.core.secrets_file import file_text
from emulator.core.version import __version__
from emulator.terminus import console
from emulator.terminus.console import OPTIONAL, REQUIRED, Option
from emulator.terminus.filter import apply_filter
from emulator.terminus.formats import (
    FORMATS,
    FormatError,
    Records,
    check_format,
    php_truthy,
    render,
    terminal_width,
)

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
    OLD_PHP = "Secrets are only supported on PHP {supported} environments. This environment is running PHP {version}."
    SITE_NOT_FOUND = "Could not locate a site your user may access identified by {site}: {reason}"
    ENV_NOT_FOUND = "Could not find an environment identified by {env}."
    ORG_UNAVAILABLE = "Either the org is unavailable or you dont have permission to access it."
    ORG_NOT_MEMBER = "Could not find an user-organization membership identified by {org}."
    # Terminus core's retry of any answer but 20x/40x (src/Request/Request.php, createRetryDecider).
    RETRY_FIRST = "HTTP request {method} {uri} has failed: status code - {status}"
    RETRY_NEXT = "Retrying {method} {uri} {retry} out of {max} (reason: status code - {status})"
    RETRY_WAIT = "Retrying in {seconds} seconds."
    RETRY_GAVE_UP = "HTTP request {method} {uri} has failed with error {error}."
    RETRIES_EXHAUSTED = 'HTTP request has failed with error "Maximum retry attempts reached".'


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


class Output:
    """Symfony's verbosity for this command: -q prints nothing at all, -v shows warnings of retries."""

    quiet = False
    verbosity = 0
    ansi = False  # --ansi: Symfony's decorated output (set from the command line before parsing)

    @classmethod
    def color(cls) -> bool | None:
        """click.echo's ``color``: keep our escapes with --ansi (else click's own rule)."""
        return True if cls.ansi else None

    @classmethod
    def set(cls, quiet: bool, verbosity: int) -> None:
        cls.quiet, cls.verbosity = quiet, verbosity


def log(level: str, message: str, **values: str) -> None:
    """One Terminus log line on stderr: `` [notice] ...``, `` [warning] ...``, `` [error]  ... ``.

    Terminus' error lines end with a space (its logger pads the message); the others do not.
    ``values`` fill the message's ``{placeholders}`` (green with ``--ansi``); without them
    the message is printed as it is.
    """
    if Output.quiet:
        return
    click.echo(console.log_line(level, message, values, Output.ansi), err=True, color=Output.color())


def out(text: str) -> None:
    """Data on standard output (nothing with -q)."""
    if not Output.quiet:
        click.echo(text, nl=False, color=Output.color())


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


class TerminusClient(ManagementClient):
    """The management client as Terminus behaves on the wire.

    A secrets API answer that is neither 20x nor 40x (a 429, a 5xx) is retried up to
    ``policy.TERMINUS_MAX_RETRIES`` times as Terminus' core does; we wait what the
    server's ``Retry-After`` says (bounded) instead of Terminus' 5, 10, ... 25 seconds.
    With ``--debug`` each secrets API call prints the stream notifications PHP reports.
    """

    debug = False

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:  # a requests.Response
        headers = {**headers, "Connection": "close"}  # as Terminus (Guzzle's stream handler) sends it
        if not path.startswith(API_PREFIX):
            return super()._send(method, path, body, headers)
        uri = f"{self.url}{path}"
        retry = 0
        while True:
            with reaching(self.url, self.timeout):
                response = self.session.request(method, uri, json=body, headers=headers, timeout=self.timeout)
            if self.debug:
                out(debug_lines(method, uri, response))
            if response.status_code < 400 or not retried(response.status_code):
                break
            if retry == policy.TERMINUS_MAX_RETRIES:
                # Terminus reads the body once to test it and again to show it: a body shows as "".
                # Terminus colours the method and the error, not the URI (not a string in its context).
                gave_up = Text.RETRY_GAVE_UP.replace("{uri}", uri)
                log("error", gave_up, method=method, error="" if response.content else "Undefined")
                raise ClientError(Text.RETRIES_EXHAUSTED, None)
            wait = retry_wait(response.headers.get("Retry-After"))
            if Output.verbosity:
                status = response.status_code
                if retry == 0:
                    log("warning", Text.RETRY_FIRST.format(method=method, uri=uri, status=status))
                else:
                    log(
                        "warning",
                        Text.RETRY_NEXT.format(
                            method=method, uri=uri, retry=retry, max=policy.TERMINUS_MAX_RETRIES, status=status
                        ),
                    )
                log("warning", Text.RETRY_WAIT.format(seconds=f"{wait:g}"))
            time.sleep(wait)
            retry += 1
        if response.status_code >= 400:
            raise ClientError(response.text, response.status_code, response.headers.get("Retry-After"))
        return response


def retried(status: int) -> bool:
    """Terminus retries every answer whose code does not read 20x or 40x."""
    text = str(status)
    return not (len(text) == 3 and text[0] in "24" and text[1] == "0")


def retry_wait(retry_after: str | None) -> float:
    """Seconds to wait before the next try: the server's Retry-After, within bounds."""
    return retry_after_seconds(retry_after, policy.TERMINUS_RETRY_DEFAULT_WAIT_SECONDS, policy.TERMINUS_RETRY_MAX_WAIT_SECONDS)


def debug_lines(method: str, uri: str, response: Any) -> str:
    """What the secrets plugin's --debug prints for one call (PHP's stream notifications)."""
    head = f"<{method} {uri}>"
    lines = [f"{head} [CONNECT] "]
    if response.status_code >= 400:
        version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(getattr(response.raw, "version", 11), "HTTP/1.1")
        lines.append(
            f'{head} [FAILURE] severity: "2" message: "{version} {response.status_code} {response.reason}\n" '
            f'message_code: "{response.status_code}" '
        )
    size = response.headers.get("Content-Length")
    if size is not None:
        lines.append(f'{head} [FILE_SIZE_IS] message: "Content-Length: {size}" bytes_max: "{size}" ')
    mime = response.headers.get("Content-Type")
    if mime is not None:
        lines.append(f'{head} [MIME_TYPE_IS] message: "{mime}" ')
    if size is not None:
        lines.append(f'{head} [PROGRESS] bytes_max: "{size}" ')
        if len(response.content):
            lines.append(f'{head} [PROGRESS] bytes_transferred: "{len(response.content)}" bytes_max: "{size}" ')
    return "".join(line + "\n" for line in lines)


def management_client(url: str | None, token: str | None, debug: bool = False) -> TerminusClient:
    settings = load_client_config(url, token)
    client = TerminusClient(settings.url, settings.token)
    client.debug = debug
    return client


# -- looking things up, as Terminus does before it calls the secrets API ------------------


def split_site_env(ref: str, keep_rest: bool = False) -> tuple[str, str | None]:
    """``site.env`` split as Terminus splits it (set/delete drop a third part; list keeps it)."""
    if "." not in ref:
        return ref, None
    parts = ref.split(".", 1) if keep_rest else ref.split(".")
    return parts[0], parts[1]


def _look_up(fetch: Callable[[str], dict], ref: str, missing: str) -> dict:  # organizations
    """``fetch(ref)`` from the control plane; a 404 fails with ``missing`` (Unreachable has no status)."""
    try:
        return fetch(ref)
    except ClientError as error:
        if error.status == 404:
            raise Failure(missing) from None
        raise


def lookup_site(client: ManagementClient, ref: str) -> dict:
    """The site as Terminus finds it; a 404 fails with Terminus' words and the server's reason."""
    try:
        return client.site_info(ref)
    except ClientError as error:
        if error.status == 404:
            raise Failure(Text.SITE_NOT_FOUND.format(site=ref, reason=error.message)) from None
        raise


def site_denied(site_ref: str) -> str:
    """What Terminus says of a site the user may not manage: its core API does not find it."""
    return Text.SITE_NOT_FOUND.format(site=site_ref, reason=policy.Messages.CORE_SITE_NOT_FOUND.format(site=site_ref))


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
    if isinstance(error, Unreachable) or error.status is None:  # unreachable, or retries exhausted
        return Failure(error.message)
    if error.status == 403:
        return Failure(denied)
    if error.status == 401:
        return Failure(error.message)
    return Failure(*lead, error.message)


def warn_old_php(site: dict, environment: dict) -> None:
    version = str(environment.get("php_version") or "")
    if site.get("framework") != "nodejs" and php_version_tuple(version) < (8, 0):
        log("warning", Text.OLD_PHP, supported=">=8.0", version=version)


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


# ``--format=var_dump`` shows PHP's handle of the dumped object; it is not stable in PHP (it
# depends on what the run allocated first: 1102, 1201, 1245 observed for site lists), so we
# print the one real Terminus prints for a plain list (docs/parity.md).
SITE_LIST_OBJECT_ID = 1102
ORG_LIST_OBJECT_ID = 1244


def print_records(
    rows: dict,
    labels: dict[str, str],
    default_fields: tuple[str, ...],
    fmt: str,
    fields: str | None,
    field: str | None,
    object_id: int = SITE_LIST_OBJECT_ID,
) -> None:
    """Rows in ``fmt``; ``--field`` picks one field and forces the ``string`` format, as Terminus does."""
    if php_truthy(field):
        fmt, fields = "string", field
    out(render(Records(rows, labels, default_fields, render_secret_cell, object_id), fmt, fields or None, ansi=Output.ansi))


# -- the command line: Symfony's options, usage errors and global options ------------------

DEBUG = Option("debug")
LIST_OPTIONS = (Option("format", REQUIRED), Option("fields", REQUIRED), Option("field", REQUIRED))
CONNECTION = (Option("url", REQUIRED, in_synopsis=False), Option("token", REQUIRED, in_synopsis=False))


class TerminusCommand(click.Command):
    """A click command that reads its command line as Symfony Console does.

    Before click parses, the arguments are checked with Symfony's rules: an unknown
    option, a missing value or a wrong number of arguments prints Symfony's block and
    the command's synopsis on stderr and exits 1. ``-V`` prints the version and ``-h``
    the help, whatever else the line holds.
    """

    def __init__(self, *args: Any, symfony_options: Sequence[Option], symfony_arguments: Sequence[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.symfony_name = self.name or ""  # aliases keep the command's own name in their synopsis
        self.symfony_options = (*symfony_options, *console.GLOBAL_OPTIONS, *CONNECTION)
        self.symfony_arguments = tuple(symfony_arguments)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        asked = console.wants_help_or_version(args)
        if asked == "version":
            click.echo(policy.TERMINUS_VERSION_LINE.format(version=__version__))
            ctx.exit(0)
        if asked == "help":
            click.echo(self.get_help(ctx))
            ctx.exit(0)
        name = self.symfony_name
        Output.ansi = console.wants_ansi(args)
        try:
            console.check(name, args, self.symfony_options, self.symfony_arguments)
        except console.UsageError as error:
            line = console.synopsis(name, self.symfony_options, self.symfony_arguments)
            if "-q" not in args and "--quiet" not in args:
                click.echo(
                    console.usage_block(error.message, line, terminal_width(), Output.ansi),
                    nl=False,
                    err=True,
                    color=Output.color(),
                )
            ctx.exit(1)
        return super().parse_args(ctx, args)


def terminus(name: str, arguments: Sequence[str], options: Sequence[Option]) -> Callable[[Callable[..., None]], click.Command]:
    """``@click.command(name)`` as a TerminusCommand that also takes Terminus' global options."""

    def decorate(func: Callable[..., None]) -> click.Command:
        for option in reversed(GLOBAL_CLICK_OPTIONS):
            func = option(func)
        return click.command(
            name,
            cls=TerminusCommand,
            symfony_options=options,
            symfony_arguments=arguments,
            context_settings={"help_option_names": ["-h", "--help"]},
        )(func)

    return decorate


GLOBAL_CLICK_OPTIONS = (
    click.option("-q", "--quiet", is_flag=True, help="Do not output any message."),
    click.option("-v", "--verbose", count=True, help="Increase the verbosity of messages (-v, -vv, -vvv)."),
    click.option("-V", "--version", "show_version", is_flag=True, help="Display this application's version."),
    click.option("--ansi/--no-ansi", default=None, help="Force (or disable) ANSI colours, as Terminus does; --ansi wins."),
    click.option("-n", "--no-interaction", is_flag=True, help="Do not ask any interactive question (none is asked)."),
    click.option("-y", "--yes", is_flag=True, help="Answer all confirmations with yes (none is asked)."),
    click.option("-D", "--define", multiple=True, metavar="DEFINE", help="Define a configuration item (accepted, unused)."),
)


def terminus_options(kwargs: dict[str, Any]) -> None:
    """Take the global options out of a command's keyword arguments and apply them."""
    for key in ("show_version", "ansi", "no_interaction", "yes", "define"):
        kwargs.pop(key, None)
    Output.set(bool(kwargs.pop("quiet", False)), int(kwargs.pop("verbose", 0) or 0))


def with_globals(func: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> None:
        terminus_options(kwargs)
        func(*args, **kwargs)

    return run


def list_options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--field", metavar="FIELD", default="", help="Select just one field, and force format to string.")(func)
    func = click.option("--fields", metavar="FIELDS", default="", help=FIELDS_HELP)(func)
    func = click.option(
        "--format",
        "fmt",
        default="table",
        show_default=True,
        metavar="FORMAT",
        help="Format the result data. Available formats: " + ",".join(sorted(FORMATS)) + ".",
    )(func)
    return func


filter_option = click.option(
    "--filter",
    "filter_",
    is_flag=False,
    flag_value="1",
    default="",
    metavar="FILTER",
    help="Filter output: field=value, field*=part, field~=/regex/, with !, && and ||.",
)
debug_option = click.option("--debug", is_flag=True, help="Run command in debug mode (show each secrets API call).")
type_option = click.option(
    "--type",
    "secret_type",
    is_flag=False,
    flag_value="1",
    metavar="TYPE",
    help="Secret type: runtime (the default), env, composer, file or vcs.",
)
scope_option = click.option(
    "--scope",
    is_flag=False,
    flag_value="1",
    metavar="SCOPES",
    help="Secret scopes, comma-separated: ic, web, user (the default). Ex: --scope=ic,web.",
)
env_option = click.option("--env", is_flag=False, flag_value="1", metavar="ENV", help="The environment of an override.")
SET_OPTIONS = (Option("type", OPTIONAL), Option("scope", OPTIONAL))


# -- site commands -------------------------------------------------------------------------


@terminus("secret:site:set", ("siteenv", "name", "value"), (*SET_OPTIONS, DEBUG))
@click.argument("site_env", metavar="<site>[.<env>]")
@click.argument("name")
@click.argument("value")
@type_option
@scope_option
@debug_option
@connection_options
@with_globals
@terminus_command
def site_set(
    site_env: str,
    name: str,
    value: str,
    secret_type: str | None,
    scope: str | None,
    debug: bool,
    url: str | None,
    token: str | None,
) -> None:
    """Set a site secret, or with <site>.<env> an environment override.

    Aliases: secret-set, secret:set.
    """
    client = management_client(url, token, debug)
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
        denied=site_denied(site_ref),
    )


@terminus("secret:site:list", ("site_id",), (DEBUG, *LIST_OPTIONS, Option("filter", OPTIONAL)))
@click.argument("site_env", metavar="<site>")
@list_options
@filter_option
@debug_option
@connection_options
@with_globals
@terminus_command
def site_list(
    site_env: str,
    fmt: str,
    fields: str,
    field: str,
    filter_: str,
    debug: bool,
    url: str | None,
    token: str | None,
) -> None:
    """List a site's secrets, with its owner organization's (<site>.<env> lists the whole site).

    Aliases: secrets, secret:list.
    """
    check_format(fmt)
    client = management_client(url, token, debug)
    site_ref, env = split_site_env(site_env, keep_rest=True)
    site = lookup_site(client, site_ref)
    try:
        response = client.list_secrets("site", site["id"])
    except ClientError as error:
        raise api_failure(error, denied=site_denied(site_ref)) from None
    rows = secret_rows(response, with_org_values=True)
    if not rows:  # the environment is not checked: it only changes this warning
        log("warning", Text.NO_ENV_OVERRIDES.format(env=env) if env else Text.NO_SECRETS)
    rows = apply_filter(rows, filter_)
    print_records(rows, SITE_LABELS, SITE_DEFAULT_TABLE_FIELDS, fmt, fields, field)


@terminus("secret:site:delete", ("siteenv", "name"), (DEBUG,))
@click.argument("site_env", metavar="<site>[.<env>]")
@click.argument("name")
@debug_option
@connection_options
@with_globals
@terminus_command
def site_delete(site_env: str, name: str, debug: bool, url: str | None, token: str | None) -> None:
    """Delete a site secret and its overrides, or with <site>.<env> one override.

    Aliases: secret-delete, secret:delete.
    """
    client = management_client(url, token, debug)
    site_ref, env = split_site_env(site_env)
    site = lookup_site(client, site_ref)
    denied = site_denied(site_ref)
    delete_secret_or_override(client, "site", site["id"], name, env, denied=denied)


@terminus("secret:site:local-generate", ("site_id",), (Option("filepath", OPTIONAL), *LIST_OPTIONS))
@click.argument("site_env", metavar="<site>")
@click.option(
    "--filepath",
    is_flag=False,
    flag_value="1",
    default="secrets.json",
    show_default=True,
    metavar="PATH",
    help="Where to write the file for the SDK's fake client (CUSTOMER_SECRETS_FAKE_FILE).",
)
@list_options
@connection_options
@with_globals
@terminus_command
def site_local_generate(
    site_env: str, filepath: str, fmt: str, fields: str, field: str, url: str | None, token: str | None
) -> None:
    """Write a site's secrets to a JSON file for local development (--format and --fields change nothing).

    Alias: secret:local-generate.
    """
    client = management_client(url, token)
    site_ref, _ = split_site_env(site_env, keep_rest=True)
    site = lookup_site(client, site_ref)
    try:
        response = client.list_secrets("site", site["id"])
    except ClientError as error:
        raise api_failure(error, denied=site_denied(site_ref)) from None
    path = filepath or "secrets.json"
    try:
        write_private(path, file_text(response), make_parents=False)  # 0600: it holds values
    except (OSError, ValueError):
        raise Failure(Text.CANNOT_WRITE.format(path=path)) from None
    log("notice", Text.FILE_WRITTEN.format(path=path))


# -- organization commands -------------------------------------------------------------------


@terminus("secret:org:set", ("org_id", "name", "value"), (*SET_OPTIONS, Option("env", OPTIONAL), DEBUG))
@click.argument("org")
@click.argument("name")
@click.argument("value")
@type_option
@scope_option
@env_option
@debug_option
@connection_options
@with_globals
@terminus_command
def org_set(
    org: str,
    name: str,
    value: str,
    secret_type: str | None,
    scope: str | None,
    env: str | None,
    debug: bool,
    url: str | None,
    token: str | None,
) -> None:
    """Set an organization secret, or with --env an environment override.

    Alias: secret-org-set.
    """
    client = management_client(url, token, debug)
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


@terminus("secret:org:list", ("org_id",), (DEBUG, *LIST_OPTIONS, Option("filter", OPTIONAL)))
@click.argument("org")
@list_options
@filter_option
@debug_option
@connection_options
@with_globals
@terminus_command
def org_list(org: str, fmt: str, fields: str, field: str, filter_: str, debug: bool, url: str | None, token: str | None) -> None:
    """List an organization's secrets.

    Alias: secret-org-list.
    """
    check_format(fmt)
    client = management_client(url, token, debug)
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
    rows = apply_filter(rows, filter_)
    print_records(rows, ORG_LABELS, (), fmt, fields, field, ORG_LIST_OBJECT_ID)


@terminus("secret:org:delete", ("org_id", "name"), (Option("env", OPTIONAL), DEBUG))
@click.argument("org")
@click.argument("name")
@env_option
@debug_option
@connection_options
@with_globals
@terminus_command
def org_delete(org: str, name: str, env: str | None, debug: bool, url: str | None, token: str | None) -> None:
    """Delete an organization secret and its overrides, or with --env one override.

    Alias: secret-org-delete.
    """
    client = management_client(url, token, debug)
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
