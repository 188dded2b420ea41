"""Membership pages: the public application form at /join, and the secretariat's review of the
applications under /admin (approve: the museum and its admin's invitation; reject: a reason)."""

from itertools import zip_longest

from flask import Blueprint, Response, make_response, redirect, render_template, request, url_for

from catalogue.errors import CatalogueError, Conflict, TooManyRequests, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import country_name, gettext, interface_language, sorted_by_name
from catalogue.membership import ICOM_CODE_OF_ETHICS, MAX_DESCRIPTION, STATES, partner_countries
from catalogue.views.account import client_address
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.errors import translated_errors

blueprint = Blueprint("membership", __name__)
admin_blueprint = Blueprint("admin", __name__)
NAME_ROWS = 3  # rows for the museum's names, filled or not: without JavaScript there is no "add a row"
MAX_NAME_ROWS = 20  # the form is public: a flood of rows is cut, not read
TRAP = "fax"  # a field people never see and robots fill (see apply.html)
SECRETARIAT = ("admin",)


# the public form -------------------------------------------------------------------------------
@blueprint.route("/join", methods=["GET", "POST"])
def apply():
    if request.method == "GET":
        blank = dict.fromkeys(("country", "city", "website", "contact_name", "contact_email", "description"), "")
        return _application_page({**blank, "names": [{"language": "en", "name": ""}], "ethics_agreed": False})
    form = _submitted_application()
    try:
        service().apply_for_membership(form, client_address(), request.form.get(TRAP, ""), interface_language())
    except (ValidationFailed, TooManyRequests) as error:
        return _application_page(form, error)
    return redirect(url_for(".thanks"))


@blueprint.get("/join/thanks")
def thanks():
    return render_template("membership/thanks.html")


def _submitted_application() -> dict:
    """The form as the service reads it; rows of the names table left empty are dropped here, so
    that an error's row number is the row shown again."""
    rows = zip_longest(request.form.getlist("name_language"), request.form.getlist("name"), fillvalue="")
    names = [{"language": language, "name": name} for language, name in rows if language.strip() or name.strip()]
    return {
        "names": names[:MAX_NAME_ROWS],
        "country": request.form.get("country", ""),
        "city": request.form.get("city", ""),
        "website": request.form.get("website", ""),
        "contact_name": request.form.get("contact_name", ""),
        "contact_email": request.form.get("contact_email", ""),
        "description": request.form.get("description", ""),
        "ethics_agreed": request.form.get("ethics_agreed") == "yes",
    }


def _application_page(form: dict, error: CatalogueError | None = None) -> Response:
    """The form (again, with what was typed and the messages). Its CSRF token belongs to this
    visitor's session, so no cache keeps the page."""
    spare = [{"language": "", "name": ""}] * max(1, NAME_ROWS - len(form["names"]))
    page = render_template(
        "membership/apply.html",
        form=form,
        name_rows=[*form["names"], *spare],
        countries=localised(partner_countries()),
        message=gettext(error.message) if error else None,
        errors=_by_field(error),
        max_description=MAX_DESCRIPTION,
        ethics_url=ICOM_CODE_OF_ETHICS,
        trap=TRAP,
    )
    response = make_response(page, error.status if error else 200)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def localised(countries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, name) of each country, named and ordered in the interface language."""
    named = [(code, country_name(code) or name) for code, name in countries]
    return sorted_by_name(named, name=lambda pair: pair[1])


# the secretariat's review ----------------------------------------------------------------------
@admin_blueprint.get("/applications")
@signed_in(roles=SECRETARIAT)
def applications():
    actor = current_actor()
    state = request.args.get("state") or None
    return render_template(
        "admin/applications.html",
        applications=service().applications(actor, state),
        counts=service().application_counts(actor),
        state=state,
        states=STATES,
    )


@admin_blueprint.get("/applications/<int:application_id>")
@signed_in(roles=SECRETARIAT)
def application(application_id: int):
    return _review_page(application_id)


@admin_blueprint.post("/applications/<int:application_id>/approve")
@signed_in(roles=SECRETARIAT)
def approve(application_id: int):
    code, note = request.form.get("code", ""), request.form.get("note", "")
    try:
        service().approve_application(current_actor(), application_id, code, note)
    except (ValidationFailed, Conflict) as error:
        return _review_page(application_id, "approve", error, {"code": code, "note": note}), error.status
    return redirect(url_for(".application", application_id=application_id))


@admin_blueprint.post("/applications/<int:application_id>/reject")
@signed_in(roles=SECRETARIAT)
def reject(application_id: int):
    reason = request.form.get("reason", "")
    try:
        service().reject_application(current_actor(), application_id, reason)
    except (ValidationFailed, Conflict) as error:
        return _review_page(application_id, "reject", error, {"reason": reason}), error.status
    return redirect(url_for(".application", application_id=application_id))


def _review_page(application_id: int, failed: str | None = None, error=None, sent: dict | None = None) -> str:
    """An application with, while it is pending, the two decision forms; a decision that failed
    shows again with what was typed and the message next to its field."""
    found = service().application(current_actor(), application_id)
    errors, sent = _by_field(error), sent or {}
    code = sent.get("code", "")
    if found["state"] == "pending" and "code" not in sent:
        code = service().suggested_code(found)
    return render_template(
        "admin/application.html",
        application=found,
        failed=failed,
        message=gettext(error.message) if error else None,
        errors=errors,
        unplaced=[message for field, message in errors.items() if field not in ("code", "note", "reason")],
        code=code,
        note=sent.get("note", ""),
        reason=sent.get("reason", ""),
    )


def _by_field(error: CatalogueError | None) -> dict[str, str]:
    """Field -> its first message, to show next to the field."""
    messages: dict[str, str] = {}
    for item in translated_errors(error.errors if error else []):
        if isinstance(item, dict) and item.get("field"):
            messages.setdefault(str(item["field"]), str(item.get("message", "")))
    return messages
