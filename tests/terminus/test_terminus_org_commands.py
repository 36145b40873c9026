"""secret:org:* against a real server."""

from __future__ import annotations

import json

import pytest

API = "/customer-secrets/v1"
NOTICE_SET = " [notice] Secret successfully set.\n"
ORG_UNAVAILABLE = " [error]  Either the org is unavailable or you dont have permission to access it. \n"


@pytest.fixture
def acme_id(terminus_world) -> str:
    return next(o["id"] for o in terminus_world["organizations"] if o["name"] == "acme")


def test_org_list_shows_every_field_by_default(terminus, journal, acme_id):
    run = terminus("secret:org:list", "acme")

    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == (
        " ------------- ------------- -------------- --------------- ----------------------------- \n"
        "  Secret name   Secret type   Secret value   Secret scopes   Environment override values  \n"
        " ------------- ------------- -------------- --------------- ----------------------------- \n"
        "  ORG_KEY       runtime       org-value      web, user       live=org-live                \n"
        " ------------- ------------- -------------- --------------- ----------------------------- \n"
    )
    assert journal() == [("GET", f"{API}/organizations/{acme_id}/secrets", 200)]


def test_org_set_update_override_and_delete(terminus, journal, acme_id):
    created = terminus("secret:org:set", "acme", "SHARED", "one", "--type=composer", "--scope=ic,user")
    updated = terminus("secret-org-set", "acme", "SHARED", "two")
    overridden = terminus("secret:org:set", "acme", "SHARED", "live-two", "--env=live")

    assert [r.stderr for r in (created, updated, overridden)] == [NOTICE_SET] * 3
    assert [e[0] for e in journal()] == ["POST", "POST", "PATCH", "PATCH"]
    shared = json.loads(terminus("secret-org-list", "acme", "--format=json").stdout)["SHARED"]
    assert shared == {
        "name": "SHARED",
        "type": "composer",
        "value": "two",
        "scopes": ["ic", "user"],
        "env-values": {"live": "live-two"},
    }

    no_override = terminus("secret:org:delete", "acme", "SHARED", "--env=live")
    deleted = terminus("secret-org-delete", "acme", "SHARED")

    assert no_override.stderr == " [notice] Secret environment override deleted if it existed.\n"
    assert deleted.stderr == " [notice] Secret successfully deleted.\n"
    assert journal()[-2:] == [
        ("PATCH", f"{API}/organizations/{acme_id}/secrets/SHARED", 200),
        ("DELETE", f"{API}/organizations/{acme_id}/secrets/SHARED", 200),
    ]


def test_an_org_secret_shows_through_on_its_sites(terminus):
    terminus("secret:org:set", "acme", "SHARED", "from-org", "--scope=web,user")
    site = json.loads(terminus("secret:site:list", "site", "--format=json").stdout)

    assert site["SHARED"]["value"] is None
    assert site["SHARED"]["org-values"] == {"default": "from-org"}


def test_an_org_without_secrets_warns(terminus):
    run = terminus("secret:org:list", "empty-org", "--format=list")

    assert (run.exit_code, run.stdout, run.stderr) == (0, "\n", " [warning] You have no Secrets.\n")


@pytest.mark.parametrize("org", ["nosuch", "other-org"])  # unknown, and one the user is no member of
def test_org_list_of_an_org_out_of_reach(terminus, org):
    run = terminus("secret:org:list", org)

    assert (run.exit_code, run.stdout, run.stderr) == (1, "", ORG_UNAVAILABLE)


@pytest.mark.parametrize(
    "command",
    [
        ["secret:org:set", "{org}", "K", "v"],
        ["secret:org:delete", "{org}", "K"],
    ],
)
@pytest.mark.parametrize("org", ["nosuch", "other-org"])
def test_org_writes_to_an_org_out_of_reach(terminus, command, org):
    run = terminus(*[part.format(org=org) for part in command])

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == f" [error]  Could not find an user-organization membership identified by {org}. \n"


def test_an_org_override_needs_the_secret_first(terminus):
    run = terminus("secret:org:set", "acme", "MISSING", "v", "--env=dev")

    assert run.exit_code == 1
    assert run.stderr == (
        " [error]  An error happened when trying to set the secret. \n"
        " [error]  Secret 'MISSING' does not exist. You should create the default secret value first. \n"
    )
