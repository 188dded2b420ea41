"""Import benchmark: our full import path vs plain inserts of the same rows into the same database.

    python bench/import_bench.py [records.jsonl]

Ours = `Importer` (read, map, validate + normalise with marshmallow, date parsing, upsert with
revision check, audit log and index outbox in the same transactions). Baseline = the same final
rows inserted with executemany in batches of the same size, nothing else. Both run on a fresh
SQLite file in the same run, so the ratio is what our validation and bookkeeping cost.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.ingest import Importer
from catalogue.ingest.importer import BATCH_SIZE
from catalogue.store import Store, now
from catalogue.store import tables as t

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "open-collections" / "records.jsonl"


def time_ours(source: Path, data_dir: Path) -> tuple[float, int]:
    app = create_app({"DATA_DIR": str(data_dir)})
    app.extensions["catalogue"].upgrade_schema()  # as `catalogue db upgrade` does
    with app.app_context():
        service = app.extensions["catalogue"]
        started = time.perf_counter()
        report = Importer(service, cli_actor(), register_museums=True).import_file(source)
        elapsed = time.perf_counter() - started
        service.store.dispose()
    return elapsed, sum(report.counts.values())


def baseline_rows(ours_db: Path) -> list[dict]:
    """The rows our import wrote, read back, so the baseline inserts exactly the same data."""
    store = Store(f"sqlite:///{ours_db}")
    with store.reading() as conn:
        rows = [dict(row) for row in conn.execute(t.records.select()).mappings()]
        museums = [dict(row) for row in conn.execute(t.museums.select()).mappings()]
    store.dispose()
    return museums, rows


def time_baseline(museums: list[dict], rows: list[dict], data_dir: Path) -> float:
    store = Store(f"sqlite:///{data_dir / 'baseline.sqlite3'}")
    store.upgrade_schema()
    with store.transaction() as conn:
        conn.execute(t.museums.insert(), museums)
    stamp = now()
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH_SIZE):
        with store.transaction() as conn:
            conn.execute(
                t.records.insert(),
                [{**row, "created_at": stamp, "updated_at": stamp} for row in rows[start : start + BATCH_SIZE]],
            )
    elapsed = time.perf_counter() - started
    store.dispose()
    return elapsed


def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as temp:
        ours_dir, base_dir = Path(temp) / "ours", Path(temp) / "baseline"
        base_dir.mkdir(parents=True)
        ours_seconds, count = time_ours(source, ours_dir)
        museums, rows = baseline_rows(ours_dir / "catalogue.sqlite3")
        base_seconds = time_baseline(museums, rows, base_dir)
    result = {
        "records": count,
        "ours_records_per_s": round(count / ours_seconds),
        "baseline_records_per_s": round(len(rows) / base_seconds),
        "ratio_ours_to_baseline": round((count / ours_seconds) / (len(rows) / base_seconds), 3),
    }
    print(
        f"imported {count} records: ours {result['ours_records_per_s']} records/s "
        f"({ours_seconds:.2f} s), plain inserts {result['baseline_records_per_s']} records/s "
        f"({base_seconds:.2f} s), ratio {result['ratio_ours_to_baseline']}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
