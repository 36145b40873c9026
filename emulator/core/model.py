"""The world the emulator holds: users, organizations, sites, environments, secrets.

Plain frozen dataclasses with no Flask and no SQLite, so rules and tests can build
them directly. The store returns these, never database rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

OwnerKind = Literal["site", "org"]

DEFAULT_TYPE = "runtime"  # [doc] when the client sends no type
DEFAULT_SCOPES: tuple[str, ...] = ("user",)  # [doc] when the client sends no scopes
MAX_VALUE_BYTES = 16384  # [doc]
STANDARD_ENVIRONMENTS: tuple[str, ...] = ("dev", "test", "live")
DEFAULT_PHP = "8.3"  # [ours] the PHP version of an environment seeded without one
IC_ENVIRONMENTS_EXCLUDED: tuple[str, ...] = ("test", "live")  # [doc] IC never builds there


@dataclass(frozen=True)
class User:
    email: str
    token: str


@dataclass(frozen=True)
class Organization:
    id: str
    name: str  # the machine name
    members: tuple[str, ...] = ()
    label: str = ""  # the display name (Pantheon's profile.name); empty means the name

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


@dataclass(frozen=True)
class Environment:
    name: str
    php_version: str = "8.3"

    @property
    def php_at_least_8(self) -> bool:
        """True when secrets are supported for builds here (PHP >= 8.0)."""
        return php_version_tuple(self.php_version) >= (8, 0)


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    owner: str | None = None  # organization id; None for a personal site
    supporting: tuple[str, ...] = ()  # organization ids
    framework: str = "drupal"
    members: tuple[str, ...] = ()  # user emails on the site team
    runtime_token: str = ""
    environments: Mapping[str, Environment] = field(default_factory=dict)


@dataclass(frozen=True)
class Secret:
    """A secret owned by a site or an organization.

    ``value`` is None for a site entry that only holds overrides of a name its owner
    organization defines (SPEC §3 rule 5).
    """

    name: str
    value: str | None
    type: str = DEFAULT_TYPE
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    overrides: Mapping[str, str] = field(default_factory=dict)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


def php_version_tuple(version: str) -> tuple[int, ...]:
    """``"8.3"`` -> ``(8, 3)``; unparseable parts count as 0."""
    parts = []
    for piece in str(version).split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
