"""The site's outbound services: mail, payments, newsletter.

In a production site each class below wraps the provider's SDK, authenticated with an
API key read from Pantheon secrets. Here they hand what they would send to an
:class:`Outbox`, so the sample runs offline and its tests can check which key each
call was made with. Swap an outbox method for the SDK call and nothing else changes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("sample_site.outbound")


@dataclass(frozen=True)
class Delivery:
    """One call to a provider: which service, with which key, carrying what."""

    service: str
    api_key: str = field(repr=False)  # never printed
    payload: dict[str, Any]


class Outbox:
    """Every delivery the site has made, oldest first (thread-safe)."""

    def __init__(self) -> None:
        self._deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    def deliver(self, service: str, api_key: str, secret_name: str, payload: dict[str, Any]) -> Delivery:
        delivery = Delivery(service, api_key, payload)
        with self._lock:
            self._deliveries.append(delivery)
        log.info("%s: delivered with %s", service, secret_name)  # the secret's name, never its value
        return delivery

    @property
    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._deliveries)

    def last(self, service: str) -> Delivery | None:
        """The most recent delivery to ``service``."""
        found = [d for d in self.deliveries if d.service == service]
        return found[-1] if found else None


class _Provider:
    """A provider's API client, authenticated with the key held in the secret ``SECRET``."""

    SERVICE = ""
    SECRET = ""

    def __init__(self, api_key: str, outbox: Outbox):
        self.api_key = api_key
        self.outbox = outbox

    def _call(self, payload: dict[str, Any]) -> Delivery:
        return self.outbox.deliver(self.SERVICE, self.api_key, self.SECRET, payload)


class MailService(_Provider):
    """Sends mail through the mail provider's API."""

    SERVICE, SECRET = "mail", "MAIL_API_KEY"

    def send(self, to: str, reply_to: str, subject: str, text: str) -> Delivery:
        return self._call({"to": to, "reply_to": reply_to, "subject": subject, "text": text})


class PaymentService(_Provider):
    """Charges cards through the payment provider's API."""

    SERVICE, SECRET = "payments", "PAYMENT_API_KEY"

    def charge(self, amount_cents: int, description: str, email: str) -> Delivery:
        return self._call({"amount": amount_cents, "currency": "usd", "description": description, "receipt_email": email})


class NewsletterService(_Provider):
    """Adds subscribers to the newsletter provider's list."""

    SERVICE, SECRET = "newsletter", "NEWSLETTER_API_KEY"

    def subscribe(self, email: str) -> Delivery:
        return self._call({"email": email})
