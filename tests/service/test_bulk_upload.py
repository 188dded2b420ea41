"""Bulk uploads, as the service runs them: upload, column mapping, a dry run that writes nothing,
then a run in the background that lands the good rows, reports the bad ones, names the curator
who confirmed it, is claimed by one runner only, and is picked up again after its process stopped."""

import io
import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.service import validate_record
from catalogue.service.bulk import STALE_AFTER
from catalogue.store import now
from catalogue.store import tables as t
from tests.support import PASSWORD, image_bytes, record_payload


@pytest.fixture
def curator(service, museum, make_account):
    return service.authenticate(make_account("curator", museum.code), PASSWORD, "127.0.0.1")[0]


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "imports"


@pytest.fixture
def upload(service, curator, folder):
    """upload(name, content) -> the BulkUpload, sent as the curator of tate."""

    def send(name: str, content, file_format: str = "auto", actor=None):
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        return service.upload_import(actor or curator, "tate", name, io.BytesIO(data), folder, file_format)

    return send


def jsonl(*records) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def dry_run(service, actor, import_id: int):
    """Ask for the dry run and make it (as the background job does)."""
    assert service.request_check(actor, import_id).state == "checking"
    assert service.run_import(import_id) is True
    return service.bulk_upload(actor, import_id)


def checked_jsonl(service, curator, upload, *records):
    return dry_run(service, curator, upload("objects.jsonl", jsonl(*records)).id)


def records_of(service, museum="tate") -> int:
    return service.store.count_records(museum, status=None)


CSV = (
    "Object number,Title,Artist,Date,Shelf\n"
    "T1,The Great Wave,Katsushika Hokusai,c. 1830,A\n"
    "T2,,Nobody,1900,B\n"
    'T3,"Fuji, red",Hokusai; Hiroshige,1831,C\n'
)


def test_a_csv_is_mapped_and_its_dry_run_reports_the_bad_rows_and_writes_nothing(service, curator, upload):
    sent = upload("objects.csv", CSV)
    assert (sent.format, sent.state, sent.filename) == ("csv", "uploaded", "objects.csv")

    columns = service.csv_columns(curator, sent.id)
    assert [(c.header, c.field) for c in columns] == [
        ("Object number", "local_id"),
        ("Title", "title"),
        ("Artist", "makers"),
        ("Date", "date_display"),
        ("Shelf", ""),
    ]
    assert columns[1].samples == ["The Great Wave", "", "Fuji, red"]

    service.save_mapping(curator, sent.id, {c.index: c.field for c in columns}, "en")
    checked = dry_run(service, curator, sent.id)
    report = checked.dry_run_report
    assert checked.state == "checked" and checked.total_rows == 3
    assert report["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "warned": 0}
    assert [(line["kind"], line["row"], line["field"]) for line in report["lines"]] == [("error", 3, "title")]
    assert records_of(service) == 0
    assert [entry["action"] for entry in service.audit_entries()][-1] == "import_uploaded"


def test_a_mapping_without_a_title_or_with_a_field_twice_is_refused_per_column(service, curator, upload):
    sent = upload("objects.csv", CSV)
    with pytest.raises(ValidationFailed) as refused:
        service.save_mapping(curator, sent.id, {0: "local_id", 2: "local_id", 3: "title.xx"}, None)
    messages = {error["field"]: error["message"] for error in refused.value.errors}
    assert set(messages) == {"column-2", "column-3", "mapping"}
    assert "title" in messages["mapping"]
    assert service.bulk_upload(curator, sent.id).mapping is None


def test_a_confirmed_run_lands_the_good_rows_reports_the_bad_ones_and_names_the_curator(service, curator, upload):
    service.import_batch_size = 2
    rows = [record_payload(f"J{n}", title=f"Print {n}") for n in range(1, 6)]
    rows[1] = record_payload("J2", title="")  # no title: rejected
    rows.append(record_payload("J1", title="Again"))  # a duplicate local id: rejected
    rows.append(record_payload("J7", date_begin=1900, date_end=1800))  # lands, with a warning
    checked = checked_jsonl(service, curator, upload, *rows)
    assert checked.dry_run_report["counts"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "warned": 1,
    }

    service.confirm_import(curator, checked.id)
    assert service.run_import(checked.id) is True

    done = service.bulk_upload(curator, checked.id)
    assert (done.state, done.processed_rows, done.total_rows, done.error) == ("done", 7, 7, None)
    assert done.counts == {"created": 5, "updated": 0, "unchanged": 0, "rejected": 2, "warned": 1}
    assert sum(done.counts[name] for name in ("created", "updated", "unchanged", "rejected")) == done.total_rows
    assert [(line["kind"], line["row"]) for line in done.report["lines"]] == [
        ("error", 2),
        ("error", 6),
        ("warning", 7),
    ]
    assert records_of(service) == 5
    creates = [entry for entry in service.audit_entries() if entry["action"] == "create"]
    assert len(creates) == 5 and {entry["actor"] for entry in creates} == {curator.name}
    assert [e["action"] for e in service.audit_entries() if e["action"].startswith("import_")] == [
        "import_uploaded",
        "import_confirmed",
        "import_done",
    ]


def test_rows_for_another_museum_are_rejected_and_never_written(service, curator, upload, make_museum):
    make_museum("rijksmuseum", country="NL")
    shared = json.loads(
        '{"record_id": "rijksmuseum:X1", "source_museum_code": "rijksmuseum", "source_id": "X1", "title": "Elsewhere"}'
    )
    checked = checked_jsonl(
        service,
        curator,
        upload,
        record_payload("A1"),
        {**record_payload("A2"), "museum": "rijksmuseum"},
        {**record_payload("A3"), "museum": "tate"},
        shared,
    )
    assert [(line["row"], line["field"]) for line in checked.dry_run_report["lines"]] == [(2, "museum"), (4, "museum")]
    assert "rijksmuseum" in checked.dry_run_report["lines"][0]["message"]

    service.confirm_import(curator, checked.id)
    service.run_import(checked.id)
    assert records_of(service, "tate") == 2 and records_of(service, "rijksmuseum") == 0


BOTH_DATABASES = pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])


@BOTH_DATABASES
def test_a_claimed_import_is_not_run_twice(service, curator, upload):
    first = checked_jsonl(service, curator, upload, record_payload("C1"))
    service.confirm_import(curator, first.id)
    assert service.store.claim_import(first.id, "another-process", now() - STALE_AFTER) is not None
    assert service.run_import(first.id) is False
    service.run_pending_imports()
    assert records_of(service) == 0 and service.bulk_upload(curator, first.id).state == "running"

    second = checked_jsonl(service, curator, upload, *[record_payload(f"R{n}") for n in range(20)])
    service.confirm_import(curator, second.id)
    results: list[bool] = []
    runners = [threading.Thread(target=lambda: results.append(service.run_import(second.id))) for _ in range(4)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert sorted(results) == [False, False, False, True]
    creates = [e for e in service.audit_entries() if e["action"] == "create"]
    assert len(creates) == 20 and records_of(service) == 20


def stop_process_after(service, curator, upload_id: int, rows: list[dict], saved_progress: bool) -> None:
    """What a process that stopped mid-run leaves: the import claimed and running with an old
    heartbeat, its first batch written, and (unless it stopped just before) that batch's progress."""
    service.store.claim_import(upload_id, "stopped-process", now() - STALE_AFTER)
    service.save_records(curator, "tate", [validate_record(row) for row in rows])
    values: dict = {"updated_at": now() - STALE_AFTER - timedelta(minutes=1)}
    if saved_progress:
        counts = {"created": len(rows), "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
        report = {"counts": counts, "lines": [], "lines_total": 0, "last_row": len(rows)}
        values |= {"processed_rows": len(rows), "counts": counts, "report": report}
    with service.store.transaction() as conn:
        conn.execute(sa.update(t.imports).where(t.imports.c.id == upload_id).values(**values))


@BOTH_DATABASES
@pytest.mark.parametrize("saved_progress", [True, False], ids=["after-its-progress", "before-its-progress"])
def test_a_stale_running_import_is_picked_up_again_and_finishes_without_duplicates(
    service, curator, upload, saved_progress
):
    service.import_batch_size = 2
    rows = [record_payload(f"S{n}", title=f"Sketch {n}") for n in range(1, 6)] + [record_payload("S1")]
    checked = checked_jsonl(service, curator, upload, *rows)
    service.confirm_import(curator, checked.id)
    stop_process_after(service, curator, checked.id, rows[:2], saved_progress)

    service.run_pending_imports()

    done = service.bulk_upload(curator, checked.id)
    assert (done.state, done.processed_rows) == ("done", 6)
    created, unchanged = (5, 0) if saved_progress else (3, 2)
    assert (done.counts["created"], done.counts["unchanged"], done.counts["rejected"]) == (created, unchanged, 1)
    assert [(line["row"], line["message"]) for line in done.report["lines"]] == [
        (6, "Duplicate local id; first seen in line 1.")
    ]
    assert records_of(service) == 5
    assert {record.revision for record in service.store.list_records("tate", status=None)} == {1}
    assert len([e for e in service.audit_entries() if e["action"] == "create"]) == 5


def test_a_runner_whose_claim_was_taken_over_can_no_longer_save(service, curator, upload):
    checked = checked_jsonl(service, curator, upload, record_payload("L1"))
    service.confirm_import(curator, checked.id)
    service.store.claim_import(checked.id, "slow-process", now() - STALE_AFTER)
    assert service.store.claim_import(checked.id, "new-process", now() + timedelta(seconds=1)) is not None
    with service.store.transaction() as conn:
        assert not service.store.update_import(conn, checked.id, {"processed_rows": 1}, ("running",), "slow-process")
        assert service.store.update_import(conn, checked.id, {"processed_rows": 1}, ("running",), "new-process")


def test_a_run_fails_whole_when_the_confirming_account_was_deactivated(service, curator, upload):
    checked = checked_jsonl(service, curator, upload, record_payload("D1"))
    service.confirm_import(curator, checked.id)
    service.set_active(cli_actor(), curator.user_id, False)
    service.run_import(checked.id)
    failed = service.bulk_upload(cli_actor(), checked.id)
    assert failed.state == "failed" and "no longer active" in failed.error
    assert records_of(service) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \n\n", "The file is empty."),
        (image_bytes("PNG"), "not a text file"),
        ("local_id,title\nA1,Café\n".encode("latin-1"), "not UTF-8"),
        (b"local_id,title\nA1,Caf" + "é".encode()[:1], "not UTF-8"),
        (b'[{"local_id": "A1", "title": "x"}]', "one JSON array"),
    ],
    ids=["empty", "only-a-bom", "binary", "latin-1", "cut-in-a-character", "json-array"],
)
def test_files_that_are_not_utf8_text_records_are_refused_whole(service, curator, upload, folder, content, message):
    name = "objects.json" if content.startswith(b"[") else "objects.csv"
    with pytest.raises(ValidationFailed) as refused:
        upload(name, content)
    assert message in refused.value.errors[0]["message"] and refused.value.errors[0]["field"] == "file"
    assert service.bulk_uploads(curator, "tate") == [] and list(folder.iterdir()) == []


def test_the_kept_file_has_a_safe_name_and_the_history_the_original(service, curator, upload, folder):
    sent = upload("../../Mes objets (2024).csv", CSV)
    assert sent.filename == "Mes objets (2024).csv"
    assert [path.name for path in folder.iterdir()] == [f"{sent.id}-Mes_objets_2024.csv"]


def test_another_museums_curator_neither_sees_nor_touches_an_upload(
    service, curator, upload, make_museum, make_account
):
    make_museum("rijksmuseum", country="NL")
    other = service.authenticate(make_account("curator", "rijksmuseum"), PASSWORD, "127.0.0.1")[0]
    checked = checked_jsonl(service, curator, upload, record_payload("P1"))
    steps = (service.bulk_upload, service.request_check, service.confirm_import, service.csv_columns)
    for step in (*steps, service.discard_import):
        with pytest.raises(Forbidden) as refused:
            step(other, checked.id)
        assert "objects.jsonl" not in refused.value.message
    assert service.bulk_upload(curator, checked.id).state == "checked"  # still there
    with pytest.raises(NotFound):
        service.bulk_upload(curator, checked.id + 1)
    with pytest.raises(Forbidden):
        service.bulk_uploads(other, "tate")
    with pytest.raises(Forbidden):
        upload("objects.csv", CSV, actor=other)
    assert service.bulk_upload(cli_actor(), checked.id).id == checked.id  # the secretariat sees every museum's


def test_a_csv_needs_its_mapping_before_the_dry_run(service, curator, upload):
    sent = upload("objects.csv", CSV)
    with pytest.raises(ValidationFailed) as refused:
        service.request_check(curator, sent.id)
    assert refused.value.errors[0]["field"] == "mapping"
    assert service.run_import(sent.id) is False  # nothing waits


def test_a_dry_run_left_by_a_stopped_process_is_made_again(service, curator, upload):
    sent = upload("objects.jsonl", jsonl(record_payload("K1"), record_payload("K2", title="")))
    service.request_check(curator, sent.id)
    service.store.claim_import(sent.id, "stopped-process", now() - STALE_AFTER)
    assert service.run_import(sent.id) is False  # its heartbeat is fresh: it may still be working
    with service.store.transaction() as conn:
        stale = now() - STALE_AFTER - timedelta(minutes=1)
        conn.execute(sa.update(t.imports).where(t.imports.c.id == sent.id).values(updated_at=stale))

    service.run_pending_imports()

    checked = service.bulk_upload(curator, sent.id)
    assert (checked.state, checked.total_rows, checked.claimed_by) == ("checked", 2, None)
    assert checked.dry_run_report["counts"]["created"] == 1 and checked.dry_run_report["counts"]["rejected"] == 1
    assert records_of(service) == 0


def test_a_dry_run_that_may_not_run_sends_the_upload_back_with_the_reason(service, curator, upload):
    sent = upload("objects.jsonl", jsonl(record_payload("V1")))
    service.request_check(curator, sent.id)
    service.set_active(cli_actor(), curator.user_id, False)
    service.run_import(sent.id)
    back = service.bulk_upload(cli_actor(), sent.id)
    assert back.state == "uploaded" and "no longer active" in back.error and back.dry_run_report is None


def test_an_import_whose_file_is_gone_fails_with_the_reason(service, curator, upload):
    checked = checked_jsonl(service, curator, upload, record_payload("G1"))
    service.confirm_import(curator, checked.id)
    Path(checked.file_path).unlink()
    service.run_import(checked.id)
    failed = service.bulk_upload(curator, checked.id)
    assert (failed.state, failed.error) == ("failed", "The uploaded file is no longer kept; upload it again.")
    assert [e["action"] for e in service.audit_entries()][-1] == "import_failed"


def test_rows_that_name_no_status_take_the_one_chosen_at_confirmation(service, curator, upload):
    rows = [record_payload("S1"), record_payload("S2", status="published")]  # S1 names no status
    checked = checked_jsonl(service, curator, upload, *rows)
    with pytest.raises(ValidationFailed):
        service.confirm_import(curator, checked.id, "withdrawn")
    service.confirm_import(curator, checked.id, "draft")
    assert service.run_import(checked.id) is True
    statuses = {record.local_id: record.status for record in service.store.list_records("tate", status=None)}
    assert statuses == {"S1": "draft", "S2": "published"}


def test_an_upload_never_imported_is_discarded_with_its_file_and_the_discard_is_audited(service, curator, upload):
    mapped_never = upload("wrong.csv", CSV)
    checked = checked_jsonl(service, curator, upload, record_payload("D1"))
    for sent in (mapped_never, checked):
        service.discard_import(curator, sent.id)
        assert not Path(sent.file_path).exists()
        with pytest.raises(NotFound):
            service.bulk_upload(curator, sent.id)
    assert service.bulk_uploads(curator, "tate") == [] and records_of(service) == 0
    discards = [entry for entry in service.audit_entries() if entry["action"] == "import_discarded"]
    assert [(e["actor"], e["museum"], e["changes"]["file"]) for e in discards] == [
        (curator.name, "tate", "wrong.csv"),
        (curator.name, "tate", "objects.jsonl"),
    ]


def test_an_upload_once_confirmed_stays_as_the_account_of_what_it_wrote(service, curator, upload):
    checked = checked_jsonl(service, curator, upload, record_payload("D1"))
    service.confirm_import(curator, checked.id)
    with pytest.raises(Conflict):
        service.discard_import(curator, checked.id)  # queued
    service.run_import(checked.id)
    with pytest.raises(Conflict):
        service.discard_import(curator, checked.id)  # done
    done = service.bulk_upload(curator, checked.id)
    assert done.state == "done" and Path(done.file_path).exists() and records_of(service) == 1
