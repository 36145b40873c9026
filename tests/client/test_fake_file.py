"""Reading a local secrets file with the SDK fake client's rules (SPEC §9)."""

from __future__ import annotations

import json

import pytest

from emulator.client import ManagementClient, RuntimeClient
from emulator.client import api as runtime
from emulator.core.secrets_file import FakeFileError, fake_client_value, read_fake_file

# (entry, value the SDK's fake client gives it); "empty" is PHP's empty(): null, "" and "0".
FAKE_CLIENT_CASES = [
    ({"Value": "v", "OrgValues": {"default": "org"}}, "v"),
    ({"Value": None, "OrgValues": {"default": "org"}}, "org"),
    ({"Value": "", "OrgValues": {"default": "org"}}, "org"),
    ({"Value": "0", "OrgValues": {"default": "org"}}, "org"),
    ({"Value": "0", "OrgValues": {}}, "0"),
    ({"Value": None, "OrgValues": {"default": "0"}}, None),
    ({"Value": "", "OrgValues": {"default": None}}, ""),
    ({"Value": None}, None),
    ({"Value": None, "OrgValues": {"live": "org-live"}, "EnvValues": {"dev": "site-dev"}}, None),
    ({"Value": "v", "EnvValues": {"dev": "ignored"}, "Scopes": ["ic"]}, "v"),
]


def secrets_file(tmp_path, entries: dict) -> str:
    path = tmp_path / "secrets.json"
    doc = {
        "EntityType": "sites",
        "EntityId": "x",
        "Secrets": {name: {"Type": "runtime", "Scopes": ["user"], "EnvValues": {}, **entry} for name, entry in entries.items()},
    }
    path.write_text(json.dumps(doc, indent=4), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("entry", "expected"), FAKE_CLIENT_CASES)
def test_value_or_org_default_when_value_is_empty(entry, expected):
    assert fake_client_value(entry) == expected


def test_the_client_reads_the_file_named_by_customer_secrets_fake_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("PANTHEON_SITE", "PANTHEON_EMULATOR_RUNTIME_TOKEN", "PANTHEON_EMULATOR_URL"):
        monkeypatch.delenv(name, raising=False)  # no emulator configured: the file is enough
    readable = [(e, expected) for e, expected in FAKE_CLIENT_CASES if expected is not None]
    monkeypatch.setenv("CUSTOMER_SECRETS_FAKE_FILE", secrets_file(tmp_path, {f"S{i}": e for i, (e, _) in enumerate(readable)}))
    assert runtime.get_secrets() == {f"S{i}": expected for i, (_, expected) in enumerate(readable)}
    assert runtime.get_secret("S1") == "org"
    assert runtime.get_secret("MISSING") is None


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"Value": None, "Scopes": ["ic"]}, "Secret 'EMPTY' has no value in {path}: it lacks the 'user' scope"),
        ({"Value": None, "Scopes": ["user"]}, "Secret 'EMPTY' has no value in {path}. Set a test value"),
        ({"Value": "v", "Type": None}, "secret 'EMPTY' has no 'Type' (a string)"),
        ({"Value": "v", "Scopes": None}, "secret 'EMPTY' has no 'Scopes' (a list of scopes)"),
    ],
)
def test_an_entry_the_sdk_cannot_read_is_an_error_naming_it(tmp_path, entry, says):
    path = secrets_file(tmp_path, {"FINE": {"Value": "ok"}, "EMPTY": entry})
    with pytest.raises(FakeFileError) as caught:
        read_fake_file(path)
    assert says.format(path=path) in str(caught.value)
    if entry.get("Value") is None:  # only reading that name fails, as the SDK's getValue() does
        assert RuntimeClient(fake_file=path).get_secret("FINE") == "ok"
        with pytest.raises(FakeFileError):
            RuntimeClient(fake_file=path).get_secret("EMPTY")


def test_a_missing_file_holds_no_secrets(tmp_path):
    assert RuntimeClient(fake_file=tmp_path / "absent.json").get_secret("ANY") is None


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("{not json", "invalid JSON at line 1"),
        ('{"EntityType": "sites"}', "'Secrets' object"),
        ('{"Secrets": {"A": "plain-marker"}}', "entry 'A' is not an object"),
    ],
)
def test_a_broken_file_is_reported_by_path_without_its_contents(tmp_path, content, detail):
    path = tmp_path / "secrets.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FakeFileError) as caught:
        read_fake_file(path)
    assert str(path) in str(caught.value) and detail in str(caught.value)
    assert "marker" not in str(caught.value)


def generated_file(live_server, tmp_path) -> str:
    """What `terminus secret:site:local-generate shop` writes: the site list, 4-space indented."""
    listing = ManagementClient(live_server, "dev-token").list_secrets("site", "shop")
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(listing, indent=4), encoding="utf-8")
    return str(path)


def test_live_emulator_and_generated_file_agree_where_the_rules_agree(live_server, consumer_world, tmp_path):
    fake = RuntimeClient(fake_file=generated_file(live_server, tmp_path))
    with RuntimeClient("shop", "dev", "shop-runtime", url=live_server) as live:
        # web+user secrets without a dev override: same answer either way
        for name in ("API_KEY", "MAIL_KEY", "ZERO", "NO_SUCH_SECRET"):
            assert live.get_secret(name) == fake.get_secret(name), name
    # where the rules differ: the file ignores scopes and overrides
    assert fake.get_secret("HIDDEN") == "user-only"  # no web scope: never visible at runtime
    with RuntimeClient("shop", "live", "shop-runtime", url=live_server) as live:
        assert (live.get_secret("MAIL_KEY"), fake.get_secret("MAIL_KEY")) == ("mail-live", "mail-dev")
    with pytest.raises(FakeFileError, match="'github-oauth.github.com' has no value .* lacks the 'user' scope"):
        fake.get_secret("github-oauth.github.com")  # listed as null: the SDK's getValue() throws too
