"""Public HTML pages: home, museum, object, and the stored original images."""
from flask import Blueprint, abort, render_template, request, send_file

from catalogue import reference
from catalogue.errors import NotFound
from catalogue.extensions import service
from catalogue.i18n import visitor_languages
from catalogue.images import ALLOWED
from catalogue.records.langmap import pick

blueprint = Blueprint("public", __name__)
PAGE_SIZE = 48


@blueprint.app_context_processor
def helpers():
    return {"pick": lambda langmap: pick(langmap, visitor_languages()), "languages": visitor_languages,
            "country_name": lambda code: reference.countries().get(code or "", {}).get("name", code),
            "rights_label": lambda uri: reference.rights_statements().get(uri or "", {}).get("label", uri)}


@blueprint.get("/")
def home():
    store = service().store
    counts = store.record_counts()
    museums = [m for m in store.list_museums() if m.status != "applicant"]
    by_region: dict[str, list] = {}
    for museum in museums:
        by_region.setdefault(museum.region or "other", []).append(museum)
    featured = store.list_records(masterpiece=True, limit=12)
    return render_template("home.html", museums_by_region=by_region, counts=counts, featured=featured,
                           total=sum(counts.values()))


@blueprint.get("/museums/<code>")
def museum_page(code):
    museum = service().museum(code)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    records = service().store.list_records(museum=code, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = service().store.count_records(code)
    return render_template("museums/show.html", museum=museum, records=records, page=page, total=total,
                           pages=max(1, -(-total // PAGE_SIZE)))


@blueprint.get("/objects/<record_id>")
def object_page(record_id):
    record = service().record(record_id)
    if record.status != "published":
        raise NotFound("This object is not in the public catalogue.")
    return render_template("objects/show.html", record=record, museum=service().museum(record.museum))


@blueprint.get("/images/<image_id>/original")
def image_original(image_id):
    image = service().store.image_by_id(image_id)
    if image is None:
        abort(404)
    extension, mime = ALLOWED[image.format]
    path = service().media.original_path(image.sha256, extension)
    return send_file(path, mimetype=mime, max_age=31536000, etag=image.sha256)


@blueprint.get("/images/<image_id>/thumbnail")
def image_thumbnail(image_id):
    """A small JPEG for result cards, made once from the original and kept beside it."""
    image = service().store.image_by_id(image_id)
    if image is None:
        abort(404)
    path = service().media.thumbnail(image.sha256, ALLOWED[image.format][0])
    return send_file(path, mimetype="image/jpeg", max_age=31536000, etag=f"{image.sha256}-thumb")


def allow_cross_origin_reads(response):
    """Other portals may read our public data: CORS for GET on the API and on images."""
    if request.method in ("GET", "HEAD") and (request.path.startswith("/api/") or request.path.startswith("/images/")):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Vary", "Accept-Language")
    return response
