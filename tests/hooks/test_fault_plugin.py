"""The fault injector: configured failures for a share of requests, reproducible with a seed."""

from __future__ import annotations

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from emulator.config import Config, load_config
from emulator.contrib.faults import FaultInjector
from emulator.core.errors import PluginError
from emulator.web.app import create_app

SHOWALL = "/customer-secrets/v1/sites/demo-site/secrets/showall"
DEMO = {"Authorization": "demo-token"}


def faulty_client(**settings: str):
    """A test client of an app loading the plugin as ``--plugin`` would, with FAULT_* settings."""
    config = Config(db=":memory:", rate_limit=False, plugins=["emulator.contrib.faults"], plugin_settings=settings)
    return create_app(config).test_client()


def statuses(client, n: int = 30, path: str = SHOWALL) -> list[int]:
    return [client.get(path, headers=DEMO).status_code for _ in range(n)]


def test_the_same_seed_gives_the_same_failures():
    first = statuses(faulty_client(FAULT_RATE="0.5", FAULT_SEED="7"))
    assert first == statuses(faulty_client(FAULT_RATE="0.5", FAULT_SEED="7"))
    assert set(first) == {200, 500}
    assert first != statuses(faulty_client(FAULT_RATE="0.5", FAULT_SEED="8"))


def test_the_rate_is_the_share_of_requests_that_fail():
    failed = statuses(faulty_client(FAULT_RATE="0.2", FAULT_SEED="1"), n=200).count(500)
    assert 20 <= failed <= 60
    assert statuses(faulty_client(FAULT_RATE="0"), n=20) == [200] * 20
    assert statuses(faulty_client(FAULT_RATE="1"), n=20) == [500] * 20


def test_a_429_fault_says_when_to_retry():
    response = faulty_client(FAULT_STATUS="429", FAULT_RATE="1").get(SHOWALL, headers=DEMO)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.text == "Injected fault: 429 Too Many Requests (pantheon-emulator fault injector)."
    assert response.mimetype == "text/plain"


def test_retry_after_can_be_set_and_is_absent_by_default_for_500():
    assert faulty_client(FAULT_RATE="1", FAULT_STATUS="503", FAULT_RETRY_AFTER="30").get(SHOWALL).headers["Retry-After"] == "30"
    assert "Retry-After" not in faulty_client(FAULT_RATE="1").get(SHOWALL).headers


def test_the_control_plane_is_spared_so_tests_can_still_seed_and_look():
    client = faulty_client(FAULT_RATE="1")
    assert client.get("/_emulator/health").status_code == 200
    assert client.get("/_emulator/state").status_code == 200


def test_paths_and_methods_narrow_what_may_fail():
    client = faulty_client(FAULT_RATE="1", FAULT_PATHS="/customer-secrets/v1/sites/*/environments/*", FAULT_METHODS="get")
    assert client.get(SHOWALL, headers=DEMO).status_code == 200
    runtime = client.get(
        "/customer-secrets/v1/sites/demo-site/environments/dev/secrets", headers={"Authorization": "Bearer demo-runtime-token"}
    )
    assert runtime.status_code == 500


def test_a_failed_request_changes_nothing():
    client = faulty_client(FAULT_RATE="1", FAULT_METHODS="POST")
    response = client.post("/customer-secrets/v1/sites/demo-site/secrets", json={"name": "K", "value": "v"}, headers=DEMO)
    assert response.status_code == 500
    assert "K" not in client.get(SHOWALL, headers=DEMO).json["Secrets"]


def test_settings_come_from_the_environment():
    config = load_config(
        {"db": ":memory:", "plugins": "emulator.contrib.faults"},
        dotenv_path=None,
        environ={"PANTHEON_EMULATOR_FAULT_STATUS": "503", "PANTHEON_EMULATOR_FAULT_RATE": "1"},
    )
    assert create_app(config).test_client().get(SHOWALL).status_code == 503


@pytest.mark.parametrize(
    "setting, value, message",
    [
        ("FAULT_RATE", "lots", "Invalid PANTHEON_EMULATOR_FAULT_RATE: 'lots' is not a valid float."),
        ("FAULT_RATE", "1.5", "FAULT_RATE must be a share from 0 to 1, not 1.5."),
        ("FAULT_STATUS", "200", "FAULT_STATUS must be an error status from 400 to 599, not 200."),
        ("FAULT_SEED", "x", "Invalid PANTHEON_EMULATOR_FAULT_SEED: 'x' is not a valid int."),
    ],
)
def test_a_bad_setting_stops_start_up_naming_it(setting, value, message):
    with pytest.raises(PluginError) as caught:
        faulty_client(**{setting: value})
    assert caught.value.message == message


@pytest.fixture
def injector():
    return FaultInjector(status=429, rate=0.6, seed=3, retry_after=0)


@pytest.fixture
def plugins(injector):
    """The shared ``app`` (and so ``live_server``) gets this module's injector."""
    return [injector]


def test_a_retrying_client_gets_through_429_faults(live_server, world, injector):
    """What the plugin is for: a client with retries (urllib3's Retry here) survives the faults."""
    session = requests.Session()
    retry = Retry(total=30, status_forcelist=[429], allowed_methods=None, backoff_factor=0, respect_retry_after_header=True)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    url = f"{live_server}/customer-secrets/v1/sites/acme-web/secrets"
    for i in range(5):
        response = session.post(url, json={"name": f"K{i}", "value": "v"}, headers={"Authorization": "dev-token"}, timeout=10)
        assert response.status_code == 200
    assert injector.injected > 0
    journal = requests.get(f"{live_server}/_emulator/journal", params={"method": "POST"}, timeout=10).json()["entries"]
    assert [e["status"] for e in journal].count(429) == injector.injected
    assert [e["status"] for e in journal].count(200) == 5
