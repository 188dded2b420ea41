"""Indexing benchmark: our full `reindex` vs `streaming_bulk` of the same documents pre-built in memory.

    scripts/elasticsearch start
    python bench/index_bench.py [--records 100000] [--elasticsearch URL] [--data DIR] [--rounds N]

Setup (not timed): the 5,000 shared records are imported, then replicated with new local ids up
to N records in the store. Timed, in the same run against the same node:
- ours:  Indexer.reindex() (read records from the store, build documents with the shared
         analyzer, stream them into a new index, swap the alias);
- floor: helpers.streaming_bulk of the same documents, already built (dicts, as the issue sets
         it: the floor still serialises them; at 1M they take ~10 GB), into a fresh index with the
         same mapping and settings (replicas 0, refresh off), then a refresh;
- embedded: Indexer.reindex() into the SQLite FTS5 backend (--skip-embedded leaves it out).
With --data, the store is kept in (and reused from) that folder, as search_bench.py keeps it.
With --rounds N, the floor and ours run N times in turns and the medians are reported (the ratio:
the median of each round's ratio). Our rebuild keeps both cores busy and the floor does not, so a
busy neighbour moves one more than the other; rounds in turns show how much. Each round also
prints the machine's busy and stolen CPU-seconds (/proc/stat) of each side: stolen time is another
guest of the hypervisor on our cores.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elasticsearch import helpers

from catalogue import config, create_app
from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.models import public_id
from catalogue.processes import batch_work
from catalogue.store import Store, now
from catalogue.store import tables as t
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.schema import elasticsearch_index_body
from indexer.worker import Indexer, built_documents

SHARED = ROOT.parent / "shared" / "data" / "open-collections" / "records.jsonl"


def build_store(data_dir: Path, count: int):
    """The shared records, then copies with new local ids until the store holds `count` records."""
    app = create_app({"DATA_DIR": str(data_dir), "INDEX_SYNC": False})
    app.extensions["catalogue"].upgrade_schema()  # as `catalogue db upgrade` does
    service = app.extensions["catalogue"]
    with app.app_context():
        Importer(service, cli_actor(), register_museums=True).import_file(SHARED)
    with service.store.reading() as conn:
        originals = [dict(row) for row in conn.execute(t.records.select()).mappings()]
    copy, stamp = 1, now()
    total = len(originals)
    while total < count:
        batch = []
        for row in originals[: count - total]:
            local_id = f"{row['local_id']}~{copy}"
            batch.append(
                {
                    **row,
                    "id": public_id(row["museum"], local_id),
                    "local_id": local_id,
                    "body": {**row["body"], "local_id": local_id},
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        with service.store.transaction() as conn:
            service.store.insert_records(conn, batch)
        total += len(batch)
        copy += 1
    return app


def kept_store(data_dir: Path, records: int, embedded: bool):
    """The store of `records` records in `data_dir`, with its embedded index when `embedded`: the
    one found there when a marker file says it is complete, else built (a million records take a
    while, so a run with `--data` keeps them for the next)."""
    # the search folder's own pointer is no sign of an index: opening the app makes an empty one
    marker, indexed = data_dir / "BENCH_RECORDS", data_dir / "BENCH_EMBEDDED"
    kept = int(marker.read_text()) if marker.exists() else None
    if kept is not None and kept != records:  # building on it would leave its records and mislabel the run
        raise SystemExit(f"{data_dir} keeps a store of {kept} records: pass --records {kept}, or another --data")
    if kept == records:
        # the store alone: the app would also open its embedded index (and rebuild one of an older
        # format, minutes at 1M), which a run without the embedded backend never reads
        store = Store(config.finish({**config.DEFAULTS, "DATA_DIR": str(data_dir)})["DATABASE_URL"])
        store.upgrade_schema()  # kept by an older release: migrated as `catalogue db upgrade` does
    else:
        indexed.unlink(missing_ok=True)
        store = build_store(data_dir, records).extensions["catalogue"].store
        marker.write_text(str(records))
    if embedded and not indexed.exists():
        Indexer(store, EmbeddedBackend(data_dir / "search")).reindex()
        indexed.write_text(str(records))
    return store


def time_ours(indexer: Indexer) -> tuple[float, int]:
    """The rebuild as `catalogue reindex` runs it (garbage collected for batch work); the floor, a
    plain script, keeps Python's defaults."""
    with batch_work():
        started = time.perf_counter()
        count = indexer.reindex()
        return time.perf_counter() - started, count


def time_floor(backend: ElasticsearchBackend, documents: list[dict]) -> float:
    """The same documents, pre-built, streamed into a fresh index with the same settings by one
    plain streaming_bulk."""
    index = f"{backend.alias}-floor"
    backend.client.indices.delete(index=index, ignore_unavailable=True)
    body = elasticsearch_index_body(backend.shards, 0)
    body["settings"]["index"]["refresh_interval"] = "-1"
    started = time.perf_counter()
    backend.client.indices.create(index=index, **body)
    actions = (
        {
            "_op_type": "index",
            "_index": index,
            "_id": d["id"],
            "version": d["revision"],
            "version_type": "external_gte",
            "_source": d,
        }
        for d in documents
    )
    for ok, item in helpers.streaming_bulk(
        backend.client, actions, chunk_size=backend.chunk_size, raise_on_error=False, max_retries=4
    ):
        if not ok:
            raise RuntimeError(item)
    backend.client.indices.put_settings(index=index, settings={"index": {"refresh_interval": "1s"}})
    backend.client.indices.refresh(index=index)
    elapsed = time.perf_counter() - started
    backend.client.indices.delete(index=index)
    return elapsed


def machine_seconds() -> tuple[float, float]:
    """(busy, stolen) CPU-seconds of the whole machine so far, from /proc/stat (zeros where there is
    none). Stolen time is the hypervisor running another guest on our cores: it slows our rebuild,
    which keeps both cores busy, more than the floor, which keeps about one."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0, 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = values
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _spent(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    return end[0] - start[0], end[1] - start[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--elasticsearch", default=os.environ.get("CATALOGUE_ELASTICSEARCH_URL"))
    parser.add_argument("--skip-embedded", action="store_true", help="time Elasticsearch only")
    parser.add_argument("--data", type=Path, help="keep (and reuse) the store here")
    parser.add_argument("--rounds", type=int, default=1, help="floor and ours this many times, in turns; medians")
    args = parser.parse_args()
    url = (
        args.elasticsearch
        or subprocess.check_output([str(ROOT / "scripts/elasticsearch"), "status"], text=True).strip()
    )
    with tempfile.TemporaryDirectory() as temp:
        data_dir = args.data or Path(temp) / "data"
        store = kept_store(data_dir, args.records, embedded=False)
        es = ElasticsearchBackend(url, alias="bench-index")
        es.drop()
        indexer = Indexer(store, es)
        documents = list(built_documents(store))  # in worker processes, as the rebuild does: not timed
        time_floor(es, documents[:5000])  # warm the node up, so neither side pays for a cold JVM
        rounds = []  # (floor, ours) seconds: each pair runs back to back, in the same state of the machine
        machine = []  # (floor, ours) machine CPU: (busy, stolen) seconds
        for _ in range(args.rounds):
            before = machine_seconds()
            floor_seconds = time_floor(es, documents)
            between = machine_seconds()
            ours_seconds, count = time_ours(indexer)
            after = machine_seconds()
            es.drop()  # the next round starts with no index on the node, as the first did
            rounds.append((floor_seconds, ours_seconds))
            machine.append((_spent(before, between), _spent(between, after)))
            (floor_busy, floor_stolen), (ours_busy, ours_stolen) = machine[-1]
            print(
                f"round {len(rounds)}: floor {floor_seconds:.1f} s, ours {ours_seconds:.1f} s, "
                f"ratio {floor_seconds / ours_seconds:.3f}; machine CPU-s busy/stolen: "
                f"floor {floor_busy:.0f}/{floor_stolen:.0f}, ours {ours_busy:.0f}/{ours_stolen:.0f}"
            )
        embedded_seconds, embedded_count = 0.0, 0
        if not args.skip_embedded:
            embedded_seconds, embedded_count = time_ours(Indexer(store, EmbeddedBackend(Path(temp) / "embedded")))
    floor_seconds = statistics.median(floor for floor, _ in rounds)
    ours_seconds = statistics.median(ours for _, ours in rounds)
    result = {
        "records": count,
        "elasticsearch_ours_docs_per_s": round(count / ours_seconds),
        "elasticsearch_floor_docs_per_s": round(len(documents) / floor_seconds),
        "ratio_ours_to_floor": round(statistics.median(floor / ours for floor, ours in rounds), 3),
        "ratios_per_round": [round(floor / ours, 3) for floor, ours in rounds],
        "machine_busy_stolen_per_round": [
            {"floor": [round(v) for v in floor], "ours": [round(v) for v in ours]} for floor, ours in machine
        ],
        "embedded_docs_per_s": round(embedded_count / embedded_seconds) if embedded_count else None,
    }
    print(
        f"{count} records. Elasticsearch (median of {len(rounds)} rounds): reindex "
        f"{result['elasticsearch_ours_docs_per_s']} docs/s ({ours_seconds:.1f} s), streaming_bulk of pre-built "
        f"documents {result['elasticsearch_floor_docs_per_s']} docs/s ({floor_seconds:.1f} s), "
        f"ratio {result['ratio_ours_to_floor']}. "
        f"Embedded: {result['embedded_docs_per_s']} docs/s ({embedded_seconds:.1f} s)."
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
