"""Ways to look at an object's images beyond its page: Mirador and the Universal Viewer over our IIIF
manifest, an embeddable viewer other sites may frame, and oEmbed so that those sites can find it.
Every page loads the viewers' offline bundles from our own static folder (scripts/viewers)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, render_template, request
from markupsafe import escape

from catalogue.errors import CatalogueError, Gone, NotFound, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import N_, gettext, visitor_languages
from catalogue.models import ObjectRecord, StoredImage
from catalogue.search_params import counting_number
from catalogue.views import urls
from catalogue.views.public import public_page
from catalogue.views.security import embeddable, relaxed_policy
from iiif.sizes import THUMBNAIL_BOX, derivative_sizes

blueprint = Blueprint("viewers", __name__)
MAX_AGE = 300  # records change, so pages and oEmbed answers are cached for a while only
FRAME = (800, 600)  # the embed frame's size, unless the consumer asks for less
PHOTO_BOX = 800  # an oEmbed photo fits this box unless the consumer asks for less


class FormatNotImplemented(CatalogueError):
    """oEmbed asks for a 501 when the format is one the provider does not offer (we offer JSON)."""

    status = 501


@dataclass(frozen=True)
class WebImage:
    """One image as pages show it: fixed-size derivatives (file reads) for ``srcset``, the thumbnail,
    and the info.json deep zoom reads its tiles from. Never the original."""

    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    largest: str
    thumbnail: str
    thumbnail_width: int
    thumbnail_height: int
    tile_source: str


def web_image(image: StoredImage) -> WebImage:
    sizes = derivative_sizes(image.width, image.height)
    shown = sizes[min(1, len(sizes) - 1)]  # the 800 box: about what a page column shows
    return WebImage(
        src=urls.image_size_url(image.id, *shown),
        srcset=", ".join(f"{urls.image_size_url(image.id, w, h)} {w}w" for w, h in sizes),
        sizes=f"(max-width: {shown[0] + 64}px) calc(100vw - 4rem), {shown[0]}px",  # never wider than made
        width=shown[0],
        height=shown[1],
        largest=urls.image_size_url(image.id, *sizes[-1]),
        thumbnail=urls.thumbnail_url(image.id),
        thumbnail_width=sizes[0][0],
        thumbnail_height=sizes[0][1],
        tile_source=f"{urls.image_service_url(image.id)}/info.json",
    )


def embed_html(record: ObjectRecord, width: int = FRAME[0], height: int = FRAME[1]) -> str:
    """The <iframe> other sites paste (shown on the object page, and oEmbed's ``html``)."""
    title = escape(record.title(visitor_languages()))
    return (
        f'<iframe src="{escape(urls.embed_url(record.id))}" width="{width}" height="{height}" title="{title}" '
        'allowfullscreen loading="lazy"></iframe>'
    )


@blueprint.app_context_processor
def viewer_helpers():
    return {
        "web_image": web_image,
        "embed_html": embed_html,
        "oembed_url": urls.oembed_url,
        "manifest_url": urls.manifest_url,
        "drag_and_drop_url": urls.drag_and_drop_url,
    }


# Mirador 4 is built on MUI, whose styles are <style> elements made at run time (emotion): without
# 'unsafe-inline' styles it draws an unstyled list of buttons. It needs nothing else (no eval, no workers).
@blueprint.get("/objects/<record_id>/mirador")
@relaxed_policy(style_src="'self' 'unsafe-inline'")
def mirador(record_id):
    return _viewer_page("viewers/mirador.html", record_id)


# The Universal Viewer writes style attributes into the markup it builds and sizes its panels with
# them: without 'unsafe-inline' styles its panels collapse. It needs nothing else (no eval, no workers).
@blueprint.get("/objects/<record_id>/uv")
@relaxed_policy(style_src="'self' 'unsafe-inline'")
def universal_viewer(record_id):
    return _viewer_page("viewers/uv.html", record_id)


@blueprint.get("/embed/<record_id>")
@embeddable
def embed(record_id):
    """The object's first image in deep zoom with its title and rights, for other sites' iframes."""
    return _viewer_page("viewers/embed.html", record_id)


def _viewer_page(template: str, record_id: str):
    record = _with_images(service().record(record_id))
    return public_page(render_template(template, record=record, museum=service().museum(record.museum)), MAX_AGE)


def _with_images(record: ObjectRecord) -> ObjectRecord:
    if not record.images:
        raise NotFound(N_("This object has no images to view."))
    return record


@blueprint.get("/oembed")
def oembed():
    """oEmbed 1.0 for object pages: ``rich`` (the embed iframe) by default, ``photo`` (a fixed-size
    derivative) with ``type=photo``; both within ``maxwidth`` and ``maxheight``."""
    if request.args.get("format", "json") != "json":
        raise FormatNotImplemented(N_("Only format=json is offered."))
    kind = request.args.get("type", "rich")
    if kind not in ("rich", "photo"):
        raise ValidationFailed(N_("type must be rich or photo."))
    max_width = counting_number(request.args.get("maxwidth"), "maxwidth", 6)
    max_height = counting_number(request.args.get("maxheight"), "maxheight", 6)
    record = _public_record(_record_id_in(request.args.get("url", "")))
    image = _with_images(record).images[0]
    answer = {
        "version": "1.0",
        "type": kind,
        "title": record.title(visitor_languages()),
        "provider_name": gettext("Virtual Collection of Masterpieces"),
        "provider_url": f"{urls.base_url()}/",
        "cache_age": MAX_AGE,
    }
    makers = record.body.get("makers") or []
    if makers and makers[0].get("name"):
        answer["author_name"] = makers[0]["name"]
    answer |= _photo(image, max_width, max_height) if kind == "photo" else _rich(record, max_width, max_height)
    answer |= _thumbnail(image, max_width, max_height)
    response = jsonify(answer)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Accept-Language")
    return response


def _rich(record: ObjectRecord, max_width: int | None, max_height: int | None) -> dict:
    width, height = min(FRAME[0], max_width or FRAME[0]), min(FRAME[1], max_height or FRAME[1])
    return {"html": embed_html(record, width, height), "width": width, "height": height}


def _photo(image: StoredImage, max_width: int | None, max_height: int | None) -> dict:
    width, height = photo_size(image, max_width or PHOTO_BOX, max_height or PHOTO_BOX)
    return {"url": urls.image_size_url(image.id, width, height), "width": width, "height": height}


def _thumbnail(image: StoredImage, max_width: int | None, max_height: int | None) -> dict:
    """oEmbed's thumbnail must respect maxwidth and maxheight too."""
    box = (min(THUMBNAIL_BOX, max_width or THUMBNAIL_BOX), min(THUMBNAIL_BOX, max_height or THUMBNAIL_BOX))
    width, height = photo_size(image, *box)
    return {
        "thumbnail_url": urls.image_size_url(image.id, width, height),
        "thumbnail_width": width,
        "thumbnail_height": height,
    }


def photo_size(image: StoredImage, max_width: int, max_height: int) -> tuple[int, int]:
    """The largest fixed size within the bounds (a file read); when even the smallest is too large,
    the image scaled to fit them (the Image API makes that once, then caches it)."""
    fitting = [(w, h) for w, h in derivative_sizes(image.width, image.height) if w <= max_width and h <= max_height]
    if fitting:
        return fitting[-1]
    scale = min(max_width / image.width, max_height / image.height)
    return max(1, int(image.width * scale)), max(1, int(image.height * scale))


def _record_id_in(url: str) -> str:
    """The id in one of our object page URLs (BASE_URL/objects/<id>, http or https); else a 400."""
    base = urlsplit(urls.base_url())
    try:
        asked = urlsplit(url)
    except ValueError:  # e.g. "http://[": not a URL at all
        asked = urlsplit("")
    prefix = f"{base.path.rstrip('/')}/objects/"
    record_id = asked.path[len(prefix) :].rstrip("/") if asked.path.startswith(prefix) else ""
    ours = asked.scheme in ("http", "https") and asked.netloc.lower() == base.netloc.lower()
    if not (ours and record_id.isascii() and record_id.isalnum()):  # public ids are base32
        raise ValidationFailed(N_("url must be the address of an object page of this catalogue."))
    return record_id


def _public_record(record_id: str) -> ObjectRecord:
    """oEmbed knows only found or not: a withdrawn record is as unknown as a draft (404)."""
    try:
        return service().record(record_id)
    except Gone:
        raise NotFound(N_("No object with this address.")) from None
