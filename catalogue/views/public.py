"""Public HTML pages: home, museum, object, and the stored original images (of those open for reuse)."""

import re

from flask import Blueprint, current_app, make_response, redirect, render_template, request, send_file, url_for
from markupsafe import Markup

from catalogue import reference
from catalogue.errors import CatalogueError, Forbidden, NotFound
from catalogue.extensions import service
from catalogue.i18n import (
    COOKIE,
    COOKIE_MAX_AGE,
    INTERFACE_LANGUAGES,
    LANGUAGE_NAMES,
    country_name,
    gettext,
    in_language,
    interface_language,
    lang_attr,
    page_in,
    page_path,
    site_root,
    sorted_by_name,
    visitor_languages,
)
from catalogue.messages import N_
from catalogue.records.langmap import pick, pick_with_language
from catalogue.search_params import counting_number
from catalogue.service import ImageFile
from catalogue.views import object_page as object_page_parts
from catalogue.views.auth import signed_in_actor
from catalogue.views.search import REGIONS

blueprint = Blueprint("public", __name__)
PAGE_SIZE = 48


@blueprint.app_context_processor
def helpers():
    return {
        "pick": lambda langmap, original=None: pick(langmap, visitor_languages(), original),
        "in_language": in_language,
        "title_of": lambda langmap, original=None: pick_with_language(langmap, visitor_languages(), original),
        "lang_attr": lang_attr,
        "languages": visitor_languages,
        "museum_name": museum_name,
        "interface_language": interface_language,
        "language_names": LANGUAGE_NAMES,
        "page_in": page_in,
        "region_label": lambda region: gettext(REGIONS[region]) if region in REGIONS else region,
        "has_endpoint": lambda name: name in current_app.view_functions,
        "switch_language_url": lambda code: url_for("public.choose_language", code=code, next=page_path()),
        "country_name": country_name,
        "rights_label": lambda uri: reference.rights_label(uri, interface_language()),
    }


def museum_name(code: str | None) -> str:
    """A museum named by its code, as the dashboard names it: its name in the page's language (then
    the visitor's others, then English), else the code; for the pages that hold only the code (the
    curator navigation, the people page)."""
    museum = service().museum_labels().get(code) if code else None
    return museum.name(visitor_languages()) if museum else code or ""


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()]+[^\s<>\"'().,;:!?]")


@blueprint.app_template_filter("linkify")
def linkify(text: str | None) -> Markup:
    """Plain text with its web addresses made links (the text itself escaped)."""
    if not text:
        return Markup("")
    out, last = [], 0
    for match in URL_IN_TEXT.finditer(text):
        out.append(Markup.escape(text[last : match.start()]))
        out.append(Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(match.group()))
        last = match.end()
    out.append(Markup.escape(text[last:]))
    return Markup("").join(out)


@blueprint.get("/")
def home():
    """The network introduced: figures, masterpieces, themes, and the museums by region and country."""
    counts = service().published_counts()
    museums = [m for m in service().museums() if m.status != "applicant"]
    languages = visitor_languages()
    regions: dict[str, dict[str, list]] = {}
    for museum in sorted(museums, key=lambda m: m.name(languages).casefold()):
        by_country = regions.setdefault(museum.region or "other", {})
        by_country.setdefault(museum.country or "", []).append(museum)
    ordered = {
        region: dict(sorted_by_name(by_country.items(), name=lambda item: country_name(item[0]) or "~"))
        for region, by_country in sorted(regions.items(), key=lambda item: REGION_ORDER.index(item[0]))
    }
    return public_page(
        render_template(
            "home.html",
            regions=ordered,
            counts=counts,
            featured=service().masterpieces(limit=12),
            themes=_published_themes(),
            total=sum(counts.values()),
            museum_count=len(museums),
            country_count=len({m.country for m in museums if m.country}),
        )
    )


HOME_THEMES = 6
REGION_ORDER = ["asia", "europe", "americas", "africa", "oceania", "other"]


def _published_themes() -> list:
    """The newest published themes, for the home page."""
    return service().themes()[:HOME_THEMES]


@blueprint.get("/language/<code>")
def choose_language(code):
    """The language switcher: remembers the choice in a cookie and shows the page in that language."""
    if code not in INTERFACE_LANGUAGES:
        raise NotFound(N_("The interface is not available in %(code)s."), code=repr(code[:10]))
    target = request.args.get("next") or "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = redirect(f"{site_root()}/{code}{target}")
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/museums")
def museums():
    """The museums are listed on the home page, by region and country (the menu links there)."""
    return redirect(url_for("public.home", _anchor="museums"), 301)


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
    context = object_page_parts.page_context(record, service().museum(record.museum))
    html = render_template("objects/show.html", **context)
    return public_page(html)


def public_page(html: str, max_age: int = 300):
    """A page of a published record: cacheable for a while (records change), per visitor language."""
    response = make_response(html)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Accept-Language")
    return response


@blueprint.get("/images/<image_id>/original")
def image_original(image_id):
    """The file as the museum uploaded it: anyone's, cached publicly, when the museum opened the
    image for reuse; else only its curators' and the secretariat's, sent privately. Only a refused
    request reads the session, so that the open originals stay cacheable by everyone."""
    try:
        return _send(service().image_file(image_id, "original"))
    except (Forbidden, NotFound) as refused:
        return _send_privately(_curators_original(image_id, refused))


def _curators_original(image_id: str, refused: CatalogueError) -> ImageFile:
    """The original for someone signed in who may change the record's museum; anyone else gets
    the public refusal, which says why the file is not theirs to have."""
    reader = signed_in_actor()
    if reader is None:
        raise refused
    try:
        return service().curated_image_file(reader, image_id, "original")
    except (Forbidden, NotFound):
        raise refused from None


@blueprint.get("/images/<image_id>/thumbnail")
def image_thumbnail(image_id):
    """A small JPEG for result cards, made at upload."""
    return _send(service().image_file(image_id, "thumbnail"))


def _send(image: ImageFile):
    return send_file(image.path, mimetype=image.mime, max_age=31536000, etag=image.etag, conditional=True)


def _send_privately(image: ImageFile):
    """A file only the signed-in reader may have: kept by no shared cache, nor by the browser."""
    response = send_file(image.path, mimetype=image.mime, etag=image.etag, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    response.vary.add("Cookie")
    return response
