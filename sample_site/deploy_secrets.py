"""Push the site's secrets through the management API, as a CI pipeline does.

    python -m sample_site.deploy_secrets [--manifest FILE] [--site NAME] [--url URL] [--token TOKEN]

The manifest (``deploy_secrets.json`` beside this file) lists each secret with its type,
scopes, environment overrides and the name of the CI variable that holds its value;
the pipeline's own secret store provides those variables. Every secret is created (with
its type and scopes) or, when it exists, has its value updated, then gets its
overrides: the requests Terminus makes, through :class:`emulator.client.ManagementClient`.
Each step is safe to repeat.

The management API allows 3 requests per second per user and answers 429 beyond that.
The deploy then waits as long as the answer's ``Retry-After`` says (exponential
backoff if it says nothing usable), retries the same step, and gives up after a bounded
number of attempts with a message saying how far it got. Output names secrets, never
their values.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import click

from emulator.client import DEFAULT_URL, ClientError, ManagementClient
from emulator.client import URL_VARIABLE as ENV_URL

DEFAULT_MANIFEST = Path(__file__).with_name("deploy_secrets.json")
TOKEN_VARIABLE = "PANTHEON_EMULATOR_TOKEN"
MAX_ATTEMPTS = 5  # per request, the first try included
MAX_DELAY_SECONDS = 60.0  # no single wait is longer, whatever Retry-After says
RATE_LIMITED = 429
SECRET_FIELDS = ("name", "type", "scopes", "value_from", "overrides")


class DeployError(Exception):
    """The deploy cannot start or cannot finish; the message says why (and names no value)."""


@dataclass(frozen=True)
class PlannedSecret:
    """One secret to deploy, with its value (and overrides' values) taken from CI variables."""

    name: str
    type: str | None
    scopes: tuple[str, ...]
    value: str = field(repr=False)
    overrides: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass
class DeployReport:
    site: str
    secrets: int = 0
    overrides: int = 0
    requests: int = 0
    waits: list[float] = field(default_factory=list)

    def summary(self) -> str:
        waited = f", {len(self.waits)} wait(s) for the rate limit ({sum(self.waits):g} s)" if self.waits else ""
        return (
            f"Deployed {self.secrets} secret(s) and {self.overrides} override(s) to site {self.site}: "
            f"{self.requests} request(s){waited}."
        )


# -- the manifest ---------------------------------------------------------------------------


def load_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check the manifest; every problem is named with its place in the file."""
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise DeployError(f"Cannot read the manifest {path}: {error.strerror or error}.") from None
    except json.JSONDecodeError as error:
        raise DeployError(f"The manifest {path} is not valid JSON: {error.msg} at line {error.lineno}.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("secrets"), list):
        raise DeployError(f"The manifest {path} must be an object with a 'secrets' array.")
    for i, entry in enumerate(manifest["secrets"]):
        where = f"{path}: secrets[{i}]"
        if not isinstance(entry, dict):
            raise DeployError(f"{where} must be an object.")
        unknown = sorted(set(entry) - set(SECRET_FIELDS))
        if unknown:
            raise DeployError(f"{where} has an unknown field '{unknown[0]}' (fields: {', '.join(SECRET_FIELDS)}).")
        for required in ("name", "value_from"):
            if not isinstance(entry.get(required), str) or not entry[required]:
                raise DeployError(f"{where} needs '{required}' (a string).")
        if not isinstance(entry.get("overrides", {}), dict):
            raise DeployError(f"{where}: 'overrides' must map environments to CI variable names.")
    return manifest


def plan(manifest: Mapping[str, Any], environ: Mapping[str, str]) -> list[PlannedSecret]:
    """The secrets to deploy, their values read from ``environ``; every missing variable is
    reported at once, before any request is made."""
    missing: list[str] = []

    def variable(name: str, needed_for: str) -> str:
        value = environ.get(name)
        if not value:
            missing.append(f"{name} (for {needed_for})")
        return value or ""

    planned = []
    for entry in manifest["secrets"]:
        value = variable(entry["value_from"], entry["name"])
        overrides = {env: variable(var, f"{entry['name']} in {env}") for env, var in entry.get("overrides", {}).items()}
        planned.append(PlannedSecret(entry["name"], entry.get("type"), tuple(entry.get("scopes") or ()), value, overrides))
    if missing:
        raise DeployError("Nothing was deployed: these CI variables are not set: " + ", ".join(missing) + ".")
    return planned


# -- backing off ------------------------------------------------------------------------------


def retry_delay(retry_after: str | None, attempt: int) -> float:
    """Seconds to wait after the ``attempt``-th try was rate limited.

    ``Retry-After`` is honoured as seconds or as an HTTP date; without a usable one the
    wait doubles from 1 s. No wait exceeds :data:`MAX_DELAY_SECONDS`.
    """
    seconds: float | None = None
    if retry_after:
        try:
            seconds = float(retry_after)
        except ValueError:
            try:
                seconds = parsedate_to_datetime(retry_after).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
    if seconds is None:
        seconds = 2.0 ** (attempt - 1)
    return min(max(seconds, 0.0), MAX_DELAY_SECONDS)


class Deployer:
    """Runs the deploy's requests one by one, waiting out the rate limit."""

    def __init__(
        self,
        client: ManagementClient,
        site: str,
        *,
        sleep: Callable[[float], Any] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
        echo: Callable[[str], Any] = click.echo,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.client = client
        self.report = DeployReport(site)
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.echo = echo
        self._steps_done = 0

    def _call(self, what: str, request: Callable[[], Any]) -> Any:
        """``request()``, retried while it is rate limited; other refusals raise ClientError."""
        for attempt in range(1, self.max_attempts + 1):
            self.report.requests += 1
            try:
                return request()
            except ClientError as error:
                if error.status != RATE_LIMITED:
                    raise
                if attempt == self.max_attempts:
                    raise DeployError(
                        f"Gave up on {what} after {self.max_attempts} attempts: the management API "
                        f"kept answering 429 (rate limited). {self._progress()}"
                    ) from None
                wait = retry_delay(error.retry_after, attempt)
                self.echo(f"Rate limited on {what}; retrying in {wait:g} s (attempt {attempt + 1} of {self.max_attempts}).")
                self.report.waits.append(wait)
                self.sleep(wait)
        raise AssertionError("unreachable")

    def _step(self, what: str, request: Callable[[], Any]) -> Any:
        try:
            return self._call(what, request)
        except ClientError as error:
            raise self._failed(what, error) from None

    def _failed(self, what: str, error: ClientError) -> DeployError:
        status = f"HTTP {error.status}" if error.status else "no answer"
        return DeployError(f"{what} failed ({status}): {error.message.strip()} {self._progress()}")

    def _progress(self) -> str:
        return f"{self._steps_done} step(s) were deployed before it; every step is safe to repeat, so run the deploy again."

    def deploy_secret(self, secret: PlannedSecret) -> None:
        site, name = self.report.site, secret.name
        try:
            self._call(
                f"creating {name}",
                lambda: self.client.create_secret("site", site, name, secret.value, secret.type, list(secret.scopes) or None),
            )
            self.echo(f"{name}: created ({secret.type or 'runtime'}; {', '.join(secret.scopes) or 'user'}).")
        except ClientError as error:
            if error.status != 400 or "PATCH" not in error.message:
                raise self._failed(f"creating {name}", error) from None
            # It exists: update its value (type and scopes cannot change after creation).
            self._step(f"updating {name}", lambda: self.client.set_value("site", site, name, secret.value))
            self.echo(f"{name}: value updated.")
        self._steps_done += 1
        self.report.secrets += 1
        for env, value in secret.overrides.items():
            self._step(
                f"setting the {env} override of {name}",
                lambda env=env, value=value: self.client.set_override("site", site, name, env, value),
            )
            self.echo(f"{name}: {env} override set.")
            self._steps_done += 1
            self.report.overrides += 1

    def deploy(self, secrets: list[PlannedSecret]) -> DeployReport:
        for secret in secrets:
            self.deploy_secret(secret)
        return self.report


def deploy(client: ManagementClient, site: str, secrets: list[PlannedSecret], **options: Any) -> DeployReport:
    """Deploy ``secrets`` to ``site`` with ``client``; options as for :class:`Deployer`."""
    return Deployer(client, site, **options).deploy(secrets)


@click.command()
@click.option("--manifest", default=str(DEFAULT_MANIFEST), show_default=True, help="The manifest of secrets.")
@click.option("--site", help="The site to deploy to (default: the manifest's 'site').")
@click.option("--url", envvar=ENV_URL, default=DEFAULT_URL, show_default=True, help=f"The management API [env {ENV_URL}].")
@click.option("--token", envvar=TOKEN_VARIABLE, help=f"A machine token allowed to manage the site [env {TOKEN_VARIABLE}].")
@click.option(
    "--max-attempts",
    type=click.IntRange(min=1),
    default=MAX_ATTEMPTS,
    show_default=True,
    help="Tries per request when rate limited.",
)
def main(manifest: str, site: str | None, url: str, token: str | None, max_attempts: int) -> None:
    """Create or update the site's secrets from CI variables, backing off when rate limited."""
    try:
        loaded = load_manifest(manifest)
        site = site or loaded.get("site")
        if not site:
            raise DeployError("No site: give --site or a 'site' in the manifest.")
        if not token:
            raise DeployError(f"No machine token: give --token or set {TOKEN_VARIABLE}.")
        secrets = plan(loaded, os.environ)
        click.echo(f"Deploying {len(secrets)} secret(s) to site {site} at {url}.")
        report = deploy(ManagementClient(url, token=token), site, secrets, max_attempts=max_attempts)
    except DeployError as error:
        raise click.ClickException(str(error)) from None
    click.echo(report.summary())


if __name__ == "__main__":
    main()
