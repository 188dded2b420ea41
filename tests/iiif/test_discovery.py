"""IIIF Change Discovery 1.0 at /iiif/discovery/activity: a harvester that walks back from ``last``
through ``prev`` learns every public change of a manifest once and in order, as Create, Update or
Delete; it learns nothing of drafts nor of who made a change; a second walk that stops at the
newest endTime it saw before finds only what happened since; and a page, once followed by another,
never changes."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from catalogue.cli import cli_actor
from catalogue.models import public_id
from catalogue.service import activity as activity_rules
from catalogue.service.activity import SETTLE, settled
from catalogue.store.activity import AuditStep
from tests.support import image_bytes, make_app, record_payload

PAGE_SIZE = 3
BASE = "http://catalogue.test"
STREAM = "/iiif/discovery/activity"
CONTEXT = "http://iiif.io/api/discovery/1/context.json"
PROFILE = f'application/ld+json;profile="{CONTEXT}"'
END_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
ACTOR = cli_actor()


@pytest.fixture
def app_settings():
    return {"DISCOVERY_PAGE_SIZE": PAGE_SIZE}


@pytest.fixture(scope="module")
def both_chapters(tmp_path_factory):
    """One catalogue (SQLite) through both chapters, for the tests that only read: (client, museum code)."""
    folder = tmp_path_factory.mktemp("discovery")
    app = make_app({"DATA_DIR": str(folder), "BASE_URL": BASE, "DISCOVERY_PAGE_SIZE": PAGE_SIZE})
    service = app.extensions["catalogue"]
    service.register_museum(ACTOR, {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"})
    tate = Museum(service, "tate")
    first_chapter(tate)
    second_chapter(tate)
    tate.save("NEVER", status="draft")
    tate.add_image("NEVER")
    yield app.test_client(), "tate"
    service.store.dispose()


# the catalogue's story ---------------------------------------------------------------------------
class Museum:
    """The museum's curators at work, through the service (as the API and the curator pages do)."""

    def __init__(self, service, code: str):
        self.service, self.code = service, code
        self.colour = 0

    def save(self, local_id: str, **fields) -> None:
        self.service.upsert(ACTOR, self.code, record_payload(local_id, **fields))

    def add_image(self, local_id: str) -> str:
        self.colour += 1
        data = image_bytes(color=(self.colour * 20 % 256, 40, 90))
        (image,) = self.service.add_images(ACTOR, self.code, local_id, [(data, f"{local_id}.jpg")])
        return image.id

    def set_status(self, local_id: str, status: str) -> None:
        self.service.change_status(ACTOR, self.code, local_id, status)

    def remove_image(self, local_id: str, image_id: str) -> None:
        self.service.remove_image(ACTOR, self.code, local_id, image_id)

    def manifest(self, local_id: str) -> str:
        return f"{BASE}/iiif/3/objects/{public_id(self.code, local_id)}/manifest"


def first_chapter(tate: Museum) -> list[tuple[str, str]]:
    """Create, update, withdraw, unpublish and republish, images added and removed, and drafts edited
    all along: the activities the public may learn of, oldest first."""
    tate.save("A")  # published, but without an image it has no manifest
    first = tate.add_image("A")
    tate.save("A", title="The Great Wave off Kanagawa")
    tate.save("DRAFT", status="draft")
    tate.add_image("DRAFT")
    tate.save("DRAFT", status="draft", title="Not ready yet")
    tate.save("C", status="draft")
    tate.add_image("C")
    tate.set_status("C", "published")
    tate.set_status("C", "withdrawn")
    tate.set_status("A", "draft")
    tate.save("A", status="draft", title="Edited while unpublished")
    tate.set_status("A", "published")
    second = tate.add_image("A")
    tate.remove_image("A", first)
    tate.remove_image("A", second)  # its last image: the manifest goes
    a, c = tate.manifest("A"), tate.manifest("C")
    return [
        ("Create", a),  # its first image
        ("Update", a),
        ("Create", c),  # a draft with an image, published
        ("Delete", c),  # withdrawn
        ("Delete", a),  # unpublished
        ("Create", a),  # published again
        ("Update", a),  # a second image
        ("Update", a),  # one of two images removed
        ("Delete", a),
    ]


def second_chapter(tate: Museum) -> list[tuple[str, str]]:
    tate.save("D")
    tate.add_image("D")
    tate.save("D", image_url="https://example.org/wave.jpg")  # queued to fetch: nothing to see yet
    tate.save("DRAFT", status="draft", title="Still not ready")
    tate.add_image("A")
    return [("Create", tate.manifest("D")), ("Create", tate.manifest("A"))]


# the harvester ---------------------------------------------------------------------------------
def path_of(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE) :]


def get_json(client, url: str, **headers) -> dict:
    response = client.get(path_of(url) if url.startswith(BASE) else url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True))
    return response.get_json(force=True)


def harvest(client, since: str | None = None) -> tuple[list[dict], list[dict]]:
    """The spec's page algorithm: from the last page back through ``prev``, newest activity first,
    stopping at one no newer than ``since``. Returns the activities oldest first, and every
    document read (the stream first)."""
    stream = get_json(client, STREAM)
    documents, newest_first = [stream], []
    url = stream["last"]["id"]
    while url:
        page = get_json(client, url)
        documents.append(page)
        for activity in reversed(page["orderedItems"]):
            if activity["type"] == "Refresh":  # §3.5.2; only an empty stream lists one, with nothing before it
                return newest_first[::-1], documents
            if since is not None and activity["endTime"] <= since:
                return newest_first[::-1], documents
            newest_first.append(activity)
        url = page.get("prev", {}).get("id")
    return newest_first[::-1], documents


def told(activities: list[dict]) -> list[tuple[str, str]]:
    return [(activity["type"], activity["object"]["id"]) for activity in activities]


# the walk --------------------------------------------------------------------------------------
@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
def test_a_harvester_walking_back_from_last_learns_each_public_change_once_in_order(
    client, service, museum, database_kind
):
    tate = Museum(service, museum.code)
    story = first_chapter(tate)

    activities, documents = harvest(client)
    assert told(activities) == story
    assert documents[0]["totalItems"] == len(story)
    assert len(documents) == 1 + len(story) // PAGE_SIZE  # the stream, then every page once

    more = second_chapter(tate)
    newer, _ = harvest(client, since=activities[-1]["endTime"])
    assert told(newer) == more
    everything, _ = harvest(client)
    assert told(everything) == story + more


def test_every_document_has_the_shape_the_specification_gives(both_chapters):
    client, museum = both_chapters
    activities, documents = harvest(client)
    stream, pages = documents[0], documents[:0:-1]  # pages oldest first

    assert list(stream) == ["@context", "id", "type", "totalItems", "first", "last"]
    assert (stream["@context"], stream["id"], stream["type"]) == (CONTEXT, BASE + STREAM, "OrderedCollection")
    assert stream["first"] == {"id": f"{BASE}{STREAM}/page/0", "type": "OrderedCollectionPage"}
    assert stream["last"] == {"id": pages[-1]["id"], "type": "OrderedCollectionPage"}
    for number, page in enumerate(pages):
        assert next(iter(page)) == "@context" and page["@context"] == CONTEXT
        assert (page["id"], page["type"]) == (f"{BASE}{STREAM}/page/{number}", "OrderedCollectionPage")
        assert page["partOf"] == {"id": BASE + STREAM, "type": "OrderedCollection"}
        assert page["startIndex"] == number * PAGE_SIZE
        assert ("prev" in page) == (number > 0) and ("next" in page) == (number < len(pages) - 1)
        assert 1 <= len(page["orderedItems"]) <= PAGE_SIZE
    times = [activity["endTime"] for activity in activities]
    assert all(END_TIME.fullmatch(time) for time in times)
    assert times == sorted(set(times))  # strictly rising: a harvester may stop at the last it saw
    for position, activity in enumerate(activities):
        assert activity["id"] == f"{BASE}{STREAM}/item/{position}"
        assert get_json(client, activity["id"]) == {"@context": CONTEXT, **activity}
        assert activity["type"] in ("Create", "Update", "Delete")
        assert activity["object"]["type"] == "Manifest"
        assert activity["object"]["canonical"].startswith(f"{BASE}/objects/")
        assert activity["actor"] == {"id": f"{BASE}/museums/{museum}", "type": "Organization"}
        assert ("seeAlso" in activity["object"]) == (activity["type"] != "Delete")


def test_the_objects_of_the_newest_activities_are_the_manifests_as_they_are_now(both_chapters):
    client, _museum = both_chapters
    activities, _ = harvest(client)
    newest = {activity["object"]["id"]: activity for activity in activities}
    for manifest, activity in newest.items():
        status = client.get(path_of(manifest)).status_code
        assert (status == 200) == (activity["type"] != "Delete"), (manifest, activity["type"], status)
        for described in activity["object"].get("seeAlso", []):
            assert client.get(path_of(described["id"])).status_code == 200


def test_no_draft_and_no_curator_is_named_anywhere(both_chapters):
    client, museum = both_chapters
    _, documents = harvest(client)
    text = " ".join(
        client.get(url).get_data(as_text=True) for url in [STREAM, *(path_of(doc["id"]) for doc in documents[1:])]
    )
    for draft in ("DRAFT", "NEVER"):
        assert public_id(museum, draft) not in text
    assert ACTOR.name not in text and "Person" not in text


# pages that never change, and HTTP -----------------------------------------------------------------
def test_a_page_followed_by_another_never_changes_and_the_last_only_grows(client, service, museum):
    tate = Museum(service, museum.code)
    first_chapter(tate)  # nine activities: three full pages
    before = [get_json(client, f"{STREAM}/page/{n}") for n in range(3)]
    second_chapter(tate)
    after = [get_json(client, f"{STREAM}/page/{n}") for n in range(4)]

    assert after[:2] == before[:2]
    assert after[2] == {**before[2], "next": {"id": f"{BASE}{STREAM}/page/3", "type": "OrderedCollectionPage"}}
    assert [activity["type"] for activity in after[3]["orderedItems"]] == ["Create", "Create"]


def test_full_pages_are_cached_long_the_last_briefly_and_any_origin_may_read_them(client, service, museum):
    tate = Museum(service, museum.code)
    tate.save("A")
    for _ in range(PAGE_SIZE + 1):
        tate.add_image("A")  # a Create, then Updates: two pages
    full, last, stream = (client.get(f"{STREAM}/page/0"), client.get(f"{STREAM}/page/1"), client.get(STREAM))

    assert full.headers["Cache-Control"] == "public, max-age=86400"
    assert last.headers["Cache-Control"] == stream.headers["Cache-Control"] == "public, max-age=60"
    for response in (full, last, stream):
        assert response.headers["Content-Type"] == PROFILE
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Accept" in response.headers["Vary"]
    with_fallback = client.get(STREAM, headers={"Accept": f"{PROFILE};q=0.9, application/json;q=0.5"})
    assert with_fallback.headers["Content-Type"] == PROFILE  # the profile's parameter still names JSON-LD
    plain = client.get(STREAM, headers={"Accept": "application/json"})
    assert plain.headers["Content-Type"] == "application/json" and plain.get_json() == stream.get_json()
    again = client.get(f"{STREAM}/page/0", headers={"If-None-Match": full.headers["ETag"]})
    assert again.status_code == 304


def test_json_ld_and_plain_json_pages_each_revalidate_by_their_own_etag(client, service, museum):
    Museum(service, museum.code).save("A")
    Museum(service, museum.code).add_image("A")
    for path in (STREAM, f"{STREAM}/page/0", f"{STREAM}/item/0"):
        json_ld, plain = client.get(path), client.get(path, headers={"Accept": "application/json"})
        assert json_ld.data == plain.data and json_ld.headers["ETag"] != plain.headers["ETag"], path
        asks_plain = {"Accept": "application/json"}
        assert client.get(path, headers={**asks_plain, "If-None-Match": json_ld.headers["ETag"]}).status_code == 200
        mine = client.get(path, headers={**asks_plain, "If-None-Match": plain.headers["ETag"]})
        assert mine.status_code == 304 and "Accept" in mine.headers["Vary"], path
        assert client.get(path, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 200, path


def test_an_empty_catalogue_lists_one_refresh_which_the_first_change_replaces(client, service, museum):
    """Every page holds at least one activity (Change Discovery 1.0 §3.2), an empty stream too."""
    stream = get_json(client, STREAM)
    page_0 = {"id": f"{BASE}{STREAM}/page/0", "type": "OrderedCollectionPage"}
    assert (stream["totalItems"], stream["first"], stream["last"]) == (1, page_0, page_0)
    page = get_json(client, f"{STREAM}/page/0")
    assert page["orderedItems"] == [{"type": "Refresh"}] and "prev" not in page and "next" not in page
    assert harvest(client)[0] == []  # a first harvest stops at the Refresh, having learnt of nothing

    tate = Museum(service, museum.code)
    tate.save("A")
    tate.add_image("A")
    assert get_json(client, STREAM)["totalItems"] == 1
    assert told(get_json(client, f"{STREAM}/page/0")["orderedItems"]) == [("Create", tate.manifest("A"))]


def test_pages_and_activities_that_do_not_exist_are_404_in_json(client):
    for path in ("page/1", "page/01", "page/-1", "page/x", "page/1.0", "page/" + "9" * 30, "item/0", "item/00"):
        response = client.get(f"{STREAM}/{path}")
        assert (response.status_code, response.get_json()["status"]) == (404, 404), path
        assert response.headers["Cache-Control"] == "no-cache", path  # the next page will exist
        assert response.headers["Access-Control-Allow-Origin"] == "*", path


# the replay ------------------------------------------------------------------------------------
def test_each_read_replays_only_the_entries_written_since_the_last(client, service, museum):
    tate = Museum(service, museum.code)
    service.catch_up_activities()  # the museum's registration
    tate.save("A")
    tate.add_image("A")
    assert service.catch_up_activities() == 2  # the creation and the image
    assert service.catch_up_activities() == 0
    tate.save("A", title="Renamed")
    assert service.catch_up_activities() == 1
    assert get_json(client, STREAM)["totalItems"] == 2


@pytest.mark.parametrize("database_kind", ["postgresql"])
def test_replays_running_at_once_take_turns_and_number_each_activity_once(service, museum, database_kind, monkeypatch):
    monkeypatch.setattr(activity_rules, "BATCH", 1)  # one entry per transaction: the replays interleave
    story = first_chapter(Museum(service, museum.code))
    with ThreadPoolExecutor(4) as pool:
        replayed = list(pool.map(lambda _: service.catch_up_activities(), range(4)))

    progress, activities = service.store.activities(0, 100)
    assert [(found.position, found.type) for found in activities] == list(enumerate(kind for kind, _ in story))
    assert sum(replayed) == progress.audit_id  # every entry read once, by one of them


def step(entry_id: int, at: datetime) -> AuditStep:
    return AuditStep(entry_id, at, "tate", "rec", "update", entry_id, "published", 0)


def test_a_missing_audit_id_holds_the_replay_while_it_may_still_commit():
    """PostgreSQL hands out ids before commit: entry 3 may be in flight while 4 is committed."""
    noon = datetime(2024, 5, 1, 12, tzinfo=UTC)
    steps = [step(1, noon), step(2, noon), step(4, noon)]
    assert [s.id for s in settled(steps, 0, noon + timedelta(seconds=1))] == [1, 2]
    assert [s.id for s in settled(steps, 0, noon + SETTLE)] == [1, 2, 4]  # rolled back, long ago
    assert settled([step(9, noon)], 7, noon) == []
