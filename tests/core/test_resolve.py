"""SPEC §3 value resolution, exercised on the pure functions."""

from emulator.core.model import Secret
from emulator.core.resolve import ORG_DEFAULT, ORG_OVERRIDE, SITE_DEFAULT, SITE_OVERRIDE, explain, resolve_environment

WEB = ("web", "user")


def org(value="org", overrides=None, scopes=WEB, type_="runtime"):
    return Secret("API_KEY", value, type_, scopes, overrides or {})


def site(value="site", overrides=None, scopes=WEB, type_="runtime"):
    return Secret("API_KEY", value, type_, scopes, overrides or {})


def read(org_secrets, site_secrets, env, scope="web"):
    resolved = resolve_environment(org_secrets, site_secrets, env, scope).get("API_KEY")
    return None if resolved is None else (resolved.value, resolved.layer)


def test_org_value_reaches_every_environment_when_site_sets_nothing():
    for env in ("dev", "test", "live"):
        assert read([org()], [], env) == ("org", ORG_DEFAULT)


def test_site_value_beats_org_value():
    assert read([org()], [site()], "dev") == ("site", SITE_DEFAULT)


def test_site_override_wins_only_in_its_environment():
    secrets = [site(overrides={"live": "prod"})]
    assert read([org()], secrets, "live") == ("prod", SITE_OVERRIDE)
    assert read([org()], secrets, "dev") == ("site", SITE_DEFAULT)


def test_deleting_the_site_value_lets_the_org_value_show_through():
    assert read([org()], [], "dev") == ("org", ORG_DEFAULT)


def test_site_default_beats_org_override_for_the_same_environment():
    # SPEC §3 rule 5 and its worked example.
    assert read([org(overrides={"live": "org-live"})], [site()], "live") == ("site", SITE_DEFAULT)
    assert read([org(overrides={"live": "org-live"})], [], "live") == ("org-live", ORG_OVERRIDE)


def test_overrides_only_site_entry_takes_part_only_where_it_overrides():
    entry = Secret("API_KEY", None, "runtime", WEB, {"live": "site-live"})
    assert read([org()], [entry], "live") == ("site-live", SITE_OVERRIDE)
    assert read([org()], [entry], "dev") == ("org", ORG_DEFAULT)


def test_scope_filters_each_layer_before_layering():
    assert read([org(scopes=("ic",))], [], "dev", "web") is None
    assert read([org()], [site(scopes=("ic",))], "dev", "web") == ("org", ORG_DEFAULT)
    assert read([org()], [site(scopes=("ic",))], "dev", "ic") == ("site", SITE_DEFAULT)


def test_type_and_scopes_come_from_the_layer_that_supplies_the_value():
    resolved = resolve_environment(
        [org(type_="env", scopes=("web", "ic"))], [site(type_="runtime", scopes=("web",))], "dev", "web"
    )
    assert (resolved["API_KEY"].type, resolved["API_KEY"].scopes) == ("runtime", ("web",))
    resolved = resolve_environment(
        [org(type_="env", scopes=("web", "ic"))], [site(type_="runtime", scopes=("web",))], "dev", "ic"
    )
    assert (resolved["API_KEY"].type, resolved["API_KEY"].scopes) == ("env", ("web", "ic"))


def test_explain_names_the_winner_what_it_shadows_and_why_a_scope_is_empty():
    org_secret = org(value="org-secret-value", overrides={"live": "org-live-value"})
    result = explain(org_secret, site(value="site-secret-value", scopes=("user",)), "live", ("web", "ic", "user")).to_dict()
    assert result["scopes"]["web"]["layer"] == ORG_OVERRIDE
    assert result["scopes"]["web"]["shadowed"] == [ORG_DEFAULT]
    assert result["scopes"]["user"]["layer"] == SITE_DEFAULT
    assert result["scopes"]["ic"]["visible"] is False
    assert "No layer carries scope 'ic'" in result["scopes"]["ic"]["reason"]
    assert "secret-value" not in str(result) and "live-value" not in str(result)
