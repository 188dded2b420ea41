"""The record form on the curator pages: create and edit a record (the form is rendered from the
record schema by ``catalogue.records.form``), publish, unpublish or withdraw it, and preview it as
the public will see it.

A save that the schema refuses comes back as the form with the curator's input and each message
next to its field (400); a save over someone else's newer revision comes back the same way with a
clear message (409). Everything works without scripts; record-form.js only adds rows in place."""

from dataclasses import replace

from flask import flash, make_response, redirect, render_template, request, url_for

from catalogue.errors import Conflict, NotFound, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import N_, gettext, ngettext
from catalogue.messages import kept_message
from catalogue.models import DRAFT, PUBLISHED, WITHDRAWN, Actor, ObjectRecord, StoredImage
from catalogue.records import form
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.curate import blueprint
from catalogue.views.errors import translated_errors
from catalogue.views.object_page import page_context
from catalogue.views.viewers import WebImage, web_image


@blueprint.route("/records/new", methods=["GET", "POST"])
@signed_in
def new_record():
    actor = current_actor()
    code = request.values.get("museum") or actor.museum
    if not code:  # the secretariat has no museum of its own: it picks one on the dashboard first
        return redirect(url_for(".dashboard"))
    museum = service().museum(code)
    service().check_may_write(actor, museum.code)
    if request.method == "GET":
        return form_page(museum.code, form.blank_values(DRAFT), revision=0)
    values, problems = form.read_form(request.form)
    try:
        outcome = service().save_from_form(actor, museum.code, form.to_payload(values), 0, problems)
    except ValidationFailed as failure:
        errors = [*taken_already(actor, museum.code, values.get("local_id") or ""), *failure.errors]
        return form_page(museum.code, values, revision=0, errors=errors, status=400)
    except Conflict:
        return form_page(museum.code, values, revision=0, errors=[local_id_taken()], status=409)
    flash(_saved_message(outcome.revision, outcome.images_queued))
    return redirect(url_for(".edit_record", record_id=outcome.record_id), 303)


@blueprint.route("/records/<record_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_record(record_id):
    actor = current_actor()
    record = service().curated_record(actor, record_id)
    if request.method == "GET":
        return form_page(record.museum, form.body_to_values(record.body), record.revision, record)
    values, problems = form.read_form(request.form)
    values["local_id"] = record.local_id  # the key of the record: the form cannot move it to another
    revision = submitted_revision()
    payload = form.to_payload(values)
    if "source_record" in record.body:  # the record as its museum's system sent it: not on the form, kept
        payload["source_record"] = record.body["source_record"]
    try:
        outcome = service().save_from_form(actor, record.museum, payload, revision, problems)
    except ValidationFailed as failure:
        return form_page(record.museum, values, revision, record, errors=failure.errors, status=400)
    except Conflict as stale:
        return form_page(record.museum, values, revision, record, conflict=gettext(stale.message), status=409)
    if outcome.action == "unchanged":
        flash(gettext("Nothing changed; the record was not saved again."))
    else:
        flash(_saved_message(outcome.revision, outcome.images_queued))
    return redirect(url_for(".edit_record", record_id=record_id), 303)


@blueprint.post("/records/<record_id>/status")
@signed_in
def change_record_status(record_id):
    """Publish, unpublish (back to draft) or withdraw; withdrawing needs its confirmation box."""
    actor = current_actor()
    record = service().curated_record(actor, record_id)
    status = request.form.get("status", "")
    values = form.body_to_values(record.body)
    if status == WITHDRAWN and not request.form.get("confirm"):
        message = gettext("Tick the box to confirm that the record leaves the public catalogue.")
        return form_page(record.museum, values, record.revision, record, confirm_error=message, status=400)
    try:
        outcome = service().change_status(actor, record.museum, record.local_id, status, submitted_revision())
    except Conflict as stale:
        conflict = gettext(stale.message)
        return form_page(record.museum, values, record.revision, record, conflict=conflict, status=409)
    flash(gettext(STATUS_DONE.get(outcome.action, N_("Nothing changed: the record already had that status."))))
    return redirect(url_for(".edit_record", record_id=record_id), 303)


@blueprint.get("/records/<record_id>/preview")
@signed_in
def preview_record(record_id):
    """The public object page for the record in whatever status, marked as a preview, never cached
    by anyone and never indexed by search engines."""
    record = service().curated_record(current_actor(), record_id)
    shown = {} if record.status == PUBLISHED else {"web_image": unpublished_image}
    html = render_template(
        "curate/preview.html",
        **page_context(record, service().museum(record.museum)),
        status_label=gettext(STATUS_WORDS[record.status]),
        **shown,
    )
    response = make_response(html)  # private and no-store, as every curator page (views/auth.py)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def unpublished_image(image: StoredImage) -> WebImage:
    """An image of a record the public cannot see yet, as the preview shows it: the curator-only
    thumbnail (the public sizes and tiles answer 404 until the record is published, so deep zoom
    gives up and the thumbnail stays)."""
    public = web_image(image)
    thumbnail = url_for("curate.image_thumbnail", image_id=image.id)
    width, height = public.thumbnail_width, public.thumbnail_height
    return replace(
        public,
        src=thumbnail,
        srcset=f"{thumbnail} {width}w",
        width=width,
        height=height,
        largest=thumbnail,
        thumbnail=thumbnail,
    )


def local_id_taken() -> dict:
    return {"field": "local_id", "message": gettext("This museum already has a record with this local id.")}


def taken_already(actor: Actor, museum: str, local_id: str) -> list[dict]:
    """A new record's local id that the museum has already, as an error beside the form's others
    (the save would refuse it next): fixing those is not met by this one in another round."""
    try:
        service().record_by_local_id(museum, local_id, actor)
    except NotFound:
        return []
    return [local_id_taken()]


def submitted_revision() -> int:
    """The revision the form was loaded at; a form without one is stale by definition (0)."""
    raw = request.form.get("revision", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


def form_page(
    museum: str,
    values: dict,
    revision: int,
    record: ObjectRecord | None = None,
    errors: list[dict] | None = None,
    conflict: str | None = None,
    confirm_error: str | None = None,
    status: int = 200,
):
    """The form page, with the curator's values and the messages placed next to their fields, in the
    page's language."""
    placed, unplaced = form.place_errors(translated_errors(errors or []), values)
    stored_warnings = (
        [{"field": w.get("field"), "message": gettext(kept_message(w, "reason"))} for w in record.warnings]
        if record
        else []
    )
    warnings, other_warnings = form.place_errors(stored_warnings, values)
    page = render_template(
        "curate/record_form.html",
        museum=museum,
        record=record,
        values=values,
        revision=revision,
        sections=form.sections(),
        spare_rows=form.with_spare_rows,
        errors=placed,
        top_errors=unplaced,
        failed=bool(errors),
        warnings=warnings,
        other_warnings=other_warnings,
        conflict=conflict,
        confirm_errors={"confirm": [confirm_error]} if confirm_error else {},
        status_labels=form.STATUS_LABELS,
        language_codes=form.LANGUAGE_SUGGESTIONS,
    )
    return page, status


def _saved_message(revision: int, images_queued: int) -> str:
    message = gettext("Saved as revision %(n)s.") % {"n": revision}
    if images_queued:
        fetched = ngettext(
            "%(n)s image address will be fetched shortly.",
            "%(n)s image addresses will be fetched shortly.",
            images_queued,
        )
        message += " " + fetched % {"n": images_queued}
    return message


STATUS_WORDS = {DRAFT: N_("draft"), PUBLISHED: N_("published"), WITHDRAWN: N_("withdrawn")}
STATUS_DONE = {
    "published": N_("Published: the record is in the public catalogue."),
    "unpublished": N_("Unpublished: the record is a draft again, seen only by its museum."),
    "withdrawn": N_("Withdrawn: the record has left the public catalogue."),
}
