"""Curated themes, on SQLite and PostgreSQL: the secretariat (and only it) makes a theme, orders its
objects with a note each, chooses a cover and publishes it; everyone reads published themes with
their published objects. Every change is audited and bumps the revision; every change of what a
published theme holds queues the records affected for the index, in the same transaction."""

import pytest

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.models import PUBLIC, Actor
from catalogue.themes import MAX_OBJECTS, record_id_from_reference
from tests.support import image_bytes, record_payload

SECRETARIAT = Actor(name="Sam Secretariat", role="admin", user_id=1)
OUTSIDERS = [
    Actor(name="Cora Curator", role="curator", museum="tate"),
    Actor(name="Mia Museum-admin", role="museum_admin", museum="tate"),
    Actor(name="Odd admin of a museum", role="admin", museum="tate"),  # never made: admins have no museum
    PUBLIC,
]
TITLE = {"en": ["Self and Other"], "ja": ["自己と他者"]}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    return request.param


@pytest.fixture
def app_settings():
    """Nothing drains the outbox behind the tests' back: they look at it."""
    return {"INDEX_SYNC": False}


@pytest.fixture
def records(service, museum) -> dict[str, str]:
    """Four published records of Tate (two with an image), local id -> catalogue id."""
    ids = {}
    for local_id in ("P1", "P2", "P3", "P4"):
        ids[local_id] = service.upsert(
            cli_actor(), "tate", record_payload(local_id, title=f"Portrait {local_id}")
        ).record_id
    for local_id, color in (("P2", (10, 20, 30)), ("P3", (200, 10, 10))):
        service.add_images(cli_actor(), "tate", local_id, [(image_bytes(color=color), f"{local_id}.jpg")])
    return ids


def make_theme(service, slug="self-and-other", published=False, **fields):
    return service.create_theme(SECRETARIAT, {"slug": slug, "title": TITLE, "published": published, **fields})


def details(**changes) -> dict:
    return {"title": TITLE, "introduction": {}, "cover": None, "published": False, **changes}


def queued(service) -> list[str]:
    """The record ids waiting in the outbox, in order, and empty it."""
    entries = service.store.pending_outbox(limit=10_000)
    if entries:
        service.store.ack_outbox([entry["id"] for entry in entries])
    return [entry["record_id"] for entry in entries]


def actions(service) -> list[str]:
    return [entry["action"] for entry in service.audit_entries() if entry["action"].startswith("theme_")]


# making and reading -----------------------------------------------------------------------------
def test_a_theme_is_made_by_the_secretariat_and_shown_to_everyone_once_published(service, records):
    theme = make_theme(service, introduction={"en": ["Faces.\n\nAnd masks."]})
    assert (theme.slug, theme.title, theme.revision, theme.published) == ("self-and-other", TITLE, 1, False)
    assert theme.introduction == {"en": ["Faces.\n\nAnd masks."]}
    assert service.themes() == []
    with pytest.raises(NotFound):
        service.theme("self-and-other")
    assert [shown.theme.slug for shown in service.themes(SECRETARIAT)] == ["self-and-other"]

    introduction = {"en": ["Faces.\n\nAnd masks."]}
    assert service.update_theme(SECRETARIAT, "self-and-other", details(published=True, introduction=introduction))
    [shown] = service.themes()
    assert (shown.theme.published, shown.theme.revision, shown.count, shown.cover) == (True, 2, 0, None)
    assert service.theme("self-and-other").theme.title_in(["ja"]) == "自己と他者"
    assert service.theme_titles() == {"self-and-other": TITLE}
    assert actions(service) == ["theme_created", "theme_changed"]
    changed = service.audit_entries()[-1]
    assert changed["actor"] == "Sam Secretariat" and changed["revision"] == 2
    assert changed["changes"] == {"theme": "self-and-other", "published": [False, True]}


def test_saving_what_is_there_changes_nothing(service, records):
    make_theme(service)
    assert not service.update_theme(SECRETARIAT, "self-and-other", details())
    assert service.theme("self-and-other", SECRETARIAT).theme.revision == 1
    assert actions(service) == ["theme_created"]


@pytest.mark.parametrize("actor", OUTSIDERS, ids=lambda a: f"{a.role}-{a.museum}")
def test_only_the_secretariat_changes_themes(service, records, actor):
    make_theme(service, published=True)
    service.add_theme_object(SECRETARIAT, "self-and-other", records["P1"])
    writes = [
        lambda: service.create_theme(actor, {"slug": "other", "title": TITLE}),
        lambda: service.update_theme(actor, "self-and-other", details(published=False)),
        lambda: service.set_theme_objects(actor, "self-and-other", []),
        lambda: service.add_theme_object(actor, "self-and-other", records["P2"]),
        lambda: service.remove_theme_object(actor, "self-and-other", records["P1"]),
        lambda: service.move_theme_object(actor, "self-and-other", records["P1"], "down"),
        lambda: service.set_theme_note(actor, "self-and-other", records["P1"], {"en": ["Mine"]}),
        lambda: service.delete_theme(actor, "self-and-other"),
        lambda: service.import_theme(actor, {"slug": "other", "title": TITLE}),
        lambda: service.check_may_curate_themes(actor),
    ]
    for write in writes:
        with pytest.raises(Forbidden):
            write()
    shown = service.theme("self-and-other", SECRETARIAT)
    assert (shown.theme.revision, shown.theme.record_ids) == (2, [records["P1"]])
    assert [s.theme.slug for s in service.themes(actor)] == ["self-and-other"]  # they read it as the public does


# the ordered objects ----------------------------------------------------------------------------
def test_objects_are_added_by_id_or_address_moved_noted_and_removed(service, records):
    make_theme(service)
    slug = "self-and-other"
    assert service.add_theme_object(SECRETARIAT, slug, records["P1"], {"en": ["First"]}) == records["P1"]
    service.add_theme_object(SECRETARIAT, slug, f"http://catalogue.test/ja/objects/{records['P2']}")
    service.add_theme_object(SECRETARIAT, slug, f"  https://example.org/iiif/3/objects/{records['P3']}/manifest ")
    order = lambda: service.theme(slug, SECRETARIAT).theme.record_ids  # noqa: E731
    assert order() == [records["P1"], records["P2"], records["P3"]]

    assert service.move_theme_object(SECRETARIAT, slug, records["P3"], "up")
    assert order() == [records["P1"], records["P3"], records["P2"]]
    assert not service.move_theme_object(SECRETARIAT, slug, records["P1"], "up")  # at the top already
    assert not service.move_theme_object(SECRETARIAT, slug, records["P2"], "down")
    assert service.set_theme_note(SECRETARIAT, slug, records["P3"], {"fr": ["Rouge"], "en": ["Red"]})
    assert service.remove_theme_object(SECRETARIAT, slug, records["P1"])
    theme = service.theme(slug, SECRETARIAT).theme
    assert [(o.record_id, o.note) for o in theme.objects] == [
        (records["P3"], {"fr": ["Rouge"], "en": ["Red"]}),
        (records["P2"], {}),
    ]
    assert theme.revision == 7  # made, three added, moved, noted, removed
    logged = [e["changes"]["objects"] for e in service.audit_entries() if e["action"] == "theme_changed"]
    assert logged[0] == {"added": [records["P1"]], "removed": [], "moved": False, "notes": []}
    assert logged[3] == {"added": [], "removed": [], "moved": True, "notes": []}
    assert logged[4] == {"added": [], "removed": [], "moved": False, "notes": [records["P3"]]}
    assert logged[5] == {"added": [], "removed": [records["P1"]], "moved": False, "notes": []}


def test_the_whole_list_is_set_at_once(service, records):
    make_theme(service)
    items = [{"record_id": records["P4"], "note": {"en": ["Last first"]}}, {"record_id": records["P1"]}]
    assert service.set_theme_objects(SECRETARIAT, "self-and-other", items)
    assert service.theme("self-and-other", SECRETARIAT).theme.record_ids == [records["P4"], records["P1"]]
    assert not service.set_theme_objects(SECRETARIAT, "self-and-other", items)


@pytest.mark.parametrize(
    "reference",
    ["", "   ", "not an id!", "https://example.org/museums/tate", "https://example.org/objects/", "x" * 40, None, 12],
)
def test_a_reference_that_names_no_object_is_refused_at_its_field(service, records, reference):
    make_theme(service)
    with pytest.raises(ValidationFailed) as refused:
        service.add_theme_object(SECRETARIAT, "self-and-other", reference)
    assert refused.value.errors[0]["field"] == "reference"


def test_an_object_is_in_a_theme_once_and_must_exist(service, records):
    make_theme(service)
    service.add_theme_object(SECRETARIAT, "self-and-other", records["P1"])
    for reference in (records["P1"], "nosuchrecord0000"):
        with pytest.raises(ValidationFailed) as refused:
            service.add_theme_object(SECRETARIAT, "self-and-other", reference)
        assert refused.value.errors[0]["field"] == "reference"
    twice = [{"record_id": records["P2"]}, {"record_id": records["P2"]}]
    with pytest.raises(ValidationFailed) as refused:
        service.set_theme_objects(SECRETARIAT, "self-and-other", twice)
    assert refused.value.errors[0]["field"] == "objects.1.record_id"
    with pytest.raises(ValidationFailed) as refused:
        service.set_theme_objects(SECRETARIAT, "self-and-other", [{"record_id": "nosuchrecord0000"}])
    assert refused.value.errors[0]["field"] == "objects.0.record_id"
    assert service.theme("self-and-other", SECRETARIAT).theme.record_ids == [records["P1"]]


def test_a_theme_holds_at_most_a_hundred_objects(service, museum):
    ids = [service.upsert(cli_actor(), "tate", record_payload(f"M{n:03}")).record_id for n in range(MAX_OBJECTS + 1)]
    make_theme(service)
    with pytest.raises(ValidationFailed):
        service.set_theme_objects(SECRETARIAT, "self-and-other", [{"record_id": i} for i in ids])
    service.set_theme_objects(SECRETARIAT, "self-and-other", [{"record_id": i} for i in ids[:MAX_OBJECTS]])
    with pytest.raises(ValidationFailed):
        service.add_theme_object(SECRETARIAT, "self-and-other", ids[-1])


def test_changing_an_object_the_theme_does_not_hold_is_not_found(service, records):
    make_theme(service)
    service.add_theme_object(SECRETARIAT, "self-and-other", records["P1"])
    for change in (
        lambda: service.remove_theme_object(SECRETARIAT, "self-and-other", records["P2"]),
        lambda: service.move_theme_object(SECRETARIAT, "self-and-other", records["P2"], "up"),
        lambda: service.set_theme_note(SECRETARIAT, "self-and-other", records["P2"], {}),
        lambda: service.add_theme_object(SECRETARIAT, "no-such-theme", records["P2"]),
        lambda: service.update_theme(SECRETARIAT, "Not A Slug!", details()),
        lambda: service.delete_theme(SECRETARIAT, "no-such-theme"),
    ):
        with pytest.raises(NotFound):
            change()
    with pytest.raises(ValidationFailed):
        service.move_theme_object(SECRETARIAT, "self-and-other", records["P1"], "sideways")


# what the public sees --------------------------------------------------------------------------
def test_the_public_sees_the_published_objects_only(service, records):
    make_theme(service, published=True)
    for local_id in ("P1", "P2", "P3"):
        service.add_theme_object(SECRETARIAT, "self-and-other", records[local_id], {"en": [f"On {local_id}"]})
    service.change_status(cli_actor(), "tate", "P1", "draft")
    service.withdraw(cli_actor(), "tate", "P3")  # stays in the theme, simply not shown
    shown = service.theme("self-and-other")
    assert [(entry.record.id, entry.note) for entry in shown.entries] == [(records["P2"], {"en": ["On P2"]})]
    assert shown.count == 1 and [r.id for r in shown.with_images] == [records["P2"]]
    assert [s.count for s in service.themes()] == [1]
    curated = service.theme("self-and-other", SECRETARIAT)
    assert [entry.record.status for entry in curated.entries] == ["draft", "published", "withdrawn"]


def test_the_cover_is_an_image_of_one_of_its_objects(service, records):
    make_theme(service, published=True)
    slug = "self-and-other"
    for local_id in ("P1", "P2", "P3"):
        service.add_theme_object(SECRETARIAT, slug, records[local_id])
    first, chosen = (service.record(records[i]).images[0].id for i in ("P2", "P3"))
    assert service.theme(slug).cover.id == first  # no choice: the first image shown
    assert service.update_theme(SECRETARIAT, slug, details(published=True, cover=chosen))
    assert service.theme(slug).cover.id == chosen
    assert service.themes()[0].cover.id == chosen

    service.change_status(cli_actor(), "tate", "P3", "draft")  # its record is not public: the first image is shown
    assert service.theme(slug).cover.id == first
    assert service.theme(slug, SECRETARIAT).cover.id == chosen
    service.change_status(cli_actor(), "tate", "P3", "published")

    other = service.upsert(cli_actor(), "tate", record_payload("X9")).record_id
    [stranger] = service.add_images(cli_actor(), "tate", "X9", [(image_bytes(color=(1, 1, 1)), "x.jpg")])
    for cover in (stranger.id, "nosuchimage00000"):
        with pytest.raises(ValidationFailed) as refused:
            service.update_theme(SECRETARIAT, slug, details(published=True, cover=cover))
        assert refused.value.errors[0]["field"] == "cover"
    assert other not in service.theme(slug, SECRETARIAT).theme.record_ids

    service.remove_theme_object(SECRETARIAT, slug, records["P3"])  # the cover goes with its object
    assert service.theme(slug, SECRETARIAT).theme.cover_image is None


def test_a_cover_removed_from_its_record_leaves_the_theme_without_one(service, records):
    make_theme(service, published=True)
    service.add_theme_object(SECRETARIAT, "self-and-other", records["P2"])
    image = service.record(records["P2"]).images[0].id
    service.update_theme(SECRETARIAT, "self-and-other", details(published=True, cover=image))
    service.remove_image(cli_actor(), "tate", "P2", image)
    shown = service.theme("self-and-other")
    assert (shown.theme.cover_image, shown.cover) == (None, None)


# the index outbox --------------------------------------------------------------------------------
def test_records_are_queued_when_what_a_published_theme_holds_changes(service, records):
    slug = "self-and-other"
    make_theme(service)
    service.add_theme_object(SECRETARIAT, slug, records["P1"])
    service.add_theme_object(SECRETARIAT, slug, records["P2"])
    queued(service)
    service.set_theme_note(SECRETARIAT, slug, records["P1"], {"en": ["Unpublished: no search change"]})
    assert queued(service) == []

    service.update_theme(SECRETARIAT, slug, details(published=True))
    assert sorted(queued(service)) == sorted([records["P1"], records["P2"]])
    service.add_theme_object(SECRETARIAT, slug, records["P3"])
    assert queued(service) == [records["P3"]]
    service.move_theme_object(SECRETARIAT, slug, records["P3"], "up")
    service.set_theme_note(SECRETARIAT, slug, records["P3"], {"en": ["A note is not in the index"]})
    assert queued(service) == []
    service.set_theme_objects(SECRETARIAT, slug, [{"record_id": records["P4"]}, {"record_id": records["P1"]}])
    assert sorted(queued(service)) == sorted([records["P2"], records["P3"], records["P4"]])
    service.delete_theme(SECRETARIAT, slug)
    assert sorted(queued(service)) == sorted([records["P4"], records["P1"]])
    assert actions(service)[-1] == "theme_deleted"
    with pytest.raises(NotFound):
        service.theme(slug, SECRETARIAT)


def test_themes_of_names_the_published_themes_of_each_record(service, records):
    make_theme(service, "b-theme", published=True)
    make_theme(service, "a-theme", published=True)
    make_theme(service, "hidden")
    for slug in ("b-theme", "a-theme", "hidden"):
        service.add_theme_object(SECRETARIAT, slug, records["P1"])
    service.add_theme_object(SECRETARIAT, "hidden", records["P2"])
    found = service.store.themes_of([records["P1"], records["P2"], records["P3"]])
    assert found == {records["P1"]: ["a-theme", "b-theme"]}
    every = service.store.themes_of([records["P1"], records["P2"]], published_only=False)
    assert every == {records["P1"]: ["a-theme", "b-theme", "hidden"], records["P2"]: ["hidden"]}


# refusals ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, field",
    [
        ({"slug": "Bad Slug", "title": TITLE}, "slug"),
        ({"slug": "x", "title": TITLE}, "slug"),
        ({"slug": "new", "title": TITLE}, "slug"),  # /admin/themes/new is a page of its own
        ({"slug": "ok-slug", "title": {}}, "title"),
        ({"slug": "ok-slug"}, "title"),
        ({"slug": "ok-slug", "title": "No language"}, "title"),
        ({"slug": "ok-slug", "title": {"en": ["x" * 301]}}, "title"),
        ({"slug": "ok-slug", "title": {"not a tag": ["x"]}}, "title"),
        ({"slug": "ok-slug", "title": TITLE, "introduction": {"en": ["x" * 5001]}}, "introduction"),
        ({"slug": "ok-slug", "title": TITLE, "cover": "nosuchimage00000"}, "cover"),
        ({"slug": "ok-slug", "title": TITLE, "published": "perhaps"}, "published"),
        ({"slug": "ok-slug", "title": TITLE, "colour": "red"}, "colour"),
        ({"slug": ["ok-slug"], "title": TITLE}, "slug"),
    ],
)
def test_a_theme_that_breaks_a_rule_is_refused_at_its_field(service, data, field):
    with pytest.raises(ValidationFailed) as refused:
        service.create_theme(SECRETARIAT, data)
    assert field in {error["field"] for error in refused.value.errors}
    assert service.themes(SECRETARIAT) == []


def test_a_slug_is_taken_once(service):
    make_theme(service)
    with pytest.raises(Conflict) as refused:
        make_theme(service)
    assert refused.value.errors[0]["field"] == "slug"


def test_a_change_made_from_an_old_revision_is_a_conflict(service):
    make_theme(service)
    service.update_theme(SECRETARIAT, "self-and-other", details(introduction={"en": ["New"]}), expected_revision=1)
    with pytest.raises(Conflict):
        service.update_theme(SECRETARIAT, "self-and-other", details(introduction={"en": ["Lost"]}), expected_revision=1)
    assert service.theme("self-and-other", SECRETARIAT).theme.introduction == {"en": ["New"]}


@pytest.mark.parametrize("note", [{"en": ["x" * 2001]}, {"none": ["no language"]}, "plain text", ["list"]])
def test_a_note_that_breaks_a_rule_is_refused(service, records, note):
    make_theme(service)
    with pytest.raises(ValidationFailed):
        service.add_theme_object(SECRETARIAT, "self-and-other", records["P1"], note)
    assert service.theme("self-and-other", SECRETARIAT).theme.objects == ()


# loading from a file -----------------------------------------------------------------------------
def test_a_theme_file_entry_is_created_then_unchanged_then_updated(service, records):
    entry = {
        "slug": "portraits",
        "title": TITLE,
        "introduction": {"en": ["Faces"]},
        "published": True,
        "cover": {"museum": "tate", "local_id": "P3"},
        "objects": [
            {"museum": "tate", "local_id": "P3", "note": {"en": ["Red"]}},
            {"id": records["P1"]},
        ],
    }
    assert service.import_theme(cli_actor(), entry) == "created"
    assert service.import_theme(cli_actor(), entry) == "unchanged"
    shown = service.theme("portraits")
    assert [e.record.id for e in shown.entries] == [records["P3"], records["P1"]]
    assert shown.cover.id == service.record(records["P3"]).images[0].id
    assert service.import_theme(cli_actor(), {**entry, "published": False}) == "updated"
    assert service.theme("portraits", SECRETARIAT).theme.revision == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"objects": [{"museum": "tate"}]}, "objects.0"),
        ({"objects": [{"museum": "tate", "local_id": "nope"}]}, "objects.0.record_id"),
        ({"objects": "P1"}, "objects"),
        ({"cover": {"museum": "tate", "local_id": "P1"}}, "cover"),  # P1 has no image
        ({"cover": {"museum": "tate", "local_id": "P3", "image": 2}}, "cover"),
        ({"cover": "P3"}, "cover"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_theme_file_entry_that_breaks_a_rule_is_refused(service, records, change, field):
    entry = {"slug": "portraits", "title": TITLE, "objects": [{"museum": "tate", "local_id": "P3"}], **change}
    with pytest.raises(ValidationFailed) as refused:
        service.import_theme(cli_actor(), entry)
    assert field in {error["field"] for error in refused.value.errors}
    assert service.themes(SECRETARIAT) == []


# references ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("abcdefgh23456789", "abcdefgh23456789"),
        (" abcdefgh23456789\n", "abcdefgh23456789"),
        ("http://catalogue.test/objects/abcdefgh23456789", "abcdefgh23456789"),
        ("https://catalogue.test/ko/objects/abcdefgh23456789/?utm=1#top", "abcdefgh23456789"),
        ("/objects/abcdefgh23456789/mirador", "abcdefgh23456789"),
        ("https://catalogue.test/embed/abcdefgh23456789", "abcdefgh23456789"),
        ("https://catalogue.test/iiif/3/objects/abcdefgh23456789/manifest", "abcdefgh23456789"),
        ("https://catalogue.test/api/objects/abcdefgh23456789", "abcdefgh23456789"),
        ("https://catalogue.test/museums/tate", None),
        ("https://catalogue.test/objects/a%2Fb", None),
        ("http://[::1", None),
        ("", None),
    ],
)
def test_a_reference_is_an_id_or_the_address_of_an_object(text, expected):
    assert record_id_from_reference(text) == expected
