"""Cross-origin reads (CORS), in one place: other portals and IIIF viewers may read our public data.

Any origin may read GET and HEAD answers on the paths of public data (the API, the images, IIIF,
oEmbed), errors included, so a viewer elsewhere sees our 404 or 400 and its message rather than a
bare network error. Answers private to a signed-in curator (a draft) stay with our own origin.

A browser asks first (a preflight OPTIONS) when a read carries more than the simple headers: the
IIIF Accept profile (`application/ld+json;profile="..."`), If-None-Match, Authorization. The
preflight is answered for reads only: writes through the API stay same-origin.
"""

from flask import Flask, Response, current_app, request

from catalogue.i18n import speaks_a_language

CROSS_ORIGIN_PATHS = ("/api/", "/images/", "/iiif/", "/oembed")
READS = ("GET", "HEAD")
# the request headers a reader may send: content negotiation, revalidation, byte ranges, a token
ALLOWED_HEADERS = "Accept, Accept-Language, Authorization, Cache-Control, If-Modified-Since, If-None-Match, Range"
# beyond the headers a browser shows scripts anyway: the ETag to revalidate with, IIIF's canonical Link
EXPOSED_HEADERS = "ETag, Link"
PREFLIGHT_MAX_AGE = 86400


def answer_preflight() -> Response | None:
    """The answer to a browser's preflight for a read of public data (before any view runs)."""
    if request.method != "OPTIONS" or request.headers.get("Access-Control-Request-Method") not in READS:
        return None
    if not request.path.startswith(CROSS_ORIGIN_PATHS) or request.routing_exception is not None:
        return None
    response = current_app.make_default_options_response()
    response.status_code = 204
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ", ".join((*READS, "OPTIONS"))
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def allow_cross_origin_reads(response: Response) -> Response:
    """Every public read answer on those paths says that any origin may read it."""
    public_path = request.path.startswith(CROSS_ORIGIN_PATHS)
    if request.method in READS and public_path and not response.cache_control.private:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if speaks_a_language(response):  # an error's message is in the visitor's language
            response.headers.setdefault("Vary", "Accept-Language")
    return response


def init_app(app: Flask) -> None:
    app.before_request(answer_preflight)
    app.after_request(allow_cross_origin_reads)
