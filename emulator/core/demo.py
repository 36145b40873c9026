"""The demo world a newcomer gets on an empty store, as data (a seed document).

The ``demo-world`` default plugin (:mod:`emulator.hooks.defaults`) offers it; a plugin
offering its own world, or ``--block-plugin demo-world``, replaces it.
"""

from __future__ import annotations

from typing import Any

from emulator.core import policy
from emulator.core.model import DEFAULT_PHP, STANDARD_ENVIRONMENTS


def demo_world() -> dict[str, Any]:
    """The world a newcomer gets: one user, an org, and a site it owns with dev/test/live."""
    return {
        "users": [{"email": policy.DEMO_USER_EMAIL, "token": policy.DEMO_USER_TOKEN}],
        "organizations": [
            {
                "name": policy.DEMO_ORG_NAME,
                "members": [policy.DEMO_USER_EMAIL],
                "secrets": [
                    {
                        "name": "API_KEY",
                        "value": "org-api-key",
                        "type": "runtime",
                        "scopes": ["web", "user"],
                        "overrides": {"live": "org-api-key-live"},
                    },
                ],
            }
        ],
        "sites": [
            {
                "name": policy.DEMO_SITE_NAME,
                "owner": policy.DEMO_ORG_NAME,
                "framework": "drupal",
                "runtime_token": "demo-runtime-token",
                "environments": {env: {"php_version": DEFAULT_PHP} for env in STANDARD_ENVIRONMENTS},
                "secrets": [
                    {
                        "name": "MAIL_API_KEY",
                        "value": "site-mail-key",
                        "type": "runtime",
                        "scopes": ["web", "user"],
                        "overrides": {"live": "live-mail-key"},
                    },
                    {"name": "github-oauth.github.com", "value": "ghp_demo_token", "type": "composer", "scopes": ["ic"]},
                ],
            }
        ],
    }
