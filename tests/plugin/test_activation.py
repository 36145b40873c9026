"""The plugin is active once the project is installed, and costs nothing until used."""


def test_the_entry_point_adds_the_options_ini_keys_and_marker(suite):
    result = suite.run("--help")

    result.stdout.fnmatch_lines(
        ["*--pantheon-rate-limit=on|off*", "*--pantheon-cache-ttl=SECONDS*", "*--pantheon-transport=inprocess|live*"]
    )
    result.stdout.fnmatch_lines(["*pantheon_rate_limit*", "*pantheon_cache_ttl*", "*pantheon_transport*"])
    assert suite.run("--markers").stdout.str().count("@pytest.mark.pantheon_seed(*sources)") == 1


def test_every_fixture_is_listed_with_its_docstring(suite):
    suite.tests("def test_nothing(): pass")

    result = suite.run("--fixtures")

    result.stdout.fnmatch_lines(
        [
            "pantheon_options* -- *",
            "*--pantheon-* options over*",
            "pantheon_backend* -- *",
            "*one emulator of this test process*",
            "pantheon_seed -- *",
            "*Seed applied before each test*",
            "pantheon -- *",
            "*A fresh fake Pantheon for this test, in-process*",
            "pantheon_live -- *",
            "*served over HTTP on 127.0.0.1*",
        ]
    )


def test_a_suite_that_never_asks_for_pantheon_imports_neither_the_emulator_nor_flask(suite):
    suite.tests("""
        import sys

        def test_untouched():
            assert "pytest_pantheon_secrets.plugin" in sys.modules  # the plugin is loaded...
            assert "emulator" not in sys.modules                      # ...but nothing heavy is
            assert "flask" not in sys.modules
    """)

    suite.run_subprocess().assert_outcomes(passed=1)


def test_the_emulator_is_imported_when_the_first_test_asks_for_it(suite):
    suite.tests("""
        import sys

        def test_first(pantheon):
            assert "emulator" in sys.modules and "flask" in sys.modules
    """)

    suite.run_subprocess().assert_outcomes(passed=1)
