"""A record's images on the curator pages: upload several at once (with a progress bar when scripts
run), alt text per language, reorder, remove, and the thumbnails of images not public yet.

Every form works without scripts: it posts and the page comes back. The upload script sends the
same form with ``Accept: application/json`` and gets JSON back, success or failure."""

from flask import jsonify, redirect, render_template, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from catalogue.errors import CatalogueError, NotFound, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import INTERFACE_LANGUAGES, N_, gettext, ngettext
from catalogue.images import megabytes
from catalogue.messages import Message
from catalogue.models import ObjectRecord
from catalogue.views.auth import current_actor, signed_in, signed_in_actor
from catalogue.views.curate import blueprint
from catalogue.views.errors import MESSAGES, error_response, translated_errors

NOTICES = ("uploaded", "removed", "alt", "order")  # what the page says after a form was sent
ALT_LANGUAGES = (
    *INTERFACE_LANGUAGES,
    "nl",
    "es",
    "it",
    "pt",
    "ru",
    "ar",
    "hi",
    "th",
    "vi",
    "id",
    "ms",
    "tr",
    "pl",
    "none",
)


@blueprint.get("/records/<record_id>/images")
@signed_in
def record_images(record_id):
    return images_page(record_id)


@blueprint.post("/records/<record_id>/images")
@signed_in
def upload_images(record_id):
    files = [part for part in request.files.getlist("file") if part.filename]
    try:
        record = _curated(record_id)  # inside: the upload script gets a refusal in JSON too
        if not files:
            raise ValidationFailed(N_("Choose one or more image files to upload."))
        uploads = [(part.read(), part.filename) for part in files]
        stored = service().add_images(current_actor(), record.museum, record.local_id, uploads)
    except CatalogueError as refused:
        return upload_refused(record_id, refused.message, refused.status, refused.errors)
    # a file the record holds already is not added again (the same bytes): the curator hears so
    sent, had = {image.id for image in stored}, {image.id for image in record.images}
    added, already = len(sent - had), len(sent & had)
    if asks_for_json():
        message = uploaded_message(added, already)
        return jsonify({"message": message, "images": [image.id for image in stored]}), 201
    return _back(record_id, "uploaded", count=added, already=already)


@blueprint.errorhandler(RequestEntityTooLarge)
def request_too_large(error):
    """A body over MAX_CONTENT_LENGTH is refused before any view runs (the CSRF check is the first
    to read the form). For the image upload that is said on its own page, or in JSON to the upload
    script; any other curator page answers as the app does everywhere else."""
    if request.endpoint != "curate.upload_images" or signed_in_actor() is None:
        return error_response(413, MESSAGES[413])
    limit = megabytes(request.max_content_length or 0)
    message = Message(N_("These files are too large to send at once (the limit is %(limit)s MB)."), limit=limit)
    try:
        return upload_refused((request.view_args or {}).get("record_id", ""), message, 413)
    except CatalogueError as refused:  # the record is gone, or not theirs: no page to show it on
        return error_response(refused.status, refused.message)


def upload_refused(record_id: str, message: str, status: int, errors: list | None = None):
    """The refusal on the images page, or in JSON to the upload script, in the page's language."""
    message = gettext(message)
    if asks_for_json():
        body = {"status": status, "message": message, **({"errors": translated_errors(errors)} if errors else {})}
        return jsonify(body), status
    return images_page(record_id, status, upload_error=message)


@blueprint.post("/records/<record_id>/images/<image_id>/remove")
@signed_in
def remove_image(record_id, image_id):
    record = _curated(record_id)
    service().remove_image(current_actor(), record.museum, record.local_id, image_id)
    return _back(record_id, "removed")


@blueprint.post("/records/<record_id>/images/order")
@signed_in
def order_images(record_id):
    """Either the whole order (``order``: the image ids, in one field each or separated by commas)
    or one step (``move`` = up or down, with ``image_id``), as the buttons beside each image send."""
    record, images = service().images_to_curate(current_actor(), record_id)
    current = [entry.image.id for entry in images]
    try:
        if request.form.get("move"):
            order = moved(current, request.form.get("image_id", ""), request.form["move"])
        else:
            order = [part for field in request.form.getlist("order") for part in field.replace(",", " ").split()]
        service().reorder_images(current_actor(), record.museum, record.local_id, order)
    except ValidationFailed as refused:
        return images_page(record_id, 400, order_error=gettext(refused.message))
    moved_id = request.form.get("image_id")
    return _back(record_id, "order", anchor=f"image-{moved_id}" if moved_id else "image-list")


def moved(order: list[str], image_id: str, direction: str) -> list[str]:
    """``order`` with one image a step up (earlier) or down; at either end it stays where it is."""
    if image_id not in order:
        raise NotFound(N_("This object has no such image."))
    if direction not in ("up", "down"):
        raise ValidationFailed(N_("Move an image up or down."))
    index = order.index(image_id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return order
    order = list(order)
    order[index], order[other] = order[other], order[index]
    return order


@blueprint.post("/records/<record_id>/images/<image_id>/alt")
@signed_in
def image_alt(record_id, image_id):
    """The alt text form sends rows of (alt_lang, alt_text); rows in one language add up."""
    record = _curated(record_id)
    rows = list(zip(request.form.getlist("alt_lang"), request.form.getlist("alt_text")))
    alt: dict[str, list[str]] = {}
    for language, text in rows:
        alt.setdefault(language.strip(), []).append(text)
    try:
        service().set_image_alt(current_actor(), record.museum, record.local_id, image_id, alt)
    except ValidationFailed as refused:
        messages = [gettext(error["message"]) for error in refused.errors] or [gettext(refused.message)]
        alt_form = {"image_id": image_id, "rows": [row for row in rows if any(part.strip() for part in row)]}
        return images_page(record_id, 400, alt_form={**alt_form, "errors": messages})
    return _back(record_id, "alt", anchor=f"image-{image_id}")


@blueprint.get("/images/<image_id>/thumbnail")
@signed_in
def image_thumbnail(image_id):
    """Drafts' images are not public: their curators see them through this route."""
    image = service().curated_image_file(current_actor(), image_id)
    return send_file(image.path, mimetype=image.mime, etag=image.etag, conditional=True, max_age=0)


def images_page(record_id: str, status: int = 200, **form):
    record, images = service().images_to_curate(current_actor(), record_id)
    page = render_template(
        "curate/images.html",
        record=record,
        images=images,
        notice=_notice(),
        alt_languages=ALT_LANGUAGES,
        alt_rows=alt_rows,
        max_image_mb=megabytes(service().max_image_bytes),
        **form,
    )
    return page, status


def alt_rows(alt: dict | None) -> list[tuple[str, str]]:
    """A language map as the form's rows: (language, text), a row per text."""
    return [(tag, text) for tag, texts in (alt or {}).items() for text in texts]


def asks_for_json() -> bool:
    """The upload script asks for JSON; a browser posting the form asks for HTML."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _curated(record_id: str) -> ObjectRecord:
    return service().curated_record(current_actor(), record_id)


def _back(record_id: str, done: str, anchor: str = "image-list", **args):
    """After a change, the page again (a GET, so reloading it sends nothing twice)."""
    return redirect(url_for(".record_images", record_id=record_id, done=done, _anchor=anchor, **args), 303)


def uploaded_message(count: int, already: int = 0) -> str:
    """How many images were added, and how many the record held already (sent again, not added)."""
    said = []
    if count or not already:
        said.append(ngettext("%(num)d image uploaded.", "%(num)d images uploaded.", count) % {"num": count})
    if already:
        there = ngettext(
            "%(num)d image was already in the record; it was not added again.",
            "%(num)d images were already in the record; they were not added again.",
            already,
        )
        said.append(there % {"num": already})
    return " ".join(said)


def _small_number(name: str) -> int | None:
    """A count in the page's address, or None when it is not one (nor a count an upload could make)."""
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else None


def _notice() -> str | None:
    done = request.args.get("done")
    if done not in NOTICES:
        return None
    if done == "uploaded":
        count, already = _small_number("count"), _small_number("already") or 0
        return uploaded_message(count, already) if count is not None else None
    return {
        "removed": gettext("The image was removed."),
        "alt": gettext("The alt text was saved."),
        "order": gettext("The new order was saved."),
    }[done]
