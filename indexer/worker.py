"""The indexer: drains the store's outbox into the search backend, and rebuilds the index.

The store is the source of truth. An outbox entry only says "this record changed"; the worker
reads the record as it is now and indexes (or deletes) that, so entries may be collapsed and
replayed safely. Entries are acknowledged only after the backend took them: when the engine is
down, they wait in the outbox and nothing is lost.
"""

import logging
import time
from collections import deque
from dataclasses import dataclass

from catalogue.models import Museum, is_public
from catalogue.processes import process_pool
from catalogue.store import Store, now
from indexer.backends import BackendUnavailable, SearchBackend
from indexer.schema import build_document

log = logging.getLogger(__name__)


@dataclass
class DrainReport:
    indexed: int = 0
    deleted: int = 0
    stale: int = 0
    dead: int = 0
    remaining: int = 0
    error: str | None = None


class Indexer:
    def __init__(self, store: Store, backend: SearchBackend):
        self.store, self.backend = store, backend
        self._museums: dict[str, Museum] = {}

    def _museum(self, code: str) -> Museum:
        if code not in self._museums:
            museum = self.store.get_museum(code)
            assert museum is not None, f"record of unknown museum {code!r}"  # a foreign key guarantees it
            self._museums[code] = museum
        return self._museums[code]

    def documents(self, records) -> list[dict]:
        """Search documents of ``records``, each with its museum and the published themes holding it
        (read here for drains, catch-ups and, in each builder process, for full rebuilds)."""
        records = list(records)
        themes = self.store.themes_of([record.id for record in records])
        return [build_document(r, self._museum(r.museum), themes.get(r.id, ())) for r in records]

    def dead_letters(self) -> list[dict]:
        """Documents the engine refused (kept, never dropped)."""
        return self.store.dead_letters()

    def records_to_index(self) -> int:
        """How many records a full rebuild sends (the published ones)."""
        return self.store.count_records()

    def drain(self, batch_size: int = 500, max_batches: int | None = None) -> DrainReport:
        """Index what the outbox names, batch by batch, until it is empty or the backend fails."""
        report, batches = DrainReport(), 0
        self._museums.clear()  # museum names and countries may have changed since the last drain
        while max_batches is None or batches < max_batches:
            entries = self.store.pending_outbox(limit=batch_size)
            if not entries:
                break
            try:
                self._index_entries(entries, report)
            except BackendUnavailable as error:
                report.error = str(error)
                log.warning("search backend unavailable, %d outbox entries wait: %s", len(entries), error)
                break
            self.store.ack_outbox([entry["id"] for entry in entries])
            batches += 1
        report.remaining = self.store.outbox_size()
        return report

    def _index_entries(self, entries: list[dict], report: DrainReport) -> None:
        ids = list(dict.fromkeys(entry["record_id"] for entry in entries))
        records = {record.id: record for record in self.store.records_to_index(ids)}
        published = [r for r in records.values() if is_public(r.status)]
        gone = [(r.id, r.revision) for r in records.values() if not is_public(r.status)]
        gone += [(i, max(e["revision"] for e in entries if e["record_id"] == i)) for i in ids if i not in records]
        written = self.backend.bulk(self.documents(published)) if published else None
        removed = self.backend.delete(gone) if gone else None
        for result, counter in ((written, "indexed"), (removed, "deleted")):
            if result is None:
                continue
            setattr(report, counter, getattr(report, counter) + result.done)
            report.stale += result.stale
            report.dead += len(result.failed)
            self.store.add_dead_letters(self.backend.name, result.failed)

    def reindex(self, on_document=None) -> int:
        """Rebuild the whole index from the store, then catch up with changes made meanwhile."""
        started = now()
        self._museums.clear()

        def stream():
            for document in built_documents(self.store, self.backend.encode):
                if on_document:
                    on_document()
                yield document

        count = self.backend.rebuild(stream())
        self._catch_up(started)
        return count

    def rebuild_if_outdated(self) -> bool:
        """At start: an index written by an older release is rebuilt from the store, the source of
        truth, instead of failing every search until someone runs `catalogue reindex`. An engine
        that cannot be reached is looked at again at the next start (searches answer 503 meanwhile)."""
        try:
            if not self.backend.outdated():
                return False
        except BackendUnavailable as error:
            log.warning("could not check the search index's format: %s", error)
            return False
        with self.backend.exclusive():  # server workers start together; one of them rebuilds
            if not self.backend.outdated():
                return False
            log.warning("the %s search index has an older format; rebuilding it from the store", self.backend.name)
            self.reindex()
        return True

    def _catch_up(self, since) -> None:
        """Records changed during the rebuild may have gone to the old index; send them again."""
        changed = list(self.store.iter_records(status=None, updated_since=since))
        published = [r for r in changed if is_public(r.status)]
        if published:
            self.backend.bulk(self.documents(published))
        gone = [(r.id, r.revision) for r in changed if not is_public(r.status)]
        if gone:
            self.backend.delete(gone)

    def run_forever(self, interval: float = 1.0, stop=lambda: False) -> None:
        """The continuous worker: drain, sleep when idle, back off while the engine is down."""
        delay = interval
        while not stop():
            report = self.drain()
            if report.error:
                delay = min(delay * 2, 30.0)
            else:
                delay = interval
            if report.error or report.remaining == 0:
                time.sleep(delay)


BUILD_CHUNK = 500
BUILD_PROCESSES = 2
BUILD_WINDOW = 8  # chunks in flight: bounds memory while keeping the engine busy


def built_documents(store: Store, encode=None):
    """Every published record as a search document, built in worker processes.

    Building documents (text analysis in Python) costs about as much as the engine's indexing, so
    it runs in other processes while this one streams finished chunks to the engine: the two
    overlap instead of taking turns. Order is kept; a failure in a worker reaches the caller.
    """
    encode = encode or _unchanged  # a module function: the worker processes receive it pickled
    ids = store.record_ids()
    chunks = [ids[start : start + BUILD_CHUNK] for start in range(0, len(ids), BUILD_CHUNK)]
    if not store.shared_by_processes() or len(chunks) < 2:
        yield from map(encode, _build_chunk_with(_builder(store), [i for chunk in chunks for i in chunk]))
        return
    with process_pool(BUILD_PROCESSES, initializer=_open_store, initargs=(store.url,)) as pool:
        pending = deque(pool.submit(_build_chunk, chunk, encode) for chunk in chunks[:BUILD_WINDOW])
        for chunk in chunks[BUILD_WINDOW:]:
            yield from pending.popleft().result()
            pending.append(pool.submit(_build_chunk, chunk, encode))
        while pending:
            yield from pending.popleft().result()


def _unchanged(document: dict) -> dict:
    return document


_worker_builder: Indexer | None = None  # a builder process's, for the one rebuild the pool serves


def _open_store(url: str) -> None:
    global _worker_builder
    _worker_builder = _builder(Store(url))


def _builder(store: Store) -> Indexer:
    return Indexer(store, backend=None)  # type: ignore[arg-type]  # documents only, never indexes


def _build_chunk(ids: list[str], encode) -> list:
    assert _worker_builder is not None, "the pool's initializer opens the store"
    return [encode(document) for document in _build_chunk_with(_worker_builder, ids)]


def _build_chunk_with(builder: Indexer, ids: list[str]) -> list[dict]:
    """The documents of ``ids`` in their order (the builder remembers museums for the rebuild)."""
    return builder.documents(sorted(builder.store.records_to_index(ids), key=lambda r: r.id))
