"""Seeding a large world stays correct: duplicates are still caught, wherever they are."""

from __future__ import annotations

import pytest

from emulator.core.errors import InvalidInput
from emulator.core.seed import apply_seed
from emulator.core.store import Store


def many(n: int, prefix: str = "S") -> list[dict]:
    return [{"name": f"{prefix}_{i}", "value": f"v{i}"} for i in range(n)]


def test_a_secret_listed_twice_far_apart_is_refused_and_nothing_is_stored():
    store = Store()
    secrets = many(2000) + [{"name": "S_7", "value": "again"}]
    with pytest.raises(InvalidInput) as caught:
        apply_seed(store, {"sites": [{"name": "big", "secrets": secrets}]})
    assert caught.value.message == "Seed rejected at sites[0].secrets[2000]: secret 'S_7' is listed twice."
    assert store.site("big") is None


def test_the_same_name_in_a_site_and_its_org_is_not_a_duplicate():
    store = Store()
    apply_seed(
        store,
        {
            "organizations": [{"name": "org", "secrets": many(500)}],
            "sites": [{"name": "big", "owner": "org", "secrets": many(500)}],
        },
    )
    assert len(store.secrets("site", store.site("big").id)) == 500
    assert len(store.secrets("org", store.organization("org").id)) == 500
