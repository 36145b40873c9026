"""pytest plugin that seeds a fake Pantheon secrets service.

``from pytest_pantheon_secrets import FakePantheon`` gives the type of the ``pantheon``
fixtures for annotations; it is imported on first use, so importing this package (as
pytest does for every run) stays free of Flask and the emulator.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FakePantheon", "JournalView", "PantheonOptions"]


def __getattr__(name: str) -> Any:
    if name == "FakePantheon":
        from .handle import FakePantheon

        return FakePantheon
    if name == "JournalView":
        from .asserts import JournalView

        return JournalView
    if name == "PantheonOptions":
        from .options import PantheonOptions

        return PantheonOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
