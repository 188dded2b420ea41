"""One place that turns failures into clear answers: JSON under /api and /iiif, a page elsewhere.

Every failure a request can cause is translated here, once: the catalogue's own errors carry their
status; a search request that cannot be answered is a 400; a search engine or database that is
down is a 503. Anything else is a bug, logged with its traceback and answered with a plain 500.
A path no view could look up (a NUL byte) is refused here too, before any view runs.

Messages arrive untranslated (an error's `Message`, or an `N_`-marked string) and are translated
here into the response's language: a page's always; JSON's when the request names a language (a
prefix, ``?lang=``, the cookie or Accept-Language), else it stays English.
"""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from catalogue.errors import CatalogueError, ValidationFailed
from catalogue.i18n import N_, gettext
from catalogue.store import StoreUnavailable
from catalogue.views.shapes import ErrorSchema, dump
from indexer.backends import BackendUnavailable
from indexer.request import InvalidRequest

log = logging.getLogger(__name__)
JSON_PREFIXES = ("/api/", "/iiif/", "/oembed")
MESSAGES = {
    400: N_("The request is not valid."),
    404: N_("Nothing was found at this address."),
    405: N_("This method is not allowed here."),
    413: N_("The request is too large."),
    414: N_("The address is too long."),
    431: N_("The request headers are too large."),
}


# how the API's 401 says which credentials it takes (RFC 6750 §3: a 401 carries the challenge)
BEARER_CHALLENGE = 'Bearer realm="catalogue"'


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or request.path == "/api"


def error_response(status: int, message: str, errors: list | None = None, **extra):
    """The answer to a failure, its message (and each field's) in the response's language."""
    message = gettext(message)
    body: dict = {"status": status, "message": message, **extra}
    if errors:
        body["errors"] = translated_errors(errors)
    if wants_json():
        return jsonify(dump(ErrorSchema, body)), status
    return render_template("error.html", status=status, message=message, heading=gettext(heading_of(status))), status


def translated_errors(errors: list) -> list:
    """Each field's message (an error's ``errors``) in the response's language."""
    return [
        {**error, "message": gettext(error["message"])}
        if isinstance(error, dict) and isinstance(error.get("message"), str)
        else error
        for error in errors
    ]


def heading_of(status: int) -> str:
    """The page heading (and title) of an error: what happened, in words, not a bare number."""
    if status == 404:
        return N_("Page not found")
    if status in (401, 403):
        return N_("Not allowed")
    if status == 409:
        return N_("Changed meanwhile")
    if status == 410:  # a visitor following an old link asked nothing wrong: the object left the catalogue
        return N_("No longer in the catalogue")
    if status >= 500:
        return N_("Temporarily unavailable")
    return N_("Something in the request is not right")


def refuse_nul_in_path(endpoint: str | None, values: dict | None) -> None:
    """No code, id or local id holds a NUL byte (%00), and PostgreSQL refuses one even in a lookup:
    a 400 before any view reaches the database."""
    if values and any("\x00" in value for value in values.values() if isinstance(value, str)):
        raise ValidationFailed(N_("The address contains a NUL character (%00)."))


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(refuse_nul_in_path)

    @app.errorhandler(CatalogueError)
    def catalogue_error(error: CatalogueError):
        response = app.make_response(
            error_response(
                error.status,
                error.message,
                error.errors,
                **({"id": error.record_id} if hasattr(error, "record_id") else {}),
            )
        )
        if error.status == 401 and wants_json():
            response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
        return response

    @app.errorhandler(InvalidRequest)
    def invalid_search(error: InvalidRequest):
        return error_response(400, error.message)

    @app.errorhandler(BackendUnavailable)
    def search_down(error: BackendUnavailable):
        log.warning("search unavailable: %s", error)
        return error_response(503, N_("Search is unavailable right now; please try again shortly."))

    @app.errorhandler(StoreUnavailable)
    def database_down(error: Exception):
        log.error("database unavailable: %s", error)
        return error_response(503, N_("The catalogue is unavailable right now; please try again shortly."))

    @app.errorhandler(IntegrityError)
    def lost_a_race(error: IntegrityError):
        """Two requests that each checked before writing (the same email invited twice at once) can
        still collide on a unique key; the second one is a conflict, and its transaction is undone."""
        log.warning("a write collided with another: %s", error.orig)
        return error_response(409, N_("This conflicts with a change saved at the same moment; reload and try again."))

    @app.errorhandler(RecursionError)
    def too_deep(error: RecursionError):
        return error_response(400, N_("The request is nested too deeply."))

    @app.errorhandler(CSRFError)
    def forged_or_stale_form(error: CSRFError):
        return error_response(
            400, N_("This form has expired or did not come from this site; reload the page and send it again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        response = app.make_response(error_response(status, MESSAGES.get(status, error.description or "")))
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response
