"""Under freezegun, tests cross the 15-minute cache and the rate-limit window without sleeping."""


def test_frozen_time_controls_the_runtime_cache(suite):
    suite.tests("""
        from freezegun import freeze_time

        def test_cache_expiry(pantheon):
            with freeze_time("2030-01-01 12:00:00") as clock:
                dev = pantheon.user()
                web = pantheon.site("web", members=[dev])
                pantheon.secret(web, "API_KEY", "one", scopes=["web"])
                assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}
                pantheon.as_user(dev).set_value("site", "web", "API_KEY", "two")
                clock.tick(899)
                assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}
                clock.tick(1)
                assert pantheon.runtime(web, "dev") == {"API_KEY": "two"}
    """)

    suite.run().assert_outcomes(passed=1)


def test_frozen_time_controls_the_rate_limit_window_on_both_transports(suite):
    suite.tests("""
        import pytest
        from freezegun import freeze_time
        from emulator.client import ClientError

        def test_window(pantheon):
            with freeze_time("2030-01-01 12:00:00") as clock:
                dev = pantheon.user()
                pantheon.site("web", members=[dev])
                pantheon.exhaust_rate_limit(dev)
                with pytest.raises(ClientError) as limited:
                    pantheon.as_user(dev).list_secrets("site", "web")
                assert limited.value.status == 429
                clock.tick(0.999)
                with pytest.raises(ClientError):
                    pantheon.as_user(dev).list_secrets("site", "web")
                clock.tick(0.001)
                pantheon.as_user(dev).list_secrets("site", "web")
                assert pantheon.journal.entries(status=429)[0].time == "2030-01-01T12:00:00.000Z"
    """)

    suite.run().assert_outcomes(passed=1)
    suite.run("--pantheon-transport=live").assert_outcomes(passed=1)


def test_the_cache_ttl_option_is_what_the_clock_counts_down(suite):
    suite.tests("""
        from freezegun import freeze_time

        def test_short_cache(pantheon):
            with freeze_time("2030-01-01 12:00:00") as clock:
                dev = pantheon.user()
                web = pantheon.site("web", members=[dev])
                pantheon.secret(web, "K", "one", scopes=["web"])
                pantheon.runtime(web, "dev")
                pantheon.as_user(dev).set_value("site", "web", "K", "two")
                clock.tick(59)
                assert pantheon.runtime(web, "dev") == {"K": "one"}
                clock.tick(1)
                assert pantheon.runtime(web, "dev") == {"K": "two"}
    """)

    suite.run("--pantheon-cache-ttl=60").assert_outcomes(passed=1)
