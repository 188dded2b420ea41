"""Public HTML pages: home, museum, object, and the stored original images."""

from flask import Blueprint, make_response, render_template, request, send_file

from catalogue import reference
from catalogue.extensions import service
from catalogue.i18n import visitor_languages
from catalogue.records.langmap import pick
from catalogue.search_params import counting_number
from catalogue.service import ImageFile

blueprint = Blueprint("public", __name__)
PAGE_SIZE = 48


@blueprint.app_context_processor
def helpers():
    return {
        "pick": lambda langmap: pick(langmap, visitor_languages()),
        "languages": visitor_languages,
        "country_name": lambda code: reference.countries().get(code or "", {}).get("name", code),
        "rights_label": lambda uri: reference.rights_statements().get(uri or "", {}).get("label", uri),
    }


@blueprint.get("/")
def home():
    counts = service().published_counts()
    museums = [m for m in service().museums() if m.status != "applicant"]
    by_region: dict[str, list] = {}
    for museum in museums:
        by_region.setdefault(museum.region or "other", []).append(museum)
    return render_template(
        "home.html",
        museums_by_region=by_region,
        counts=counts,
        featured=service().masterpieces(limit=12),
        total=sum(counts.values()),
    )


@blueprint.get("/museums/<code>")
def museum_page(code):
    page = counting_number(request.args.get("page"), "page") or 1
    found = service().museum_page(code, page, PAGE_SIZE)
    return render_template(
        "museums/show.html",
        museum=found.museum,
        records=found.records,
        page=found.page,
        total=found.total,
        pages=found.pages,
    )


@blueprint.get("/objects/<record_id>")
def object_page(record_id):
    record = service().record(record_id)
    return public_page(render_template("objects/show.html", record=record, museum=service().museum(record.museum)))


def public_page(html: str, max_age: int = 300):
    """A page of a published record: cacheable for a while (records change), per visitor language."""
    response = make_response(html)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Accept-Language")
    return response


@blueprint.get("/images/<image_id>/original")
def image_original(image_id):
    return _send(service().image_file(image_id, "original"))


@blueprint.get("/images/<image_id>/thumbnail")
def image_thumbnail(image_id):
    """A small JPEG for result cards, made at upload."""
    return _send(service().image_file(image_id, "thumbnail"))


def _send(image: ImageFile):
    return send_file(image.path, mimetype=image.mime, max_age=31536000, etag=image.etag, conditional=True)


def allow_cross_origin_reads(response):
    """Other portals may read our public data: CORS for GET on the API and on images. Private
    answers (a curator's view of a draft) stay with the curator's own origin."""
    public_path = request.path.startswith("/api/") or request.path.startswith("/images/")
    if request.method in ("GET", "HEAD") and public_path and not response.cache_control.private:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Vary", "Accept-Language")
    return response
