"""A long file is validated in worker processes while the importer saves: what lands and what is
reported is exactly what one process makes of the same file, row for row, in the same order."""

import json

import pytest

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.ingest import importer as importer_module
from catalogue.ingest.importer import Importer
from catalogue.store import tables as t
from tests.support import record_payload

pytestmark = pytest.mark.slow


def mixed_file(tmp_path, shared_records_path):
    """1,200 shared records with bad rows among them: broken JSON, an invalid record, a repeated
    local id, a museum nobody knows."""
    with open(shared_records_path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line, _ in zip(handle, range(1200))]
    lines.insert(10, "{not json")
    lines.insert(300, json.dumps({**record_payload("BAD1", title=""), "museum": "tate"}))
    lines.insert(700, lines[5])
    lines.insert(900, json.dumps({**record_payload("ELSEWHERE"), "museum": "nowhere"}))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported(tmp_path, name, path, workers):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / name), "INDEX_SYNC": False})
    app.extensions["catalogue"].upgrade_schema()  # as `catalogue db upgrade` does
    try:
        with app.app_context():
            report = Importer(
                app.extensions["catalogue"], cli_actor(), register_museums=True, workers=workers
            ).import_file(path)
        with app.extensions["catalogue"].store.reading() as conn:
            rows = conn.execute(t.records.select()).mappings()
            stored = {(row["museum"], row["local_id"]): row["body"] for row in rows}
    finally:
        app.extensions["catalogue"].store.dispose()
    return report, stored


def described(report):
    return (
        dict(report.counts),
        [(e.row, e.field, e.message, e.local_id) for e in report.errors],
        [(w.row, w.field, w.message, w.local_id) for w in report.warnings],
        report.museums_registered,
    )


def test_workers_import_exactly_what_one_process_imports(tmp_path, shared_records_path, monkeypatch):
    path = mixed_file(tmp_path, shared_records_path)
    alone, stored_alone = imported(tmp_path, "alone", path, workers=1)

    validated_here = []
    original = importer_module.validated
    monkeypatch.setattr(importer_module, "WORKERS_AFTER_ROWS", 100)
    monkeypatch.setattr(importer_module, "VALIDATION_CHUNK", 50)
    # once started, the workers are waited for (a short file would otherwise end before they are up)
    monkeypatch.setattr(importer_module, "_started", lambda ready: ready is not None and ready.result())
    monkeypatch.setattr(importer_module, "validated", lambda *a: validated_here.append(1) or original(*a))
    with_workers, stored_with_workers = imported(tmp_path, "workers", path, workers=2)

    assert described(with_workers) == described(alone)
    assert stored_with_workers == stored_alone
    assert len(stored_alone) == 1200  # every shared record; the four bad rows refused
    assert [e.row for e in alone.errors] == sorted(e.row for e in alone.errors) and len(alone.errors) == 4
    assert len(validated_here) < 1000  # most rows were validated by the workers, not here
