"""IIIF Change Discovery 1.0 over HTTP: the activity stream at /iiif/discovery/activity, its pages at
/page/<n> (from 0, oldest first, DISCOVERY_PAGE_SIZE activities each) and each activity at
/item/<n>. A harvester reads ``last`` and walks back through ``prev``.

Every page but the last holds the same activities for good, so caches keep it for a day; the stream
and its last page change as the catalogue does, so they are kept for a minute. JSON-LD with the
Discovery profile unless the client asks for plain JSON; readable by any origin (catalogue/views/cors.py)."""

import re

from flask import Blueprint, current_app

from catalogue.errors import NotFound
from catalogue.extensions import service
from iiif.discovery import CONTEXT, activity_document, page_document, stream_document
from iiif.negotiation import negotiated_json
from iiif.presentation import Links
from iiif.presentation_views import errors_revalidate

blueprint = Blueprint("iiif_discovery", __name__, url_prefix="/iiif/discovery")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
FIXED = "public, max-age=86400"  # a full page, or one activity: never changes
GROWING = "public, max-age=60"  # the stream and its last page: new activities arrive
_NUMBER = re.compile(r"0|[1-9][0-9]{0,8}")  # a page or position as we write them: no sign, no leading zero
blueprint.after_request(errors_revalidate)  # the next page is a 404 until it exists


def links() -> Links:
    return Links(current_app.config["BASE_URL"])


def page_size() -> int:
    """DISCOVERY_PAGE_SIZE, kept between 1 and MAX_PAGE_SIZE. Changing it re-cuts every page:
    harvesters then meet pages they cached under the same URLs with other activities."""
    try:
        size = int(current_app.config.get("DISCOVERY_PAGE_SIZE", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


@blueprint.get("/activity")
def activity_stream():
    return discovery_json(stream_document(service().activity_stream(page_size()), links()), GROWING)


@blueprint.get("/activity/page/<number>")
def activity_page(number: str):
    page = service().activity_page(_number(number, "page"), page_size())
    return discovery_json(page_document(page, links()), GROWING if page.is_last else FIXED)


@blueprint.get("/activity/item/<position>")
def activity(position: str):
    found = service().activity(_number(position, "activity"))
    return discovery_json(activity_document(found, links()), FIXED)


def _number(text: str, what: str) -> int:
    """A page or position exactly as the documents write it; any other spelling is not found, so
    each page has one URL (and no huge number reaches the database)."""
    if not _NUMBER.fullmatch(text):
        raise NotFound(f"There is no {what} {text[:40]!r}.")
    return int(text)


def discovery_json(document: dict, cache_control: str):
    """JSON-LD with the Discovery context as its profile (what the specification asks for when the
    client states no preference), or plain JSON for clients that ask for only that; revalidated by
    each representation's ETag, readable by any origin (catalogue/views/cors.py)."""
    return negotiated_json(document, CONTEXT, cache_control)
