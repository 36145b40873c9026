"""Pantheon's real Terminus (with its secrets plugin), unmodified, against `pantheon-emulator serve`.

Each run costs about a second of PHP start-up, so the tests group several commands against
one server per module; the ``terminus`` fixture is logged in, the login tests use a fresh HOME.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from emulator.core.secrets_file import read_fake_file

from .support import MACHINE_TOKEN, Server, Terminus

pytestmark = pytest.mark.usefixtures("server")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_a_bad_machine_token_is_refused_as_terminus_reports_it(new_terminus):
    run = new_terminus("auth:login", "--machine-token=not-a-token")
    assert run.code == 1
    assert lines(run.err) == [
        "[notice] Logging in via machine token.",
        "[error]  No user ID. Please login via terminus auth:login",
    ]


def test_login_whoami_and_the_first_commands_a_user_types(new_terminus):
    terminus = new_terminus
    run = terminus("auth:login", f"--machine-token={MACHINE_TOKEN}")
    assert run.code == 0, run.err
    assert lines(run.err) == [
        "[notice] Logging in via machine token.",
        "[notice] Found a machine token for dev@example.com.",
        "[notice] Logged in via machine token.",
    ]
    assert terminus("auth:whoami").out == "dev@example.com\n"

    sites = terminus("site:list", "--format=json")
    assert sites.code == 0, sites.err
    listed = {site["name"]: site for site in json.loads(sites.out).values()}
    assert set(listed) == {"acme-web", "acme-next", "acme-legacy"}  # not other-site: another org's
    assert listed["acme-next"]["framework"] == "nodejs"

    info = terminus("site:info", "acme-web", "--format=json")
    assert info.code == 0, info.err
    site = json.loads(info.out)
    orgs = json.loads(terminus("org:list", "--format=json").out)
    assert [org["name"] for org in orgs.values()] == ["acme"]
    assert site["name"] == "acme-web" and site["organization"] == next(iter(orgs.values()))["id"]

    envs = json.loads(terminus("env:list", "acme-web", "--format=json").out)
    assert list(envs) == ["dev", "test", "live", "feature"]
    assert envs["feature"]["domain"] == "feature-acme-web.pantheonsite.io"


@pytest.mark.parametrize("site", ["other-site", "no-such-site"])
def test_a_site_the_user_may_not_see_is_not_located(terminus, site):
    run = terminus("site:info", site)
    assert run.code == 1
    assert lines(run.err) == [
        f"[error]  Could not locate a site your user may access identified by {site}: Site '{site}' not found."
    ]


def test_site_secrets_set_list_and_delete(terminus):
    ok = terminus("secret:site:set", "acme-web", "NEWKEY", "hello", "--type=env", "--scope=ic,user")
    assert (ok.code, lines(ok.err)) == (0, ["[notice] Secret successfully set."])
    again = terminus("secret:site:set", "acme-web", "NEWKEY", "again", "--type=env")
    assert again.code == 1
    assert lines(again.err) == [
        "[error]  An error happened when trying to set the secret.",
        "[error]  Secret 'NEWKEY' already exists. To update the value, omit type and scopes options.",
    ]
    assert terminus("secret:site:set", "acme-web", "NEWKEY", "again").code == 0  # POST refused, PATCH retried
    assert terminus("secret:site:set", "acme-web.live", "NEWKEY", "live-v").code == 0
    missing_env = terminus("secret:site:set", "acme-web.nowhere", "NEWKEY", "x")
    assert (missing_env.code, lines(missing_env.err)) == (1, ["[error]  Could not find an environment identified by nowhere."])

    table = terminus("secret:site:list", "acme-web", "--fields=name,type,value,scopes,env-values,org-values")
    assert table.code == 0, table.err
    rows = {line.split()[0]: line for line in lines(table.out)[3:-1]}
    assert rows["NEWKEY"].split() == ["NEWKEY", "env", "again", "ic,", "user", "live=live-v"]
    assert rows["IC_ONLY"].split()[:3] == ["IC_ONLY", "env", "[REDACTED]"]
    assert "default=org-shared, test=org-shared-test" in rows["SHARED_KEY"]

    listed = json.loads(terminus("secret:site:list", "acme-web.live", "--format=json").out)
    assert listed["NEWKEY"]["env-values"] == {"live": "live-v"}
    assert listed["ORG_ONLY"]["org-values"] == {"default": "org-only-value"}
    assert listed["IC_ONLY"]["value"] is None

    override = terminus("secret:site:delete", "acme-web.live", "NEWKEY")
    assert (override.code, lines(override.err)) == (0, ["[notice] Secret environment override deleted if it existed."])
    assert terminus("secret:site:delete", "acme-web", "NEWKEY").code == 0
    gone = terminus("secret:site:delete", "acme-web", "NEWKEY")
    assert gone.code == 1
    assert lines(gone.err) == [
        "[error]  An error happened when trying to delete the secret.",
        "[error]  Secret 'NEWKEY' does not exist.",
    ]


def test_a_secret_set_on_php_7_4_warns_as_terminus_does(terminus):
    run = terminus("secret:site:set", "acme-legacy", "LEGACY_KEY", "v")
    assert run.code == 0
    assert lines(run.err) == [
        "[warning] Secrets are only supported on PHP >=8.0 environments. This environment is running PHP 7.4.",
        "[notice] Secret successfully set.",
    ]


def test_organization_secrets_set_list_and_delete(terminus):
    assert terminus("secret:org:set", "acme", "ORG_NEW", "ov", "--scope=web,user").code == 0
    assert terminus("secret:org:set", "acme", "ORG_NEW", "ov-live", "--env=live").code == 0
    listed = json.loads(terminus("secret:org:list", "acme", "--format=json").out)
    assert listed["ORG_NEW"]["value"] == "ov"
    assert listed["ORG_NEW"]["env-values"] == {"live": "ov-live"}
    deleted = terminus("secret:org:delete", "acme", "ORG_NEW")
    assert (deleted.code, lines(deleted.err)) == (0, ["[notice] Secret successfully deleted."])
    assert "ORG_NEW" not in terminus("secret:org:list", "acme", "--format=json").out
    unknown = terminus("org:site:list", "no-such-org")
    assert (unknown.code, lines(unknown.err)) == (
        1,
        ["[error]  Could not find an user-organization membership identified by no-such-org."],
    )
    for org in ("other", "no-such-org"):
        refused = terminus("secret:org:list", org)
        assert refused.code == 1
        assert lines(refused.err) == ["[error]  Either the org is unavailable or you dont have permission to access it."]


def test_local_generate_writes_a_file_our_reader_reads(terminus):
    target = terminus.home / "secrets.json"
    run = terminus("secret:site:local-generate", "acme-web", f"--filepath={target}")
    assert run.code == 0, run.err
    assert f"Secrets file written to: {target}" in run.err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["Secrets"]["SHARED_KEY"]["Value"] == "site-shared"
    assert data["Secrets"]["IC_ONLY"]["Value"] is None  # no user scope: the developer fills it in
    with pytest.raises(Exception, match="IC_ONLY"):
        read_fake_file(str(target))


def test_a_session_token_reads_the_secrets_api_as_terminus_sends_it(terminus, server):
    session = json.loads((terminus.home / ".terminus" / "cache" / "session").read_text(encoding="utf-8"))
    for header in (session["session"], f"Bearer {session['session']}"):
        response = requests.get(
            f"{server.url}/customer-secrets/v1/sites/acme-web/secrets/showall", headers={"Authorization": header}, timeout=10
        )
        assert response.status_code == 200


def test_an_expired_session_makes_terminus_log_in_again(tmp_path):
    short = Server(tmp_path, "--session-ttl", "2", "--no-rate-limit")
    try:
        terminus = Terminus(short, tmp_path)
        assert terminus("auth:login", f"--machine-token={MACHINE_TOKEN}").code == 0
        session_file = tmp_path / ".terminus" / "cache" / "session"
        first = json.loads(session_file.read_text(encoding="utf-8"))
        time.sleep(max(0.0, first["expires_at"] + 1 - time.time()))
        run = terminus("secret:site:list", "acme-web", "--format=json")
        assert run.code == 0, run.err
        assert "SHARED_KEY" in json.loads(run.out)
        again = json.loads(session_file.read_text(encoding="utf-8"))
        assert again["session"] != first["session"] and again["expires_at"] > first["expires_at"]
    finally:
        short.stop()
