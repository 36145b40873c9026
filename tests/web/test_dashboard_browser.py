"""The dashboard driven in Debian's Chromium (headless) as a user would, each result checked
through the API too. With DASHBOARD_SCREENSHOTS=docs/images the run also writes the
screenshots docs/dashboard.md shows."""

from __future__ import annotations

import http.server
import os
import threading
from functools import partial
from pathlib import Path

import pytest
import requests

from emulator.core import policy
from tests.conftest import ACME_WORLD
from tests.tools import need_program

pytestmark = pytest.mark.slow
API = policy.API_PREFIX
DEV = {"Authorization": "dev-token"}
SHOTS = os.environ.get("DASHBOARD_SCREENSHOTS")


@pytest.fixture
def browser():
    need_program("chromium", "chromium")
    driver_path = need_program("chromedriver", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else need_program("chromium", "chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def site_url(emulator_service, live_server):
    emulator_service.seed(ACME_WORLD)
    return live_server


def wait_for(driver, condition, timeout=10):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def by_id(driver, element_id):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def shot(element, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        element.parent.execute_script("arguments[0].scrollIntoView()", element)
        element.screenshot(str(Path(SHOTS) / f"dashboard-{name}.png"))


def listed(url: str) -> dict:
    return requests.get(f"{url}{API}/sites/acme-web/secrets/showall", headers=DEV, timeout=10).json()["Secrets"]


def matrix_layer(driver, name: str, env: str) -> str:
    envs = [th.text for th in driver.find_elements("css selector", "#matrix thead th")]
    row = next(
        r for r in driver.find_elements("css selector", "#matrix tbody tr") if r.find_element("css selector", "th").text == name
    )
    return row.find_elements("css selector", "td")[envs.index(env) - 1].text


def test_a_user_creates_imports_edits_overrides_watches_and_resets(browser, site_url, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    d = browser
    d.get(site_url + "/")
    assert d.title == "Sites and organizations · Pantheon secrets emulator"
    shot(css(d, "main"), "index")
    # keyboard: the first Tab lands on the skip link, Enter takes focus to the content
    css(d, "body").send_keys(Keys.TAB)
    assert d.switch_to.active_element.text == "Skip to content"
    d.find_element("link text", "acme-web").click()
    wait_for(d, lambda d: "Secrets of acme-web" in d.title)

    # every visible form control has a label
    unlabelled = d.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(el => !el.labels || el.labels.length === 0).map(el => el.id || el.name)"
    )
    assert unlabelled == []

    # create two at once ("+ Add another"), then a bad one: the API's message inline
    by_id(d, "c-name-0").send_keys("BROWSER_KEY")
    by_id(d, "c-value-0").send_keys("browser-value")
    by_id(d, "add-another").click()
    assert d.switch_to.active_element.get_attribute("id") == "c-name-1"
    by_id(d, "c-name-1").send_keys("SECOND")
    by_id(d, "c-value-1").send_keys("second-value")
    css(d, "#create-form button[type=submit]").click()
    wait_for(d, lambda d: "Created BROWSER_KEY, SECOND." in css(d, ".notice").text)
    secrets = listed(site_url)
    assert secrets["BROWSER_KEY"]["Value"] == "browser-value" and secrets["BROWSER_KEY"]["Scopes"] == ["web", "user"]
    assert secrets["SECOND"]["Value"] == "second-value"

    by_id(d, "c-name-0").send_keys("bad name")
    by_id(d, "c-value-0").send_keys("x")
    css(d, "#create-form button[type=submit]").click()
    api_message = requests.post(
        f"{site_url}{API}/sites/acme-web/secrets", json={"name": "bad name", "value": "x"}, headers=DEV, timeout=10
    ).text
    assert wait_for(d, lambda d: by_id(d, "error-create").text) == f"Error: {api_message}"

    # bulk import a .env file: preview names the bad line, nothing is created until it is fixed
    env_file = tmp_path / "site.env"
    env_file.write_text("IMPORTED_ONE=1\nIMPORTED_TWO='two words'\nnot a pair\n")
    Select(by_id(d, "b-type")).select_by_visible_text("env")
    by_id(d, "b-file").send_keys(str(env_file))
    css(d, "#bulk-form button[value=preview]").click()
    assert "Line 3: " + policy.Messages.DASHBOARD_ENV_NO_EQUALS in wait_for(d, lambda d: by_id(d, "bad-lines").text)
    assert "IMPORTED_ONE" not in listed(site_url)
    lines = by_id(d, "b-lines")
    lines.clear()
    lines.send_keys("IMPORTED_ONE=1\nIMPORTED_TWO='two words'\n")
    css(d, "#bulk-form button[value=preview]").click()
    wait_for(d, lambda d: by_id(d, "bulk-create"))
    shot(by_id(d, "preview"), "bulk-preview")
    by_id(d, "bulk-create").click()
    wait_for(d, lambda d: "Created 2 secret(s)." in css(d, ".notice").text)
    assert listed(site_url)["IMPORTED_TWO"] == {
        "Type": "env",
        "Value": "two words",
        "Scopes": ["web", "user"],
        "EnvValues": {},
        "OrgValues": {},
    }

    # edit the scope (the API would refuse): drop `user`, the value is redacted everywhere
    d.find_element("link text", "Resolution matrix").click()
    wait_for(d, lambda d: "Resolution matrix of acme-web" in d.title)
    assert matrix_layer(d, "BROWSER_KEY", "live") == "site-default"
    d.find_element("link text", "Secrets").click()
    d.find_element("link text", "BROWSER_KEY").click()
    wait_for(d, lambda d: d.title.startswith("BROWSER_KEY on acme-web"))
    by_id(d, "sc-user").click()
    css(d, "form[action$='/scopes'] button").click()
    wait_for(d, lambda d: "Scopes of BROWSER_KEY saved." in css(d, ".notice").text)
    assert by_id(d, "scopes-now").text == "web"
    assert listed(site_url)["BROWSER_KEY"]["Scopes"] == ["web"]
    assert listed(site_url)["BROWSER_KEY"]["Value"] is None
    assert "browser-value" not in d.page_source

    # add an override for live: the matrix changes, and a click on the cell says why
    Select(by_id(d, "ov-env")).select_by_visible_text("live")
    by_id(d, "ov-value").send_keys("live-value")
    css(d, "form[action$='/override'] button").click()
    wait_for(d, lambda d: "Override of BROWSER_KEY for live saved." in css(d, ".notice").text)
    assert listed(site_url)["BROWSER_KEY"]["EnvValues"] == {"live": None}  # no user scope: redacted
    assert "live-value" not in d.page_source
    d.get(site_url + "/ui/sites/acme-web/matrix")
    assert matrix_layer(d, "BROWSER_KEY", "live") == "site-override"
    assert matrix_layer(d, "BROWSER_KEY", "dev") == "site-default"
    api_layer = requests.get(f"{site_url}/_emulator/sites/acme-web/environments/live/resolved?scope=web", timeout=10).json()
    assert api_layer["secrets"]["BROWSER_KEY"]["layer"] == "site-override"
    shot(by_id(d, "matrix"), "matrix")
    envs = [th.text for th in d.find_elements("css selector", "#matrix thead th")]
    row = next(
        r
        for r in d.find_elements("css selector", "#matrix tbody tr")
        if r.find_element("css selector", "th").text == "BROWSER_KEY"
    )
    row.find_elements("css selector", "td")[envs.index("live") - 1].click()
    wait_for(d, lambda d: d.current_url.endswith("#env-live"))
    why = by_id(d, "env-live").find_element("css selector", 'td[data-scope="web"]').text
    assert why == "site-override supplies the value for scope 'web'; it shadows site-default."
    shot(by_id(d, "env-live"), "provenance")

    # the journal updates while an app makes calls (no reload), newest first, no values
    d.get(site_url + "/ui/journal?site=acme-web")
    requests.get(
        f"{site_url}{API}/sites/acme-web/environments/live/secrets",
        headers={"Authorization": "Bearer acme-web-runtime"},
        timeout=10,
    )
    first_row = wait_for(d, lambda d: "runtime:acme-web" in (text := css(d, "#journal tbody tr").text) and text, timeout=15)
    assert "BROWSER_KEY" in first_row and "live-value" not in d.page_source
    shot(by_id(d, "journal").find_element("css selector", "tbody tr"), "journal-row")

    # reset, with its confirmation
    d.get(site_url + "/")
    css(d, "form[action='/ui/reset'] button").click()
    assert policy.Messages.DASHBOARD_RESET_UNCONFIRMED in wait_for(d, lambda d: by_id(d, "world-error").text)
    assert listed(site_url)["BROWSER_KEY"]
    by_id(d, "confirm").send_keys("reset")
    css(d, "form[action='/ui/reset'] button").click()
    wait_for(d, lambda d: "Emulator reset." in css(d, ".notice").text)
    assert requests.get(f"{site_url}/_emulator/state", timeout=10).json()["sites"] == []


@pytest.fixture
def other_origin(tmp_path, site_url):
    """A page on another origin whose form posts to the dashboard, as an attacker's would."""
    (tmp_path / "evil.html").write_text(
        f'<form id="f" method="post" action="{site_url}/ui/sites/acme-web/create">'
        '<input name="name" value="EVIL"><input name="value" value="x"><input name="type" value="runtime">'
        '<input name="scope-0" value="web"><input name="csrf_token" value="guessed"></form>'
        "<script>document.getElementById('f').submit()</script>"
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_cross_site_form_post_is_refused(browser, site_url, other_origin):
    browser.get(f"{other_origin}/evil.html")
    refusal = wait_for(browser, lambda d: "refused" in (text := d.find_element("tag name", "body").text) and text)
    assert refusal.startswith("Cross-origin request refused: POST /ui/sites/acme-web/create")
    assert "EVIL" not in listed(site_url)


def test_values_without_user_scope_never_reach_the_page(browser, site_url):
    requests.post(
        f"{site_url}{API}/sites/acme-web/secrets",
        json={"name": "WEB_ONLY", "value": "NEVER-SHOWN-VALUE", "scopes": ["web"]},
        headers=DEV,
        timeout=10,
    )
    for path in (
        "/ui/sites/acme-web",
        "/ui/sites/acme-web/matrix?scope=user",
        "/ui/sites/acme-web/matrix/WEB_ONLY",
        "/ui/journal",
        "/ui/organizations/acme",
    ):
        browser.get(site_url + path)
        assert "NEVER-SHOWN-VALUE" not in browser.page_source
    browser.get(site_url + "/ui/sites/acme-web")
    shot(by_id(browser, "secrets"), "secrets")
    browser.get(site_url + "/ui/sites/acme-web/secrets/WEB_ONLY")
    assert "hidden (no user scope)" in browser.page_source and "NEVER-SHOWN-VALUE" not in browser.page_source
