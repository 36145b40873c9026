"""``pantheon-emulator doctor``: what will fail, environment by environment, before a push.

It compares what a site's code needs (:mod:`emulator.client.sitecode`, read, never run)
with what the site has (:mod:`emulator.client.layout`, from a running emulator or any
server speaking Pantheon's API), and reports each finding with the file and line it
comes from, a severity, and the Terminus command that fixes it. The failure modes are
those of Pantheon's secrets troubleshooting page. Values are never read into a finding.
Exit code 1 when an error is found, else 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from emulator.client.api import ClientError
from emulator.client.composer_auth import AUTH_KINDS, PAIR_KINDS
from emulator.client.layout import COMPOSER_AUTH, Held, SiteLayout, from_emulator, from_pantheon
from emulator.client.pantheon import PantheonClient
from emulator.client.sitecode import Read, SiteCode, SiteCodeError, Where, read_site_code
from emulator.core import policy
from emulator.core.model import IC_ENVIRONMENTS_EXCLUDED, Environment

M = policy.Messages
ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = (ERROR, WARNING, INFO)
PHP_UPGRADE_REMEDY = "set 'php_version: 8.3' in pantheon.yml, commit and push"


@dataclass
class Finding:
    severity: str
    check: str
    message: str
    where: Where | None = None
    remedy: str | None = None
    environments: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "file": self.where.file if self.where else None,
            "line": self.where.line if self.where else None,
            "environments": self.environments,
            "remedy": self.remedy,
        }


class Report:
    """Findings merged across environments: one finding, the environments it holds in."""

    def __init__(self) -> None:
        self.findings: dict[tuple, Finding] = {}

    def add(self, env: str, severity: str, check: str, message: str, where: Where | None = None, remedy: str | None = None):
        key = (severity, check, message, where, remedy)
        finding = self.findings.setdefault(key, Finding(severity, check, message, where, remedy))
        if env not in finding.environments:
            finding.environments.append(env)

    def sorted(self) -> list[Finding]:
        return sorted(
            self.findings.values(),
            key=lambda f: (SEVERITY_ORDER.index(f.severity), f.where.file if f.where else "~", f.where.line if f.where else 0),
        )

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings.values() if f.severity == severity)


# -- remedies: runnable Terminus commands ----------------------------------------------------


def _placeholder(name: str, type_: str) -> str:
    kind = name.partition(".")[0]
    if type_ == "composer" and kind in PAIR_KINDS:
        first, second = PAIR_KINDS[kind]
        return f"'<{first}> <{second}>'"
    return "'<token>'" if type_ == "composer" else "'<value>'"


def set_command(layout: SiteLayout, name: str, type_: str, scopes: Iterable[str], layer: str = "site") -> str:
    scope = ",".join(scopes)
    if layer == "org" and layout.owner:
        return f"terminus secret:org:set {layout.owner} {name} {_placeholder(name, type_)} --type={type_} --scope={scope}"
    return f"terminus secret:site:set {layout.name} {name} {_placeholder(name, type_)} --type={type_} --scope={scope}"


def recreate_command(layout: SiteLayout, name: str, held: Held, type_: str, scopes: Iterable[str]) -> str:
    if held.layer == "org" and layout.owner:
        delete = f"terminus secret:org:delete {layout.owner} {name}"
    else:
        delete = f"terminus secret:site:delete {layout.name} {name}"
    return f"{delete} && {set_command(layout, name, type_, scopes, held.layer)}"


def _scopes(held: Held) -> str:
    return ", ".join(held.scopes) or "none"


# -- the checks -----------------------------------------------------------------------------


def auth_host(name: str) -> str | None:
    """The host a Composer auth name (``github-oauth.github.com``) is for, else None."""
    kind, _, host = name.partition(".")
    return host if kind in AUTH_KINDS and host else None


def check_build(report: Report, layout: SiteLayout, code: SiteCode, env: str, used: set[str]) -> None:
    """What an Integrated Composer build of ``env`` (dev or a multidev) will miss."""
    ic = layout.reads[env]["ic"]
    held = layout.held(env)
    needed_at = {repo.host: repo.where for repo in reversed(code.repositories)}  # the first repository per host
    wrong_auth: set[str] = set()
    for name, secret in held.items():
        host = auth_host(name)
        if host and (secret.type != "composer" or "ic" not in secret.scopes):
            wrong_auth.add(name)
            used.add(name)
            message = M.DOCTOR_AUTH_WRONG.format(name=name, type=secret.type, scopes=_scopes(secret))
            remedy = recreate_command(layout, name, secret, "composer", ["ic"])
            report.add(env, ERROR, "composer-auth-type", message, needed_at.get(host), remedy)
    if COMPOSER_AUTH in held and (held[COMPOSER_AUTH].type != "env" or "ic" not in held[COMPOSER_AUTH].scopes):
        secret = held[COMPOSER_AUTH]
        used.add(COMPOSER_AUTH)
        message = M.DOCTOR_ENV_WRONG.format(name=COMPOSER_AUTH, type=secret.type, scopes=_scopes(secret))
        report.add(env, ERROR, "env-type", message, None, recreate_command(layout, COMPOSER_AUTH, secret, "env", ["ic"]))
    given_hosts = layout.composer_auth_hosts.get(env, set())
    if given_hosts is None and code.repositories:
        used.add(COMPOSER_AUTH)
        report.add(env, WARNING, "composer-auth-hidden", M.DOCTOR_COMPOSER_AUTH_HIDDEN)
    for repo in code.repositories:
        if repo.ssh:
            message = M.DOCTOR_SSH_REPOSITORY.format(url=repo.url, https=repo.https_url)
            report.add(env, ERROR, "ssh-repository", message, repo.where, f"edit composer.json: use {repo.https_url}")
        names = [name for name, secret in ic.items() if auth_host(name) == repo.host and secret.type == "composer"]
        used.update(names)
        if names:
            continue
        if given_hosts is None or repo.host in given_hosts:
            used.add(COMPOSER_AUTH)
            continue
        if any(auth_host(name) == repo.host for name in wrong_auth):
            continue  # already reported: the secret is there with the wrong type or scope
        kind = policy.DOCTOR_SUGGESTED_AUTH.get(repo.host, policy.DOCTOR_DEFAULT_AUTH)
        message = M.DOCTOR_NO_AUTH.format(host=repo.host, kind=repo.kind, url=repo.url)
        report.add(
            env,
            ERROR,
            "composer-auth-missing",
            message,
            repo.where,
            set_command(layout, f"{kind}.{repo.host}", "composer", ["ic"]),
        )
    for package, name, where in code.package_keys:
        used.add(name)
        report.add(env, INFO, "package-note", M.DOCTOR_ACF_NOTE.format(package=package), where)
        if name in ic and ic[name].type == "env":
            continue
        if name in held:
            secret = held[name]
            message = M.DOCTOR_ENV_WRONG.format(name=name, type=secret.type, scopes=_scopes(secret))
            report.add(env, ERROR, "env-type", message, where, recreate_command(layout, name, secret, "env", ["ic"]))
        else:
            message = M.DOCTOR_PACKAGE_KEY_MISSING.format(package=package, name=name)
            report.add(env, ERROR, "package-key-missing", message, where, set_command(layout, name, "env", ["ic"]))


def check_reads(report: Report, layout: SiteLayout, code: SiteCode, env: str, used: set[str]) -> None:
    """Every name the code reads must be readable by the application (web scope) in ``env``."""
    web = layout.reads[env]["web"]
    held = layout.held(env)
    first: dict[tuple[str, bool], Read] = {}
    for read in code.reads:
        first.setdefault((read.name, read.variable), read)
    for (name, variable), read in first.items():
        used.add(name)
        type_ = "env" if variable else "runtime"
        if name in web:
            if variable and web[name].type != "env":
                message = M.DOCTOR_NAME_NOT_ENV.format(name=name, type=web[name].type)
                scopes = sorted(set(web[name].scopes))
                report.add(env, ERROR, "not-env", message, read.where, recreate_command(layout, name, web[name], "env", scopes))
            continue
        if name in held:
            secret = held[name]
            scopes = sorted({*secret.scopes, "web"})
            message = M.DOCTOR_NAME_NOT_WEB.format(name=name, scopes=_scopes(secret))
            new_type = "env" if variable else secret.type
            report.add(env, ERROR, "not-web", message, read.where, recreate_command(layout, name, secret, new_type, scopes))
        else:
            message = M.DOCTOR_NAME_MISSING.format(name=name)
            report.add(env, ERROR, "missing", message, read.where, set_command(layout, name, type_, ["web"]))


def diagnose(layout: SiteLayout, code: SiteCode, environments: list[str]) -> Report:
    report = Report()
    node = layout.framework == "nodejs"
    for env in environments:
        used: set[str] = set()
        php = layout.environments[env]
        needs_secrets = bool(code.reads or code.repositories or code.package_keys or layout.held(env))
        if not node and needs_secrets and not Environment(env, php).php_at_least_8:
            message = M.DOCTOR_PHP_TOO_OLD.format(php=php, message=M.IC_PHP_TOO_OLD)
            report.add(env, ERROR, "php-too-old", message, None, PHP_UPGRADE_REMEDY)
        if env not in IC_ENVIRONMENTS_EXCLUDED:
            check_build(report, layout, code, env, used)
        else:
            used.update(name for name in layout.held(env) if auth_host(name) or name == COMPOSER_AUTH)
            used.update(name for _, name, _ in code.package_keys)
        check_reads(report, layout, code, env, used)
        for name, secret in sorted(layout.held(env).items()):
            if name not in used:
                holder = f"organization {layout.owner}" if secret.layer == "org" and layout.owner else "site"
                message = M.DOCTOR_UNUSED.format(name=name, type=secret.type, scopes=_scopes(secret), holder=holder)
                report.add(env, INFO, "unused", message)
    return report


# -- the command ----------------------------------------------------------------------------


def _table(layout: SiteLayout, environments: list[str], report: Report) -> str:
    owner = f", owner {layout.owner}" if layout.owner else ", personal site"
    envs = ", ".join(f"{env} (PHP {layout.environments[env]})" for env in environments)
    lines = [f"Site {layout.name} ({layout.framework or 'unknown framework'}{owner}): {envs}"]
    for finding in report.sorted():
        where = str(finding.where) if finding.where else "-"
        lines.append(f"{finding.severity.upper():<8}{where}  [{', '.join(finding.environments)}]  {finding.message}")
        if finding.remedy:
            lines.append(f"{'':<8}fix: {finding.remedy}")
    errors, warnings, notes = (report.count(s) for s in SEVERITY_ORDER)
    verdict = "something will fail" if errors else "nothing will fail"
    lines.append(f"{errors} error(s), {warnings} warning(s), {notes} note(s): {verdict}.")
    return "\n".join(lines)


@click.command("doctor")
@click.argument("path", default=".", metavar="[PATH]")
@click.option("--site", required=True, metavar="SITE", help="The site whose secrets the code at PATH runs with.")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Check only ENV (repeatable); default every environment.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--url",
    envvar="PANTHEON_EMULATOR_URL",
    default=policy.DEFAULT_URL,
    show_default=True,
    help="The emulator, or with --token any server speaking Pantheon's API [env PANTHEON_EMULATOR_URL].",
)
@click.option("--token", metavar="TOKEN", help="A machine token: read the site through Pantheon's API at --url.")
@click.option("--secrets-url", metavar="URL", help="The secrets API, when Pantheon serves it elsewhere than --url.")
@click.pass_context
def doctor(
    ctx: click.Context,
    path: str,
    site: str,
    envs: tuple[str, ...],
    output_format: str,
    url: str,
    token: str | None,
    secrets_url: str | None,
) -> None:
    """Say what will fail for SITE, environment by environment, and the command that fixes it.

    Reads the code tree at PATH (composer.json, PHP and JS files; never runs them) and
    the site's secrets (types and scopes, never values). Exit code 1 if anything fails.
    """
    try:
        if not Path(path).is_dir():
            raise SiteCodeError(M.DOCTOR_NO_TREE.format(path=path))
        if token:
            layout, _ = from_pantheon(PantheonClient(url, token, secrets_url=secrets_url), site)
        else:
            layout = from_emulator(url, site)
        unknown = [env for env in envs if env not in layout.environments]
        if unknown:
            known = ", ".join(layout.environments) or "none"
            raise click.ClickException(M.DOCTOR_UNKNOWN_ENV.format(site=layout.name, env=unknown[0], known=known))
        code = read_site_code(path, node=layout.framework == "nodejs")
    except (ClientError, SiteCodeError) as error:
        raise click.ClickException(str(error)) from None
    environments = list(dict.fromkeys(envs)) or list(layout.environments)
    report = diagnose(layout, code, environments)
    if output_format == "json":
        document = {
            "site": layout.name,
            "framework": layout.framework,
            "owner": layout.owner,
            "environments": {env: layout.environments[env] for env in environments},
            "findings": [finding.as_json() for finding in report.sorted()],
            "errors": report.count(ERROR),
            "warnings": report.count(WARNING),
            "notes": report.count(INFO),
        }
        click.echo(json.dumps(document, indent=2))
    else:
        click.echo(_table(layout, environments, report))
    ctx.exit(1 if report.count(ERROR) else 0)
