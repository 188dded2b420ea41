"""Upserts by (museum, local id): revisions, no-op on unchanged input, audit, and the index outbox."""

import hashlib
import json

import pytest
import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.models import Actor, StoredImage, public_id
from catalogue.service import content_hash, validate_record
from catalogue.store import tables as t
from tests.support import record_payload


def outbox(service):
    return [(e["record_id"], e["revision"], e["op"]) for e in service.store.pending_outbox()]


def test_create_then_update_bumps_the_revision(service, museum):
    created = service.upsert(cli_actor(), "tate", record_payload())
    assert (created.action, created.revision) == ("created", 1)
    updated = service.upsert(cli_actor(), "tate", record_payload(title="The Great Wave off Kanagawa"))
    assert (updated.action, updated.revision, updated.record_id) == ("updated", 2, created.record_id)
    assert service.record(created.record_id).body["title"] == {"en": ["The Great Wave off Kanagawa"]}


def test_unchanged_input_is_a_no_op(service, museum):
    first = service.upsert(cli_actor(), "tate", record_payload())
    again = service.upsert(cli_actor(), "tate", record_payload(title=" The  Great Wave "))  # same once cleaned
    assert (again.action, again.revision) == ("unchanged", 1)
    assert len(service.store.audit_entries(first.record_id)) == 1
    assert len(outbox(service)) == 1


def digest_as_before_orjson(body: dict) -> str:
    """A record's content_hash as the service made it before orjson wrote the digests' JSON."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def test_a_record_hashed_before_orjson_is_unchanged_by_the_same_content_and_updated_by_new(service, museum):
    first = service.upsert(cli_actor(), "tate", record_payload(title={"ja": ["神奈川沖浪裏"]}))
    body = service.record(first.record_id).body
    assert content_hash(body) != digest_as_before_orjson(body)
    with service.store.transaction() as conn:
        conn.execute(t.records.update().values(content_hash=digest_as_before_orjson(body)))

    again = service.upsert(cli_actor(), "tate", record_payload(title={"ja": ["神奈川沖浪裏"]}))
    assert (again.action, again.revision) == ("unchanged", 1)
    assert service.revert(cli_actor(), "tate", "T00001", 1).action == "unchanged"
    changed = service.upsert(cli_actor(), "tate", record_payload(title={"ja": ["富嶽三十六景"]}))
    assert (changed.action, changed.revision) == ("updated", 2)
    with service.store.reading() as conn:
        stored = conn.execute(sa.select(t.records.c.content_hash)).scalar_one()
    assert stored == content_hash(service.record(first.record_id).body)


def test_ids_are_stable_and_url_safe_for_any_local_id(service, museum):
    local_id = "RP-F/2011 ?#%&ü 北斎"
    outcome = service.upsert(cli_actor(), "tate", record_payload(local_id=local_id))
    assert outcome.record_id == public_id("tate", local_id)
    assert outcome.record_id.isalnum() and outcome.record_id.islower()
    assert service.record_by_local_id("tate", local_id).id == outcome.record_id


def test_every_change_is_audited_with_actor_and_changed_fields(service, museum):
    first = service.upsert(cli_actor(), "tate", record_payload())
    service.upsert(cli_actor(), "tate", record_payload(object_type="woodcut"))
    entries = service.store.audit_entries(first.record_id)
    assert [(e["action"], e["revision"]) for e in entries] == [("create", 1), ("update", 2)]
    assert entries[1]["actor"] == cli_actor().name
    assert entries[1]["changes"] == {"fields": {"object_type": ["print", "woodcut"]}}


def test_every_change_is_queued_for_the_index(service, museum):
    first = service.upsert(cli_actor(), "tate", record_payload())
    service.upsert(cli_actor(), "tate", record_payload(status="draft"))
    assert outbox(service) == [(first.record_id, 1, "upsert"), (first.record_id, 2, "delete")]


def test_the_outbox_entry_commits_with_the_record_or_not_at_all(service, museum, monkeypatch):
    def broken_enqueue(conn, items):
        raise RuntimeError("disk full while queueing")

    monkeypatch.setattr(service.store, "enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        service.upsert(cli_actor(), "tate", record_payload())
    with service.store.reading() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.records)).scalar() == 0
        assert (
            conn.execute(
                sa.select(sa.func.count()).select_from(t.audit_log).where(t.audit_log.c.record_id.is_not(None))
            ).scalar()
            == 0
        )


def test_withdrawal_keeps_a_tombstone_and_queues_a_delete(service, museum):
    created = service.upsert(cli_actor(), "tate", record_payload())
    withdrawn = service.withdraw(cli_actor(), "tate", "T00001")
    assert (withdrawn.action, withdrawn.revision) == ("withdrawn", 2)
    record = service.record(created.record_id, cli_actor())
    assert record.status == "withdrawn" and record.body["title"] == {"en": ["The Great Wave"]}
    assert outbox(service)[-1] == (created.record_id, 2, "delete")
    assert service.withdraw(cli_actor(), "tate", "T00001").action == "unchanged"
    revived = service.upsert(cli_actor(), "tate", record_payload())
    assert (revived.action, revived.revision) == ("updated", 3)


def test_a_stale_expected_revision_is_a_conflict(service, museum):
    service.upsert(cli_actor(), "tate", record_payload())
    service.upsert(cli_actor(), "tate", record_payload(title="v2"))
    with pytest.raises(Conflict):
        service.upsert(cli_actor(), "tate", record_payload(title="v3"), expected_revision=1)
    assert service.upsert(cli_actor(), "tate", record_payload(title="v3"), expected_revision=2).revision == 3


def test_curators_write_only_their_own_museum(service, make_museum):
    make_museum("tate")
    make_museum("rijksmuseum", country="NL")
    curator = Actor(name="curator", role="curator", museum="rijksmuseum")
    with pytest.raises(Forbidden):
        service.upsert(curator, "tate", record_payload())
    assert service.upsert(curator, "rijksmuseum", record_payload()).action == "created"


def test_suspended_museums_cannot_write(service, make_museum):
    make_museum("tate", status="suspended")
    with pytest.raises(Forbidden):
        service.upsert(cli_actor(), "tate", record_payload())


def test_unknown_museum_is_not_found(service):
    with pytest.raises(NotFound):
        service.upsert(cli_actor(), "nowhere", record_payload())


def test_a_batch_with_one_bad_record_writes_nothing(service, museum):
    with pytest.raises(ValidationFailed) as caught:
        service.upsert_many(cli_actor(), "tate", [record_payload("a"), record_payload("b", title=None)])
    assert caught.value.errors[0]["index"] == 1
    assert service.store.count_records("tate") == 0


def test_a_batch_with_a_repeated_local_id_is_refused(service, museum):
    with pytest.raises(ValidationFailed):
        service.save_records(
            cli_actor(), "tate", [validate_record(record_payload("a")), validate_record(record_payload("a"))]
        )
    assert service.store.count_records("tate") == 0


def test_dry_run_works_out_outcomes_without_writing(service, museum):
    service.upsert(cli_actor(), "tate", record_payload("a"))
    outcomes = service.save_records(
        cli_actor(),
        "tate",
        [validate_record(record_payload("a", title="new")), validate_record(record_payload("b"))],
        dry_run=True,
    )
    assert [o.action for o in outcomes] == ["updated", "created"]
    assert service.store.count_records("tate") == 1
    assert service.record_by_local_id("tate", "a").revision == 1


def test_the_index_builder_reads_records_exactly_as_get_records_does(service, museum):
    """`records_to_index` is the rebuild's fast read (plain rows, orjson): same records, same values."""
    plain = service.upsert(cli_actor(), "tate", record_payload()).record_id
    awkward = record_payload(
        "T00002",
        title={"ja": ["神奈川沖浪裏"], "en": ["Wave “quoted” \\ back\tslash"]},
        date_begin=1830,
        dimensions="24.6 × 36.5 cm",
        makers=[{"name": "Hokusai", "role": "artist", "birth_year": 99999}],  # dropped with a warning
    )
    warned = service.upsert(cli_actor(), "tate", awkward).record_id
    image = StoredImage("img1", warned, "ab" * 32, 0, "jpeg", 1200, 800, 5000, "The wave")
    with service.store.transaction() as conn:
        service.store.add_image(conn, image, "wave.jpg")
    ids = [plain, warned, "no-such-record"]
    assert service.store.records_to_index(ids) == service.store.get_records(ids)
    assert service.store.get_records([warned])[0].warnings and service.store.get_records([warned])[0].images
