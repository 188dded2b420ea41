"""Many curators and visitors at once, through the real service, on SQLite and PostgreSQL.

Eight writer threads and eight reader threads run for ten seconds. Writers change records by
read-modify-write with optimistic locking (read, add one to a counter kept in ``accession_number``,
save with ``expected_revision``, and on a conflict read again and retry); some share one hot record,
some have records of their own, some create new ones. Readers read records and pages all the time.

What must hold: no thread meets an unexpected error; no update is lost (the hot record's counter is
the number of increments that succeeded); every change bumps the revision by exactly one, the audit
log holds revisions 1..N of every record and the index outbox holds nothing else; and readers see
each record whole (its revision, counter and images agree) and never older than before.
"""

import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from itertools import count

import pytest

from catalogue.errors import Conflict
from catalogue.models import PUBLIC, Actor
from tests.support import image_bytes, record_payload

SECONDS = 10.0
MUSEUM = "tate"
CURATOR = Actor(name="Busy Curator", role="curator", museum=MUSEUM)
HOT, OWN, GALLERY = "HOT", "OWN", "GALLERY"  # shared by writers; one writer's own; changed by images only

pytestmark = pytest.mark.slow


@dataclass
class Tally:
    """What the threads did, counted as they go; every thread adds to it under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    changes: Counter = field(default_factory=Counter)  # record id -> writes that bumped its revision
    increments: int = 0  # successful increments of the hot record's counter
    hot_images: int = 0
    conflicts: int = 0
    writes: int = 0
    reads: int = 0
    slowest_write: float = 0.0  # seconds, the longest one service call that writes took
    errors: list[str] = field(default_factory=list)

    def changed(self, record_id: str, began: float) -> None:
        with self.lock:
            self.changes[record_id] += 1
            self.writes += 1
            self.slowest_write = max(self.slowest_write, time.monotonic() - began)


def counter_of(record) -> int:
    return int(record.body.get("accession_number") or 0)


def payload(local_id: str, counter: int, **extra) -> dict:
    return record_payload(local_id=local_id, accession_number=str(counter), **extra)


class Run:
    """The threads' shared state: the service, the tally, the deadline and unique image colours."""

    def __init__(self, service, ids: dict[str, str]):
        self.service = service
        self.ids = ids  # local id -> record id of the records made before the threads start
        self.tally = Tally()
        self.deadline = 0.0
        self.colours = count(1)
        self.colour_lock = threading.Lock()

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    def new_image(self) -> bytes:
        """A picture no other writer sends: the same bytes twice would not change the record."""
        with self.colour_lock:
            n = next(self.colours)
        return image_bytes("PNG", color=(n % 256, n // 256 % 256, n // 65536 % 256))

    def increment(self, local_id: str, **extra) -> int:
        """Read, add one, write with the revision read; retry from the read on a conflict."""
        while True:
            record = self.service.record_by_local_id(MUSEUM, local_id, CURATOR)
            began = time.monotonic()
            try:
                outcome = self.service.upsert(
                    CURATOR, MUSEUM, payload(local_id, counter_of(record) + 1, **extra), record.revision
                )
            except Conflict:
                with self.tally.lock:
                    self.tally.conflicts += 1
                continue
            self.tally.changed(outcome.record_id, began)
            return counter_of(record) + 1

    def add_image(self, local_id: str) -> str:
        began = time.monotonic()
        stored = self.service.add_images(CURATOR, MUSEUM, local_id, [(self.new_image(), "picture.jpg")])
        self.tally.changed(stored[0].record_id, began)
        return stored[0].record_id


# writers ----------------------------------------------------------------------------------------
def increment_hot(run: Run, _n: int) -> None:
    while run.running():
        run.increment(HOT)
        with run.tally.lock:
            run.tally.increments += 1


def add_images_to_hot(run: Run, _n: int) -> None:
    while run.running():
        run.add_image(HOT)
        with run.tally.lock:
            run.tally.hot_images += 1


def add_images_to_gallery(run: Run, _n: int) -> None:
    while run.running():
        run.add_image(GALLERY)


def change_and_withdraw_own(run: Run, _n: int) -> None:
    """Its own record: increments, and now and then a withdrawal, which the next save undoes."""
    for step in count():
        if not run.running():
            return
        if step % 5 == 4:
            began = time.monotonic()
            outcome = run.service.withdraw(CURATOR, MUSEUM, OWN)
            run.tally.changed(outcome.record_id, began)
        else:
            run.increment(OWN, status="published")


def create_records(run: Run, n: int) -> None:
    for i in count():
        if not run.running():
            return
        began = time.monotonic()
        outcome = run.service.upsert(CURATOR, MUSEUM, payload(f"NEW-{n}-{i}", 0), expected_revision=0)
        assert outcome.action == "created"
        run.tally.changed(outcome.record_id, began)


WRITERS = (
    [increment_hot] * 3 + [add_images_to_hot, add_images_to_gallery, change_and_withdraw_own] + [create_records] * 2
)


# readers ----------------------------------------------------------------------------------------
def read_everything(run: Run, _n: int) -> None:
    """Reads must see whole records, and never a revision older than one already seen."""
    seen: dict[str, int] = {}

    def check(record) -> None:
        assert record.revision >= seen.get(record.local_id, 0), f"{record.local_id} went back in time"
        seen[record.local_id] = record.revision

    service = run.service
    while run.running():
        hot = service.record_by_local_id(MUSEUM, HOT)
        assert hot.revision == 1 + counter_of(hot) + len(hot.images), "hot record read half-written"
        gallery = service.record(run.ids[GALLERY], PUBLIC)
        assert gallery.revision == 1 + len(gallery.images), "gallery record read half-written"
        own = service.record_by_local_id(MUSEUM, OWN, CURATOR)
        for record in (hot, gallery, own):
            check(record)
        service.museums()
        service.museum_labels()
        service.published_counts()
        page = service.museum_page(MUSEUM, 1, 24)
        assert page.total >= 2 and page.records
        with run.tally.lock:
            run.tally.reads += 7


def guarded(run: Run, work, n: int, start: threading.Barrier):
    """Run one thread's work; anything it raises is written down for the test to report."""

    def target():
        start.wait()
        try:
            work(run, n)
        except Exception:
            with run.tally.lock:
                run.tally.errors.append(f"{work.__name__}[{n}]: {traceback.format_exc()}")

    return threading.Thread(target=target, name=f"{work.__name__}-{n}")


def run_threads(run: Run) -> float:
    jobs = [(work, n) for n, work in enumerate(WRITERS)] + [(read_everything, n) for n in range(8)]
    start = threading.Barrier(len(jobs) + 1)
    threads = [guarded(run, work, n, start) for work, n in jobs]
    for thread in threads:
        thread.start()
    run.deadline = time.monotonic() + SECONDS
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs: deadlock?"
    return time.monotonic() - began


# the test ---------------------------------------------------------------------------------------
def test_concurrent_writers_and_readers_lose_nothing(service, museum, database_kind):
    ids = {
        local_id: service.upsert(CURATOR, MUSEUM, payload(local_id, 0)).record_id for local_id in (HOT, OWN, GALLERY)
    }
    run = Run(service, ids)
    elapsed = run_threads(run)
    tally = run.tally

    assert not tally.errors, "\n".join(tally.errors)
    hot = service.record(ids[HOT])
    assert counter_of(hot) == tally.increments > 0, "an increment of the hot record was lost"
    assert len(hot.images) == tally.hot_images > 0
    assert tally.conflicts > 0, "the hot record never saw a conflict: the test did not exercise optimistic locking"

    records = service.store.list_records(museum=MUSEUM, status=None, limit=100_000)
    assert {r.id for r in records} == set(tally.changes) | set(ids.values())
    outbox: dict[str, list[int]] = {}
    for entry in service.store.pending_outbox(limit=1_000_000):
        outbox.setdefault(entry["record_id"], []).append(entry["revision"])
    for record in records:
        changes = tally.changes[record.id] - (0 if record.local_id in ids else 1)  # a creation is revision 1
        assert record.revision == 1 + changes, f"{record.local_id}: revision {record.revision}, changes {changes}"
        audited = [entry["revision"] for entry in service.store.audit_entries(record.id)]
        assert audited == list(range(1, record.revision + 1)), f"{record.local_id}: audit revisions {audited}"
        assert set(outbox[record.id]) <= set(audited), f"{record.local_id}: outbox names unaudited revisions"
        assert sorted(outbox[record.id]) == audited, f"{record.local_id}: not every revision reached the outbox"

    print(
        f"\n{database_kind}: {tally.writes / elapsed:.0f} writes/s, {tally.reads / elapsed:.0f} reads/s, "
        f"{tally.increments} hot increments with {tally.conflicts} conflict retries, "
        f"slowest write {tally.slowest_write:.2f} s, {len(records)} records over {elapsed:.1f} s"
    )
