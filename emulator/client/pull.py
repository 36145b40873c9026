"""``pantheon-emulator pull``: a real site's layout as a seed document.

Through Pantheon's API with a machine token (site lookup as Terminus does it, the site,
its environments, the user's organizations, then the secrets list) it reads the names,
types, scopes, overrides, environments and PHP versions of one site and of its owner
organization's secrets, and writes a seed document (mode 0600) that ``seed`` and
``serve --seed`` load. A value the API does not reveal (no ``user`` scope) is never
invented: it holds :data:`policy.PULL_PLACEHOLDER`, one summary line says which, and
``--values FILE`` (dotenv: ``NAME=`` a default, ``NAME/ENV=`` an override) or ``--ask``
fills them. No value is ever printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import click
from dotenv import dotenv_values

from emulator.client.api import ClientError
from emulator.client.envfile import write_private
from emulator.client.layout import from_pantheon, site_entry
from emulator.client.pantheon import PantheonClient
from emulator.core import policy

M = policy.Messages
PLACEHOLDER = policy.PULL_PLACEHOLDER
SEP = policy.PULL_OVERRIDE_SEPARATOR


@dataclass
class Pulled:
    document: dict
    hidden: list[tuple[dict, str | None, str]] = field(default_factory=list)  # (secret, env or None, key)

    def fill(self, values: dict[str, str]) -> int:
        """Put ``values`` (keyed NAME or NAME/ENV) into the placeholders; how many were filled."""
        filled = 0
        remaining = []
        for secret, env, key in self.hidden:
            if key in values:
                if env is None:
                    secret["value"] = values[key]
                else:
                    secret["overrides"][env] = values[key]
                filled += 1
            else:
                remaining.append((secret, env, key))
        self.hidden = remaining
        return filled

    def keys(self) -> list[str]:
        return list(dict.fromkeys(key for _, _, key in self.hidden))


def _value(pulled: Pulled, secret: dict, value: Any, env: str | None) -> str:
    if isinstance(value, str):
        return value
    key = secret["name"] if env is None else f"{secret['name']}{SEP}{env}"
    pulled.hidden.append((secret, env, key))
    return PLACEHOLDER


def seed_document(layout_site: Any, listing: dict, owner_id: str | None) -> Pulled:
    """The seed document for a site's ``showall`` list (``layout_site``: its SiteLayout)."""
    pulled = Pulled({"organizations": [], "sites": []})
    org_secrets: list[dict] = []
    site_secrets: list[dict] = []
    for name, entry in sorted((listing.get("Secrets") or {}).items()):
        kind, scopes = entry.get("Type") or "runtime", list(entry.get("Scopes") or ["user"])
        org_values = entry.get("OrgValues") or {}
        if org_values and layout_site.owner:
            secret: dict = {"name": name, "value": None, "type": kind, "scopes": scopes, "overrides": {}}
            secret["value"] = _value(pulled, secret, org_values.get("default"), None)
            for env, value in org_values.items():
                if env != "default":
                    secret["overrides"][env] = _value(pulled, secret, value, env)
            org_secrets.append(secret)
        if site_entry(entry):
            secret = {"name": name, "value": None, "type": kind, "scopes": scopes, "overrides": {}}
            only_overrides = entry.get("Value") is None and "user" in scopes and "default" in org_values
            secret["value"] = None if only_overrides else _value(pulled, secret, entry.get("Value"), None)
            for env, value in (entry.get("EnvValues") or {}).items():
                secret["overrides"][env] = _value(pulled, secret, value, env)
            site_secrets.append(secret)
    for group in (org_secrets, site_secrets):
        for secret in group:
            if not secret["overrides"]:
                del secret["overrides"]
    if layout_site.owner:
        pulled.document["organizations"].append({"name": layout_site.owner, "id": owner_id, "secrets": org_secrets})
    pulled.document["sites"].append(
        {
            "name": layout_site.name,
            "id": layout_site.id,
            "owner": layout_site.owner,
            "framework": layout_site.framework or "drupal",
            "environments": {env: {"php_version": php} if php else {} for env, php in layout_site.environments.items()},
            "secrets": site_secrets,
        }
    )
    return pulled


def pull_site(client: PantheonClient, site: str) -> Pulled:
    layout, listing = from_pantheon(client, site)
    return seed_document(layout, listing, layout.owner_id)


def read_values_file(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as handle:
            parsed = dotenv_values(stream=handle, interpolate=False)
    except OSError as error:
        raise click.ClickException(M.PULL_BAD_VALUES_FILE.format(path=path, detail=error.strerror or error)) from None
    except UnicodeDecodeError:
        raise click.ClickException(M.PULL_BAD_VALUES_FILE.format(path=path, detail="not UTF-8 text")) from None
    return {key: value for key, value in parsed.items() if value is not None}


@click.command("pull")
@click.option("--url", required=True, help="A server speaking Pantheon's API (Pantheon, or an emulator).")
@click.option("--token", required=True, metavar="TOKEN", help="A machine token of a user who may manage the site.")
@click.option("--site", required=True, metavar="SITE", help="The site to pull (its name).")
@click.option("--secrets-url", metavar="URL", help="The secrets API, when Pantheon serves it elsewhere than --url.")
@click.option(
    "-o", "--output", default="seed.json", show_default=True, metavar="FILE", help="Where to write the seed (mode 0600)."
)
@click.option("--values", "values_file", metavar="FILE", help="Fill hidden values from a dotenv FILE (NAME=..., NAME/ENV=...).")
@click.option("--ask", is_flag=True, help="Ask for each value still hidden (input is not echoed).")
def pull(url: str, token: str, site: str, secrets_url: str | None, output: str, values_file: str | None, ask: bool) -> None:
    """Read SITE's secrets layout through Pantheon's API and write it as a seed document."""
    values = read_values_file(values_file) if values_file else {}
    client = PantheonClient(url, token, secrets_url=secrets_url)
    try:
        pulled = pull_site(client, site)
    except ClientError as error:
        raise click.ClickException(error.message) from None
    filled = pulled.fill(values)
    if ask:
        for key in pulled.keys():
            answer = click.prompt(
                f"Value for {key} (empty keeps the placeholder)", default="", hide_input=True, show_default=False
            )
            if answer:
                filled += pulled.fill({key: answer})
    write_private(output, json.dumps(pulled.document, indent=2, ensure_ascii=False) + "\n")
    doc_site = pulled.document["sites"][0]
    orgs = pulled.document["organizations"]
    org_count = sum(len(org["secrets"]) for org in orgs)
    click.echo(
        f"Pulled site {doc_site['name']} ({len(doc_site['environments'])} environment(s), "
        f"{len(doc_site['secrets'])} site secret(s), {org_count} organization secret(s)) into {output}."
    )
    if filled:
        click.echo(
            f"Filled {filled} hidden value(s) from {'--values and --ask' if values_file and ask else '--values' if values_file else '--ask'}."
        )
    if client.retries:
        click.echo(f"Rate limited {client.retries} time(s); waited as Retry-After asked.")
    if pulled.hidden:
        names = ", ".join(pulled.keys())
        click.echo(M.PULL_PLACEHOLDERS.format(count=len(pulled.hidden), placeholder=PLACEHOLDER, names=names))
