"""Every test starts from an empty fake Pantheon with the default settings."""


def test_state_settings_cache_and_journal_do_not_leak_between_tests(suite):
    suite.tests("""
        import pytest
        from freezegun import freeze_time

        @pytest.mark.parametrize("round", [1, 2, 3])
        def test_round(pantheon, round):
            assert pantheon.state() == {"users": [], "organizations": [], "sites": []}
            assert pantheon.journal.entries() == []
            settings = pantheon.emulator.settings
            assert (settings.rate_limit, settings.rate_limit_requests, settings.rate_limit_window) == (False, 3, 1.0)
            assert settings.cache_ttl == 900
            with freeze_time("2030-01-01 12:00:00"):  # every round at the same instant
                dev = pantheon.user("dev@example.com")
                web = pantheon.site("web", members=[dev])
                pantheon.secret(web, "API_KEY", f"value-{round}", scopes=["web", "user"])
                pantheon.rate_limit(True, limit=1, window=30)
                pantheon.as_user(dev).list_secrets("site", "web")  # refused if dev's window carried over
                assert pantheon.runtime(web, "dev") == {"API_KEY": f"value-{round}"}
            pantheon.cache(ttl=5)
    """)

    suite.run().assert_outcomes(passed=3)


def test_one_emulator_serves_the_whole_session(suite):
    suite.tests("""
        SEEN = set()

        def test_one(pantheon, pantheon_backend):
            SEEN.add(id(pantheon_backend.emulator))
            assert pantheon.emulator is pantheon_backend.emulator

        def test_two(pantheon, pantheon_backend):
            SEEN.add(id(pantheon_backend.emulator))
            assert len(SEEN) == 1
    """)

    suite.run().assert_outcomes(passed=2)
