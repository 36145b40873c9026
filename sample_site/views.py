"""The site's pages: the shop front with its three forms, and the secrets status page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, render_template, request

from emulator.client import ENVIRONMENT_VARIABLE as ENV_ENVIRONMENT
from emulator.client import SITE_VARIABLE as ENV_SITE

from .outbound import MailService, NewsletterService, Outbox, PaymentService
from .site_secrets import NEEDED, NEEDED_BY_FEATURE, SecretsUnavailable, current_secrets, emulator_layers, runtime_client

bp = Blueprint("site", __name__)


@dataclass(frozen=True)
class Product:
    name: str
    price_cents: int


PRODUCTS = {
    "house-blend": Product("House blend, 340 g", 1600),
    "ethiopia-guji": Product("Ethiopia Guji, 250 g", 2100),
}


def outbox() -> Outbox:
    return current_app.extensions["sample_site.outbox"]


def identity() -> dict[str, str | None]:
    """Which site and environment this process is (never a secret)."""
    config = current_app.config
    try:
        client = runtime_client()
        site, environment = client.site, client.environment
    except SecretsUnavailable:
        site, environment = config["PANTHEON"].get(ENV_SITE), config["PANTHEON"].get(ENV_ENVIRONMENT)
    return {"id": site, "name": config["SITE_NAME"] or site, "environment": environment}


def features() -> dict[str, bool]:
    """Each feature, on when its secret has a value in this environment."""
    secrets = current_secrets()
    return {needed.feature: secrets.found(needed.name) for needed in NEEDED}


@bp.app_context_processor
def site_context() -> dict:
    return {"site": identity(), "support_email": current_app.config["SUPPORT_EMAIL"]}


@bp.get("/")
def index():
    return render_template("index.html", features=features(), products=PRODUCTS, needed=NEEDED_BY_FEATURE)


def _form_value(name: str) -> str:
    return request.form.get(name, "").strip()


def _email_or_none() -> str | None:
    email = _form_value("email")
    return email if "@" in email.strip("@") else None


def _offline(feature: str):
    text = f"{NEEDED_BY_FEATURE[feature].without_it} Write to {current_app.config['SUPPORT_EMAIL']} instead."
    return render_template("message.html", title="Not available here", text=text), 503


def _invalid(text: str):
    return render_template("message.html", title="Please check the form", text=text), 400


@bp.post("/contact")
def contact():
    key = current_secrets().get(MailService.SECRET)
    if key is None:
        return _offline("contact")
    email, message = _email_or_none(), _form_value("message")
    if email is None or not message:
        return _invalid("We need your email address and a message.")
    MailService(key, outbox()).send(
        to=current_app.config["SUPPORT_EMAIL"], reply_to=email, subject=f"Contact form: {email}", text=message
    )
    return render_template("message.html", title="Thank you", text=f"We will reply to {email} soon.")


@bp.post("/order")
def order():
    key = current_secrets().get(PaymentService.SECRET)
    if key is None:
        return _offline("orders")
    email, product = _email_or_none(), PRODUCTS.get(_form_value("product"))
    if email is None or product is None:
        return _invalid("We need your email address and a coffee from the list.")
    PaymentService(key, outbox()).charge(product.price_cents, product.name, email)
    return render_template(
        "message.html", title="Order placed", text=f"{product.name} is on its way; the receipt goes to {email}."
    )


@bp.post("/newsletter")
def newsletter():
    key = current_secrets().get(NewsletterService.SECRET)
    if key is None:
        return _offline("newsletter")
    email = _email_or_none()
    if email is None:
        return _invalid("We need your email address.")
    NewsletterService(key, outbox()).subscribe(email)
    return render_template("message.html", title="Subscribed", text=f"{email} will get our next newsletter.")


def status_report() -> dict:
    """Where this process runs and which secrets it found: names and provenance, never values."""
    secrets = current_secrets()
    needed_names = [needed.name for needed in NEEDED]
    others = sorted(name for name in secrets.values if name not in needed_names)
    layers = emulator_layers(needed_names + others)
    return {
        "site": identity(),
        "source": {"kind": secrets.source, "location": secrets.location},
        "secrets": [
            {
                "name": needed.name,
                "used_for": needed.used_for,
                "found": secrets.found(needed.name),
                "layer": layers[needed.name] if secrets.found(needed.name) else None,
                "effect": None if secrets.found(needed.name) else needed.without_it,
            }
            for needed in NEEDED
        ],
        "other_secrets": [{"name": name, "found": secrets.found(name), "layer": layers[name]} for name in others],
        "features": features(),
    }


@bp.get("/status")
def status():
    return render_template("status.html", report=status_report())


@bp.get("/status.json")
def status_json():
    return jsonify(status_report())
