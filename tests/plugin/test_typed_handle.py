"""The pytest handle refuses what the service refuses: scopes must be strings in a list."""


def test_string_scopes_are_refused_by_the_handle_as_by_the_service(suite):
    suite.tests("""
        import pytest
        from emulator.core.errors import InvalidInput

        def test_world(pantheon):
            acme = pantheon.org("acme")
            with pytest.raises(InvalidInput, match="Field 'scopes' must be an array of strings, not a string"):
                pantheon.secret(acme, "K", "v", scopes="web,user")
            pantheon.secret(acme, "L", "v", scopes=("web", "user"), type="vcs")
            assert list(pantheon.listing(acme)["Secrets"]) == ["L"]
            assert pantheon.listing(acme)["Secrets"]["L"]["Type"] == "vcs"
    """)
    suite.run().assert_outcomes(passed=1)
