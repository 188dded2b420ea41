"""IIIF Change Discovery 1.0 documents built from the activity stream: pure functions, no Flask, no
database.

Everything a document says is fixed by the activity's stored row (its position, record id, museum
code, type and time), never by the record as it is now, so a full page reads the same for good.
The object is the record's manifest; Create and Update add the record's JSON as ``seeAlso`` (the
description a harvester indexes) and every activity names its object page as ``canonical``. The
actor is the record's museum, as an Organization: never the curator who made the change."""

from datetime import UTC

from catalogue.service.activity import DELETE, ActivityPage, ActivityStream
from catalogue.store.activity import Activity
from iiif.presentation import Links

CONTEXT = "http://iiif.io/api/discovery/1/context.json"
# What an empty stream lists. The specification asks for at least one page ("Content providers MUST
# publish at least one Ordered Collection Page", §3.2; the stream's `last` is required, §3.1) and
# for at least one activity on every page (`orderedItems` "MUST be an array, with at least one
# item"), so an empty page is not conformant. With no change to report, the one activity that says
# nothing false is a Refresh (§2.1.5): what follows it is the state of every resource, here none,
# so a first harvest stops at it and a later one would read on only for Deletes (there are none).
# It has no time: any we gave could be later than the first real activity's endTime (the replay may
# publish an activity up to SETTLE after it happened), and a harvester that keeps the newest time
# it saw would then skip that activity. It has no id (it has no position in the stream), and the
# first real activity takes its place: the last page may change, and activities may leave a stream
# (§2.1.4).
REFRESH = {"type": "Refresh"}


def stream_url(links: Links) -> str:
    return f"{links.base}/iiif/discovery/activity"


def page_url(links: Links, number: int) -> str:
    return f"{stream_url(links)}/page/{number}"


def activity_url(links: Links, position: int) -> str:
    return f"{stream_url(links)}/item/{position}"


def stream_document(stream: ActivityStream, links: Links) -> dict:
    """The OrderedCollection: how many activities, and the first and last pages."""
    return {
        "@context": CONTEXT,
        "id": stream_url(links),
        "type": "OrderedCollection",
        "totalItems": listed(stream),
        "first": _page_ref(links, 0),
        "last": _page_ref(links, stream.last_page),
    }


def page_document(page: ActivityPage, links: Links) -> dict:
    """One OrderedCollectionPage: its activities oldest first, linked to the pages around it."""
    document: dict = {
        "@context": CONTEXT,
        "id": page_url(links, page.number),
        "type": "OrderedCollectionPage",
        "partOf": {"id": stream_url(links), "type": "OrderedCollection"},
        "startIndex": page.stream.start_of(page.number),
    }
    if page.number > 0:
        document["prev"] = _page_ref(links, page.number - 1)
    if not page.is_last:
        document["next"] = _page_ref(links, page.number + 1)
    document["orderedItems"] = [activity_json(activity, links) for activity in page.activities] or [REFRESH]
    return document


def listed(stream: ActivityStream) -> int:
    """How many activities the pages list: the Refresh of an empty stream counts (see REFRESH)."""
    return max(stream.total, 1)


def activity_document(activity: Activity, links: Links) -> dict:
    """One activity on its own, at its id."""
    return {"@context": CONTEXT, **activity_json(activity, links)}


def activity_json(activity: Activity, links: Links) -> dict:
    """An activity as a page lists it."""
    found: dict = {
        "id": activity_url(links, activity.position),
        "type": activity.type,
        "object": _object(activity, links),
        "endTime": end_time(activity),
    }
    if activity.museum:
        found["actor"] = {"id": links.museum_page(activity.museum), "type": "Organization"}
    return found


def end_time(activity: Activity) -> str:
    """xsd:dateTime in UTC with a Z, to the microsecond (the stream's times rise strictly)."""
    return activity.end_time.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _object(activity: Activity, links: Links) -> dict:
    found: dict = {
        "id": links.manifest(activity.record_id),
        "type": "Manifest",
        "canonical": links.object_page(activity.record_id),
    }
    if activity.type != DELETE:  # a deleted manifest's record is no longer described either
        found["seeAlso"] = [
            {"id": links.record_json(activity.record_id), "type": "Dataset", "format": "application/json"}
        ]
    return found


def _page_ref(links: Links, number: int) -> dict:
    return {"id": page_url(links, number), "type": "OrderedCollectionPage"}
