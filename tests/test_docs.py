"""The README stays short and its links hold; the docs keep the promises the code cites."""

from __future__ import annotations

import re

from tests.readme import README, ROOT, page

README_LIMIT = 12 * 1024
CITING = ("emulator", "pytest_pantheon_secrets", "sample_site")
# Pages whose ```console blocks a test replays line by line, as a whole page. Sessions that
# no test replays are fenced ```text instead.
REPLAYED = {"docs/terminus.md", "docs/consumers.md", "docs/real-clients.md", "docs/doctor.md"}


def docs_table() -> list[str]:
    """The pages listed in the README's table of documentation, in order."""
    return re.findall(r"^\| \[(docs/[\w.-]+\.md)\]\(\1\) \|", page(), flags=re.M)


def test_the_readme_is_at_most_12_kib():
    assert len(README.read_bytes()) <= README_LIMIT, f"README.md is {len(README.read_bytes())} bytes"


def test_every_page_in_the_readme_table_exists():
    listed = docs_table()
    assert len(listed) >= 9
    missing = [name for name in listed if not (ROOT / name).is_file()]
    assert not missing, f"listed in README.md but not in docs/: {missing}"


def test_every_docs_page_is_in_the_readme_table():
    pages = {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}
    assert pages <= set(docs_table())


def test_every_cited_spec_section_has_a_heading():
    headings = set(re.findall(r"^## §(\d+) ", page("docs/spec.md"), flags=re.M))
    assert headings == {str(n) for n in range(1, 11)}
    cited: dict[str, set[str]] = {}
    for folder in CITING:
        for path in (ROOT / folder).rglob("*.py"):
            for group in re.findall(r"SPEC (§\d+(?:(?:, |-|–)§\d+)*)", path.read_text(encoding="utf-8")):
                numbers = [int(n) for n in re.findall(r"§(\d+)", group)]
                if re.search(r"§\d+[-–]§\d+", group):
                    numbers = list(range(numbers[0], numbers[-1] + 1))
                for n in numbers:
                    cited.setdefault(str(n), set()).add(str(path.relative_to(ROOT)))
    assert cited, "no SPEC § citation found: has the pattern changed?"
    unknown = {n: files for n, files in cited.items() if n not in headings}
    assert not unknown, f"cited but not in docs/spec.md: {unknown}"


def test_every_console_block_is_replayed():
    for path in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        name = str(path.relative_to(ROOT))
        if "```console" in path.read_text(encoding="utf-8"):
            assert name in REPLAYED, f"{name} has a ```console block that no test replays (fence it ```text)"
    for name in REPLAYED:
        assert "```console" in page(name)
        readers = [
            path
            for path in (ROOT / "tests").rglob("*.py")
            if path.name not in ("readme.py", "test_docs.py")
            and f'page("{name}")' in (text := path.read_text(encoding="utf-8"))
            and "console_transcript(" in text
        ]
        assert readers, f"no test replays the console blocks of {name}"


def test_the_readme_benchmarks_are_the_benchmark_page_figures():
    readme_table = page().split("\n## Benchmarks\n", 1)[1]
    figures = set(re.findall(r"\d[\d,]*(?:\.\d+)?", readme_table)) - {"2026", "11", "22", "2"}
    benchmarks = page("docs/benchmarks.md")
    assert figures and all(figure in benchmarks for figure in figures), figures - {f for f in figures if f in benchmarks}


def test_the_readme_pytest_example_is_one_the_testing_page_runs():
    [example] = [block for block in re.findall(r"```python\n(.*?)```", page(), flags=re.S) if "(pantheon)" in block]
    assert example in page("docs/testing.md")


def test_the_readme_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace(" -q", "")  # CI's quiet flags aside
    command = "pip install -e '.[test]' && python -m pytest"
    assert f"\n{command}\n" in ci
    assert f"\n{command}\n" in page().split("```sh\n", 1)[1].split("```", 1)[0]
