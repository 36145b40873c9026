"""Pointing the code under test at the emulator, for one site and environment, for one test."""

import os


def test_point_at_sets_the_variables_for_one_test_and_then_restores_them(suite, monkeypatch):
    monkeypatch.setenv("PANTHEON_SITE", "set-before-the-run")
    monkeypatch.delenv("PANTHEON_EMULATOR_TOKEN", raising=False)
    suite.tests("""
        import os

        def test_pointed(pantheon):
            dev = pantheon.user("dev@example.com")
            acme = pantheon.org("acme", members=[dev])
            web = pantheon.site("web", owner=acme, environments={"dev": "8.3", "legacy": "7.4"})
            values = pantheon.point_at(web, "legacy")
            assert values == {k: os.environ[k] for k in values}
            assert os.environ["PANTHEON_SITE"] == web.id
            assert os.environ["PANTHEON_SITE_NAME"] == "web"
            assert os.environ["PANTHEON_ENVIRONMENT"] == "legacy"
            assert os.environ["PANTHEON_EMULATOR_URL"] == pantheon.url
            assert os.environ["PANTHEON_EMULATOR_RUNTIME_TOKEN"] == web.runtime_token
            assert os.environ["PANTHEON_EMULATOR_TOKEN"] == dev.token  # a member of the owner org

        def test_restored():
            assert os.environ["PANTHEON_SITE"] == "set-before-the-run"
            assert "PANTHEON_EMULATOR_TOKEN" not in os.environ
            assert "PANTHEON_ENVIRONMENT" not in os.environ

        def test_a_given_user_and_a_site_nobody_manages(pantheon, monkeypatch):
            monkeypatch.setenv("PANTHEON_EMULATOR_TOKEN", "stale")
            ops = pantheon.user("ops@example.com")
            lonely = pantheon.site("lonely")
            assert pantheon.point_at(lonely, "dev", user=ops)["PANTHEON_EMULATOR_TOKEN"] == ops.token
            pantheon.point_at(lonely, "live")
            assert "PANTHEON_EMULATOR_TOKEN" not in os.environ
    """)

    suite.run().assert_outcomes(passed=3)
    assert os.environ["PANTHEON_SITE"] == "set-before-the-run"


def test_point_at_refuses_an_environment_the_site_lacks(suite):
    suite.tests("""
        import os, pytest
        from emulator.core.errors import NotFound

        def test_unknown_env(pantheon):
            web = pantheon.site("web")
            with pytest.raises(NotFound, match="Environment 'legacy' not found on site 'web'"):
                pantheon.point_at(web, "legacy")
            assert "PANTHEON_ENVIRONMENT" not in os.environ
    """)

    suite.run().assert_outcomes(passed=1)


def test_the_fake_file_is_the_site_list_response_with_a_four_space_indent(suite):
    suite.tests("""
        import json, os

        def test_fake_file(pantheon, tmp_path):
            dev = pantheon.user()
            acme = pantheon.org("acme", members=[dev])
            web = pantheon.site("web", owner=acme)
            pantheon.secret(acme, "API_KEY", "org", scopes=["web", "user"], overrides={"live": "org-live"})
            pantheon.secret(web, "DB_PASSWORD", "hidden", scopes=["web"])

            path = pantheon.write_fake_file(web)

            assert os.environ["CUSTOMER_SECRETS_FAKE_FILE"] == str(path)
            assert path.parent == tmp_path
            listed = pantheon.as_user(dev).list_secrets("site", "web")
            assert path.read_text() == json.dumps(listed, indent=4)
            assert path.read_text().startswith('{\\n    "EntityType": "sites",\\n    "EntityId": "')
            data = json.loads(path.read_text())
            assert data["Secrets"]["API_KEY"]["OrgValues"] == {"default": "org", "live": "org-live"}
            assert data["Secrets"]["DB_PASSWORD"]["Value"] is None  # no user scope: filled in by hand

        def test_fake_file_at_a_chosen_path(pantheon, tmp_path):
            web = pantheon.site("web")
            target = tmp_path / "secrets.json"
            assert pantheon.write_fake_file(web, target) == target
            assert json.loads(target.read_text())["Secrets"] == {}

        def test_restored():
            assert "CUSTOMER_SECRETS_FAKE_FILE" not in os.environ
    """)

    suite.run().assert_outcomes(passed=3)
