"""Cross-check: our renderings equal those of the PHP libraries Terminus prints through.

tests/terminus/php_reference.php renders the same inputs with Symfony Console's Table (in
output-formatters' 'consolidation' style), Symfony Yaml's dumper, and PHP's json_encode,
fputcsv/fgets and wordwrap. Needs php-cli, php-symfony-console and php-symfony-yaml
(.ci/run installs them); skipped where they are missing.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from emulator.core.secrets_file import file_text
from emulator.terminus import formats as tf

REFERENCE = Path(__file__).with_name("php_reference.php")
SYMFONY = Path("/usr/share/php/Symfony/Component")

pytestmark = pytest.mark.skipif(
    shutil.which("php") is None or not (SYMFONY / "Console").is_dir() or not (SYMFONY / "Yaml").is_dir(),
    reason="needs php-cli, php-symfony-console and php-symfony-yaml",
)


def php(jobs: list[dict]) -> list[str]:
    done = subprocess.run(
        ["php", str(REFERENCE)], input=json.dumps(jobs), capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout)


def text(rng: random.Random, alphabet: str, longest: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def assert_same(jobs: list[dict], ours: list[str]) -> None:
    theirs = php(jobs)
    mismatches = [(job, mine, ref) for job, mine, ref in zip(jobs, ours, theirs) if mine != ref]
    assert not mismatches, f"{len(mismatches)} of {len(jobs)} differ, first: {mismatches[0]!r}"


def test_tables():
    rng = random.Random(8)
    jobs, ours = [], []
    cases = [
        (["Secret name", "Secret type", "Secret value"], [["foo", "env", "bar"]]),
        (["Secret name", "Secret type", "Secret value", "Secret scopes"], []),
        (["N", "V"], [["wrapped", "two\nlines"], ["日本", "é"]]),
    ]
    for _ in range(150):
        columns = rng.randint(1, 6)
        cases.append(
            (
                [text(rng, "abcXY ", 12) or "h" for _ in range(columns)],
                [[text(rng, "abc- xy=,[]\né日", 20) for _ in range(columns)] for _ in range(rng.randint(0, 5))],
            )
        )
    for headers, rows in cases:
        jobs.append({"kind": "table", "headers": headers, "rows": rows})
        ours.append(tf.symfony_table(headers, rows))
    assert_same(jobs, ours)


def test_yaml():
    rng = random.Random(9)
    scalars = [
        "plain",
        "0",
        "12",
        "1.5",
        " 12",
        "1e5",
        ".5",
        "+3",
        "yes",
        "No",
        "off",
        "~",
        "null",
        "",
        "a b",
        "a: b",
        "-x",
        "?q",
        "@at",
        "%p",
        "`b",
        "|p",
        ">g",
        "=e",
        "!t",
        "#c",
        "x#",
        "[x]",
        "{y}",
        "a,b",
        "&a",
        "*s",
        "2024-01-01",
        "2024-1-1 10:00:00",
        "0x1F",
        "12_3",
        "a\nb",
        "tab\tx",
        "\x01",
        "\x1b",
        "\x7f",
        "a\\b",
        'say "hi"',
        "\u00a0x",
        "x\u2028",
        "é",
        "日本",
        "github-oauth.github.com",
    ]
    documents = [{"row": {"value": s, s or "empty": "key"}} for s in scalars]
    for _ in range(60):  # no single quotes: Symfony >= 6 double-quotes those when shorter, Debian's 5.4 does not
        documents.append(
            {
                text(rng, "ab01 -", 5): {
                    "name": text(rng, 'ab -/:#,"\\é\n', 12),
                    "scopes": [text(rng, "abc ", 4) for _ in range(rng.randint(0, 3))],
                    "env-values": {text(rng, "ab01", 3): rng.choice([None, "v", "0"]) for _ in range(rng.randint(0, 3))},
                    "value": rng.choice([None, "x y", "1"]),
                }
                for _ in range(rng.randint(0, 3))
            }
        )
    assert_same([{"kind": "yaml", "data": d} for d in documents], [tf.yaml_dump(d) + "\n" for d in documents])


def test_json_csv_and_wordwrap():
    rng = random.Random(10)
    jobs, ours = [], []
    for _ in range(80):
        data = {
            text(rng, "ab01", 3): {
                "name": text(rng, 'a/é"\\\n\t', 8),
                "list": [text(rng, "ab", 3)] * rng.randint(0, 2),
                "map": {text(rng, "01", 2): None for _ in range(rng.randint(0, 2))},
            }
            for _ in range(rng.randint(0, 3))
        }
        jobs.append({"kind": "json", "data": data})
        ours.append(tf.php_json_encode(data, escape_slashes=False) + "\n")
        raw = json.dumps({"EntityId": "a/b", "Secrets": data, "Empty": {}, "List": []})
        jobs.append({"kind": "json_objects", "text": raw})
        ours.append(file_text(json.loads(raw)))
    for _ in range(200):
        row = [rng.choice([None, text(rng, 'ab ,"\\\n\t\r', 10)]) for _ in range(rng.randint(1, 5))]
        jobs.append({"kind": "csv", "row": row})
        ours.append(tf.csv_line(row))
    for _ in range(300):
        sample, width = text(rng, "abcdefgh- xy/\n", 40), rng.randint(1, 15)
        jobs.append({"kind": "wordwrap", "text": sample, "width": width})
        ours.append(tf.php_wordwrap(sample, width))
    assert_same(jobs, ours)
