"""How the site reads its secrets: once per request, through the project's runtime client.

On Pantheon a site calls ``pantheon_get_secret()``; here :class:`emulator.client.RuntimeClient`
does the same against the emulator (or a local secrets file named by
``CUSTOMER_SECRETS_FAKE_FILE``). Pantheon caches the values server-side for 15 minutes,
so reading them on every request is cheap and picks up a rotated key once that cache
expires; the site keeps no copy of its own beyond the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import requests
from flask import current_app, g

from emulator.client import ClientError, FakeFileError, ManagementClient, RuntimeClient


@dataclass(frozen=True)
class NeededSecret:
    """A secret the site's code asks for: the feature it enables, and what happens without it."""

    name: str
    feature: str  # the feature's key in the status report
    used_for: str
    without_it: str


# Every secret the site reads; the status page lists them in this order.
NEEDED: tuple[NeededSecret, ...] = (
    NeededSecret("MAIL_API_KEY", "contact", "Contact form (outbound mail provider)", "The contact form is offline."),
    NeededSecret(
        "PAYMENT_API_KEY",
        "orders",
        "Online orders (payment provider)",
        "Ordering is offline; the shop lists its coffee but takes no orders.",
    ),
    NeededSecret("NEWSLETTER_API_KEY", "newsletter", "Newsletter signup (newsletter provider)", "The signup form is hidden."),
)
NEEDED_BY_FEATURE = {needed.feature: needed for needed in NEEDED}

# Where a value can come from, as the status page names it.
SOURCE_RUNTIME = "runtime"  # the runtime API (pantheon_get_secret() on Pantheon)
SOURCE_FILE = "file"  # a local secrets file (CUSTOMER_SECRETS_FAKE_FILE)


class SecretsUnavailable(Exception):
    """The site cannot read its secrets at all (not configured, refused, unreachable)."""


@dataclass(frozen=True)
class SiteSecrets:
    """The secrets one request can read: ``{name: value}``, and where they were read from."""

    values: Mapping[str, str | None]
    source: str
    location: str  # the runtime API's URL, or the secrets file's path

    def get(self, name: str) -> str | None:
        """The value of ``name``, or None when it is missing or empty (a null in a local file)."""
        return self.values.get(name) or None

    def found(self, name: str) -> bool:
        return self.get(name) is not None


def runtime_client() -> RuntimeClient:
    """This request's runtime client, from the variables read at start-up: made on first use
    and shared by everything the request reads, closed when it ends (:func:`close_runtime_client`)."""
    if "runtime_client" not in g:
        try:
            g.runtime_client = RuntimeClient.from_environment(
                environ=current_app.config["PANTHEON"], dotenv_path=None, session=current_app.config.get("SECRETS_SESSION")
            )
        except ClientError as error:
            raise SecretsUnavailable(error.message) from None
    return g.runtime_client


def close_runtime_client(_error: BaseException | None = None) -> None:
    """Close this request's runtime client, if it made one (an app-context teardown)."""
    client = g.pop("runtime_client", None)
    if client is not None:
        client.close()


def read_secrets(client: RuntimeClient) -> SiteSecrets:
    """Every secret ``client``'s site environment can read, in one call."""
    try:
        values = client.get_secrets()
    except ClientError as error:
        raise SecretsUnavailable(error.message) from None
    except FakeFileError as error:  # the local file is not a secrets list
        raise SecretsUnavailable(str(error)) from None
    if client.fake_file is not None:
        return SiteSecrets(values, SOURCE_FILE, str(client.fake_file))
    return SiteSecrets(values, SOURCE_RUNTIME, client.url)


def current_secrets() -> SiteSecrets:
    """This request's secrets, read on first use and kept on ``g`` until the request ends."""
    if "site_secrets" not in g:
        g.site_secrets = read_secrets(runtime_client())
    return g.site_secrets


def emulator_layers(names: list[str]) -> dict[str, str | None]:
    """Which layer (``site-override``, ``site-default``, ``org-override``, ``org-default``)
    supplies each name, asked of the emulator's ``explain`` route; values are never sent.

    Pantheon has no such route, so outside the emulator (or for a local file) every
    name maps to None and the status page just says where it read the values.
    """
    try:
        client = runtime_client()
    except SecretsUnavailable:
        return dict.fromkeys(names)
    if client.fake_file is not None:
        return dict.fromkeys(names)
    control_plane = ManagementClient(client.url, session=client.session, timeout=client.timeout)
    base = f"/sites/{quote(client.site, safe='')}/environments/{quote(client.environment, safe='')}/explain/"
    layers: dict[str, str | None] = {}
    for name in names:
        try:
            explained = control_plane.control(base + quote(name, safe=""))
        except (ClientError, requests.RequestException):  # not an emulator: no need to ask about the others
            return dict.fromkeys(names)
        layers[name] = explained["scopes"]["web"]["layer"]
    return layers
