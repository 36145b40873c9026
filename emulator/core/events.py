"""What plugins are told about a write to a secret: a :class:`SecretChange`, never its value."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from emulator.core.model import OwnerKind

ChangeAction = Literal["create", "update", "override", "delete-override", "delete"]
CHANGE_ACTIONS: tuple[str, ...] = ("create", "update", "override", "delete-override", "delete")


@dataclass(frozen=True)
class SecretChange:
    """One write to one secret, as the validation and change hooks see it.

    It carries names only. A hook that needs the value being written declares a
    ``value`` argument; nothing else ever gets it.
    """

    action: ChangeAction
    owner_kind: OwnerKind  # "site" or "org"
    owner_id: str  # the site's or organization's UUID
    owner_name: str
    secret: str  # the secret's name
    environment: str | None  # the override's environment; None for the default value
    actor: str  # the user's email ("" when the core was called without one)
    time: str  # RFC 3339 UTC, from emulator.clock (so freezegun controls it)
    type: str | None = None  # None for "delete"
    scopes: tuple[str, ...] | None = None  # None for "delete"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (scopes as a list)."""
        data = asdict(self)
        if self.scopes is not None:
            data["scopes"] = list(self.scopes)
        return data
