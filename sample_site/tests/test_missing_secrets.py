"""A secret the site does not find turns its feature off; nothing crashes.

NEWSLETTER_API_KEY is in no environment of the seed: the newsletter code shipped before
anyone created the key. MAIL_API_KEY is web-scoped only, so a local secrets file
(``terminus secret:site:local-generate``) holds it as null until a developer fills it in.
"""

from __future__ import annotations

from .conftest import SITE, outbox

SIGNUP = {"email": "reader@example.com"}


def test_without_its_key_the_newsletter_is_hidden_and_a_signup_is_declined(make_site):
    site = make_site("live")
    browser = site.test_client()

    home = browser.get("/")
    assert home.status_code == 200
    assert 'id="orders"' in home.text and 'id="newsletter"' not in home.text

    answer = browser.post("/newsletter", data=SIGNUP)
    assert answer.status_code == 503
    assert "The signup form is hidden." in answer.text
    assert outbox(site).deliveries == []
    assert browser.get("/status.json").json["features"] == {"contact": True, "orders": True, "newsletter": False}


def test_the_newsletter_appears_once_someone_creates_its_key(pantheon, make_site):
    site = make_site("live")
    pantheon.secret(SITE, "NEWSLETTER_API_KEY", "news_key", scopes=["web"])

    browser = site.test_client()
    assert 'id="newsletter"' in browser.get("/").text
    assert browser.post("/newsletter", data=SIGNUP).status_code == 200
    assert outbox(site).last("newsletter").api_key == "news_key"


def test_a_key_created_without_the_web_scope_stays_invisible_to_the_site(pantheon, make_site):
    # `terminus secret:site:set acme-web NEWSLETTER_API_KEY ...` without --scope makes a user-only secret.
    pantheon.as_user("developer@acme-coffee.example").set_secret("site", SITE, "NEWSLETTER_API_KEY", "news_key")
    site = make_site("dev")

    assert site.test_client().post("/newsletter", data=SIGNUP).status_code == 503
    assert site.test_client().get("/status.json").json["features"]["newsletter"] is False


def test_a_local_secrets_file_with_a_null_web_only_key_is_refused_naming_it(pantheon, make_site):
    """The file is read as strictly as Pantheon's SDK reads it: MAIL_API_KEY (web scope only)
    is null in the file, so the site says which secret and why instead of running without it."""
    pantheon.write_fake_file(SITE)  # sets CUSTOMER_SECRETS_FAKE_FILE for this test
    site = make_site("dev")
    browser = site.test_client()

    home = browser.get("/")
    assert home.status_code == 503
    assert "MAIL_API_KEY" in home.text and "lacks the &#39;user&#39; scope" in home.text
    assert "pay_test_acme_web" not in home.text
    pantheon.journal.assert_no_reads_outside_scope("web")  # the file was written directly, not listed over the API


def test_a_refused_runtime_token_is_a_clear_503_not_a_crash(make_site, monkeypatch):
    site = make_site("dev")
    monkeypatch.setitem(site.config["PANTHEON"], "PANTHEON_EMULATOR_RUNTIME_TOKEN", "not-the-token")

    page = site.test_client().get("/")
    assert page.status_code == 503
    assert "This site cannot read its secrets" in page.text
    assert "Invalid or expired token." in page.text
    assert site.test_client().get("/status.json").json == {"error": "Invalid or expired token."}


def test_a_process_that_names_no_site_says_so(make_site, monkeypatch):
    site = make_site("dev")
    monkeypatch.setitem(site.config, "PANTHEON", {})

    page = site.test_client().get("/")
    assert page.status_code == 503
    assert "PANTHEON_SITE is not set" in page.text
