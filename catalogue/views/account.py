"""Signing in and out of the curator pages (and, in the same blueprint, the account's own pages:
invitations, password resets, API tokens)."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for

from catalogue.errors import NotAuthenticated, TooManyRequests
from catalogue.extensions import service
from catalogue.views.auth import sign_in as start_session
from catalogue.views.auth import sign_out as end_session
from catalogue.views.auth import signed_in_actor

blueprint = Blueprint("account", __name__)


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


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if signed_in_actor() is not None:
            return redirect(target)
        return render_template("account/sign_in.html", next=target, email="")
    email = request.form.get("email", "")
    try:
        actor, version = service().authenticate(email, request.form.get("password", ""), client_address())
    except (NotAuthenticated, TooManyRequests) as error:
        page = render_template("account/sign_in.html", next=target, email=email, error=error.message)
        return page, error.status
    start_session(actor, version)
    return redirect(target)


@blueprint.post("/sign-out")
def sign_out():
    end_session()
    return redirect(url_for("public.home"))
