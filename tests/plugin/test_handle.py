"""The handle builds a world a line per thing and reads it as a site's runtime would."""


def test_the_scenarios_an_application_suite_needs_take_a_line_each(suite):
    suite.tests("""
        def test_world(pantheon):
            dev = pantheon.user("dev@example.com")
            acme = pantheon.org("acme", members=[dev])
            partner = pantheon.org("partner")
            web = pantheon.site("web", owner=acme, supporting=[partner], framework="wordpress",
                                environments={"dev": "8.3", "live": "8.3", "legacy": "7.4"})
            pantheon.secret(acme, "API_KEY", "org-default", scopes=["web", "user"])
            pantheon.secret(web, "MAIL_KEY", "site-value", scopes=["web"], overrides={"live": "live-mail"})
            pantheon.override(web, "API_KEY", "live", "live-override")

            assert dev.email == "dev@example.com" and dev.token
            assert acme.name == "acme" and len(acme.id) == 36 and acme.members == ("dev@example.com",)
            assert web.owner == acme.id and web.supporting == (partner.id,) and web.runtime_token
            assert web.framework == "wordpress"
            assert {e.name: e.php_version for e in web.environments.values()} == {
                "dev": "8.3", "live": "8.3", "legacy": "7.4"}
            assert not web.environments["legacy"].php_at_least_8

            assert pantheon.runtime(web, "dev") == {"API_KEY": "org-default", "MAIL_KEY": "site-value"}
            assert pantheon.runtime("web", "live") == {"API_KEY": "live-override", "MAIL_KEY": "live-mail"}
            assert pantheon.value(web, "legacy", "API_KEY") == "org-default"
            assert pantheon.value(web, "dev", "API_KEY", scope="ic") is None
            assert pantheon.resolved(web, "live")["API_KEY"].layer == "site-override"
            pantheon.assert_layer(web, "dev", "API_KEY", "org-default")
            pantheon.assert_layer(web, "live", "MAIL_KEY", "site-override")
            assert pantheon.explain(web, "live", "API_KEY")["scopes"]["web"]["layer"] == "site-override"
    """)

    suite.run().assert_outcomes(passed=1)


def test_unnamed_things_get_distinct_names_and_a_personal_site_has_no_org(suite):
    suite.tests("""
        def test_defaults(pantheon):
            first, second = pantheon.user(), pantheon.user()
            site = pantheon.site(members=[first])
            assert first.email != second.email and first.token != second.token
            assert site.owner is None and site.members == (first.email,)
            assert sorted(site.environments) == ["dev", "live", "test"]
            assert pantheon.get_site(site.name) == site
            assert pantheon.get_user(first.token) == first
    """)

    suite.run().assert_outcomes(passed=1)


def test_secrets_default_to_the_documented_type_and_scope_so_the_runtime_does_not_see_them(suite):
    suite.tests("""
        def test_defaults(pantheon):
            site = pantheon.site("web")
            secret = pantheon.secret(site, "TOKEN", "value")
            assert (secret.type, secret.scopes) == ("runtime", ("user",))
            assert pantheon.runtime(site, "dev") == {}
            assert pantheon.value(site, "dev", "TOKEN", scope="user") == "value"
    """)

    suite.run().assert_outcomes(passed=1)


def test_values_change_and_deletes_let_the_org_value_show_through(suite):
    suite.tests("""
        def test_changes(pantheon):
            acme = pantheon.org("acme")
            web = pantheon.site("web", owner=acme)
            pantheon.secret(acme, "API_KEY", "org", scopes=["web"])
            pantheon.secret(web, "API_KEY", "site", scopes=["web"], overrides={"live": "prod"})
            assert pantheon.runtime(web, "live") == {"API_KEY": "prod"}
            pantheon.delete(web, "API_KEY", env="live")
            assert pantheon.runtime(web, "live") == {"API_KEY": "site"}
            pantheon.set_value(web, "API_KEY", "site-2")
            assert pantheon.runtime(web, "live") == {"API_KEY": "site-2"}
            pantheon.delete(web, "API_KEY")
            assert pantheon.runtime(web, "live") == {"API_KEY": "org"}
    """)

    suite.run().assert_outcomes(passed=1)


def test_wrong_references_fail_with_the_call_and_the_reference_named(suite):
    suite.tests("""
        import pytest
        from emulator.core.errors import AlreadyExists, InvalidInput, NotFound

        def test_errors(pantheon):
            web = pantheon.site("web")
            with pytest.raises(InvalidInput) as bad_owner:
                pantheon.site("shop", owner="acem")
            assert bad_owner.value.message == "pantheon.site('shop'): owner: unknown organization 'acem'."
            with pytest.raises(InvalidInput) as bad_member:
                pantheon.org("acme", members=["ghost@example.com"])
            assert bad_member.value.message == (
                "pantheon.org('acme'): members[0]: unknown user 'ghost@example.com'.")
            with pytest.raises(InvalidInput, match=r"site 'web' already exists"):
                pantheon.site("web")
            with pytest.raises(NotFound) as bad_env:
                pantheon.secret(web, "K", "v", overrides={"prod": "x"})
            assert bad_env.value.message == "pantheon.secret('web', 'K'): Environment 'prod' not found on site 'web'."
            assert pantheon.listing(web)["Secrets"] == {}  # nothing half-created
            pantheon.secret(web, "K", "v")
            with pytest.raises(AlreadyExists, match=r"already exists; change it with pantheon.set_value"):
                pantheon.secret(web, "K", "other")
            with pytest.raises(NotFound, match="No site or organization 'nowhere'"):
                pantheon.secret("nowhere", "K", "v")
            with pytest.raises(NotFound, match="Site 'nowhere' not found"):
                pantheon.runtime("nowhere", "dev")
            with pytest.raises(NotFound, match="Environment 'qa' not found on site 'web'"):
                pantheon.runtime(web, "qa")
    """)

    suite.run().assert_outcomes(passed=1)


def test_an_error_in_a_handle_call_points_at_the_test_line_not_the_plugin(suite):
    suite.tests("""
        def test_typo(pantheon):
            pantheon.site("web", owner="acem")
    """)

    result = suite.run()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ['*pantheon.site("web", owner="acem")*', "E   *InvalidInput: pantheon.site('web'): owner: unknown organization 'acem'."]
    )
    assert "handle.py" not in result.stdout.str()


def test_the_management_api_is_driven_as_a_given_user_over_the_same_session(suite):
    suite.tests("""
        import pytest
        from emulator.client import ClientError, ManagementClient

        def test_as_user(pantheon):
            dev = pantheon.user("dev@example.com")
            outsider = pantheon.user("outsider@example.com")
            acme = pantheon.org("acme", members=[dev])
            pantheon.site("web", owner=acme)

            terminus = pantheon.as_user(dev)
            assert isinstance(terminus, ManagementClient) and terminus.session is pantheon.session
            terminus.set_secret("site", "web", "API_KEY", "one", scopes=["web", "user"])
            terminus.set_secret("site", "web", "API_KEY", "two")  # POST -> 400 "PATCH" -> PATCH
            assert terminus.list_secrets("site", "web")["Secrets"]["API_KEY"]["Value"] == "two"
            with pytest.raises(ClientError) as refused:
                pantheon.as_user(outsider).list_secrets("site", "web")
            assert refused.value.status == 403
            methods = [(e.method, e.status) for e in pantheon.journal.entries(actor="dev@example.com")]
            assert methods == [("POST", 200), ("POST", 400), ("PATCH", 200), ("GET", 200)]
    """)

    suite.run().assert_outcomes(passed=1)


def test_the_rate_limit_is_off_by_default_and_switches_on_and_off(suite):
    suite.tests("""
        import pytest
        from emulator.client import ClientError

        def test_rate_limit(pantheon):
            dev = pantheon.user()
            pantheon.site("web", members=[dev])
            terminus = pantheon.as_user(dev)
            for _ in range(10):
                terminus.list_secrets("site", "web")
            pantheon.rate_limit(True)
            for _ in range(3):
                terminus.list_secrets("site", "web")
            with pytest.raises(ClientError) as limited:
                terminus.list_secrets("site", "web")
            assert limited.value.status == 429 and limited.value.retry_after == "1"
            pantheon.rate_limit(False)
            terminus.list_secrets("site", "web")

        def test_a_rate_limited_user_in_one_line(pantheon):
            dev, other = pantheon.user(), pantheon.user()
            pantheon.site("web", members=[dev, other])
            pantheon.exhaust_rate_limit(dev)
            with pytest.raises(ClientError) as limited:
                pantheon.as_user(dev).list_secrets("site", "web")
            assert limited.value.status == 429
            pantheon.as_user(other).list_secrets("site", "web")  # the limit is per user
    """)

    suite.run().assert_outcomes(passed=2)


def test_the_runtime_cache_holds_api_writes_until_switched_off_or_cleared(suite):
    suite.tests("""
        def test_cache(pantheon):
            dev = pantheon.user()
            web = pantheon.site("web", members=[dev])
            pantheon.secret(web, "API_KEY", "one", scopes=["web"])
            assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}
            pantheon.as_user(dev).set_value("site", "web", "API_KEY", "two")
            assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}   # cached, as on Pantheon
            assert pantheon.value(web, "dev", "API_KEY") == "two"      # the uncached truth
            pantheon.clear_cache()
            assert pantheon.runtime(web, "dev") == {"API_KEY": "two"}
            pantheon.cache(False)
            pantheon.as_user(dev).set_value("site", "web", "API_KEY", "three")
            assert pantheon.runtime(web, "dev") == {"API_KEY": "three"}
            pantheon.cache(True)
            pantheon.as_user(dev).set_value("site", "web", "API_KEY", "four")
            assert pantheon.runtime(web, "dev") == {"API_KEY": "four"}  # it starts empty
            pantheon.as_user(dev).set_value("site", "web", "API_KEY", "five")
            assert pantheon.runtime(web, "dev") == {"API_KEY": "four"}
    """)

    suite.run().assert_outcomes(passed=1)


def test_a_seed_document_and_the_state_round_trip_through_the_handle(suite):
    suite.tests("""
        def test_seed(pantheon):
            summary = pantheon.seed({"organizations": [{"name": "acme"}],
                                     "sites": [{"name": "web", "owner": "acme", "runtime_token": "rt"}]})
            assert summary["sites"][0]["runtime_token"] == "rt"
            assert [s["name"] for s in pantheon.state()["sites"]] == ["web"]
    """)

    suite.run().assert_outcomes(passed=1)
