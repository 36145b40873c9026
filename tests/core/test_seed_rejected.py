"""A refused seed says where in the document the problem is, as text and as fields."""

import pytest

from emulator.core.errors import InvalidInput, SeedRejected


def test_a_dangling_owner_is_named_by_its_path(emulator_service):
    with pytest.raises(SeedRejected) as caught:
        emulator_service.seed({"sites": [{"name": "web", "owner": "acem"}]})

    assert caught.value.where == "sites[0].owner"
    assert caught.value.problem == "unknown organization 'acem'."
    assert caught.value.message == "Seed rejected at sites[0].owner: unknown organization 'acem'."
    assert isinstance(caught.value, InvalidInput) and caught.value.status == 400
    assert emulator_service.is_empty()
