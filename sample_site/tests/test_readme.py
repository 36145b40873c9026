"""The sample site's page shows the sample site's code: every Python block in
docs/sample-site.md appears in sample_site/ as written (``...`` marks an elision)."""

from __future__ import annotations

import re
from pathlib import Path

SAMPLE_SITE = Path(__file__).resolve().parents[1]
PAGE = SAMPLE_SITE.parent / "docs" / "sample-site.md"


def readme_section() -> str:
    """The sample site's page, docs/sample-site.md."""
    return PAGE.read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", readme_section(), flags=re.S)


def test_every_python_block_of_the_readme_is_in_the_sample_site():
    sources = "\n".join(path.read_text(encoding="utf-8") for path in SAMPLE_SITE.rglob("*.py"))
    blocks = python_blocks()
    assert len(blocks) == 4
    for block in blocks:
        for part in re.split(r"\n *\.\.\.\n", block):
            assert part.strip() in sources, f"README block not found in sample_site/:\n{part}"


def test_every_file_the_readme_names_exists():
    named = re.findall(r"`((?:sample_site/)?[\w.-][\w./-]*\.(?:py|json|sh|example))`", readme_section())
    assert {"seed.json", "deploy_secrets.py", "build.sh", ".env.example"} <= {Path(n).name for n in named}
    for name in named:
        path = SAMPLE_SITE.parent / name if name.startswith("sample_site/") else SAMPLE_SITE / name
        if not path.exists():
            path = next(SAMPLE_SITE.rglob(Path(name).name), None)
        assert path is not None and path.exists(), name
