"""The shop's forms: a good submission reaches its provider, a bad one is turned back."""

from __future__ import annotations

import pytest

from .conftest import outbox


@pytest.mark.parametrize(
    "path, form, problem",
    [
        ("/contact", {"email": "visitor@example.com", "message": "  "}, "We need your email address and a message."),
        ("/contact", {"email": "not-an-address", "message": "Hi"}, "We need your email address and a message."),
        ("/order", {"email": "buyer@example.com", "product": "instant"}, "a coffee from the list"),
        ("/newsletter", {}, "We need your email address."),
    ],
)
def test_an_incomplete_form_is_turned_back_and_nothing_is_sent(pantheon, make_site, path, form, problem):
    pantheon.secret("acme-web", "NEWSLETTER_API_KEY", "news_key", scopes=["web"])
    site = make_site("dev")

    answer = site.test_client().post(path, data=form)

    assert answer.status_code == 400
    assert problem in answer.text
    assert outbox(site).deliveries == []


def test_an_order_charges_the_listed_price(make_site):
    site = make_site("dev")

    answer = site.test_client().post("/order", data={"email": "buyer@example.com", "product": "ethiopia-guji"})

    assert answer.status_code == 200
    assert "Ethiopia Guji, 250 g is on its way; the receipt goes to buyer@example.com." in answer.text
    assert outbox(site).last("payments").payload == {
        "amount": 2100,
        "currency": "usd",
        "description": "Ethiopia Guji, 250 g",
        "receipt_email": "buyer@example.com",
    }
