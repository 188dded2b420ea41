"""The import benchmark's bookkeeping floor (bench/import_bench.py --floor).

The floor is quoted as the most any import that keeps a history can reach against plain inserts,
so it must insert exactly what our import wrote beside the records, in as many transactions."""

import importlib.util
import sqlite3
import sys
from pathlib import Path

from tests.support import shared_records_path

REPO = Path(__file__).resolve().parents[2]


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_import", REPO / "bench" / "import_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


import_bench = _load_bench()


def test_each_bookkeeping_row_goes_with_the_batch_of_its_record():
    batches = [[{"id": "a"}, {"id": "b"}], [{"id": "c"}]]
    beside = {"index_outbox": [{"record_id": "c"}, {"record_id": "a"}], "audit_log": [{"record_id": None}]}
    assert import_bench._shares(batches, beside) == [
        {"index_outbox": [{"record_id": "a"}], "audit_log": [{"record_id": None}]},  # a museum's entry: first
        {"index_outbox": [{"record_id": "c"}]},
    ]


def test_the_floor_inserts_every_row_the_import_wrote_beside_the_records(tmp_path, monkeypatch):
    """Read back a chunk at a time (25 records here, as 20,000 of a million), each with its rows."""
    monkeypatch.setattr(import_bench, "READ_CHUNK", 25)
    source = import_bench.replicated(shared_records_path(), 60, tmp_path / "records.jsonl")
    result = import_bench.one_round(source, tmp_path / "round", index_sync=False, floor=True)

    def counts(database: Path) -> dict[str, int]:
        with sqlite3.connect(database) as conn:
            tables = ("records", "museums", *import_bench.BOOKKEEPING)
            return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}

    ours = counts(tmp_path / "round" / "ours" / "catalogue.sqlite3")
    assert ours["records"] == ours["record_revisions"] == ours["index_outbox"] == 60
    # each museum the file registers is audited too, and each record's queued image URLs
    assert ours["audit_log"] == 60 + ours["museums"] + len(set(_image_records(tmp_path)))
    assert counts(tmp_path / "round" / "floor" / "baseline.sqlite3") == ours
    beside = sum(ours[table] for table in import_bench.BOOKKEEPING)
    assert result["bookkeeping_rows_per_record"] == round(beside / 60, 2)
    assert result["ratio_floor_to_baseline"] > 0 and result["ratio_ours_to_floor"] > 0


def _image_records(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "round" / "ours" / "catalogue.sqlite3") as conn:
        return [row[0] for row in conn.execute("SELECT record_id FROM image_sources")]
