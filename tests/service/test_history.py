"""Record history: every revision is kept with who and when, audit entries carry a field diff,
status changes and reverts are new revisions, and the history tells the whole story to the
museum's own people only."""

import pytest
import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.models import PUBLIC, Actor
from catalogue.store import tables as t
from tests.support import image_bytes, record_payload

CURATOR = Actor(name="Ada Curator", role="curator", museum="tate")
OTHER_CURATOR = Actor(name="Bo Curator", role="curator", museum="rijks")
BOTH_DATABASES = pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])


@pytest.fixture
def app_settings():
    """These tests read the index outbox, so nothing drains it behind their back."""
    return {"INDEX_SYNC": False}


@pytest.fixture
def wave(service, museum):
    """The Great Wave, created by a curator of the Tate (revision 1)."""
    return service.upsert(CURATOR, "tate", record_payload())


def kept(service, record_id) -> list[tuple[int, str, str]]:
    return [(r["revision"], r["status"], r["actor"]) for r in service.store.revisions(record_id)]


def outbox(service) -> list[tuple[str, int, str]]:
    return [(e["record_id"], e["revision"], e["op"]) for e in service.store.pending_outbox()]


# revisions are kept with every write --------------------------------------------------------------
@BOTH_DATABASES
def test_create_update_and_withdraw_each_keep_a_revision(service, wave):
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    service.withdraw(cli_actor(), "tate", "T00001")

    assert kept(service, wave.record_id) == [
        (1, "published", "Ada Curator"),
        (2, "published", "Ada Curator"),
        (3, "withdrawn", cli_actor().name),
    ]
    second = service.store.revision(wave.record_id, 2)
    assert second["body"]["object_type"] == "woodcut" and second["at"].tzinfo is not None
    assert service.store.revision(wave.record_id, 4) is None


def test_unchanged_input_keeps_no_new_revision(service, wave):
    service.upsert(CURATOR, "tate", record_payload(title=" The  Great Wave "))
    assert kept(service, wave.record_id) == [(1, "published", "Ada Curator")]


def test_a_failed_write_keeps_no_revision(service, wave, monkeypatch):
    def broken_enqueue(conn, items):
        raise RuntimeError("disk full while queueing")

    monkeypatch.setattr(service.store, "enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    assert kept(service, wave.record_id) == [(1, "published", "Ada Curator")]


# the audit's field diff -----------------------------------------------------------------------------
def test_creation_is_audited_with_every_field_it_filled(service, wave):
    [created] = service.audit_entries(wave.record_id)
    fields = created["changes"]["fields"]
    assert fields["title"] == [None, {"en": ["The Great Wave"]}]
    assert fields["status"] == [None, "published"]
    assert "inscription" not in fields  # empty fields are not news


def test_an_update_is_audited_with_old_and_new_values_of_the_changed_fields_only(service, wave):
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut", title="Under the Wave off Kanagawa"))
    update = service.audit_entries(wave.record_id)[-1]
    assert (update["action"], update["revision"], update["actor"]) == ("update", 2, "Ada Curator")
    assert update["changes"] == {
        "fields": {
            "object_type": ["print", "woodcut"],
            "title": [{"en": ["The Great Wave"]}, {"en": ["Under the Wave off Kanagawa"]}],
        }
    }


# status changes ---------------------------------------------------------------------------------------
@BOTH_DATABASES
def test_unpublish_publish_and_withdraw_are_new_revisions_queued_for_the_index(service, wave):
    steps = [("draft", "unpublished"), ("published", "published"), ("withdrawn", "withdrawn")]
    for status, action in steps:
        outcome = service.change_status(CURATOR, "tate", "T00001", status)
        assert (outcome.action, service.record(wave.record_id, CURATOR).status) == (action, status)

    assert [r[1] for r in kept(service, wave.record_id)] == ["published", "draft", "published", "withdrawn"]
    entries = service.audit_entries(wave.record_id)
    assert [e["action"] for e in entries] == ["create", "unpublish", "publish", "withdraw"]
    assert entries[-1]["changes"] == {"fields": {"status": ["published", "withdrawn"]}}
    assert [op for _, _, op in outbox(service)] == ["upsert", "delete", "upsert", "delete"]


def test_the_status_a_record_already_has_is_unchanged(service, wave):
    outcome = service.change_status(CURATOR, "tate", "T00001", "published")
    assert (outcome.action, outcome.revision) == ("unchanged", 1)
    assert service.withdraw(CURATOR, "tate", "T00001").action == "withdrawn"
    assert service.withdraw(CURATOR, "tate", "T00001").action == "unchanged"
    assert len(kept(service, wave.record_id)) == 2


def test_a_status_change_from_a_stale_revision_is_a_conflict(service, wave):
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    with pytest.raises(Conflict):
        service.change_status(CURATOR, "tate", "T00001", "draft", expected_revision=1)
    assert service.change_status(CURATOR, "tate", "T00001", "draft", expected_revision=2).revision == 3


def test_only_known_statuses_and_the_museums_own_people(service, wave, make_museum):
    make_museum("rijks", "NL")
    with pytest.raises(ValidationFailed):
        service.change_status(CURATOR, "tate", "T00001", "deleted")
    with pytest.raises(Forbidden):
        service.change_status(OTHER_CURATOR, "tate", "T00001", "draft")
    with pytest.raises(NotFound):
        service.change_status(CURATOR, "tate", "T99999", "draft")


# revert ---------------------------------------------------------------------------------------------------
@BOTH_DATABASES
def test_revert_saves_an_old_revision_as_a_new_one_and_queues_it(service, wave):
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    outcome = service.revert(CURATOR, "tate", "T00001", 1)

    assert (outcome.action, outcome.revision) == ("reverted", 3)
    record = service.record(wave.record_id, CURATOR)
    assert record.body == service.store.revision(wave.record_id, 1)["body"]
    revert = service.audit_entries(wave.record_id)[-1]
    assert (revert["action"], revert["revision"]) == ("revert", 3)
    assert revert["changes"] == {"reverted_to": 1, "fields": {"object_type": ["woodcut", "print"]}}
    assert outbox(service)[-1] == (wave.record_id, 3, "upsert")
    assert len(kept(service, wave.record_id)) == 3


def test_reverting_to_a_published_revision_publishes_again(service, wave):
    service.withdraw(CURATOR, "tate", "T00001")
    service.revert(CURATOR, "tate", "T00001", 1)
    assert service.record(wave.record_id).status == "published"  # the public sees it again
    assert outbox(service)[-1] == (wave.record_id, 3, "upsert")


def test_reverting_to_what_the_record_holds_is_unchanged(service, wave):
    service.withdraw(CURATOR, "tate", "T00001")
    service.change_status(CURATOR, "tate", "T00001", "published")
    outcome = service.revert(CURATOR, "tate", "T00001", 1)  # revision 3 has revision 1's content
    assert (outcome.action, outcome.revision) == ("unchanged", 3)


def test_revert_refuses_unknown_revisions_stale_pages_and_other_museums(service, wave, make_museum):
    make_museum("rijks", "NL")
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    with pytest.raises(NotFound):
        service.revert(CURATOR, "tate", "T00001", 7)
    with pytest.raises(Conflict):
        service.revert(CURATOR, "tate", "T00001", 1, expected_revision=1)
    with pytest.raises(Forbidden):
        service.revert(OTHER_CURATOR, "tate", "T00001", 1)
    assert service.record(wave.record_id).revision == 2


# the history ------------------------------------------------------------------------------------------------
def test_history_tells_each_revision_newest_first_with_its_diff(service, wave):
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    service.change_status(cli_actor(), "tate", "T00001", "draft")
    service.revert(CURATOR, "tate", "T00001", 1)

    story = service.record_history(CURATOR, "tate", "T00001")
    assert [(e.revision, e.action, e.status) for e in story] == [
        (4, "revert", "published"),
        (3, "unpublish", "draft"),
        (2, "update", "published"),
        (1, "create", "published"),
    ]
    assert story[0].details == {"reverted_to": 1}
    assert story[0].fields == {"object_type": ["woodcut", "print"], "status": ["draft", "published"]}
    assert (story[1].actor, story[1].fields) == (cli_actor().name, {"status": ["published", "draft"]})
    assert story[3].fields["title"] == [None, {"en": ["The Great Wave"]}]
    assert all(e.kept for e in story) and story[0].at >= story[-1].at


def test_history_includes_image_events(service, wave):
    service.add_images(CURATOR, "tate", "T00001", [(image_bytes(), "wave.jpg")])
    story = service.record_history(CURATOR, "tate", "T00001")
    assert [(e.revision, e.action) for e in story] == [(2, "images_added"), (1, "create")]
    assert len(story[0].details["images"]) == 1 and story[0].fields == {}


def test_history_says_where_it_began_for_records_older_than_it(service, wave):
    """Migration 0004 kept each record's revision of the day, by actor "migration"; nothing before."""
    service.upsert(CURATOR, "tate", record_payload(object_type="woodcut"))
    with service.store.transaction() as conn:
        revisions = t.record_revisions
        conn.execute(revisions.delete().where(revisions.c.revision == 1))
        conn.execute(revisions.update().values(actor="migration"))
    service.upsert(CURATOR, "tate", record_payload(object_type="etching"))

    story = service.record_history(CURATOR, "tate", "T00001")
    assert [(e.revision, e.kept, e.first_kept) for e in story] == [(3, True, False), (2, True, True), (1, False, False)]
    assert story[0].fields == {"object_type": ["woodcut", "etching"]}
    assert story[1].fields == {}  # its diff against revision 1 cannot be known from kept bodies
    assert story[2].action == "create"  # the audit log still tells it


def test_only_the_museums_people_and_the_secretariat_read_a_history(service, wave, make_museum):
    make_museum("rijks", "NL")
    secretariat = Actor(name="Sec", role="admin")
    assert len(service.record_history(secretariat, "tate", "T00001")) == 1
    for outsider in (OTHER_CURATOR, PUBLIC):
        with pytest.raises(Forbidden):
            service.record_history(outsider, "tate", "T00001")
    with pytest.raises(NotFound):
        service.record_history(CURATOR, "tate", "T99999")


def test_a_curated_record_is_found_in_any_status_by_its_own_people_only(service, wave, make_museum):
    make_museum("rijks", "NL")
    service.change_status(CURATOR, "tate", "T00001", "draft")
    assert service.curated_record(CURATOR, wave.record_id).status == "draft"
    with pytest.raises(Forbidden):
        service.curated_record(OTHER_CURATOR, wave.record_id)
    with pytest.raises(NotFound):
        service.curated_record(CURATOR, "nosuchrecord")


def test_the_kept_bodies_are_the_records_own(service, wave):
    with service.store.reading() as conn:
        stored = conn.execute(sa.select(t.records.c.body)).scalar_one()
    assert service.store.revisions(wave.record_id)[0]["body"] == stored
