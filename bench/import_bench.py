"""Import benchmark: our full import path vs plain inserts of the same rows into the same database.

    python bench/import_bench.py [records.jsonl] [--records N] [--index-worker] [--rounds R] [--floor]

Ours = `Importer` (read, map, validate + normalise with marshmallow, date parsing, upsert with
revision check, audit log and index outbox in the same transactions), with the app's default
settings and `catalogue import`'s validating workers (IMPORT_WORKERS processes beside this one) and
garbage collection for batch work (`batch_work`): on one machine (INDEX_SYNC) each batch is also
indexed right after it commits. `--index-worker` measures the import as it runs beside
`catalogue index-worker` (INDEX_SYNC off: the outbox keeps the indexing for the worker).
Baseline = the same final rows inserted with executemany in batches of the same size, nothing else.
Both run on a fresh SQLite file in the same run, so the ratio is what our validation and bookkeeping cost.
Bookkeeping floor (`--floor`): every row our import wrote (the records, and with each its revision,
audit entry, index outbox entry and queued image URLs) inserted the same way, read back and
pre-built: the least an import that keeps a history and never loses an index update can cost,
before reading or validating anything. Its ratio to the baseline bounds ours from above.

The script loads the app inside the functions that time it, not at its top: the workers of
`catalogue import` start by importing the main module of the process (see catalogue/__main__.py),
and the command's is light; a script that loaded the app at its top would make them load it too.

`--records N` imports N records: the file's records replicated (each copy's local ids suffixed, so
every record is new), written to a temporary JSON Lines file first (not timed).
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "open-collections" / "records.jsonl"


def replicated(source: Path, count: int, target: Path) -> Path:
    """A JSON Lines file of ``count`` records: ``source``'s, copied as often as needed. Copy n > 0
    of a record gets the local id "<id>~n" (shared format: source_id; ours: local_id)."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(target, "w", encoding="utf-8") as out:
        for index in range(count):
            copy, line = divmod(index, len(lines))
            if copy:
                data = json.loads(lines[line])
                key = "source_id" if "source_id" in data else "local_id"
                data[key] = f"{data[key]}~{copy}"
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                out.write(lines[line] + "\n")
    return target


def time_ours(source: Path, data_dir: Path, index_sync: bool = True) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of the import (this process's CPU: on a shared machine the CPU
    ratio is the steadier one), and the records it saved."""
    from catalogue import create_app
    from catalogue.cli import cli_actor
    from catalogue.ingest.importer import IMPORT_WORKERS, Importer
    from catalogue.processes import batch_work

    app = create_app({"DATA_DIR": str(data_dir), "INDEX_SYNC": index_sync})
    app.extensions["catalogue"].upgrade_schema()  # as `catalogue db upgrade` does
    with app.app_context(), batch_work():  # as `catalogue import` runs it
        service = app.extensions["catalogue"]
        started, cpu = time.perf_counter(), time.process_time()
        report = Importer(service, cli_actor(), register_museums=True, workers=IMPORT_WORKERS).import_file(source)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        service.store.dispose()
    return elapsed, cpu, sum(report.counts.values())


# what an import writes beside each record (see CatalogueService.save_records), in insertion order
BOOKKEEPING = ("record_revisions", "audit_log", "index_outbox", "image_sources")
# records read back at a time (with their bookkeeping): a million of them at once do not fit in memory
READ_CHUNK = 20_000
IN_CLAUSE = 500  # ids per "record_id IN (...)": SQLite's limit on bound parameters is far above


def written_museums(ours_db: Path) -> list[dict]:
    from catalogue.store import Store
    from catalogue.store import tables as t

    store = Store(f"sqlite:///{ours_db}")
    with store.reading() as conn:
        museums = [dict(row) for row in conn.execute(t.museums.select()).mappings()]
    store.dispose()
    return museums


def written_chunks(ours_db: Path, beside: bool) -> Iterator[tuple[list[dict], dict[str, list[dict]]]]:
    """The records our import wrote, READ_CHUNK at a time in the order it wrote them, so the baseline
    inserts exactly the same data; with ``beside``, each chunk comes with the rows of BOOKKEEPING that
    belong to its records (rows of no record, such as a museum's audit entry, with the first)."""
    import sqlalchemy as sa

    from catalogue.store import Store
    from catalogue.store import tables as t

    store = Store(f"sqlite:///{ours_db}")
    if beside:  # the outbox has no index by record: one for reading it back (ours is timed already)
        with store.transaction() as conn:
            conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS bench_outbox_record ON index_outbox (record_id)")
    rowid, last = sa.literal_column("rowid"), 0
    with store.reading() as conn:
        while True:
            query = sa.select(rowid, t.records).where(rowid > last).order_by(rowid).limit(READ_CHUNK)
            rows = [dict(row) for row in conn.execute(query).mappings()]
            if not rows:
                break
            written = _bookkeeping_of(conn, [row["id"] for row in rows], first=last == 0) if beside else {}
            last = rows[-1]["rowid"]
            yield [{k: v for k, v in row.items() if k != "rowid"} for row in rows], written
    store.dispose()


def _bookkeeping_of(conn, record_ids: list[str], first: bool) -> dict[str, list[dict]]:
    """The BOOKKEEPING rows of these records (and of no record, with the ``first`` chunk), in the
    order they were written."""
    from catalogue.store import tables as t

    written = {}
    for name in BOOKKEEPING:
        table = t.metadata.tables[name]
        found = []
        if first:
            found += [dict(row) for row in conn.execute(table.select().where(table.c.record_id.is_(None))).mappings()]
        for start in range(0, len(record_ids), IN_CLAUSE):
            chosen = table.select().where(table.c.record_id.in_(record_ids[start : start + IN_CLAUSE]))
            found += [dict(row) for row in conn.execute(chosen).mappings()]
        if "id" in table.c:
            found.sort(key=lambda row: row["id"])
        written[name] = found
    return written


def time_baseline(museums: list[dict], chunks, data_dir: Path) -> tuple[float, float, int, int]:
    """The records inserted in batches as our import commits them; each batch also inserts, in the
    same transaction, the rows its chunk brings beside it (the bookkeeping floor). Only the inserts
    are timed. Returns the seconds, the CPU seconds, the records and the rows beside them."""
    from catalogue.ingest.importer import BATCH_SIZE
    from catalogue.store import Store, now
    from catalogue.store import tables as t

    store = Store(f"sqlite:///{data_dir / 'baseline.sqlite3'}")
    store.upgrade_schema()
    with store.transaction() as conn:
        conn.execute(t.museums.insert(), museums)
    stamp = now()
    elapsed = cpu = 0.0
    records = beside_rows = 0
    for rows, beside in chunks:
        batches = [rows[start : start + BATCH_SIZE] for start in range(0, len(rows), BATCH_SIZE)]
        shares = _shares(batches, beside)
        started, cpu_started = time.perf_counter(), time.process_time()
        for batch, share in zip(batches, shares, strict=True):
            with store.transaction() as conn:
                conn.execute(t.records.insert(), [{**row, "created_at": stamp, "updated_at": stamp} for row in batch])
                for name, written in share.items():
                    conn.execute(t.metadata.tables[name].insert(), written)
        elapsed, cpu = elapsed + time.perf_counter() - started, cpu + time.process_time() - cpu_started
        records, beside_rows = records + len(rows), beside_rows + sum(map(len, beside.values()))
    store.dispose()
    return elapsed, cpu, records, beside_rows


def _shares(batches: list[list[dict]], beside: dict[str, list[dict]]) -> list[dict[str, list[dict]]]:
    """For each batch of records, the rows of ``beside``'s tables that belong with it (by record id)."""
    batch_of = {row["id"]: number for number, batch in enumerate(batches) for row in batch}
    shares: list[dict[str, list[dict]]] = [{} for _ in batches]
    for name, written in beside.items():
        for row in written:
            shares[batch_of.get(row.get("record_id"), 0)].setdefault(name, []).append(row)
    return shares


def one_round(source: Path, temp: Path, index_sync: bool, floor: bool) -> dict:
    """Ours, then the baseline on the rows ours wrote (and the bookkeeping floor): fresh SQLite files."""
    ours_dir, base_dir, floor_dir = temp / "ours", temp / "baseline", temp / "floor"
    base_dir.mkdir(parents=True)
    ours_seconds, ours_cpu, count = time_ours(source, ours_dir, index_sync)
    ours_db = ours_dir / "catalogue.sqlite3"
    museums = written_museums(ours_db)
    base_seconds, base_cpu, inserted, _ = time_baseline(museums, written_chunks(ours_db, beside=False), base_dir)
    figures = {}
    if floor:
        floor_dir.mkdir(parents=True)
        floor_seconds, _, _, beside = time_baseline(museums, written_chunks(ours_db, beside=True), floor_dir)
        figures = {
            "bookkeeping_rows_per_record": round(beside / max(1, inserted), 2),
            "ratio_floor_to_baseline": round(base_seconds / floor_seconds, 3),
            "ratio_ours_to_floor": round(floor_seconds / ours_seconds, 3),
        }
    return {
        **figures,
        "records": count,
        "ours_seconds": ours_seconds,
        "baseline_seconds": base_seconds,
        "ours_records_per_s": round(count / ours_seconds),
        "baseline_records_per_s": round(inserted / base_seconds),
        "ratio_ours_to_baseline": round((count / ours_seconds) / (inserted / base_seconds), 3),
        "cpu_ratio_ours_to_baseline": round((count / ours_cpu) / (inserted / base_cpu), 3),
    }


def main(source: Path, records: int | None, index_sync: bool, rounds: int, floor: bool = False) -> None:
    """Each round prints its figures; with several rounds the ratio reported is their median, since
    the baseline's few tenths of a second at 5,000 records move by a factor of two on a busy host."""
    results = []
    with tempfile.TemporaryDirectory() as temp:
        if records:
            source = replicated(source, records, Path(temp) / "records.jsonl")
        for number in range(1, rounds + 1):
            result = one_round(source, Path(temp) / f"round-{number}", index_sync, floor)
            results.append(result)
            print(
                f"round {number}: imported {result['records']} records "
                f"({'indexed per batch' if index_sync else 'indexing left to the worker'}): "
                f"ours {result['ours_records_per_s']} records/s ({result['ours_seconds']:.2f} s), "
                f"plain inserts {result['baseline_records_per_s']} records/s ({result['baseline_seconds']:.2f} s), "
                f"ratio {result['ratio_ours_to_baseline']} (CPU time: {result['cpu_ratio_ours_to_baseline']})"
            )
            if floor:
                print(
                    f"  bookkeeping floor ({result['bookkeeping_rows_per_record']} rows a record beside it): "
                    f"floor/plain inserts {result['ratio_floor_to_baseline']}, "
                    f"ours/floor {result['ratio_ours_to_floor']}"
                )
    summary = {
        "records": results[0]["records"],
        "index_sync": index_sync,
        "rounds": rounds,
        "ours_records_per_s": round(statistics.median(r["ours_records_per_s"] for r in results)),
        "baseline_records_per_s": round(statistics.median(r["baseline_records_per_s"] for r in results)),
        "ratio_ours_to_baseline": round(statistics.median(r["ratio_ours_to_baseline"] for r in results), 3),
        "cpu_ratio_ours_to_baseline": round(statistics.median(r["cpu_ratio_ours_to_baseline"] for r in results), 3),
        "ratios": [r["ratio_ours_to_baseline"] for r in results],
    }
    if floor:
        for key in ("ratio_floor_to_baseline", "ratio_ours_to_floor"):
            summary[key] = round(statistics.median(r[key] for r in results), 3)
    print(
        f"median of {rounds} round(s): ours {summary['ours_records_per_s']} records/s, "
        f"plain inserts {summary['baseline_records_per_s']} records/s, ratio {summary['ratio_ours_to_baseline']} "
        f"(CPU time: {summary['cpu_ratio_ours_to_baseline']})"
    )
    if floor:
        print(
            f"bookkeeping floor/plain inserts (median), the most any import keeping a history reaches: "
            f"{summary['ratio_floor_to_baseline']}; ours/floor {summary['ratio_ours_to_floor']}"
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--records", type=int, help="import this many records (the file's, replicated)")
    parser.add_argument("--index-worker", action="store_true", help="INDEX_SYNC off, as beside an index worker")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of ours and the baseline (median reported)")
    parser.add_argument("--floor", action="store_true", help="also time the bookkeeping floor (see above)")
    args = parser.parse_args()
    main(args.source, args.records, not args.index_worker, max(1, args.rounds), args.floor)
