"""The web dashboard at ``/``: Pantheon's Site Settings -> Secrets tab, and the views
Pantheon lacks (resolution matrix, request journal, copyable commands, seed/export/reset).

A client of the same core: every read and write goes through the :class:`Emulator`, with
the API's rules and messages (shown inline). Values are listed as the API lists them
(redacted without the ``user`` scope). Every form POSTs (no value in a URL) and carries
the app's CSRF token; the browser guard refuses a post from another origin (:func:`check_form_post`).
"""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, url_for

from emulator.core import policy, rules
from emulator.core.errors import EmulatorError, Forbidden, InvalidInput, shown
from emulator.core.journal import JournalEntry
from emulator.core.model import Site
from emulator.core.service import Owner
from emulator.core.site_env import format_dotenv, with_emulator_url
from emulator.web import guard
from emulator.web.http import emulator

M = policy.Messages
CSRF_KEY = "PANTHEON_DASHBOARD_CSRF"
CSRF_FIELD = "csrf_token"
bp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static", static_url_path="/ui/static")


def init_app(app: Flask) -> None:
    """Register the dashboard on ``app`` with a fresh per-app CSRF token."""
    app.config[CSRF_KEY] = secrets.token_urlsafe(32)
    app.register_blueprint(bp)


@bp.app_context_processor
def _template_globals() -> dict:
    return {"csrf_token": current_app.config.get(CSRF_KEY, ""), "scopes": policy.SECRET_SCOPES, "types": policy.SECRET_TYPES}


# -- protection of state-changing forms -------------------------------------------------


def check_form_post() -> None:
    """Refuse a form post the browser guard refuses (a foreign ``Host``, another origin:
    :mod:`emulator.web.guard`, which also guards every route of the app), or one without
    this app's CSRF token; Forbidden names the problem."""
    req = request._get_current_object()
    guard.check_host(req, guard.host_policy(current_app))
    guard.check_same_origin(req)
    sent = request.form.get(CSRF_FIELD, "")
    if not hmac.compare_digest(sent.encode(), current_app.config[CSRF_KEY].encode()):
        raise Forbidden(M.DASHBOARD_BAD_CSRF)


@bp.before_request
def _protect() -> None:
    if request.method == "POST":
        check_form_post()


# -- pages --------------------------------------------------------------------------------


@bp.get("/")
def index():
    em = emulator()
    users = em.users()
    return render_template(
        "dashboard/index.html",
        sites=em.sites(),
        organizations=em.organizations(),
        org_names={o.id: o.name for o in em.organizations()},
        user=users[0] if users else None,
        url=request.host_url.rstrip("/"),
        message=request.args.get("done"),
    )


def _scope_arg() -> str:
    scope = request.args.get("scope", "web")
    return scope if scope in policy.SECRET_SCOPES else "web"


def _site_page(site: Site, status: int = 200, error: str | None = None, form: str | None = None, **extra: Any):
    """The Secrets tab: the list, create, bulk create or import, and the copyable commands."""
    em = emulator()
    listing = em.list_secrets(Owner("site", site))["Secrets"]
    env = request.args.get("env") or next(iter(site.environments), "")
    url = request.host_url.rstrip("/")
    env_lines = format_dotenv(with_emulator_url(em.process_variables(site, env), url)) if env in site.environments else ""
    body = render_template(
        "dashboard/site.html",
        site=site,
        org=em.owner_org_of(site),
        listing=listing,
        owned=em.site_secret_names(site),
        env=env,
        env_lines=env_lines,
        url=url,
        manager=em.first_manager(site),
        error=error,
        error_form=form,
        message=request.args.get("done"),
        **extra,
    )
    return Response(body, status=status, mimetype="text/html")


def _secret_page(site: Site, name: str, status: int = 200, error: str | None = None, form: str | None = None):
    """One secret's edit page: default value, scopes, overrides, delete (Pantheon's edit dialog)."""
    em = emulator()
    listing = em.list_secrets(Owner("site", site))["Secrets"]
    if name not in listing:
        return _site_page(site, status=status, error=error or M.SECRET_NOT_FOUND.format(name=shown(name)))
    body = render_template(
        "dashboard/secret.html",
        site=site,
        name=name,
        entry=listing[name],
        mine=name in em.site_secret_names(site),
        error=error,
        error_form=form,
        message=request.args.get("done"),
    )
    return Response(body, status=status if error else 200, mimetype="text/html")


@bp.get("/ui/sites/<site>")
def site_page(site: str):
    return _site_page(emulator().site(site))


@bp.get("/ui/sites/<site>/secrets/<name>")
def secret_page(site: str, name: str):
    return _secret_page(emulator().site(site), name, status=404)


@bp.get("/ui/sites/<site>/matrix")
def matrix_page(site: str):
    em = emulator()
    found = em.site(site)
    return render_template("dashboard/matrix.html", site=found, matrix=em.matrix(found, _scope_arg()))


@bp.get("/ui/sites/<site>/matrix/<name>")
def provenance_page(site: str, name: str):
    """Why ``name`` reads as it does in each environment, for every scope (no values)."""
    em = emulator()
    found = em.site(site)
    explained = [em.explain(found, env, name) for env in found.environments]
    return render_template("dashboard/provenance.html", site=found, name=name, explained=explained, scope=_scope_arg())


@bp.get("/ui/organizations/<org>")
def organization_page(org: str):
    em = emulator()
    found = em.organization(org)
    listing = em.list_secrets(Owner("org", found))["Secrets"]
    sites = [s for s in em.sites() if s.owner == found.id]
    return render_template("dashboard/organization.html", org=found, listing=listing, sites=sites)


def _journal_rows() -> list[JournalEntry]:
    wanted = {key: request.args.get(key) or None for key in ("kind", "site", "environment", "secret")}
    return list(reversed(emulator().journal.entries(**wanted)))


@bp.get("/ui/journal")
def journal_page():
    if request.args.get("fragment"):
        return render_template("dashboard/journal_rows.html", entries=_journal_rows())
    return render_template(
        "dashboard/journal.html", entries=_journal_rows(), filters=request.args, poll_ms=policy.DASHBOARD_POLL_MS
    )


@bp.get("/ui/export")
def export_world():
    text = json.dumps(emulator().export(), indent=2, ensure_ascii=False) + "\n"
    return Response(
        text, mimetype="application/json", headers={"Content-Disposition": 'attachment; filename="emulator-world.json"'}
    )


# -- writes: each through the service; a refusal re-renders the page with its message ---------


def _site_write(site_ref: str, form_id: str, action, secret: str | None = None):
    """Run ``action`` (all its writes, or none) and go back to the page the form was on:
    the Secrets tab, or ``secret``'s edit page; a refusal shows there with the API's message."""
    em = emulator()
    site = em.site(site_ref)
    try:
        with em.batch():
            text = action(em, Owner("site", site))
    except EmulatorError as error:
        if secret is not None:
            return _secret_page(site, secret, status=error.status, error=error.message, form=form_id)
        return _site_page(site, status=error.status, error=error.message, form=form_id)
    if secret is not None and secret in em.list_secrets(Owner("site", site))["Secrets"]:
        return redirect(url_for("dashboard.secret_page", site=site.name, name=secret, done=text), 303)
    return redirect(url_for("dashboard.site_page", site=site.name, done=text), 303)


def _scopes_from_form(prefix: str = "scope") -> list[str]:
    return request.form.getlist(prefix)


@bp.post("/ui/sites/<site>/create")
def create(site: str):
    names, values = request.form.getlist("name"), request.form.getlist("value")
    types, row_scopes = request.form.getlist("type"), [request.form.getlist(f"scope-{i}") for i in range(len(names))]

    def act(em, owner):
        made = []
        for i, name in enumerate(names):
            if not name and not values[i]:
                continue  # an empty "+ Add another" row
            em.create_secret(owner, name, values[i], types[i], row_scopes[i], actor=policy.DASHBOARD_ACTOR)
            made.append(name)
        if not made:
            raise InvalidInput(M.MISSING_FIELD.format(field="name"))
        return f"Created {', '.join(made)}."

    return _site_write(site, "create", act)


def parse_env_text(text: str, secret_type: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """``NAME=value`` lines of a .env text: (line, name, value) for each good one, and one
    message per bad line naming it (blank lines and ``#`` comments are skipped)."""
    good: list[tuple[int, str, str]] = []
    bad: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, equals, value = line.partition("=")
        if not equals:
            bad.append(M.DASHBOARD_ENV_LINE.format(line=number, problem=M.DASHBOARD_ENV_NO_EQUALS))
            continue
        name, value = name.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        try:
            rules.check_name(name, secret_type)
            rules.check_value(name, value)
        except EmulatorError as error:
            bad.append(M.DASHBOARD_ENV_LINE.format(line=number, problem=error.message))
            continue
        good.append((number, name, value))
    return good, bad


def _bulk_text() -> str:
    upload = request.files.get("envfile")
    if upload is not None and upload.filename:
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(M.DASHBOARD_ENV_NOT_UTF8) from None
    return request.form.get("lines", "")


@bp.post("/ui/sites/<site>/bulk")
def bulk(site: str):
    """Many secrets with one type and scope: ``preview`` lists what would be created and the
    bad lines; ``create`` (with the previewed text) creates them all, or none."""
    em = emulator()
    found = em.site(site)
    secret_type, scopes = request.form.get("type", ""), _scopes_from_form()
    try:
        rules.check_type(secret_type)
        rules.check_scopes(scopes)
        text = _bulk_text()
        good, bad = parse_env_text(text, secret_type)
        if not good and not bad:
            bad = [M.DASHBOARD_ENV_EMPTY]
    except EmulatorError as error:
        return _site_page(found, status=error.status, error=error.message, form="bulk")
    if request.form.get("step") != "create" or bad:
        status = 400 if bad and request.form.get("step") == "create" else 200
        preview = {"text": text, "type": secret_type, "scopes": scopes, "names": [name for _, name, _ in good], "bad": bad}
        return _site_page(found, status=status, preview=preview, error="; ".join(bad) if status == 400 else None, form="bulk")

    def act(em, owner):
        for number, name, value in good:
            try:
                em.create_secret(owner, name, value, secret_type, scopes, actor=policy.DASHBOARD_ACTOR)
            except EmulatorError as error:
                error.message = M.DASHBOARD_ENV_LINE.format(line=number, problem=error.message)
                raise
        return f"Created {len(good)} secret(s)."

    return _site_write(site, "bulk", act)


@bp.post("/ui/sites/<site>/secrets/<name>/value")
def edit_value(site: str, name: str):
    return _site_write(
        site,
        "value",
        lambda em, owner: (
            em.update_value(owner, name, request.form.get("value", ""), actor=policy.DASHBOARD_ACTOR) and f"Saved {name}."
        ),
        secret=name,
    )


@bp.post("/ui/sites/<site>/secrets/<name>/scopes")
def edit_scopes(site: str, name: str):
    return _site_write(
        site,
        "scopes",
        lambda em, owner: (
            em.change_scopes(owner, name, _scopes_from_form(), actor=policy.DASHBOARD_ACTOR) and f"Scopes of {name} saved."
        ),
        secret=name,
    )


@bp.post("/ui/sites/<site>/secrets/<name>/override")
def set_override(site: str, name: str):
    env = request.form.get("env", "")
    return _site_write(
        site,
        "override",
        lambda em, owner: (
            em.set_override(owner, name, env, request.form.get("value", ""), actor=policy.DASHBOARD_ACTOR)
            and f"Override of {name} for {env} saved."
        ),
        secret=name,
    )


@bp.post("/ui/sites/<site>/secrets/<name>/override/delete")
def delete_override(site: str, name: str):
    env = request.form.get("env", "")

    def act(em, owner):
        em.delete_override(owner, name, env, actor=policy.DASHBOARD_ACTOR)
        return f"Override of {name} for {env} deleted."

    return _site_write(site, "override", act, secret=name)


@bp.post("/ui/sites/<site>/secrets/<name>/delete")
def delete(site: str, name: str):
    def act(em, owner):
        em.delete_secret(owner, name, actor=policy.DASHBOARD_ACTOR)
        return f"Deleted {name}."

    return _site_write(site, "delete", act, secret=name)


# -- the world ---------------------------------------------------------------------------


def _index_error(message: str, status: int = 400):
    em = emulator()
    body = render_template(
        "dashboard/index.html",
        sites=em.sites(),
        organizations=em.organizations(),
        org_names={o.id: o.name for o in em.organizations()},
        user=(em.users() or [None])[0],
        url=request.host_url.rstrip("/"),
        error=message,
    )
    return Response(body, status=status, mimetype="text/html")


@bp.post("/ui/seed")
def seed():
    upload = request.files.get("seedfile")
    if upload is None or not upload.filename:
        return _index_error(M.DASHBOARD_NO_FILE.format(what="seed"))
    try:
        document = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        detail = (
            f"{error.msg} at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        )
        return _index_error(M.DASHBOARD_SEED_NOT_JSON.format(detail=detail))
    try:
        plan = emulator().seed(document)
    except EmulatorError as error:
        return _index_error(error.message, error.status)
    summary = plan.summary()
    return redirect(url_for("dashboard.index", done=f"Seeded {len(summary['sites'])} site(s)."), 303)


@bp.post("/ui/reset")
def reset():
    if request.form.get("confirm", "").strip().lower() != policy.DASHBOARD_RESET_WORD:
        return _index_error(M.DASHBOARD_RESET_UNCONFIRMED)
    emulator().reset()
    return redirect(url_for("dashboard.index", done="Emulator reset."), 303)
