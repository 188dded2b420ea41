"""Who is signed in to the web pages: the session cookie (signed, HttpOnly, SameSite=Lax, Secure over
HTTPS) names an account and its session version; CSRF tokens guard every form. The JSON API does
not use cookies (bearer tokens only), so it is exempt from CSRF.

Views that need an account use ``@signed_in`` (any account) or ``@signed_in(roles)``; they read the
actor with ``signed_in_actor()``. Pages for signed-in people are never cached by shared caches."""

from functools import wraps

from flask import Flask, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from catalogue.errors import Forbidden, NotAuthenticated
from catalogue.extensions import service
from catalogue.messages import N_
from catalogue.models import Actor

csrf = CSRFProtect()
USER, VERSION = "user", "version"


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` whenever the request came over HTTPS (directly or, behind a
    proxy that says so, by X-Forwarded-Proto), and always when SESSION_COOKIE_SECURE is set."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def sign_in(actor: Actor, version: int) -> None:
    """A new session for ``actor`` (a fresh cookie, so a session fixed before sign-in is dropped)."""
    session.clear()
    session.permanent = True
    session[USER] = actor.user_id
    session[VERSION] = version
    g.signed_in_actor = actor


def sign_out() -> None:
    session.clear()
    g.signed_in_actor = None


def signed_in_actor() -> Actor | None:
    """The account this request's session belongs to; None when nobody (still) is signed in."""
    if "signed_in_actor" not in g:
        actor = None
        if USER in session:
            actor = service().actor_for_session(session.get(USER), session.get(VERSION))
            if actor is None:
                session.clear()  # the password changed, the account was deactivated, or signed out everywhere
        g.signed_in_actor = actor
    return g.signed_in_actor


def current_actor() -> Actor:
    """The signed-in account, in a view that ``@signed_in`` guards (which let nobody else in; the
    401 is for the type checker, and for a view that forgot the guard)."""
    actor = signed_in_actor()
    if actor is None:
        raise NotAuthenticated(N_("Sign in first."))
    return actor


def signed_in(view=None, *, roles: tuple[str, ...] | None = None):
    """Only for signed-in accounts (of ``roles``, when given). Someone not signed in is sent to the
    sign-in page from a GET, and gets a 401 for anything else; a wrong role is a 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            actor = signed_in_actor()
            if actor is None:
                if request.method in ("GET", "HEAD"):
                    return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
                raise NotAuthenticated(N_("Sign in first."))
            if roles is not None and actor.role not in roles:
                raise Forbidden(N_("Your account may not use this page."))
            return view(*args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def private_pages(response):
    """Whatever a signed-in page shows stays out of shared caches and browser history caches. Public
    pages never read the session (touching it would add ``Vary: Cookie`` and spoil their caching),
    and show nothing of the person signed in."""
    if request.blueprint in ("account", "curate", "admin"):
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.after_request(private_pages)

    @app.context_processor
    def account_helpers():
        return {"signed_in_actor": signed_in_actor}


def exempt_from_csrf(blueprint) -> None:
    """For the bearer-token JSON API: browsers send no credentials there, so no forgery can use them."""
    csrf.exempt(blueprint)
