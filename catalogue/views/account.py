"""Signing in and out of the curator pages, and the account's own pages in the same blueprint:
accepting an invitation, resetting a forgotten password, the account page (password, sessions,
API tokens), and the people page where a museum admin or the secretariat manages accounts."""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for

from catalogue.errors import CatalogueError, Conflict, NotAuthenticated, NotFound, TooManyRequests, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import INTERFACE_LANGUAGES, LANGUAGE_NAMES, N_, gettext, interface_language, visitor_languages
from catalogue.models import ADMIN, CURATOR, MUSEUM_ADMIN, Actor
from catalogue.service.accounts import INVITE, RESET
from catalogue.views.auth import current_actor, signed_in, signed_in_actor
from catalogue.views.auth import sign_in as start_session
from catalogue.views.auth import sign_out as end_session

blueprint = Blueprint("account", __name__)
MANAGERS = (ADMIN, MUSEUM_ADMIN)
ROLE_LABELS = {ADMIN: N_("Secretariat admin"), MUSEUM_ADMIN: N_("Museum admin"), CURATOR: N_("Curator")}
MAX_TOKEN_DAYS = 3650
USED_TOKEN_FORMS = "used_token_forms"  # session key: ids of the token forms that made their token
KEPT_TOKEN_FORMS = 10


@blueprint.context_processor
def account_labels():
    return {"role_label": lambda role: gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role}


def client_address() -> str:
    """The address rate limits count by (behind a proxy, configure ProxyFix so this is the client's)."""
    return request.remote_addr or "unknown"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never ``//evil.example`` or a URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("curate.dashboard")


def landing(actor: Actor) -> str:
    """Where an account starts after choosing its password: its museum's dashboard; a secretariat
    admin, who belongs to no museum, on the account page."""
    return url_for("curate.dashboard") if actor.museum else url_for("account.profile")


def field_errors(error: CatalogueError) -> dict[str, str]:
    """Each field's message, for the form shown again with the person's input."""
    return {detail["field"]: gettext(detail["message"]) for detail in error.errors if detail.get("field")}


def new_password(field: str) -> str:
    """The new password of a form, typed twice (``field`` and ``confirm``) so that a typo does not
    lock its owner out; the service checks the rules."""
    password = request.form.get(field, "")
    if password != request.form.get("confirm", ""):
        raise ValidationFailed(
            N_("The two passwords are not the same."),
            [{"field": "confirm", "message": N_("Type the same password again.")}],
        )
    return password


# signing in and out ------------------------------------------------------------------------
@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    wanted = request.values.get("next")
    target = safe_next(wanted) if wanted else ""  # none asked for: where the account starts
    if request.method == "GET":
        actor = signed_in_actor()
        if actor is not None:
            return redirect(target or landing(actor))
        return render_template("account/sign_in.html", next=target, email="")
    email = request.form.get("email", "")
    try:
        actor, version = service().authenticate(email, request.form.get("password", ""), client_address())
    except (NotAuthenticated, TooManyRequests) as error:
        page = render_template("account/sign_in.html", next=target, email=email, error=gettext(error.message))
        return page, error.status
    start_session(actor, version)
    return redirect(target or landing(actor))


@blueprint.post("/sign-out")
def sign_out():
    end_session()
    # the sign-in page, which shows notices: the home page is public and reads no session (cacheable)
    flash(gettext("You are signed out."))
    return redirect(url_for("account.sign_in"))


# invitation and reset links ----------------------------------------------------------------
@blueprint.route("/invitation/<secret>", methods=["GET", "POST"])
def invitation(secret):
    return link_page(INVITE, secret)


@blueprint.route("/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret):
    return link_page(RESET, secret)


def link_page(purpose: str, secret: str):
    """The page a mailed link opens. Its address holds the link's secret, so no page of it sends a
    referrer; a link that does not work (any more) is a 404 that offers a new one."""
    try:
        response = make_response(use_link(purpose, secret))
    except NotFound as error:
        page = render_template("account/link_invalid.html", message=gettext(error.message), email="")
        response = make_response(page, 404)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def use_link(purpose: str, secret: str):
    owner = service().link_owner(purpose, secret)
    if request.method == "GET":
        return render_template("account/choose_password.html", purpose=purpose, owner=owner, errors={})
    try:
        actor, version = service().use_link(purpose, secret, new_password("password"), interface_language())
    except ValidationFailed as error:
        page = render_template(
            "account/choose_password.html",
            purpose=purpose,
            owner=owner,
            errors=field_errors(error),
            message=gettext(error.message),
        )
        return page, 400
    start_session(actor, version)
    flash(gettext("Your password is saved; you are signed in."))
    return redirect(landing(actor))


@blueprint.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a reset link, mailed in the language of this form. The answer is the same whether or
    not the account exists."""
    if request.method == "GET":
        return render_template("account/reset_request.html", email="", sent=False)
    email = request.form.get("email", "")
    try:
        service().request_password_reset(email, client_address(), interface_language())
    except TooManyRequests as error:
        page = render_template("account/reset_request.html", email=email, sent=False, error=gettext(error.message))
        return page, error.status
    return render_template("account/reset_request.html", email="", sent=True)


# the account page --------------------------------------------------------------------------
@blueprint.get("")
@signed_in
def profile():
    return profile_page()


def profile_page(status: int = 200, failed: str | None = None, error: CatalogueError | None = None, form=None):
    """The account page; after a failed form (``failed`` names it), with its errors and input."""
    actor = current_actor()
    museum = service().museum_labels().get(actor.museum) if actor.museum else None
    page = render_template(
        "account/profile.html",
        me=actor,
        museum=museum,
        tokens=service().own_tokens(actor),
        failed=failed,
        message=gettext(error.message) if error else None,
        errors=field_errors(error) if error else {},
        form=form or {},
        max_days=MAX_TOKEN_DAYS,
        token_form_id=secrets.token_urlsafe(12),
        mail_languages=mail_language_options(),
        mail_language=service().mail_language_of(actor) or "en",
        pending=service().application_counts(actor)["pending"] if actor.role == "admin" else 0,
    )
    return page, status


@blueprint.post("/password")
@signed_in
def change_password():
    actor = current_actor()
    try:
        version = service().change_password(actor, request.form.get("current", ""), new_password("new"))
    except ValidationFailed as error:
        for detail in error.errors:  # the service names the new password "password"; this form, "new"
            detail["field"] = "new" if detail.get("field") == "password" else detail.get("field")
        return profile_page(400, "password", error)
    except TooManyRequests as error:
        return profile_page(error.status, "password", error)
    start_session(actor, version)
    flash(gettext("Your password is changed. Your other sessions have ended."))
    return redirect(url_for("account.profile"))


def mail_language_options() -> list[tuple[str, str]]:
    """The interface languages, each named in itself, as the language switcher names them."""
    return [(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES]


@blueprint.post("/mail-language")
@signed_in
def set_mail_language():
    try:
        kept = service().set_mail_language(current_actor(), request.form.get("language", ""))
    except ValidationFailed as error:
        return profile_page(400, "mail-language", error)
    flash(gettext("Your mail will be written in %(language)s.") % {"language": LANGUAGE_NAMES[kept or "en"]})
    return redirect(url_for("account.profile"))


@blueprint.post("/sessions/end")
@signed_in
def end_sessions():
    service().end_all_sessions(current_actor())
    end_session()
    flash(gettext("You are signed out everywhere, in this browser too."))
    return redirect(url_for("account.sign_in"))


@blueprint.post("/tokens")
@signed_in
def create_token():
    """The new token is shown once, in this answer (never in an address or a cookie). Reloading
    that answer sends the form again: the form's one-time id, kept in the session once used, turns
    the second sending into the account page instead of a second token."""
    form = {"label": request.form.get("label", ""), "expires_in": request.form.get("expires_in", "").strip()}
    form_id = request.form.get("form_id", "")[:64]
    used = session.get(USED_TOKEN_FORMS, [])
    if form_id in used:
        flash(gettext("That form has made its token already; it is in the list, shown once. Revoke it if you lost it."))
        return redirect(url_for("account.profile"))
    try:
        token, token_id = service().create_own_token(current_actor(), form["label"], token_lifetime(form["expires_in"]))
    except ValidationFailed as error:
        return profile_page(400, "token", error, form)
    if form_id:
        session[USED_TOKEN_FORMS] = [*used, form_id][-KEPT_TOKEN_FORMS:]
    # shown once; like every account page it is private and no-store (views/auth.py)
    return render_template("account/token_created.html", token=token, token_id=token_id, label=form["label"])


def token_lifetime(days: str) -> timedelta | None:
    if not days:
        return None
    # int() refuses more than 4,300 digits: a number longer than the largest lifetime is not read
    readable = days.isascii() and days.isdigit() and len(days) <= len(str(MAX_TOKEN_DAYS))
    if not readable or not 1 <= int(days) <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            N_("Give the lifetime in days, or leave it empty."),
            [{"field": "expires_in", "message": N_("A whole number of days, from 1 to 3650.")}],
        )
    return timedelta(days=int(days))


@blueprint.post("/tokens/<token_id>/revoke")
@signed_in
def revoke_token(token_id):
    """Back on the account page either way: a second click, or the back button and the form sent
    again, finds the token revoked already, which the page says instead of a bare 404."""
    try:
        token = service().revoke_own_token(current_actor(), token_id)
    except NotFound as gone:
        flash(gettext(gone.message))
        return redirect(url_for("account.profile"), 303)
    flash(gettext("The token %(id)s is revoked: it no longer works.") % {"id": token["id"]})
    return redirect(url_for("account.profile"))


# people ------------------------------------------------------------------------------------
@blueprint.get("/people")
@signed_in(roles=MANAGERS)
def users():
    return people_page()


def people_page(status: int = 200, error: CatalogueError | None = None, form=None):
    """The accounts the signed-in admin manages (the secretariat: all, or one museum's), and the
    invitation form."""
    actor = current_actor()
    shown = (request.args.get("museum") or None) if actor.is_secretariat else actor.museum
    roles = [CURATOR, MUSEUM_ADMIN] + ([ADMIN] if actor.is_secretariat else [])
    museums = (
        [(m.code, f"{m.name(visitor_languages())} ({m.code})") for m in service().museums()]
        if actor.is_secretariat
        else []
    )
    page = render_template(
        "account/people.html",
        me=actor,
        people=service().users(actor, shown),
        shown=shown,
        museum_options=[("", gettext("None (secretariat admin)")), *museums],
        roles=[(role, gettext(ROLE_LABELS[role])) for role in roles],
        form=form or {"role": CURATOR, "museum": shown or "", "language": interface_language()},
        mail_languages=mail_language_options(),
        errors=field_errors(error) if error else {},
        message=gettext(error.message) if error else None,
    )
    return page, status


@blueprint.post("/people/invite")
@signed_in(roles=MANAGERS)
def invite():
    actor = current_actor()
    form = {name: request.form.get(name, "").strip() for name in ("email", "name", "role", "museum", "language")}
    museum = form["museum"] if "museum" in request.form else actor.museum  # a museum admin's form has none
    try:
        service().invite(actor, museum or None, form["email"], form["name"], form["role"] or CURATOR, form["language"])
    except (ValidationFailed, Conflict) as error:
        return people_page(error.status, error, form)
    flash(gettext("An invitation is on its way to %(email)s.") % {"email": form["email"]})
    return redirect(url_for("account.users"))


@blueprint.post("/people/<int:user_id>/deactivate")
@signed_in(roles=MANAGERS)
def deactivate(user_id):
    person = service().set_active(current_actor(), user_id, False)
    flash(gettext("%(name)s can no longer sign in; their sessions and tokens have ended.") % person)
    return redirect(url_for("account.users", museum=request.form.get("shown") or None))


@blueprint.post("/people/<int:user_id>/invite-again")
@signed_in(roles=MANAGERS)
def invite_again(user_id):
    person = service().invite_again(current_actor(), user_id)
    flash(gettext("A new invitation is on its way to %(email)s; the earlier link no longer works.") % person)
    return redirect(url_for("account.users", museum=request.form.get("shown") or None))


@blueprint.post("/people/<int:user_id>/activate")
@signed_in(roles=MANAGERS)
def activate(user_id):
    person = service().set_active(current_actor(), user_id, True)
    flash(gettext("%(name)s can sign in again (their old API tokens stay revoked).") % person)
    return redirect(url_for("account.users", museum=request.form.get("shown") or None))
