"""Declarative seeding: markers and an overridable pantheon_seed fixture, with readable failures."""

import json

WORLD = {
    "users": [{"email": "dev@example.com", "token": "dev-token"}],
    "organizations": [
        {"name": "acme", "members": ["dev@example.com"], "secrets": [{"name": "API_KEY", "value": "org", "scopes": ["web"]}]}
    ],
    "sites": [
        {
            "name": "web",
            "owner": "acme",
            "runtime_token": "web-runtime",
            "environments": {"dev": {}, "live": {}, "legacy": {"php_version": "7.4"}},
        }
    ],
}


def test_a_marker_seeds_from_a_json_file_next_to_the_test_or_from_a_dict(suite):
    suite.file("tests/seeds/world.json", json.dumps(WORLD))
    suite.file(
        "tests/test_marked.py",
        """
        import pytest

        @pytest.mark.pantheon_seed("seeds/world.json")
        def test_from_file(pantheon):
            assert pantheon.runtime("web", "dev") == {"API_KEY": "org"}
            with pytest.raises(Exception, match="runs PHP 7.4"):  # secrets need PHP 8.0 or later
                pantheon.runtime("web", "legacy")
            assert pantheon.get_user("dev@example.com").token == "dev-token"
            assert pantheon.seeded[0]["sites"][0]["runtime_token"] == "web-runtime"

        @pytest.mark.pantheon_seed({"sites": [{"name": "solo"}]})
        def test_from_dict(pantheon):
            assert [s["name"] for s in pantheon.state()["sites"]] == ["solo"]

        def test_unmarked(pantheon):
            assert pantheon.state()["sites"] == []
    """,
    )

    suite.run("tests").assert_outcomes(passed=3)


def test_markers_apply_outermost_first_so_the_test_adds_to_its_class_world(suite):
    suite.file("world.json", json.dumps(WORLD))
    suite.tests("""
        import pytest

        pytestmark = pytest.mark.pantheon_seed("world.json")

        @pytest.mark.pantheon_seed({"sites": [{"name": "web", "owner": "acme", "secrets": [
            {"name": "API_KEY", "value": "site", "scopes": ["web"], "overrides": {"live": "prod"}}]}]})
        class TestLayered:
            @pytest.mark.pantheon_seed({"sites": [{"name": "shop"}]}, {"organizations": [{"name": "partner"}]})
            def test_layers(self, pantheon):
                assert pantheon.runtime("web", "live") == {"API_KEY": "prod"}
                assert {s["name"] for s in pantheon.state()["sites"]} == {"web", "shop"}
                assert [len(s["sites"]) for s in pantheon.seeded] == [1, 1, 1, 0]
    """)

    suite.run().assert_outcomes(passed=1)


def test_overriding_the_fixture_gives_a_directory_a_world_that_markers_add_to(suite):
    suite.file("world.json", json.dumps(WORLD))
    suite.conftest("""
        import pytest

        @pytest.fixture
        def pantheon_seed():
            return "world.json"
    """)
    suite.tests("""
        import pytest

        def test_base_world(pantheon):
            assert pantheon.runtime("web", "dev") == {"API_KEY": "org"}

        @pytest.mark.pantheon_seed({"sites": [{"name": "web", "owner": "acme",
                                               "secrets": [{"name": "API_KEY", "value": "site", "scopes": ["web"]}]}]})
        def test_marker_on_top(pantheon):
            assert pantheon.runtime("web", "dev") == {"API_KEY": "site"}
            pantheon.assert_layer("web", "dev", "API_KEY", "site-default")
    """)

    suite.run().assert_outcomes(passed=2)


def test_paths_from_the_fixture_are_relative_to_the_conftest_that_returns_them(suite):
    suite.file("seeds/world.json", json.dumps(WORLD))
    suite.conftest("""
        import pytest

        @pytest.fixture
        def pantheon_seed():
            return "seeds/world.json"
    """)
    suite.file(
        "deep/down/test_deep.py",
        """
        def test_deep(pantheon):
            assert pantheon.runtime("web", "dev") == {"API_KEY": "org"}
    """,
    )

    suite.run().assert_outcomes(passed=1)


def test_a_seed_file_edited_during_the_run_is_read_again(suite):
    suite.file("world.json", json.dumps({"sites": [{"name": "web"}]}))
    suite.tests("""
        import json
        from pathlib import Path

        import pytest

        pytestmark = pytest.mark.pantheon_seed("world.json")

        def test_first(pantheon):
            assert [s["name"] for s in pantheon.state()["sites"]] == ["web"]
            Path(__file__).with_name("world.json").write_text(json.dumps({"sites": [{"name": "shop-2"}]}))

        def test_after_the_edit(pantheon):
            assert [s["name"] for s in pantheon.state()["sites"]] == ["shop-2"]
    """)

    suite.run().assert_outcomes(passed=2)


def test_a_wrong_reference_names_the_source_and_the_place_in_it(suite):
    broken = json.loads(json.dumps(WORLD))
    broken["sites"][0]["owner"] = "acem"
    suite.file("broken.json", json.dumps(broken))
    suite.tests("""
        import pytest

        @pytest.mark.pantheon_seed("broken.json")
        def test_file(pantheon):
            pass

        @pytest.mark.pantheon_seed({"organizations": [{"name": "acme", "members": ["ghost@example.com"]}]})
        def test_dict(pantheon):
            pass
    """)

    result = suite.run()

    result.assert_outcomes(errors=2)
    lines = result.stdout.lines
    assert (
        "Seed file 'broken.json' (@pytest.mark.pantheon_seed) was rejected at sites[0].owner: unknown organization 'acem'."
    ) in lines
    assert (
        "The seed document of @pytest.mark.pantheon_seed was rejected at organizations[0].members[0]: "
        "unknown user 'ghost@example.com'."
    ) in lines
    assert "During handling" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_a_missing_or_malformed_seed_file_is_named(suite):
    suite.file("bad.json", '{"sites": [}')
    suite.conftest("""
        import pytest

        @pytest.fixture
        def pantheon_seed():
            return ["missing.json"]
    """)
    suite.tests("""
        import pytest

        def test_missing(pantheon):
            pass
    """)
    suite.tests(
        """
        import pytest

        @pytest.fixture
        def pantheon_seed():
            return None

        @pytest.mark.pantheon_seed("bad.json")
        def test_malformed(pantheon):
            pass

        @pytest.mark.pantheon_seed()
        def test_empty_marker(pantheon):
            pass

        @pytest.mark.pantheon_seed(42)
        def test_not_a_source(pantheon):
            pass
    """,
        name="test_more",
    )

    result = suite.run()

    result.assert_outcomes(errors=4)
    result.stdout.fnmatch_lines_random(
        [
            "*Cannot read seed file 'missing.json' (the pantheon_seed fixture) at */missing.json: No such file or directory.",
            "*Seed file 'bad.json' (@pytest.mark.pantheon_seed) is not valid JSON: Expecting value at line 1 column 12.",
            "*@pytest.mark.pantheon_seed needs at least one seed source*",
            "*@pytest.mark.pantheon_seed: a seed source is a dict or a path to a JSON file, not int.",
        ]
    )
