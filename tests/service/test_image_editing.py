"""Curators change a record's images: remove one, reorder them, write their alt text per language.
Each change is one new revision of the record, kept in its history, audited and queued for the
index; unchanged input is no new revision; the manifest and the public image answers follow."""

import pytest

from catalogue.cli import cli_actor
from catalogue.errors import Forbidden, NotFound, ValidationFailed
from catalogue.models import Actor
from catalogue.store import FETCHED, now
from iiif.presentation import Links, manifest
from tests.support import image_bytes, record_payload

CURATOR = Actor(name="Ada Curator", role="curator", museum="tate")
OTHER_CURATOR = Actor(name="Bo Curator", role="curator", museum="rijks")
BOTH_DATABASES = pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
RED, GREEN, BLUE = (200, 40, 40), (40, 200, 40), (40, 40, 200)


@pytest.fixture
def app_settings():
    """These tests read the index outbox, so nothing drains it behind their back."""
    return {"INDEX_SYNC": False}


@pytest.fixture
def wave(service, museum):
    """The Great Wave with three images, red, green and blue, in that order (revision 2)."""
    service.upsert(CURATOR, "tate", record_payload())
    files = [
        (image_bytes(color=color), f"{name}.jpg") for color, name in ((RED, "red"), (GREEN, "green"), (BLUE, "blue"))
    ]
    red, green, blue = service.add_images(CURATOR, "tate", "T00001", files)
    return service.record_by_local_id("tate", "T00001", CURATOR), red.id, green.id, blue.id


def images_of(service, record_id) -> list[tuple[str, int]]:
    return [(image.id, image.position) for image in service.store.get_record(record_id).images]


def revision_of(service, record_id) -> int:
    return service.store.get_record(record_id).revision


def audit_actions(service, record_id) -> list[tuple[str, int | None, str]]:
    return [(e["action"], e["revision"], e["actor"]) for e in service.store.audit_entries(record_id)]


def outbox(service, record_id) -> list[tuple[int, str]]:
    return [(e["revision"], e["op"]) for e in service.store.pending_outbox() if e["record_id"] == record_id]


def kept_revisions(service, record_id) -> list[tuple[int, str]]:
    return [(r["revision"], r["actor"]) for r in service.store.revisions(record_id)]


# remove ------------------------------------------------------------------------------------------
@BOTH_DATABASES
def test_removing_an_image_is_one_new_revision_and_the_rest_close_up(service, wave):
    record, red, green, blue = wave

    after = service.remove_image(CURATOR, "tate", "T00001", red)

    assert [(image.id, image.position) for image in after] == [(green, 0), (blue, 1)]
    assert images_of(service, record.id) == [(green, 0), (blue, 1)]
    assert revision_of(service, record.id) == 3
    assert audit_actions(service, record.id)[-1] == ("image_removed", 3, "Ada Curator")
    assert service.store.audit_entries(record.id)[-1]["changes"]["image"] == red
    assert outbox(service, record.id)[-1] == (3, "upsert")
    assert kept_revisions(service, record.id)[-1] == (3, "Ada Curator")
    assert service.store.revision(record.id, 3)["body"] == record.body  # images are not the content


def test_the_removed_image_file_stays_in_the_media_store(service, wave):
    record, red, _green, _blue = wave
    sha256 = service.store.image_by_id(red).sha256

    service.remove_image(CURATOR, "tate", "T00001", red)

    assert service.store.image_by_id(red) is None
    assert service.media.original_path(sha256, "jpg").exists()  # stored once by content; maybe shared


@BOTH_DATABASES
def test_an_image_fetched_from_a_url_can_be_removed_and_is_not_fetched_again(service, wave):
    record, red, _green, _blue = wave
    with service.store.transaction() as conn:
        service.store.queue_image_sources(
            conn, [{"record_id": record.id, "url": "https://example.org/red.jpg", "position": 0}], now()
        )
        (source,) = service.store.image_sources_of(conn, record.id)
        service.store.finish_image_source(conn, source.id, now(), FETCHED, image_id=red)

    service.remove_image(CURATOR, "tate", "T00001", red)

    (source,) = service.image_sources(record.id)
    assert (source.state, source.image_id) == (FETCHED, None)


def test_a_removed_image_is_no_longer_served_publicly(service, wave):
    _record, red, _green, _blue = wave
    assert service.public_image(red) is not None  # and now it is cached

    service.remove_image(CURATOR, "tate", "T00001", red)

    assert service.public_image(red) is None
    with pytest.raises(NotFound):
        service.image_file(red, "thumbnail")


# reorder ------------------------------------------------------------------------------------------
@BOTH_DATABASES
def test_reordering_is_one_new_revision(service, wave):
    record, red, green, blue = wave

    after = service.reorder_images(CURATOR, "tate", "T00001", [blue, red, green])

    assert [image.id for image in after] == [blue, red, green]
    assert images_of(service, record.id) == [(blue, 0), (red, 1), (green, 2)]
    assert revision_of(service, record.id) == 3
    assert audit_actions(service, record.id)[-1] == ("images_reordered", 3, "Ada Curator")
    assert outbox(service, record.id)[-1] == (3, "upsert")
    assert kept_revisions(service, record.id)[-1] == (3, "Ada Curator")


def test_the_same_order_again_is_no_new_revision(service, wave):
    record, red, green, blue = wave
    entries = len(service.store.audit_entries(record.id))

    service.reorder_images(CURATOR, "tate", "T00001", [red, green, blue])

    assert revision_of(service, record.id) == 2
    assert len(service.store.audit_entries(record.id)) == entries
    assert outbox(service, record.id)[-1][0] == 2


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda red, green, blue: [blue, red], id="one missing"),
        pytest.param(lambda red, green, blue: [blue, red, green, red], id="one twice"),
        pytest.param(lambda red, green, blue: [blue, red, red], id="one twice, one missing"),
        pytest.param(lambda red, green, blue: [blue, red, "aaaaaaaaaaaaaaaa"], id="a stranger"),
        pytest.param(lambda red, green, blue: [], id="none"),
    ],
)
def test_a_new_order_must_name_each_image_exactly_once(service, wave, order):
    record, red, green, blue = wave

    with pytest.raises(ValidationFailed) as refused:
        service.reorder_images(CURATOR, "tate", "T00001", order(red, green, blue))

    assert refused.value.errors[0]["field"] == "order"
    assert images_of(service, record.id) == [(red, 0), (green, 1), (blue, 2)]
    assert revision_of(service, record.id) == 2


def test_the_manifest_lists_the_canvases_in_the_new_order(service, wave):
    record, red, green, blue = wave
    service.reorder_images(CURATOR, "tate", "T00001", [green, blue, red])

    links = Links("http://catalogue.test")
    document = manifest(service.store.get_record(record.id), service.museum("tate"), links)

    services = [canvas["items"][0]["items"][0]["body"]["service"][0]["id"] for canvas in document["items"]]
    assert services == [links.image_service(image) for image in (green, blue, red)]
    assert [canvas["id"].rsplit("/", 1)[1] for canvas in document["items"]] == ["1", "2", "3"]


# alt text -----------------------------------------------------------------------------------------
@BOTH_DATABASES
def test_alt_text_is_kept_as_a_language_map(service, wave):
    record, red, _green, _blue = wave

    after = service.set_image_alt(
        CURATOR, "tate", "T00001", red, {"en": "A great wave", "JA": ["神奈川沖浪裏"], "fr": " ", "de": []}
    )

    assert service.store.image_by_id(red).alt == {"en": ["A great wave"], "ja": ["神奈川沖浪裏"]}
    assert after[0].alt == {"en": ["A great wave"], "ja": ["神奈川沖浪裏"]}
    assert revision_of(service, record.id) == 3
    (entry,) = [e for e in service.store.audit_entries(record.id) if e["action"] == "image_alt_changed"]
    assert entry["changes"] == {"image": red, "alt": [{}, {"en": ["A great wave"], "ja": ["神奈川沖浪裏"]}]}
    assert outbox(service, record.id)[-1] == (3, "upsert")
    assert kept_revisions(service, record.id)[-1] == (3, "Ada Curator")


def test_the_same_alt_text_again_is_no_new_revision(service, wave):
    record, red, _green, _blue = wave
    service.set_image_alt(CURATOR, "tate", "T00001", red, {"en": "A great wave"})

    service.set_image_alt(CURATOR, "tate", "T00001", red, {"en": ["A  great wave "], "fr": ""})

    assert revision_of(service, record.id) == 3


def test_emptying_every_text_clears_the_alt_text(service, wave):
    _record, red, _green, _blue = wave
    service.set_image_alt(CURATOR, "tate", "T00001", red, {"en": "A great wave"})

    service.set_image_alt(CURATOR, "tate", "T00001", red, {"en": ""})

    assert service.store.image_by_id(red).alt == {}


@pytest.mark.parametrize(
    ("alt", "message"),
    [
        ({"english!": "A wave"}, "'english!' is not a language tag"),
        ({"": "A wave"}, "Say which language"),
        ({"en": "x" * 2001}, "Longer than 2000 characters"),
    ],
)
def test_alt_text_in_no_known_language_is_refused(service, wave, alt, message):
    record, red, _green, _blue = wave

    with pytest.raises(ValidationFailed) as refused:
        service.set_image_alt(CURATOR, "tate", "T00001", red, alt)

    assert message in refused.value.errors[0]["message"]
    assert service.store.image_by_id(red).alt == {}
    assert revision_of(service, record.id) == 2


def test_alt_text_becomes_the_canvas_label_in_the_manifest(service, wave):
    record, red, _green, _blue = wave
    service.set_image_alt(CURATOR, "tate", "T00001", red, {"en": "A great wave"})

    document = manifest(service.store.get_record(record.id), service.museum("tate"), Links("http://catalogue.test"))

    assert document["items"][0]["label"] == {"en": ["A great wave"]}


# who may -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s, actor, ids: s.remove_image(actor, "tate", "T00001", ids[0]), id="remove"),
        pytest.param(lambda s, actor, ids: s.reorder_images(actor, "tate", "T00001", ids[::-1]), id="reorder"),
        pytest.param(lambda s, actor, ids: s.set_image_alt(actor, "tate", "T00001", ids[0], {"en": "x"}), id="alt"),
    ],
)
def test_a_curator_of_another_museum_may_not_change_the_images(service, wave, make_museum, change):
    make_museum("rijks", "NL")
    record, red, green, blue = wave

    with pytest.raises(Forbidden):
        change(service, OTHER_CURATOR, [red, green, blue])

    assert images_of(service, record.id) == [(red, 0), (green, 1), (blue, 2)]
    assert revision_of(service, record.id) == 2


def test_the_secretariat_may_change_any_museums_images(service, wave):
    record, red, _green, _blue = wave
    service.remove_image(cli_actor(), "tate", "T00001", red)
    assert revision_of(service, record.id) == 3


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s, image: s.remove_image(CURATOR, "tate", "T00001", image), id="remove"),
        pytest.param(lambda s, image: s.set_image_alt(CURATOR, "tate", "T00001", image, {"en": "x"}), id="alt"),
    ],
)
def test_an_image_of_another_record_is_not_found(service, wave, change):
    service.upsert(CURATOR, "tate", record_payload("T00002"))
    (other,) = service.add_images(CURATOR, "tate", "T00002", [(image_bytes(color=(9, 9, 9)), "other.jpg")])

    for image_id in (other.id, "no-such-image"):
        with pytest.raises(NotFound):
            change(service, image_id)

    assert len(service.store.get_record(other.record_id).images) == 1


def test_an_unknown_record_is_not_found(service, museum):
    with pytest.raises(NotFound):
        service.reorder_images(CURATOR, "tate", "NOPE", [])


# what the curator pages read -------------------------------------------------------------------------
def test_curators_see_their_drafts_images_with_file_names(service, museum):
    service.upsert(CURATOR, "tate", record_payload(status="draft"))
    service.add_images(CURATOR, "tate", "T00001", [(image_bytes(), "wave.jpg")])
    record = service.store.find_record("tate", "T00001")

    shown, images = service.images_to_curate(CURATOR, record.id)

    assert shown.id == record.id and [entry.original_name for entry in images] == ["wave.jpg"]
    assert service.curated_image_file(CURATOR, images[0].image.id).path.exists()
    with pytest.raises(NotFound):
        service.image_file(images[0].image.id, "thumbnail")  # a draft's image is not public


def test_other_museums_curators_see_neither_the_images_nor_their_thumbnails(service, wave, make_museum):
    make_museum("rijks", "NL")
    record, red, _green, _blue = wave

    with pytest.raises(Forbidden):
        service.images_to_curate(OTHER_CURATOR, record.id)
    with pytest.raises(Forbidden):
        service.curated_image_file(OTHER_CURATOR, red)
    with pytest.raises(NotFound):
        service.curated_image_file(CURATOR, "no-such-image")


def test_adding_images_keeps_a_revision_too(service, wave):
    record, *_ = wave
    assert kept_revisions(service, record.id) == [(1, "Ada Curator"), (2, "Ada Curator")]
    assert audit_actions(service, record.id)[-1] == ("images_added", 2, "Ada Curator")
