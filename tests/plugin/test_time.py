"""Under freezegun, tests cross the 15-minute cache and the rate-limit window without sleeping."""

import pytest

CACHE_EXPIRY = """
    from freezegun import freeze_time

    def test_cache_expiry(pantheon):
        with freeze_time("2030-01-01 12:00:00") as clock:
            dev = pantheon.user()
            web = pantheon.site("web", members=[dev])
            pantheon.secret(web, "API_KEY", "one", scopes=["web"])
            assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}
            pantheon.as_user(dev).set_value("site", "web", "API_KEY", "two")
            clock.tick(TTL - 1)
            assert pantheon.runtime(web, "dev") == {"API_KEY": "one"}
            clock.tick(1)
            assert pantheon.runtime(web, "dev") == {"API_KEY": "two"}
"""


@pytest.mark.parametrize(
    "args, ttl",
    [
        ((), 900),  # the documented 15 minutes
        (("--pantheon-cache-ttl=60",), 60),  # the option is what the clock counts down
    ],
)
def test_frozen_time_controls_the_runtime_cache(suite, args, ttl):
    suite.tests(CACHE_EXPIRY.replace("TTL", str(ttl)))

    suite.run(*args).assert_outcomes(passed=1)


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
