"""Journal assertions pass on what happened and, when they fail, list it with values masked."""

READER = """
    import pytest

    def runtime_get(pantheon, site, env, name=None):
        path = f"{pantheon.url}/customer-secrets/v1/sites/{site.name}/environments/{env}/secrets"
        return pantheon.session.get(path + (f"/{name}" if name else ""),
                                    headers={"Authorization": f"Bearer {site.runtime_token}"})

    @pytest.fixture
    def web(pantheon):
        acme = pantheon.org("acme")
        site = pantheon.site("web", owner=acme)
        pantheon.secret(acme, "API_KEY", "sk_live_TOPSECRET", scopes=["web", "user"])
        pantheon.secret(site, "DB_PASSWORD", "hunter2-TOPSECRET", scopes=["ic"])
        pantheon.override(site, "API_KEY", "live", "sk_prod_TOPSECRET")
        return site
"""


def test_reads_are_counted_per_name_site_and_environment(suite):
    suite.tests(
        READER
        + """
    def test_counts(pantheon, web):
        runtime_get(pantheon, web, "live")              # the whole payload: delivers API_KEY
        runtime_get(pantheon, web, "dev", "API_KEY")    # one name
        pantheon.journal.assert_read("API_KEY")
        pantheon.journal.assert_read("API_KEY", site=web, env="live", times=1)
        pantheon.journal.assert_read("API_KEY", site="web", times=2)
        pantheon.journal.assert_read("API_KEY", env="test", times=0)
        pantheon.journal.assert_not_read("DB_PASSWORD")
        pantheon.journal.assert_no_reads_outside_scope("web")
        assert len(pantheon.journal.runtime_reads(env="dev")) == 1
    """
    )

    suite.run().assert_outcomes(passed=1)


def test_a_failed_count_lists_the_reads_and_masks_every_value(suite):
    suite.tests(
        READER
        + """
    def test_twice(pantheon, web):
        runtime_get(pantheon, web, "live")
        runtime_get(pantheon, web, "live", "API_KEY")
        pantheon.journal.assert_read("API_KEY", site=web, env="live", times=1)
    """
    )

    result = suite.run()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *AssertionError: Expected the runtime of site 'web' in 'live' to read 'API_KEY' once, but it read it 2 times.",
            "E *Runtime reads recorded:",
            "E *1. * GET /customer-secrets/v1/sites/web/environments/live/secrets -> 200 as runtime:web (delivered API_KEY)",
            "E *2. * GET /customer-secrets/v1/sites/web/environments/live/secrets/API_KEY -> 200 as runtime:web "
            "(delivered API_KEY)",
            "E *What web.live reads now (web scope): API_KEY=*** (site-override).",
        ]
    )
    assert "TOPSECRET" not in "\n".join(line for line in result.stdout.lines if not line.startswith("    "))


def test_reads_outside_the_web_scope_are_listed(suite):
    suite.tests(
        READER
        + """
    def test_outside(pantheon, web):
        dev = pantheon.user()
        pantheon.seed({"organizations": [{"name": "acme", "members": [dev.email]}]})
        runtime_get(pantheon, web, "dev", "DB_PASSWORD")     # ic-only: the runtime gets a 404
        pantheon.as_user(dev).list_secrets("site", "web")    # a listing shows user-scoped values
        runtime_get(pantheon, web, "dev")                    # fine
        pantheon.journal.assert_no_reads_outside_scope("web")
    """
    )

    result = suite.run()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *AssertionError: Expected every secret read to stay within the 'web' scope, but 2 did not.",
            "E *Reads outside it:",
            "E *1. * GET /customer-secrets/v1/sites/web/environments/dev/secrets/DB_PASSWORD -> 404 as runtime:web",
            "E *2. * GET /customer-secrets/v1/sites/web/secrets/showall -> 200 as user*@example.com",
        ]
    )


def test_an_unread_secret_fails_assert_read_and_a_read_one_fails_assert_not_read(suite):
    suite.tests(
        READER
        + """
    def test_never_read(pantheon, web):
        pantheon.journal.assert_read("API_KEY")

    def test_read_after_all(pantheon, web):
        runtime_get(pantheon, web, "dev")
        pantheon.journal.assert_not_read("API_KEY", env="dev")
    """
    )

    result = suite.run()

    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "E *AssertionError: Expected the runtime to read 'API_KEY' at least once, but it read it never.",
            "E *Runtime reads recorded: none.",
            "E *AssertionError: Expected the runtime in 'dev' to read 'API_KEY' never, but it read it once.",
        ]
    )


def test_provenance_assertions_name_the_winning_layer_without_values(suite):
    suite.tests(
        READER
        + """
    def test_layer(pantheon, web):
        pantheon.assert_layer(web, "live", "API_KEY", "org-default")
    """
    )

    result = suite.run()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *AssertionError: Expected 'API_KEY' in web.live to come from org-default for scope 'web', "
            "but site-override supplies the value for scope 'web'; it shadows org-default.",
            "E *Layers holding 'API_KEY' in live: site-override, org-default.",
            "E *What web.live reads now (web scope): API_KEY=*** (site-override).",
        ]
    )
    assert "TOPSECRET" not in "\n".join(line for line in result.stdout.lines if line.startswith("E "))
