"""HTTP for the IIIF Image API 3.0 under /iiif/3/: the base URL redirect, info.json and image requests,
answered from the pyramid that the app's locator names for an identifier."""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, redirect, request, send_file
from werkzeug.sansio.http import is_resource_modified
from werkzeug.wrappers import Response as HTTPResponse

from iiif.image_info import PROFILE_URI, image_info
from iiif.image_render import ImageRenderer, RenderedImage
from iiif.image_request import IIIFError, ImageLimits, parse_image_request
from iiif.negotiation import representation_etag
from iiif.pyramid_layout import PyramidMissing, TilePyramid

blueprint = Blueprint("iiif_image", __name__, url_prefix="/iiif/3")

LOCATOR = "iiif_images"  # app.extensions key of the app's locator
SERVICE = "iiif_image_service"  # app.extensions key of our limits and renderer
SETTINGS = {
    "IIIF_MAX_WIDTH": 10_000,
    "IIIF_MAX_HEIGHT": 10_000,
    "IIIF_MAX_AREA": 16_000_000,
    "IIIF_CACHE_BYTES": 128 * 1024 * 1024,
    "IIIF_RENDER_SLOTS": 2,
}
IMAGE_CACHE = "public, max-age=31536000, immutable"  # a canonical image URL never changes its bytes
INFO_CACHE = "public, max-age=3600"  # rights or limits may change
JSON_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
_IDENTIFIER = re.compile(r"[A-Za-z0-9._-]{1,100}")


@dataclass(frozen=True)
class ImageSource:
    """What the app tells us about an identifier: where its pyramid is and its rights URI."""

    pyramid_dir: Path
    rights: str | None = None


Locator = Callable[[str], ImageSource | None]


@dataclass(frozen=True)
class ImageService:
    limits: ImageLimits
    renderer: ImageRenderer


def init_app(app: Flask, locator: Locator) -> None:
    """Register the blueprint; ``locator(identifier)`` returns an ImageSource, or None for unknown or
    private images (both answer 404). Settings: see SETTINGS (a None limit means no limit)."""
    settings = {name: app.config.get(name, default) for name, default in SETTINGS.items()}
    limits = ImageLimits(settings["IIIF_MAX_WIDTH"], settings["IIIF_MAX_HEIGHT"], settings["IIIF_MAX_AREA"])
    renderer = ImageRenderer(cache_bytes=settings["IIIF_CACHE_BYTES"], render_slots=settings["IIIF_RENDER_SLOTS"])
    app.extensions[LOCATOR] = locator
    app.extensions[SERVICE] = ImageService(limits, renderer)
    app.register_blueprint(blueprint)


@blueprint.get("/<identifier>")
def base(identifier: str) -> HTTPResponse:
    _check_identifier(identifier)
    return redirect(f"{service_id(identifier)}/info.json", code=303)


@blueprint.get("/<identifier>/info.json")
def info(identifier: str) -> HTTPResponse:
    pyramid, source = _locate(identifier)
    document = image_info(pyramid.info, service_id(identifier), _service().limits, source.rights)
    body = json.dumps(document)
    media_type = _info_content_type()
    response = Response(body, mimetype=None, content_type=media_type)
    response.set_etag(representation_etag(body.encode(), media_type))  # JSON-LD and JSON: one ETag each
    response.headers["Vary"] = "Accept"
    return _public(response, INFO_CACHE).make_conditional(request)


@blueprint.get("/<identifier>/<region>/<size>/<rotation>/<quality_format>")
def image(identifier: str, region: str, size: str, rotation: str, quality_format: str) -> HTTPResponse:
    """An image, or a 304 decided before any pixel is read. The pixels of one pyramid are fixed from
    the moment it was built, so that moment is every answer's Last-Modified: clients and caches that
    revalidate by date (If-Modified-Since) get their 304 as those that send the ETag do. (A size the
    limits resolve, such as max, follows the limits of the moment; the ETag, which names the resolved
    size, sees a change of limits, a date does not.)"""
    _check_identifier(identifier)
    parsed = parse_image_request(region, size, rotation, quality_format)
    pyramid, _ = _locate(identifier)
    service = _service()
    resolved = parsed.resolve(pyramid.info.width, pyramid.info.height, service.limits)
    etag = f"{pyramid.info.build_id}-{hashlib.blake2s(resolved.key.encode(), digest_size=8).hexdigest()}"
    response: HTTPResponse
    # If-None-Match, when sent, decides alone, by weak comparison (RFC 9110 §13.1.2, §13.1.3). An
    # If-Match is left out: werkzeug reads one that fails as "not modified", an empty 304 for a
    # client that holds no copy
    if is_resource_modified(
        http_if_modified_since=request.headers.get("If-Modified-Since"),
        http_if_none_match=request.headers.get("If-None-Match"),
        etag=etag,
        last_modified=pyramid.built_at,
    ):
        response = _rendered(service.renderer.answer(pyramid, resolved))
    else:
        response = Response(status=304, mimetype=resolved.media_type)
    response.set_etag(etag)
    response.last_modified = pyramid.built_at
    response.headers["Link"] = (
        f'<{service_id(identifier)}/{resolved.canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
    )
    return _public(response, IMAGE_CACHE)


def _rendered(rendered: RenderedImage) -> HTTPResponse:
    """The answer's bytes: a stored file streamed as it is, or bytes computed now."""
    if rendered.path is not None:
        return send_file(rendered.path, mimetype=rendered.media_type, conditional=False, etag=False)
    return Response(rendered.data, mimetype=rendered.media_type)


@blueprint.errorhandler(IIIFError)
def iiif_error(error: IIIFError) -> HTTPResponse:
    body = {"status": error.status, "parameter": error.parameter, "message": error.message}
    response = current_app.response_class(json.dumps(body), status=error.status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"  # a missing image may be uploaded later
    return response


def service_id(identifier: str) -> str:
    """The image's base URL, as published in info.json and manifests."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/iiif/3/{identifier}"


def _check_identifier(identifier: str) -> None:
    """Our identifiers are file-name safe; anything else (a path, "..", odd characters) names no image."""
    if not _IDENTIFIER.fullmatch(identifier) or ".." in identifier:
        raise IIIFError(404, "identifier", "No image has this identifier.")


def _locate(identifier: str) -> tuple[TilePyramid, ImageSource]:
    _check_identifier(identifier)
    source = current_app.extensions[LOCATOR](identifier)
    if source is None:
        raise IIIFError(404, "identifier", f"No image {identifier!r}.")
    try:
        return TilePyramid.open(source.pyramid_dir), source
    except PyramidMissing:
        raise IIIFError(404, "identifier", f"The image {identifier!r} has no tiles yet.") from None


def _service() -> ImageService:
    return current_app.extensions[SERVICE]


def _info_content_type() -> str:
    """JSON-LD when asked for, or when nothing is asked (spec 5.1); plain JSON for everyone else."""
    if not request.headers.get("Accept"):
        return JSON_LD
    asked = {value.split(";")[0].strip(): quality for value, quality in request.accept_mimetypes}
    json_ld = asked.get("application/ld+json", 0)
    return JSON_LD if json_ld > 0 and json_ld >= asked.get("application/json", 0) else "application/json"


def _public(response: HTTPResponse, cache_control: str) -> HTTPResponse:
    """Cached by anyone (and readable by any origin: catalogue/views/cors.py)."""
    response.headers["Cache-Control"] = cache_control
    return response
