"""Pantheon's customer-secrets PHP SDK, unmodified: live through our drop-in, and in file
mode on the same files our readers read."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from emulator.client import RuntimeClient
from emulator.client.commands import php_drop_in_path
from emulator.core.secrets_file import FakeFileError, read_fake_file
from tests.tools import PHP_SDK, need_program, need_shared

SDK_SCRIPT = r"""
spl_autoload_register(function ($class) {
    $prefix = 'PantheonSystems\\CustomerSecrets\\';
    if (strncmp($class, $prefix, strlen($prefix)) === 0) {
        require getenv('SDK_SRC') . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    }
});
$out = [];
try {
    $client = PantheonSystems\CustomerSecrets\CustomerSecrets::create()->getClient();
    $out['client'] = get_class($client);
    $secrets = [];
    foreach ($client->getSecrets() as $name => $secret) {
        $secrets[$name] = [$secret->getType(), $secret->getScopes()];
    }
    $out['secrets'] = $secrets;
    $out['metadata'] = $client->getSecretsMetadata();
    $out['values'] = [];
    foreach (json_decode(getenv('ASK'), true) as $name) {
        $secret = $client->getSecret($name);
        $out['values'][$name] = $secret === null ? null : $secret->getValue();
    }
} catch (Throwable $e) {
    $out['error'] = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode($out);
"""


def run_sdk(env: dict[str, str], ask: list[str], drop_in: bool = True) -> dict:
    php = need_program("php", "php-cli")
    src = need_shared(PHP_SDK / "src")
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SDK_SRC": str(src), "ASK": json.dumps(ask), **env}
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "site.php"
        script.write_text("<?php\n" + SDK_SCRIPT, encoding="utf-8")
        args = [php, "-n", "-d", "display_errors=stderr", "-d", "error_reporting=0"]
        if drop_in:
            args += ["-d", f"auto_prepend_file={php_drop_in_path()}"]
        done = subprocess.run([*args, str(script)], env=clean, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def live_env(server, site: str, env: str, token: str) -> dict[str, str]:
    return {
        "PANTHEON_EMULATOR_URL": server.url,
        "PANTHEON_SITE": site,
        "PANTHEON_ENVIRONMENT": env,
        "PANTHEON_EMULATOR_RUNTIME_TOKEN": token,
    }


@pytest.mark.parametrize("env", ["dev", "test", "live", "feature"])
def test_the_sdk_reads_live_resolved_web_scoped_values_through_the_drop_in(server, env):
    names = ["SHARED_KEY", "ORG_ONLY", "IC_ONLY", "NO_SUCH"]
    got = run_sdk(live_env(server, "acme-web", env, "acme-web-runtime"), names)
    assert "error" not in got, got
    assert got["client"] == "PantheonSystems\\CustomerSecrets\\CustomerSecretsClient"  # the live client
    with RuntimeClient("acme-web", env, "acme-web-runtime", url=server.url) as ours:
        expected = ours.get_secrets()
    assert got["values"] == {name: expected.get(name) for name in names}
    assert got["values"]["IC_ONLY"] is None and got["values"]["NO_SUCH"] is None  # not web-scoped; unknown
    assert got["values"]["ORG_ONLY"] == "org-only-value"
    assert got["values"]["SHARED_KEY"] == {"live": "site-shared-live"}.get(env, "site-shared")
    assert set(got["secrets"]) == set(expected)
    assert got["metadata"]["Count"] == len(expected) and got["metadata"]["Scopes"] == ["web"]


def test_an_environment_without_secrets_gives_an_empty_list(server):
    got = run_sdk(live_env(server, "other-site", "dev", "other-runtime"), ["ANY"])
    assert got["secrets"] == [] and got["values"] == {"ANY": None}
    assert got["metadata"]["Count"] == 0


@pytest.mark.parametrize(
    ("site", "env", "token", "says"),
    [
        (
            "acme-legacy",
            "dev",
            "acme-legacy-runtime",
            "Secrets are supported on PHP 8.0 and later only: environment 'dev' of site 'acme-legacy' runs PHP 7.4.",
        ),
        ("acme-web", "dev", "wrong-token", "answered 401: Invalid or expired token."),
    ],
)
def test_the_sdk_gets_an_exception_naming_the_cause(server, site, env, token, says):
    got = run_sdk(live_env(server, site, env, token), ["SHARED_KEY"])
    assert got["error"].startswith("RuntimeException") and says in got["error"]


def test_an_emulator_that_is_down_is_an_exception_naming_it(server):
    env = {**live_env(server, "acme-web", "dev", "acme-web-runtime"), "PANTHEON_EMULATOR_URL": "http://127.0.0.1:9"}
    got = run_sdk(env, ["SHARED_KEY"])
    assert "Cannot reach the Pantheon secrets emulator at http://127.0.0.1:9" in got["error"]


def test_php_below_8_is_refused_by_our_runtime_client_too(server):
    with RuntimeClient("acme-legacy", "dev", "acme-legacy-runtime", url=server.url) as ours:
        with pytest.raises(Exception, match="runs PHP 7.4"):
            ours.get_secrets()
    with RuntimeClient("acme-legacy", "live", "acme-legacy-runtime", url=server.url) as ours:
        assert ours.get_secrets()["ORG_ONLY"] == "org-only-value"  # PHP 8.1 there


# -- file mode: the SDK's fake client and ours on the same file ----------------------------

GOOD = {
    "A": {"Type": "runtime", "Value": "a", "Scopes": ["web", "user"], "EnvValues": {"live": "ignored"}},
    "B": {"Type": "env", "Value": None, "Scopes": ["user"], "OrgValues": {"default": "org-b"}},
}


def write(tmp_path, secrets: dict) -> Path:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"EntityType": "sites", "EntityId": "x", "Secrets": secrets}, indent=4), encoding="utf-8")
    return path


def drop_in_value(path: Path, name: str) -> dict:
    php = need_program("php", "php-cli")
    code = f"<?php try {{ echo json_encode(['value' => pantheon_get_secret({json.dumps(name)})]); }} catch (Throwable $e) {{ echo json_encode(['error' => $e->getMessage()]); }}"
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "site.php"
        script.write_text(code, encoding="utf-8")
        done = subprocess.run(
            [php, "-n", "-d", f"auto_prepend_file={php_drop_in_path()}", str(script)],
            env={"PATH": os.environ.get("PATH", ""), "CUSTOMER_SECRETS_FAKE_FILE": str(path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    return json.loads(done.stdout)


def test_a_good_file_reads_the_same_in_the_sdk_the_drop_in_and_python(tmp_path):
    path = write(tmp_path, GOOD)
    for drop_in in (False, True):  # with CUSTOMER_SECRETS_FAKE_FILE the drop-in leaves the SDK its fake client
        got = run_sdk({"CUSTOMER_SECRETS_FAKE_FILE": str(path)}, ["A", "B", "C"], drop_in=drop_in)
        assert got["client"] == "PantheonSystems\\CustomerSecrets\\CustomerSecretsFakeClient"
        assert got["values"] == {"A": "a", "B": "org-b", "C": None}
    assert read_fake_file(path) == {"A": "a", "B": "org-b"}
    assert [drop_in_value(path, n) for n in ("A", "B", "C")] == [{"value": "a"}, {"value": "org-b"}, {"value": None}]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"Type": "runtime", "Value": None, "Scopes": ["ic"]}, "Secret 'BAD' has no value in {path}: it lacks the 'user' scope"),
        ({"Type": "runtime", "Value": None, "Scopes": ["user"]}, "Secret 'BAD' has no value in {path}. Set a test value"),
        ({"Value": "v", "Scopes": ["user"]}, "secret 'BAD' has no 'Type'"),
        ({"Type": "runtime", "Value": "v"}, "secret 'BAD' has no 'Scopes'"),
    ],
)
def test_where_the_sdk_fails_on_a_file_ours_fail_naming_the_secret(tmp_path, entry, says):
    path = write(tmp_path, {**GOOD, "BAD": entry})
    sdk = run_sdk({"CUSTOMER_SECRETS_FAKE_FILE": str(path)}, ["BAD"], drop_in=False)
    assert "error" in sdk, sdk  # the SDK throws (a TypeError) on this file
    with pytest.raises(FakeFileError) as caught:
        read_fake_file(path)
    assert says.format(path=path) in str(caught.value)
    assert says.format(path=path) in drop_in_value(path, "BAD")["error"]
