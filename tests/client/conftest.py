"""Fixtures for the consumer tests: a world with runtime, build and Next.js secrets, and an
in-process ``requests`` session reaching the app without sockets."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

INPROCESS_URL = "http://emulator.inprocess"

CONSUMER_WORLD = {
    "users": [{"email": "dev@example.com", "token": "dev-token"}],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {
                    "name": "API_KEY",
                    "value": "org-api",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "org-api-live"},
                },
                {"name": "http-basic.repo.example.com", "value": "builder s3cret pass", "type": "composer", "scopes": ["ic"]},
            ],
        },
    ],
    "sites": [
        {
            "name": "shop",
            "owner": "acme",
            "framework": "drupal",
            "runtime_token": "shop-runtime",
            "environments": {
                "dev": {"php_version": "8.3"},
                "test": {"php_version": "8.3"},
                "live": {"php_version": "8.3"},
                "feature": {"php_version": "8.3"},
                "legacy": {"php_version": "7.4"},
            },
            "secrets": [
                {
                    "name": "MAIL_KEY",
                    "value": "mail-dev",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "mail-live"},
                },
                {"name": "HIDDEN", "value": "user-only", "type": "runtime", "scopes": ["user"]},
                {"name": "ZERO", "value": "0", "type": "runtime", "scopes": ["web", "user"]},
                {"name": "github-oauth.github.com", "value": "ghp_shop_token", "type": "composer", "scopes": ["ic"]},
                {"name": "bitbucket-oauth.bitbucket.org", "value": "bbkey bbsecret", "type": "composer", "scopes": ["ic"]},
                {"name": "ACF_PRO_KEY", "value": "acf-licence", "type": "env", "scopes": ["ic"]},
                {
                    "name": "COMPOSER_AUTH",
                    "value": '{"gitlab-token": {"gitlab.example.com": "glpat-shop"}}',
                    "type": "env",
                    "scopes": ["ic"],
                },
            ],
        },
        {
            "name": "storefront",
            "owner": "acme",
            "framework": "nodejs",
            "runtime_token": "storefront-runtime",
            "environments": {"dev": {}, "test": {}, "live": {}},
            "secrets": [
                {
                    "name": "BACKEND_URL",
                    "value": "https://cms.example.com",
                    "type": "env",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "https://cms-live.example.com"},
                },
                {"name": "DB_PASSWORD", "value": "db'pass\\word", "type": "runtime", "scopes": ["web"]},
                {"name": "BUILD_ONLY", "value": "not-for-web", "type": "env", "scopes": ["ic"]},
            ],
        },
        {
            "name": "broken",
            "owner": "acme",
            "runtime_token": "broken-runtime",
            "environments": {"dev": {"php_version": "8.2"}},
            "secrets": [
                {"name": "bitbucket-oauth.bitbucket.org", "value": "onlyonepart", "type": "composer", "scopes": ["ic"]},
                {"name": "COMPOSER_AUTH", "value": "{not-json secret-marker", "type": "env", "scopes": ["ic"]},
                {"name": "npm-token.example.com", "value": "token-marker", "type": "composer", "scopes": ["ic"]},
            ],
        },
    ],
}


@pytest.fixture
def consumer_world(emulator_service) -> dict:
    """CONSUMER_WORLD seeded into the test's emulator; returns the seed summary."""
    return emulator_service.seed(CONSUMER_WORLD).summary()


class WSGIAdapter(BaseAdapter):
    """A requests transport that hands each request to a Flask app's test client."""

    def __init__(self, app):
        super().__init__()
        self.client = app.test_client()

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        answer = self.client.open(
            parts.path, query_string=parts.query, method=request.method, headers=dict(request.headers), data=request.body
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.encoding = answer.mimetype_params.get("charset", "utf-8")
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def inprocess_session(app):
    """A requests.Session whose requests to INPROCESS_URL reach ``app`` in this process."""
    session = requests.Session()
    session.mount(INPROCESS_URL, WSGIAdapter(app))
    yield session
    session.close()
