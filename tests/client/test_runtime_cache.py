"""The server's runtime cache (SPEC §6) as the client sees it: a change shows only after the TTL."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from emulator.client import ManagementClient, RuntimeClient
from emulator.core import policy

from .conftest import INPROCESS_URL

TTL = policy.RUNTIME_CACHE_TTL_SECONDS


@pytest.fixture
def clients(inprocess_session, consumer_world):
    """(runtime client of shop.dev, management client of dev@example.com), both in-process."""
    return (
        RuntimeClient("shop", "dev", "shop-runtime", url=INPROCESS_URL, session=inprocess_session),
        ManagementClient(INPROCESS_URL, "dev-token", session=inprocess_session),
    )


def test_a_changed_value_appears_only_after_the_cache_expires(clients):
    reader, manager = clients
    with freeze_time("2026-01-01 12:00:00") as frozen:
        assert reader.get_secret("MAIL_KEY") == "mail-dev"
        manager.set_value("site", "shop", "MAIL_KEY", "mail-rotated")
        assert reader.get_secret("MAIL_KEY") == "mail-dev"
        frozen.tick(TTL - 1)
        assert reader.get_secret("MAIL_KEY") == "mail-dev"
        frozen.tick(1)
        assert reader.get_secret("MAIL_KEY") == "mail-rotated"


def test_a_new_secret_and_a_deleted_one_follow_the_same_clock(clients):
    reader, manager = clients
    with freeze_time("2026-01-01 12:00:00") as frozen:
        assert reader.get_secrets() == {"API_KEY": "org-api", "MAIL_KEY": "mail-dev", "ZERO": "0"}
        manager.create_secret("site", "shop", "NEW_KEY", "fresh", scopes=["web"])
        manager.delete_secret("site", "shop", "ZERO")
        assert reader.get_secret("NEW_KEY") is None
        assert reader.get_secret("ZERO") == "0"
        frozen.tick(TTL)
        assert reader.get_secrets() == {"API_KEY": "org-api", "MAIL_KEY": "mail-dev", "NEW_KEY": "fresh"}


def test_with_the_cache_off_a_change_is_seen_at_once(clients, inprocess_session):
    reader, manager = clients
    inprocess_session.patch(f"{INPROCESS_URL}/_emulator/settings", json={"cache_ttl": 0}).raise_for_status()
    with freeze_time("2026-01-01 12:00:00"):
        assert reader.get_secret("MAIL_KEY") == "mail-dev"
        manager.set_value("site", "shop", "MAIL_KEY", "mail-rotated")
        assert reader.get_secret("MAIL_KEY") == "mail-rotated"
