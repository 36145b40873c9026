"""secret:site:* against a real server: requests, log lines, output and exit codes as Terminus'."""

from __future__ import annotations

import json

import pytest

API = "/customer-secrets/v1"
NOTICE_SET = " [notice] Secret successfully set.\n"


def listed(terminus, site: str = "site") -> dict:
    run = terminus("secret:site:list", site, "--format=json")
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


# -- set ---------------------------------------------------------------------------------


def test_set_creates_a_secret_with_the_documented_defaults(terminus, journal, site_id):
    run = terminus("secret:site:set", "site", "API_KEY", "abc123")

    assert (run.exit_code, run.stdout, run.stderr) == (0, "", NOTICE_SET)
    assert journal() == [("POST", f"{API}/sites/{site_id}/secrets", 200)]
    assert listed(terminus)["API_KEY"] == {
        "name": "API_KEY",
        "type": "runtime",
        "value": "abc123",
        "scopes": ["user"],
        "env-values": [],
        "org-values": [],
    }


def test_set_on_an_existing_name_is_retried_as_a_patch_of_the_value(terminus, journal, site_id):
    terminus("secret:site:set", "site", "API_KEY", "first", "--type=env", "--scope=ic,user")
    run = terminus("secret:site:set", "site", "API_KEY", "second")

    assert (run.exit_code, run.stderr) == (0, NOTICE_SET)
    assert journal()[1:] == [
        ("POST", f"{API}/sites/{site_id}/secrets", 400),
        ("PATCH", f"{API}/sites/{site_id}/secrets/API_KEY", 200),
    ]
    secret = listed(terminus)["API_KEY"]
    assert (secret["value"], secret["type"], secret["scopes"]) == ("second", "env", ["ic", "user"])


@pytest.mark.parametrize("option", ["--type=env", "--scope=web"])
def test_type_or_scope_for_an_existing_secret_gets_terminus_own_message(terminus, journal, option):
    terminus("secret:site:set", "site", "API_KEY", "first")
    run = terminus("secret:site:set", "site", "API_KEY", "second", option)

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        " [error]  An error happened when trying to set the secret. \n"
        " [error]  Secret 'API_KEY' already exists. To update the value, omit type and scopes options. \n"
    )
    assert [entry[0] for entry in journal()] == ["POST", "POST"]  # no PATCH: nothing changed
    assert listed(terminus)["API_KEY"]["value"] == "first"


def test_site_env_form_sets_an_environment_override(terminus, journal, site_id):
    terminus("secret:site:set", "site", "API_KEY", "default")
    run = terminus("secret:site:set", "site.live", "API_KEY", "production")

    assert (run.exit_code, run.stderr) == (0, NOTICE_SET)
    assert journal()[-1] == ("PATCH", f"{API}/sites/{site_id}/secrets/API_KEY", 200)
    secret = listed(terminus)["API_KEY"]
    assert (secret["value"], secret["env-values"]) == ("default", {"live": "production"})


def test_a_site_override_may_be_set_on_a_name_only_the_org_has(terminus):
    run = terminus("secret:site:set", "site.dev", "ORG_KEY", "site-dev")

    assert (run.exit_code, run.stderr) == (0, NOTICE_SET)
    assert listed(terminus)["ORG_KEY"]["env-values"] == {"dev": "site-dev"}


def test_set_warns_when_the_environment_runs_php_below_8_and_still_sets(terminus):
    run = terminus("secret:site:set", "legacy", "ACF_PRO_KEY", "k3y")

    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == (
        " [warning] Secrets are only supported on PHP >=8.0 environments. This environment is running PHP 7.4.\n" + NOTICE_SET
    )
    assert listed(terminus, "legacy")["ACF_PRO_KEY"]["value"] == "k3y"


def test_the_php_check_looks_at_the_target_environment(terminus):
    terminus("secret:site:set", "legacy", "ACF_PRO_KEY", "k3y")
    run = terminus("secret:site:set", "legacy.live", "ACF_PRO_KEY", "live-k3y")  # live runs PHP 8.3

    assert (run.exit_code, run.stderr) == (0, NOTICE_SET)


def test_nodejs_sites_get_no_php_warning(terminus):
    run = terminus("secret:site:set", "next-site", "API_URL", "https://api.example.com")

    assert (run.exit_code, run.stderr) == (0, NOTICE_SET)


@pytest.mark.parametrize(
    "command",
    [
        ["secret:site:set", "site.staging", "API_KEY", "v"],
    ],
)
def test_an_unknown_environment_fails_before_any_request(terminus, journal, command):
    run = terminus(*command)

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == " [error]  Could not find an environment identified by staging. \n"
    assert journal() == []


def test_list_with_an_environment_lists_the_whole_site_as_terminus_does(terminus, journal):
    assert terminus("secret:site:list", "site.staging", "--format=list") == terminus("secret:site:list", "site", "--format=list")
    assert [path.rsplit("/", 1)[-1] for _, path, _ in journal()] == ["showall", "showall"]


def test_delete_with_an_environment_sends_what_terminus_sends_and_reports_the_answer(terminus, journal):
    terminus("secret:site:set", "site", "API_KEY", "v")
    run = terminus("secret:site:delete", "site.staging", "API_KEY")

    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == " [notice] Secret environment override deleted if it existed.\n"
    method, path, status = journal()[-1]
    assert (method, path.rsplit("/", 1)[-1], status) == ("PATCH", "API_KEY", 200)


@pytest.mark.parametrize(
    "command",
    [
        ["secret:site:set", "nosuch", "API_KEY", "v"],
        ["secret:site:list", "nosuch"],
        ["secret:site:delete", "nosuch.dev", "API_KEY"],
        ["secret:site:local-generate", "nosuch"],
    ],
)
def test_an_unknown_site_fails_like_terminus(terminus, journal, command):
    run = terminus(*command)

    assert (run.exit_code, run.stdout) == (1, "")
    assert (
        run.stderr == " [error]  Could not locate a site your user may access identified by nosuch: Site 'nosuch' not found. \n"
    )
    assert journal() == []


def test_a_site_the_user_may_not_manage_is_one_terminus_cannot_locate(terminus):
    """Pantheon's core API does not show such a site: Terminus' reason is its 404 (observed)."""
    run = terminus("secret:site:list", "site", env={"PANTHEON_EMULATOR_TOKEN": "outsider-token"})

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == " [error]  Could not locate a site your user may access identified by site: Site 'site' not found. \n"


def test_a_rejected_value_prints_the_service_message_after_terminus_own(terminus):
    run = terminus("secret:site:set", "site", "BIG", "x" * 16385)

    assert run.exit_code == 1
    assert run.stderr == (
        " [error]  An error happened when trying to set the secret. \n"
        " [error]  Secret value for 'BIG' is 16385 bytes; the limit is 16384 bytes. \n"
    )


# -- delete ------------------------------------------------------------------------------


def test_delete_removes_the_secret_and_its_overrides(terminus, journal, site_id):
    terminus("secret:site:set", "site", "API_KEY", "v")
    terminus("secret:site:set", "site.live", "API_KEY", "live-v")
    run = terminus("secret:site:delete", "site", "API_KEY")

    assert (run.exit_code, run.stdout, run.stderr) == (0, "", " [notice] Secret successfully deleted.\n")
    assert journal()[-1] == ("DELETE", f"{API}/sites/{site_id}/secrets/API_KEY", 200)
    assert "API_KEY" not in listed(terminus)


def test_delete_with_an_environment_removes_only_that_override(terminus, journal, site_id):
    terminus("secret:site:set", "site", "API_KEY", "v")
    terminus("secret:site:set", "site.live", "API_KEY", "live-v")
    run = terminus("secret:site:delete", "site.live", "API_KEY")

    assert (run.exit_code, run.stderr) == (0, " [notice] Secret environment override deleted if it existed.\n")
    assert journal()[-1] == ("PATCH", f"{API}/sites/{site_id}/secrets/API_KEY", 200)
    secret = listed(terminus)["API_KEY"]
    assert (secret["value"], secret["env-values"]) == ("v", [])


def test_deleting_a_missing_secret_fails_with_the_service_message(terminus):
    run = terminus("secret:site:delete", "site", "NOPE")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        " [error]  An error happened when trying to delete the secret. \n [error]  Secret 'NOPE' does not exist. \n"
    )


# -- list ----------------------------------------------------------------------------------


def test_an_empty_list_warns_and_prints_the_bare_table(terminus):
    run = terminus("secret:site:list", "lonely")

    assert (run.exit_code, run.stderr) == (0, " [warning] You have no Secrets.\n")
    assert run.stdout == (
        " ------------- ------------- -------------- --------------- \n"
        "  Secret name   Secret type   Secret value   Secret scopes  \n"
        " ------------- ------------- -------------- --------------- \n"
    )


def test_an_empty_list_in_json_is_an_empty_array(terminus):
    run = terminus("secret:site:list", "lonely", "--format=json")

    assert (run.exit_code, run.stdout, run.stderr) == (0, "[]\n", " [warning] You have no Secrets.\n")


@pytest.fixture
def three_secrets(terminus):
    """PUBLIC (user scope, live override), HIDDEN (ic only, live override) beside the org's ORG_KEY."""
    for args in (
        ["site", "PUBLIC", "pub-value", "--scope=web,user"],
        ["site.live", "PUBLIC", "pub-live"],
        ["site", "HIDDEN", "hidden-value", "--type=env", "--scope=ic"],
        ["site.live", "HIDDEN", "hidden-live"],
    ):
        assert terminus("secret:site:set", *args).exit_code == 0


def test_the_default_table_redacts_values_the_user_may_not_read(terminus, three_secrets):
    run = terminus("secrets", "site")

    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == (
        " ------------- ------------- -------------- --------------- \n"
        "  Secret name   Secret type   Secret value   Secret scopes  \n"
        " ------------- ------------- -------------- --------------- \n"
        "  HIDDEN        env           [REDACTED]     ic             \n"
        "  ORG_KEY       runtime       [REDACTED]     web, user      \n"
        "  PUBLIC        runtime       pub-value      web, user      \n"
        " ------------- ------------- -------------- --------------- \n"
    )


def test_all_fields_show_overrides_and_org_values_as_key_value_pairs(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--fields=*", env={"COLUMNS": "160"})

    assert run.exit_code == 0
    assert run.stdout == (
        " ------------- ------------- -------------- --------------- ----------------------------- ---------------------------------- \n"
        "  Secret name   Secret type   Secret value   Secret scopes   Environment override values   Org values                        \n"
        " ------------- ------------- -------------- --------------- ----------------------------- ---------------------------------- \n"
        "  HIDDEN        env           [REDACTED]     ic              live=[REDACTED]                                                 \n"
        "  ORG_KEY       runtime       [REDACTED]     web, user                                     default=org-value, live=org-live  \n"
        "  PUBLIC        runtime       pub-value      web, user       live=pub-live                                                   \n"
        " ------------- ------------- -------------- --------------- ----------------------------- ---------------------------------- \n"
    )


def test_a_table_wider_than_the_terminal_is_wrapped_like_terminus(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--fields=name,value,org-values", env={"COLUMNS": "50"})

    assert run.exit_code == 0
    # 50 columns leave 17 for "Org values": PHP's wordwrap cuts "default=org-value" and carries ", live=org-live".
    assert run.stdout == (
        " ------------- -------------- ------------------- \n"
        "  Secret name   Secret value   Org values         \n"
        " ------------- -------------- ------------------- \n"
        "  HIDDEN        [REDACTED]                        \n"
        "  ORG_KEY       [REDACTED]     default=org-value  \n"
        "                               , live=org-live    \n"
        "  PUBLIC        pub-value                         \n"
        " ------------- -------------- ------------------- \n"
    )


def test_fields_select_and_order_columns_by_key_or_label(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--fields=Secret value,name", "--format=csv")

    assert run.stdout == ('"Secret value","Secret name"\n[REDACTED],HIDDEN\n[REDACTED],ORG_KEY\npub-value,PUBLIC\n')


def test_json_has_every_field_with_raw_values(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--format=json")

    assert (run.exit_code, run.stderr) == (0, "")
    assert json.loads(run.stdout) == {
        "HIDDEN": {
            "name": "HIDDEN",
            "type": "env",
            "value": None,
            "scopes": ["ic"],
            "env-values": {"live": None},
            "org-values": [],
        },
        "ORG_KEY": {
            "name": "ORG_KEY",
            "type": "runtime",
            "value": None,
            "scopes": ["web", "user"],
            "env-values": [],
            "org-values": {"default": "org-value", "live": "org-live"},
        },
        "PUBLIC": {
            "name": "PUBLIC",
            "type": "runtime",
            "value": "pub-value",
            "scopes": ["web", "user"],
            "env-values": {"live": "pub-live"},
            "org-values": [],
        },
    }
    assert run.stdout.startswith('{\n    "HIDDEN": {\n        "name": "HIDDEN",\n')  # PHP's 4-space pretty print


def test_csv_renders_cells_as_the_table_does(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--format=csv")

    assert run.stdout == (
        '"Secret name","Secret type","Secret value","Secret scopes","Environment override values","Org values"\n'
        "HIDDEN,env,[REDACTED],ic,live=[REDACTED],\n"
        'ORG_KEY,runtime,[REDACTED],"web, user",,"default=org-value, live=org-live"\n'
        'PUBLIC,runtime,pub-value,"web, user",live=pub-live,\n'
    )


def test_yaml_keeps_raw_values(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--format=yaml", "--fields=value,scopes,env-values")

    assert run.stdout == (
        "HIDDEN:\n  value: null\n  scopes:\n    - ic\n  env-values:\n    live: null\n"
        "ORG_KEY:\n  value: null\n  scopes:\n    - web\n    - user\n  env-values: {  }\n"
        "PUBLIC:\n  value: pub-value\n  scopes:\n    - web\n    - user\n  env-values:\n    live: pub-live\n"
        "\n"
    )


def test_list_prints_the_names(terminus, three_secrets):
    run = terminus("secret:site:list", "site", "--format=list")

    assert (run.exit_code, run.stdout) == (0, "HIDDEN\nORG_KEY\nPUBLIC\n")


def test_an_unknown_format_or_field_is_an_error(terminus, three_secrets):
    bad_format = terminus("secret:site:list", "site", "--format=html")
    bad_field = terminus("secret:site:list", "site", "--fields=name,colour")

    assert (bad_format.exit_code, bad_format.stdout) == (1, "")
    assert bad_format.stderr == " [error]  The requested format, 'html', is not available. \n"
    assert (bad_field.exit_code, bad_field.stdout) == (1, "")
    assert bad_field.stderr == " [error]  The requested field, 'colour', is not defined. \n"


def test_listing_with_an_environment_says_so_when_nothing_is_there(terminus):
    run = terminus("secret:site:list", "lonely.dev")

    assert (run.exit_code, run.stderr) == (0, " [warning] There are no environment overrides in the environment 'dev'.\n")


# -- aliases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["secret-set", "secret:set"])
def test_set_aliases(terminus, alias):
    assert (terminus(alias, "site", "K", "v").stderr) == NOTICE_SET


@pytest.mark.parametrize("alias", ["secrets", "secret:list"])
def test_list_aliases(terminus, alias):
    assert terminus(alias, "site", "--format=list").stdout == "ORG_KEY\n"


@pytest.mark.parametrize("alias", ["secret-delete", "secret:delete"])
def test_delete_aliases(terminus, alias):
    terminus("secret:site:set", "site", "K", "v")
    assert terminus(alias, "site", "K").stderr == " [notice] Secret successfully deleted.\n"
