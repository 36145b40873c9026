"""Real Terminus and our secret:* commands, side by side on the same world, byte for byte.

Real Terminus (../shared/clients/terminus, 3.6.1-dev + secrets plugin 1.3.4) talks to one
emulator, core API (/api) included (tests/terminus/real_terminus.py); our commands talk to
a second emulator seeded with the same world (the same UUIDs). Each case runs in both, in
order, so writes leave both worlds alike; stdout, stderr and the exit code must match, with
the two servers' URLs swapped. About 80 real runs (~0.5 s each).

``--format=var_dump`` shows PHP's handle of the dumped object (``{#1102``), which changes
with what the PHP run allocated first; it is the one field normalised before comparing.
"""

from __future__ import annotations

import copy
import re
import shlex

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.config import Config
from emulator.web.app import create_app
from emulator.web.server import BackgroundServer
from tests.terminus.conftest import TERMINUS_WORLD, TOKEN
from tests.terminus.real_terminus import RealTerminus

# TERMINUS_WORLD, with a label on acme (Terminus finds an org by it) and a site of another org.
WORLD = copy.deepcopy(TERMINUS_WORLD)
WORLD["organizations"][0]["label"] = "Acme Corp"
WORLD["sites"].append({"name": "other-site", "owner": "other-org", "environments": {"dev": {"php_version": "8.3"}}})
OBJECT_ID = re.compile(r"(TableTransformation \{#)\d+")

FORMATS = [
    "csv", "json", "list", "null", "php", "print-r", "sections", "string", "table", "tsv", "var_dump", "var_export", "xml", "yaml"
]  # fmt: skip

CASES = [
    # writes first, so that the lists below show values, overrides and org values
    "secret:site:set site API_KEY sk_test_1 --scope=web,user",
    "secret:site:set site.live API_KEY sk_live_1",
    "secret:site:set site API_KEY sk_test_2 --type=runtime",
    "secret:site:set site API_KEY sk_test_3 --debug",
    "secret:site:set site GH_TOKEN ghp_x --type=vcs --scope=ic",
    "secret:site:set legacy K v",
    "secret:site:set site.qa K v",
    "secret:site:set site T v --type",
    "secret:org:set acme SHARED t0k3n --scope=ic,user -y -n --no-ansi",
    "secret:org:set acme SHARED t1 --env=live",
    "secret:org:set nosuch A b",
    "secret:org:set other-org A b",
    *[f"secret:site:list site --format={fmt}" for fmt in FORMATS],
    "secret:site:list site --fields=name,value,env-values,org-values --format=csv",
    "secret:site:list site --field=value",
    "secret:site:list site.live --format=json --fields=name,env-values",
    "secret:site:list site --filter=type=vcs||name*=api --format=list",
    "secret:site:list site --debug --format=list",
    "secret:site:list site -q",
    "secret:site:list lonely.dev",
    "secret:site:list nosuch",
    "secret:site:list other-site",
    "secret:site:set other-site.dev K v",
    "secret:site:delete other-site K",
    "secret:org:list 'Acme Corp'",
    "secret:org:list 'Acme Corp' --format=json",
    "secret:org:set 'Acme Corp' LABELLED v",
    "secret:org:delete 'Acme Corp' LABELLED",
    "secret:org:list 'Other Org'",
    "secret:site:list site --format=var_dump --fields=name,value",
    "secret:site:list site --format=var_dump --filter=name*=API",
    "secret:org:list acme --format=var_dump --ansi",
    "secret:site:list lonely --format=var_dump",
    # --ansi: Symfony's decorated output (it wins over --no-ansi)
    "secret:site:set site ANSI_KEY v --ansi",
    "secret:site:set legacy K2 v --ansi",
    "secret:site:set site.qa K v --ansi",
    "secret:org:set nosuch A b --ansi",
    "secret:site:list site --ansi",
    "secret:site:list site --ansi --no-ansi --fields=name,env-values",
    "secret:site:list site --no-ansi --ansi --format=sections",
    "secret:site:list site --ansi --format=csv",
    "secret:site:list lonely.dev --ansi",
    "secret:site:list nosuch --ansi",
    "secret:org:list acme --ansi",
    "secret:org:list other-org --ansi",
    "secret:site:delete site NOPE --ansi",
    "secret:site:delete site ANSI_KEY --ansi --debug",
    "secret:site:local-generate site --filepath=/nonexistent/x.json --ansi",
    "secret:site:set site K --ansi",
    "secret:site:list site --ansi=1",
    "secret:site:list site -- --ansi",
    "secret:site:list site --ansi -q",
    "secret:org:list acme --format=xml",
    "secret:org:list acme --format=sections",
    "secret:org:list empty-org",
    "secret:org:list other-org",
    "secret-org-delete acme SHARED --env=live",
    "secret:site:delete site.qa API_KEY",
    "secret:site:delete site NOPE --debug",
    "secret:site:delete site GH_TOKEN",
    # usage errors: Symfony's block and synopsis on stderr, exit 1
    "secret:site:set site K",
    "secret:site:list site extra",
    "secret:site:list site --bogus",
    "secret:site:list site --format",
    "secret:site:list site --debug=1",
    "secret:org:delete",
    "secret:site:local-generate",
]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    apps = []
    for _ in range(2):
        app = create_app(Config(db=":memory:", demo=False, rate_limit=False))
        app.extensions["pantheon_emulator"].seed(WORLD)
        apps.append(app)
    real = RealTerminus(apps[0], tmp_path_factory.mktemp("terminus-home"), TOKEN)
    ours = BackgroundServer(apps[1])
    yield real, ours.url
    real.stop()
    ours.stop()


def test_real_terminus_and_our_commands_print_the_same(worlds, tmp_path, monkeypatch):
    real, our_url = worlds
    monkeypatch.chdir(tmp_path)
    differences = []
    for case in CASES:
        args = shlex.split(case)
        theirs = real.run(*args)
        mine = CliRunner().invoke(
            main, args, env={"PANTHEON_EMULATOR_URL": our_url, "PANTHEON_EMULATOR_TOKEN": TOKEN, "COLUMNS": "80"}
        )
        # PHP 8.2's own deprecation notices (Terminus' tsv formatter passes it a null) are not Terminus output.
        stderr = "".join(line for line in theirs.stderr.splitlines(True) if not line.startswith("PHP Deprecated:"))
        stdout = OBJECT_ID.sub(r"\g<1>N", theirs.stdout.replace(real.url, our_url))
        expected = (theirs.exit_code, stdout, stderr.replace(real.url, our_url))
        got = (mine.exit_code, OBJECT_ID.sub(r"\g<1>N", mine.stdout), mine.stderr)
        if got != expected:
            differences.append((case, expected, got))
    for case, expected, got in differences:
        print(f"== {case}\nexpected: {expected!r}\ngot:      {got!r}")
    assert [case for case, _, _ in differences] == []
