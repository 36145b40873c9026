"""The recipes users copy, read against their tools' documented formats (no container needed):
Compose, the DDEV add-on (`install.yaml` + the files it installs), Lando's Landofile on the
Pantheon recipe, and the GitHub Actions workflows. Their seed documents must seed."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from emulator.core.errors import InvalidInput
from emulator.web.app import create_app
from tests.tools import ROOT, need_shared

RECIPES = ROOT / "recipes"
DROP_IN = "/opt/pantheon-emulator/php/pantheon_get_secret.php"
TERMINUS_VARIABLES = ("TERMINUS_HOST", "TERMINUS_PORT", "TERMINUS_PROTOCOL", "TERMINUS_VERIFY_HOST_CERT", "TERMINUS_PAPI_HOST")


def load(path: str) -> dict:
    return yaml.safe_load((RECIPES / path).read_text(encoding="utf-8"))


def seeds(document) -> dict:
    """The emulator's view of a recipe's seed document: the world it makes, or the refusal."""
    app = create_app({"memory": True, "seed_json": json.dumps(document)})
    return app.test_client().get("/_emulator/state").get_json()


def test_the_dockerfile_defaults_to_the_public_slim_python_image_and_holds_no_machine_adjustments():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG BASE=docker\.io/library/python:3\.\d+-slim", text, flags=re.M)
    for local in ("runc", "ulimit", "ca-certificates.crt", "localhost/"):
        assert local not in text
    assert f"cp /src/emulator/client/php/pantheon_get_secret.php {DROP_IN.rsplit('/', 1)[0]}/" in text
    for needed in (
        "USER emulator",
        'VOLUME ["/data"]',
        "HEALTHCHECK",
        "/_emulator/health",
        "PANTHEON_EMULATOR_ALLOWED_HOSTS=localhost,127.0.0.1,pantheon-secrets",
    ):
        assert needed in text


def test_compose_recipe():
    doc = load("compose.yaml")
    service = doc["services"]["pantheon-secrets"]
    assert service["image"] == "pantheon-secrets-emulator:latest"
    assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])
    assert "pantheon-secrets" in service["environment"]["PANTHEON_EMULATOR_ALLOWED_HOSTS"].split(",")
    assert {"pantheon-secrets-data:/data", "pantheon-secrets-php:/opt/pantheon-emulator/php"} <= set(service["volumes"])
    assert set(doc["volumes"]) == {"pantheon-secrets-data", "pantheon-secrets-php"}


def test_ddev_add_on_installs_files_that_exist_and_are_marked_generated():
    install = load("ddev/install.yaml")
    assert install["name"] == "pantheon-secrets"
    assert set(install) <= {
        "name",
        "pre_install_actions",
        "project_files",
        "global_files",
        "post_install_actions",
        "removal_actions",
        "dependencies",
        "ddev_version_constraint",
    }
    for name in install["project_files"]:
        text = (RECIPES / "ddev" / name).read_text(encoding="utf-8")
        assert "#ddev-generated" in text, f"{name} lacks #ddev-generated (DDEV would never update or remove it)"
        if name.endswith(".yaml"):
            yaml.safe_load(text)
    assert all(isinstance(action, str) for key in ("post_install_actions", "removal_actions") for action in install.get(key, []))


def test_ddev_service_web_wiring_and_environment():
    compose = load("ddev/docker-compose.pantheon-secrets.yaml")
    service = compose["services"]["pantheon-secrets"]
    assert service["container_name"] == "ddev-${DDEV_SITENAME}-pantheon-secrets"
    assert service["labels"] == {"com.ddev.site-name": "${DDEV_SITENAME}", "com.ddev.approot": "${DDEV_APPROOT}"}
    assert "8770" in [str(port) for port in service["expose"]]
    assert "pantheon-secrets" in service["environment"]["PANTHEON_EMULATOR_ALLOWED_HOSTS"].split(",")
    assert "pantheon-secrets-php:/opt/pantheon-emulator/php:ro" in compose["services"]["web"]["volumes"]
    ini = (RECIPES / "ddev/php/pantheon-secrets.ini").read_text(encoding="utf-8")
    assert re.search(rf"^auto_prepend_file = {re.escape(DROP_IN)}$", ini, flags=re.M)
    env = dict(item.split("=", 1) for item in load("ddev/config.pantheon-secrets.yaml")["web_environment"])
    assert env["PANTHEON_EMULATOR_URL"] == "http://pantheon-secrets:8770"
    assert "PANTHEON_ENVIRONMENT" not in env  # Drupal's and WordPress' Pantheon settings would take over
    world = create_app({"memory": True}).test_client().get("/_emulator/state").get_json()  # the demo world
    [site] = [site for site in world["sites"] if site["name"] == env["PANTHEON_SITE"]]
    assert site["runtime_token"] == env["PANTHEON_EMULATOR_RUNTIME_TOKEN"]


def test_lando_file_on_the_pantheon_recipe():
    lando = load("lando/.lando.yml")
    assert lando["recipe"] == "pantheon"
    service = lando["services"]["pantheon-secrets"]
    assert (service["api"], service["type"]) == (3, "lando")
    assert service["services"]["image"] == "pantheon-secrets-emulator:latest" and service["services"]["command"]
    assert set(service["volumes"]) == {"pantheon-secrets-data", "pantheon-secrets-php"}
    appserver = lando["services"]["appserver"]["overrides"]
    mounts = appserver["volumes"]
    assert "pantheon-secrets-php:/opt/pantheon-emulator/php:ro" in mounts
    [ini_mount] = [mount for mount in mounts if mount.endswith(".ini:ro")]
    ini = (RECIPES / "lando" / ini_mount.split(":")[0].removeprefix("./.lando/")).read_text(encoding="utf-8")
    assert f"auto_prepend_file = {DROP_IN}" in ini
    assert appserver["environment"]["PANTHEON_EMULATOR_URL"] == "http://pantheon-secrets:8770"

    # The seed names the site as Lando's Pantheon recipe does (PANTHEON_SITE = its UUID,
    # PANTHEON_ENVIRONMENT = lando), with the appserver's runtime token.
    seed_path = service["services"]["environment"]["PANTHEON_EMULATOR_SEED"].removeprefix("/app/.lando/")
    world = seeds(json.loads((RECIPES / "lando" / seed_path).read_text(encoding="utf-8")))
    [site] = world["sites"]
    assert site["id"] == lando["config"]["id"] and site["name"] == lando["config"]["site"]
    assert "lando" in site["environments"]
    assert site["runtime_token"] == appserver["environment"]["PANTHEON_EMULATOR_RUNTIME_TOKEN"]

    protocol = need_shared(ROOT.parent / "shared/clients/terminus/PROTOCOL.md").read_text(encoding="utf-8")
    for name, entry in lando["tooling"].items():
        assert entry["service"] == "appserver" and entry["cmd"].split()[0] == "env", name
        for variable in TERMINUS_VARIABLES:
            assert variable in protocol and f"{variable}=" in entry["cmd"], (name, variable)
        assert "TERMINUS_HTTP_MAX_RETRIES" not in entry["cmd"]  # PROTOCOL.md: it then retries forever
    assert "--machine-token=" + world["users"][0]["token"] in lando["tooling"]["secrets-terminus-login"]["cmd"]


def test_github_actions_workflows():
    service_job = load("github-actions/service-container.yml")["jobs"]["php"]
    service = service_job["services"]["pantheon-secrets"]
    assert service["image"].endswith("/pantheon-secrets-emulator:latest") and "8770:8770" in service["ports"]
    world = seeds(json.loads(service["env"]["PANTHEON_EMULATOR_SEED_JSON"]))
    [site] = world["sites"]
    assert (site["name"], site["runtime_token"]) == (
        service_job["env"]["PANTHEON_SITE"],
        service_job["env"]["PANTHEON_EMULATOR_RUNTIME_TOKEN"],
    )
    assert any(DROP_IN in step.get("run", "") for step in service_job["steps"])
    for name in ("pip.yml", "publish-image.yml", "service-container.yml"):
        workflow = load(f"github-actions/{name}")
        assert workflow["jobs"] and all("runs-on" in job and job["steps"] for job in workflow["jobs"].values())
        assert True in workflow or "on" in workflow  # YAML 1.1 reads the key `on` as True


def test_a_broken_recipe_seed_would_be_caught():
    with pytest.raises(InvalidInput, match="unknown organization"):
        seeds({"sites": [{"name": "x", "owner": "ghost"}]})
