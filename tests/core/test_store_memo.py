"""The store remembers lookups between requests, and never answers from stale memory."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from emulator.core.model import Environment, Organization, Site, User
from emulator.core.seed import apply_seed
from emulator.core.store import Store

RUNTIME_READ = "/customer-secrets/v1/sites/acme-web/environments/dev/secrets"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_changed_runtime_token_is_refused_at_once(client, world, emulator_service):
    assert client.get(RUNTIME_READ, headers=bearer("acme-web-runtime")).status_code == 200
    site = emulator_service._store.site("acme-web")
    emulator_service._store.put_site(replace(site, runtime_token="rotated"))

    assert client.get(RUNTIME_READ, headers=bearer("acme-web-runtime")).status_code == 401
    assert client.get(RUNTIME_READ, headers=bearer("rotated")).status_code == 200


def test_a_reseeded_user_token_takes_effect_at_once(client, world):
    showall = "/customer-secrets/v1/sites/acme-web/secrets/showall"
    assert client.get(showall, headers={"Authorization": "dev-token"}).status_code == 200
    seeded = client.post("/_emulator/seed", json={"users": [{"email": "dev@example.com", "token": "new-dev-token"}]})
    assert seeded.status_code == 200

    assert client.get(showall, headers={"Authorization": "dev-token"}).status_code == 401
    assert client.get(showall, headers={"Authorization": "new-dev-token"}).status_code == 200


def test_a_removed_org_member_loses_access_at_once(client, world, emulator_service):
    showall = "/customer-secrets/v1/sites/acme-web/secrets/showall"
    assert client.get(showall, headers={"Authorization": "dev-token"}).status_code == 200
    emulator_service._store.put_organization(Organization(id=emulator_service._store.organization("acme").id, name="acme"))

    assert client.get(showall, headers={"Authorization": "dev-token"}).status_code == 403


def test_reset_forgets_remembered_sites(client, world, emulator_service):
    assert client.get(RUNTIME_READ, headers=bearer("acme-web-runtime")).status_code == 200
    client.post("/_emulator/reset", headers={"X-Pantheon-Emulator": "1"})

    assert emulator_service._store.site("acme-web") is None
    assert client.get(RUNTIME_READ, headers=bearer("acme-web-runtime")).status_code == 401  # nobody holds it now


def test_a_write_by_another_connection_to_the_same_file_is_seen(tmp_path):
    path = tmp_path / "world.sqlite3"
    server, other = Store(path), Store(path)
    try:
        apply_seed(server, {"sites": [{"name": "shared", "runtime_token": "before"}]})
        assert server.site("shared").runtime_token == "before"
        assert server.user_by_token("t") is None

        other.put_user(User("late@example.com", "t"))
        site = other.site("shared")
        other.put_site(replace(site, runtime_token="after"))

        assert server.site("shared").runtime_token == "after"
        assert server.user_by_token("t") == User("late@example.com", "t")
    finally:
        server.close()
        other.close()


def test_reads_inside_a_transaction_see_its_own_writes():
    store = Store()
    with store.transaction():
        assert store.site("fresh") is None
        store.put_site(Site(id="s1", name="fresh", runtime_token="r", environments={"dev": Environment("dev")}))
        assert store.site("fresh").runtime_token == "r"
    assert store.site("s1").name == "fresh"


def test_a_rolled_back_write_is_not_remembered():
    store = Store()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_user(User("gone@example.com", "gone"))
            assert store.user_by_token("gone") is not None
            raise RuntimeError("abort")
    assert store.user_by_token("gone") is None


def test_a_closed_store_answers_nothing_from_memory():
    store = Store()
    store.put_user(User("a@example.com", "a"))
    assert store.user_by_token("a") is not None
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store.user_by_token("a")


def test_an_environment_added_to_a_site_is_readable_at_once(client, world, emulator_service):
    multidev = "/customer-secrets/v1/sites/acme-web/environments/feature-1/secrets"
    assert client.get(multidev, headers=bearer("acme-web-runtime")).status_code == 404
    site = emulator_service._store.site("acme-web")
    emulator_service._store.put_environment(site.id, Environment("feature-1"))

    assert client.get(multidev, headers=bearer("acme-web-runtime")).status_code == 200


def test_secret_writes_between_lookups_leave_every_answer_right(client, world):
    showall = "/customer-secrets/v1/sites/acme-web/secrets/showall"
    manager = {"Authorization": "dev-token"}
    for i in range(3):
        created = client.post(
            "/customer-secrets/v1/sites/acme-web/secrets",
            headers=manager,
            json={"name": f"K{i}", "value": f"v{i}", "scopes": ["user"]},
        )
        assert created.status_code == 200
        assert f"K{i}" in client.get(showall, headers=manager).get_json()["Secrets"]
    client.post("/_emulator/seed", json={"users": [{"email": "dev@example.com", "token": "rotated"}]})
    assert client.get(showall, headers=manager).status_code == 401
