"""Acme Coffee Roasters: the sample site, a Flask application whose configuration comes
from Pantheon secrets. ``create_app()`` builds it; ``python -m sample_site`` serves it."""

from .app import create_app

__all__ = ["create_app"]
