"""Pantheon caches secrets server-side for 15 minutes: a rotated key reaches the running
site once that cache expires, with no restart. Time is frozen, so nothing sleeps."""

from __future__ import annotations

from freezegun import freeze_time

from sample_site.deploy_secrets import PlannedSecret, deploy

from .conftest import CI_USER, SITE, outbox

CONTACT = {"email": "visitor@example.com", "message": "Hello"}


def test_a_rotated_mail_key_reaches_the_site_when_the_runtime_cache_expires(pantheon, make_site):
    with freeze_time("2030-03-01 09:00:00") as clock:
        site = make_site("dev")
        browser = site.test_client()
        browser.post("/contact", data=CONTACT)
        assert outbox(site).last("mail").api_key == "mail_sandbox_key"

        # CI rotates the key through the management API; it is stored at once...
        deploy(
            pantheon.as_user(CI_USER),
            SITE,
            [PlannedSecret("MAIL_API_KEY", "runtime", ("web",), "mail_rotated_key")],
            echo=lambda line: None,
        )
        assert pantheon.value(SITE, "dev", "MAIL_API_KEY") == "mail_rotated_key"

        # ...but the runtime serves the cached value for 15 minutes after the first read.
        clock.tick(15 * 60 - 1)
        browser.post("/contact", data=CONTACT)
        assert outbox(site).last("mail").api_key == "mail_sandbox_key"

        clock.tick(1)
        browser.post("/contact", data=CONTACT)
        assert outbox(site).last("mail").api_key == "mail_rotated_key"


def test_the_cache_expires_15_minutes_after_the_read_not_after_the_change(pantheon, make_site):
    with freeze_time("2030-03-01 09:00:00") as clock:
        live = make_site("live")
        live.test_client().post("/contact", data=CONTACT)  # live's view is cached from now on
        clock.tick(10 * 60)
        pantheon.as_user(CI_USER).set_override("site", SITE, "MAIL_API_KEY", "live", "mail_production_rotated")

        clock.tick(5 * 60 - 1)
        live.test_client().post("/contact", data=CONTACT)
        assert outbox(live).last("mail").api_key == "mail_production_key"
        clock.tick(1)  # 15 minutes after live's first read, not after the change
        live.test_client().post("/contact", data=CONTACT)
        assert outbox(live).last("mail").api_key == "mail_production_rotated"
