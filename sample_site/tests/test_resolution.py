"""Which value the site uses, across organization, site and environment overrides.

The seed gives organization acme-coffee a shared PAYMENT_API_KEY, which site acme-web
replaces with its own, and gives acme-web a MAIL_API_KEY with a different value on live.
The site's outbox records the key each provider call was made with.
"""

from __future__ import annotations

import pytest

from .conftest import ORG, SITE, outbox

ORDER = {"email": "buyer@example.com", "product": "house-blend"}
CONTACT = {"email": "visitor@example.com", "message": "Do you ship to Norway?"}


@pytest.mark.parametrize(
    "env, key, layer",
    [
        ("dev", "mail_sandbox_key", "site-default"),
        ("test", "mail_sandbox_key", "site-default"),
        ("live", "mail_production_key", "site-override"),
    ],
)
def test_mail_goes_out_with_the_live_key_only_on_live(pantheon, make_site, env, key, layer):
    site = make_site(env)

    answer = site.test_client().post("/contact", data=CONTACT)

    assert answer.status_code == 200, answer.text
    sent = outbox(site).last("mail")
    assert sent.api_key == key
    assert sent.payload["reply_to"] == "visitor@example.com"
    pantheon.assert_layer(SITE, env, "MAIL_API_KEY", layer)


def test_the_site_key_replaces_the_organization_default_until_it_is_deleted(pantheon, make_site):
    site = make_site("live")
    browser = site.test_client()

    browser.post("/order", data=ORDER)
    assert outbox(site).last("payments").api_key == "pay_test_acme_web"
    assert browser.get("/status.json").json["secrets"][1] == {
        "name": "PAYMENT_API_KEY",
        "used_for": "Online orders (payment provider)",
        "found": True,
        "layer": "site-default",
        "effect": None,
    }

    pantheon.delete(SITE, "PAYMENT_API_KEY")  # the organization's value shows through again

    browser.post("/order", data=ORDER)
    assert outbox(site).last("payments").api_key == "pay_test_acme_shared"
    assert browser.get("/status.json").json["secrets"][1]["layer"] == "org-default"


def test_an_organization_live_override_does_not_beat_the_sites_own_default(pantheon, make_site):
    # Overrides apply within their own layer first: the site's default outranks the org's live value.
    pantheon.override(ORG, "PAYMENT_API_KEY", "live", "pay_live_acme_shared")
    site = make_site("live")

    site.test_client().post("/order", data=ORDER)
    assert outbox(site).last("payments").api_key == "pay_test_acme_web"
    pantheon.assert_layer(SITE, "live", "PAYMENT_API_KEY", "site-default")

    # What the site needs is its own live override; every other environment keeps the default.
    pantheon.override(SITE, "PAYMENT_API_KEY", "live", "pay_live_acme_web")
    site.test_client().post("/order", data=ORDER)
    assert outbox(site).last("payments").api_key == "pay_live_acme_web"
    assert pantheon.runtime(SITE, "dev")["PAYMENT_API_KEY"] == "pay_test_acme_web"


def test_without_a_site_value_the_organization_live_override_applies_on_live(pantheon, make_site):
    pantheon.delete(SITE, "PAYMENT_API_KEY")
    pantheon.override(ORG, "PAYMENT_API_KEY", "live", "pay_live_acme_shared")

    live, dev = make_site("live"), make_site("dev")
    live.test_client().post("/order", data=ORDER)
    dev.test_client().post("/order", data=ORDER)

    assert outbox(live).last("payments").api_key == "pay_live_acme_shared"
    assert outbox(dev).last("payments").api_key == "pay_test_acme_shared"
    assert live.test_client().get("/status.json").json["secrets"][1]["layer"] == "org-override"
