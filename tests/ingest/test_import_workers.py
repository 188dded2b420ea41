"""A long file is validated in worker processes while the importer saves: what lands and what is
reported is exactly what one process makes of the same file, row for row, in the same order."""

import json

import pytest
import sqlalchemy as sa

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.ingest import importer as importer_module
from catalogue.ingest.importer import Importer
from catalogue.store import tables as t
from tests.support import record_payload

pytestmark = pytest.mark.slow


# a museum the file names first long after the workers took over
LATE_MUSEUM = {
    "record_id": "late-1",
    "source_id": "L1",
    "source_museum_code": "late",
    "source_museum": "Museu Tardio (Lisboa)",
    "source_museum_country": "PT",
    "title": "Azulejo panel",
}


def mixed_file(tmp_path, shared_records_path):
    """1,200 shared records, and one of a museum named late in the file, with bad rows among them:
    broken JSON, a line that is not an object, bytes that are not UTF-8, an invalid record, a
    repeated local id, a museum nobody knows; and blank lines, which are not rows."""
    with open(shared_records_path, "rb") as handle:
        lines = [line.rstrip(b"\n") for line, _ in zip(handle, range(1200))]
    lines.insert(10, b"{not json")
    lines.insert(150, b"")
    lines.insert(151, b"   ")
    lines.insert(200, b"[1, 2]")
    lines.insert(250, b'{"title": "Caf\xe9"}')
    lines.insert(300, json.dumps({**record_payload("BAD1", title=""), "museum": "tate"}).encode())
    lines.insert(700, lines[5])
    lines.insert(900, json.dumps({**record_payload("ELSEWHERE"), "museum": "nowhere"}).encode())
    lines.insert(1000, json.dumps(LATE_MUSEUM).encode())
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def mixed_csv(tmp_path):
    """600 CSV rows for a known museum, with bad rows among them: a missing cell, no title, a
    museum nobody knows, a repeated local id, an unknown country (a warning: the row lands)."""
    rows = [f"C{n},Vase {n},tate,c. {1700 + n % 200},JP" for n in range(600)]
    rows[40] = "C40,Vase 40,tate,1850"
    rows[120] = "C120,,tate,1850,JP"
    rows[333] = "C333,Bowl,nowhere,1850,JP"
    rows[450] = rows[7]
    rows[500] = "C500,Bowl,tate,1850,Atlantis"
    path = tmp_path / "mixed.csv"
    path.write_text("local_id,title,museum,date_display,country\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def imported(tmp_path, name, path, workers):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / name), "INDEX_SYNC": False})
    app.extensions["catalogue"].upgrade_schema()  # as `catalogue db upgrade` does
    try:
        with app.app_context():
            service = app.extensions["catalogue"]
            service.register_museum(cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB"})
            report = Importer(service, cli_actor(), register_museums=True, workers=workers).import_file(path)
        with app.extensions["catalogue"].store.reading() as conn:
            rows = conn.execute(t.records.select()).mappings()
            stored = {(row["museum"], row["local_id"]): row["body"] for row in rows}
            museums = conn.execute(sa.select(t.museums.c.code, t.museums.c.names, t.museums.c.city)).all()
    finally:
        app.extensions["catalogue"].store.dispose()
    return report, stored, sorted(museums)


def described(report):
    return (
        dict(report.counts),
        [(e.row, e.field, e.message, e.local_id, e.value) for e in report.errors],
        [(w.row, w.field, w.message, w.local_id, w.value) for w in report.warnings],
        report.museums_registered,
    )


def workers_from_row_100(monkeypatch) -> list[int]:
    """Workers start at row 100 and take chunks of 50; the rows validated here are counted."""
    validated_here: list[int] = []
    original = importer_module.validated
    monkeypatch.setattr(importer_module, "WORKERS_AFTER_ROWS", 100)
    monkeypatch.setattr(importer_module, "VALIDATION_CHUNK", 50)
    # once started, the workers are waited for (a short file would otherwise end before they are up)
    monkeypatch.setattr(importer_module, "_started", lambda ready: ready is not None and ready.result())
    monkeypatch.setattr(importer_module, "validated", lambda *a: validated_here.append(1) or original(*a))
    return validated_here


def test_workers_import_exactly_what_one_process_imports(tmp_path, shared_records_path, monkeypatch):
    path = mixed_file(tmp_path, shared_records_path)
    alone, stored_alone, museums_alone = imported(tmp_path, "alone", path, workers=1)

    validated_here = workers_from_row_100(monkeypatch)
    with_workers, stored_with_workers, museums_with_workers = imported(tmp_path, "workers", path, workers=2)

    assert described(with_workers) == described(alone)
    assert stored_with_workers == stored_alone
    assert museums_with_workers == museums_alone  # registered from the rows with the same details
    assert len(stored_alone) == 1201  # every shared record; the six bad rows refused
    assert ("late", {"en": ["Museu Tardio"]}, "Lisboa") in museums_alone
    assert [e.row for e in alone.errors] == sorted(e.row for e in alone.errors) and len(alone.errors) == 6
    assert len(validated_here) < 1000  # most rows were read and validated by the workers, not here


def test_workers_import_a_csv_file_exactly_as_one_process_does(tmp_path, monkeypatch):
    path = mixed_csv(tmp_path)
    alone, stored_alone, _ = imported(tmp_path, "alone", path, workers=1)

    validated_here = workers_from_row_100(monkeypatch)
    with_workers, stored_with_workers, _ = imported(tmp_path, "workers", path, workers=2)

    assert described(with_workers) == described(alone)
    assert stored_with_workers == stored_alone
    assert len(stored_alone) == 596 and alone.rejected == 4 and alone.warned == 1
    assert len(validated_here) < 200
