"""A record's history on the curator pages: every revision newest first, who made it and when, a
readable diff per field, and a form to revert to any older revision (itself a new revision).

The page works without scripts: the revert form posts, and the history comes back (a redirect, so
reloading it sends nothing twice) with a notice saying what happened."""

from flask import redirect, render_template, request, url_for

from catalogue.errors import Conflict
from catalogue.extensions import service
from catalogue.i18n import N_, gettext, visitor_languages
from catalogue.records.form import BY_NAME
from catalogue.records.langmap import NO_LANGUAGE, pick
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.curate import blueprint

TRUNCATE_AT = 160  # characters of a value shown before the rest folds into a <details>
STATUSES = {"published": N_("published"), "draft": N_("draft"), "withdrawn": N_("withdrawn")}
DETAILS = {
    "reverted_to": N_("Reverted to revision"),
    "images": N_("Images"),
    "image": N_("Image"),
    "fields": N_("Fields changed"),
    "sha256": N_("File fingerprint (SHA-256)"),
    "order": N_("Order"),
    "alt": N_("Alt text"),
    "url": N_("Address"),
    "urls": N_("Addresses"),
    "reason": N_("Reason"),
}
CHANGED_DETAILS = ("order", "alt")  # details logged as [before, after]


@blueprint.get("/records/<record_id>/history")
@signed_in
def record_history(record_id):
    return history_page(record_id)


@blueprint.post("/records/<record_id>/revert/<int:revision>")
@signed_in
def revert_record(record_id, revision):
    actor = current_actor()
    record = service().curated_record(actor, record_id)
    try:
        outcome = service().revert(actor, record.museum, record.local_id, revision, _expected_revision())
    except Conflict as stale:
        return history_page(record_id, 409, conflict=gettext(stale.message))
    done = "reverted" if outcome.action == "reverted" else "unchanged"
    return redirect(url_for(".record_history", record_id=record_id, done=done, to=revision), 303)


def history_page(record_id: str, status: int = 200, conflict: str | None = None):
    actor = current_actor()
    record = service().curated_record(actor, record_id)
    entries = service().record_history(actor, record.museum, record.local_id)
    names = image_names(entries, service().images_to_curate(actor, record_id)[1])
    page = render_template(
        "curate/history.html",
        record=record,
        entries=entries,
        notice=_notice(),
        conflict=conflict,
        plain=plain,
        truncate_at=TRUNCATE_AT,
        status_label=lambda value: gettext(STATUSES[value]) if value in STATUSES else value,
        detail_label=lambda key: gettext(DETAILS[key]) if key in DETAILS else key,
        changed_details=CHANGED_DETAILS,
        shown_changes=shown_changes,
        shown_details=lambda details: shown_details(details, names),
    )
    return page, status


IMAGE_DETAILS = ("images", "image", "order")  # details that name images by their ids


def image_names(entries: list, images: list) -> dict[str, str]:
    """What each image the history names is called: the name of the file it was uploaded as (kept
    with its upload, and with the image while the record holds it), else its alt text."""
    names: dict[str, str] = {}
    for entry in entries:
        logged = entry.details.get("names")
        if isinstance(logged, dict):
            names.update({key: value for key, value in logged.items() if isinstance(value, str)})
    for curated in images:
        label = curated.original_name or pick(curated.image.alt, visitor_languages())
        if label:
            names[curated.image.id] = label
    return names


def shown_details(details: dict, names: dict[str, str]) -> dict:
    """An entry's details as a person reads them: images by their names where one is known (their
    ids otherwise), without the names kept for that."""

    def named(value):
        if isinstance(value, list):
            return [named(item) for item in value]
        return names.get(value, value) if isinstance(value, str) else value

    return {key: named(value) if key in IMAGE_DETAILS else value for key, value in details.items() if key != "names"}


def shown_changes(fields: dict) -> dict:
    """The field changes a person can see: a change between two ways of storing nothing (no rights at
    all, and rights with no statement) read "(empty) -> (empty)", so it is left out."""
    return {
        name: change
        for name, change in fields.items()
        if name == "status" or plain(change[0], name) != plain(change[1], name)
    }


# the parts of the dimensions a museum wrote that the catalogue reads (catalogue.records.dimensions)
DIMENSION_PARTS = {
    "text": N_("As written"),
    "height_cm": N_("Height (cm)"),
    "width_cm": N_("Width (cm)"),
    "depth_cm": N_("Depth (cm)"),
    "diameter_cm": N_("Diameter (cm)"),
    "length_cm": N_("Length (cm)"),
}


def plain(value, field: str | None = None) -> str:
    """A stored value as a person reads it: language maps as "en: …; ja: …", lists joined by commas,
    nested objects as "part: value" with each part named as the record form names it (a maker's
    "Role", the rights' "Rights of the images"); nothing at all as an empty string."""
    if value is None or (field == "language" and value == NO_LANGUAGE):  # the record names no language
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        parts = (
            plain(item) if key == NO_LANGUAGE else f"{part_label(field, key)}: {plain(item)}"  # text in no language
            for key, item in value.items()
            if item not in (None, "", [], {})
        )
        return "; ".join(parts)
    if isinstance(value, list):
        items = [plain(item, field) for item in value]
        return ", ".join(items) if not any(isinstance(item, dict) for item in value) else " | ".join(items)
    return str(value)


def part_label(field: str | None, key: str) -> str:
    """A part of a field's value by its label on the form; a language map's keys are language tags
    and stay so, as does a part the form has no label for."""
    if field == "dimensions" and key in DIMENSION_PARTS:
        return gettext(DIMENSION_PARTS[key])
    parts = {part.name: part.label for part in BY_NAME[field].parts} if field in BY_NAME else {}
    return gettext(parts[key]) if key in parts else key


def _expected_revision() -> int | None:
    """The revision the page showed as current: reverting from a page that is out of date is a conflict.
    A number longer than any revision is not read (int() refuses more than 4,300 digits)."""
    value = request.form.get("expected_revision", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _notice() -> str | None:
    done, to = request.args.get("done"), request.args.get("to", "")
    if not (to.isascii() and to.isdigit()):
        return None
    if done == "reverted":
        return gettext("The record was reverted to revision %(n)s; that is now its newest revision.") % {"n": to}
    if done == "unchanged":
        return gettext("Revision %(n)s holds what the record holds now: nothing changed.") % {"n": to}
    return None
