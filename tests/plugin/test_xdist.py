"""Safe under pytest-xdist: each worker has its own emulator and port; nothing is shared."""

import json


def test_a_suite_runs_under_four_workers_with_isolated_worlds(suite, monkeypatch):
    results = suite.path / "results"
    results.mkdir()
    monkeypatch.setenv("PANTHEON_XDIST_RESULTS", str(results))
    suite.tests("""
        import json, os, uuid
        from pathlib import Path

        import pytest

        @pytest.mark.parametrize("n", range(24))
        def test_isolated(pantheon_live, n, tmp_path):
            assert pantheon_live.state()["sites"] == []          # nothing from another test
            dev = pantheon_live.user("dev@example.com")           # the same names in every test
            web = pantheon_live.site("web", members=[dev])
            pantheon_live.secret(web, "API_KEY", f"value-{n}", scopes=["web"])
            pantheon_live.point_at(web, "dev")
            fake = pantheon_live.write_fake_file(web)
            answer = pantheon_live.session.get(
                f"{os.environ['PANTHEON_EMULATOR_URL']}/customer-secrets/v1/sites/web/environments/dev/secrets/API_KEY",
                headers={"Authorization": f"Bearer {os.environ['PANTHEON_EMULATOR_RUNTIME_TOKEN']}"})
            assert answer.json()["Value"] == f"value-{n}"
            assert fake.is_relative_to(tmp_path)
            record = {"worker": os.environ.get("PYTEST_XDIST_WORKER"), "url": pantheon_live.url}
            out = Path(os.environ["PANTHEON_XDIST_RESULTS"]) / f"{uuid.uuid4()}.json"
            out.write_text(json.dumps(record))
    """)

    result = suite.run("-n", "4")

    result.assert_outcomes(passed=24)
    records = [json.loads(path.read_text()) for path in results.iterdir()]
    url_by_worker = {}
    for record in records:
        url_by_worker.setdefault(record["worker"], set()).add(record["url"])
    assert len(records) == 24
    assert len(url_by_worker) >= 2 and None not in url_by_worker
    assert all(len(urls) == 1 for urls in url_by_worker.values())  # one server per worker...
    ports = [next(iter(urls)) for urls in url_by_worker.values()]
    assert len(set(ports)) == len(ports)  # ...each on its own port
