"""Reads for OAI-PMH harvesting: the records a harvester sees, in (updated_at, id) order, one keyset
page at a time. A mix-in of ``Store``."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.models import PUBLISHED, WITHDRAWN, ObjectRecord
from catalogue.store import tables as t
from catalogue.store.clock import aware
from catalogue.store.queries import Queries

_kept = t.record_revisions
_was_published = sa.exists().where(_kept.c.record_id == t.records.c.id, _kept.c.status == PUBLISHED)
_history_from_the_start = sa.exists().where(_kept.c.record_id == t.records.c.id, _kept.c.revision == 1)

HARVESTABLE = sa.or_(
    t.records.c.status == PUBLISHED,
    _was_published,
    sa.and_(t.records.c.status == WITHDRAWN, ~_history_from_the_start),
)
"""The records a harvester sees: the published ones, and as deleted those that were public once.

A record was public when one of its kept revisions (``record_revisions``, written with every change)
was published: that covers withdrawal, unpublishing back to draft and a revert to a draft revision
alike, whatever the audit action was called. The audit log's actions would miss the last two.

Revisions are kept since migration 0004, which kept only each record's revision of that day; a
record whose history does not reach back to revision 1 may have been public before. Such a record
is taken as once public when it is withdrawn (withdrawal takes a record out of the public catalogue)
and as never public when it is a draft, so no draft that may never have been shown is named."""


@dataclass(frozen=True)
class OaiHeader:
    """What an OAI-PMH header says of a record: its id, datestamp, sets and whether it is deleted."""

    record_id: str
    museum: str
    masterpiece: bool
    deleted: bool
    updated_at: datetime


@dataclass(frozen=True)
class OaiSelection:
    """Which harvestable records a list holds: of one museum, the masterpieces, changed from
    ``since`` (inclusive) to ``before`` (exclusive)."""

    museum: str | None = None
    masterpiece: bool | None = None
    since: datetime | None = None
    before: datetime | None = None


@dataclass(frozen=True)
class OaiEntry:
    """A record in a list: its header, and its record when it was asked for and is not deleted."""

    header: OaiHeader
    record: ObjectRecord | None = None


_ALL_COLUMNS = tuple(t.records.c)
_HEADER_COLUMNS = (
    t.records.c.id,
    t.records.c.museum,
    t.records.c.masterpiece,
    t.records.c.status,
    t.records.c.updated_at,
)


class OaiQueries(Queries):
    """Pages follow the index on (updated_at, id) (or (museum, updated_at, id) for a museum's set):
    each page starts after the last one's position, so no page reads the rows before it. A page's
    headers and records come from one snapshot, so a record is never shown in a status its header
    does not have."""

    _with_images: Callable[[Connection, Sequence], list[ObjectRecord]]  # Store's: rows -> records with images

    def oai_page(
        self,
        selection: OaiSelection,
        after: tuple[datetime, str] | None = None,
        limit: int = 100,
        with_records: bool = False,
    ) -> list[OaiEntry]:
        """Up to ``limit`` entries in (updated_at, id) order, after the position ``after``; with
        ``with_records``, the published ones with their records."""
        query = _selected(sa.select(*(_ALL_COLUMNS if with_records else _HEADER_COLUMNS)), selection)
        if after is not None:
            query = query.where(sa.tuple_(t.records.c.updated_at, t.records.c.id) > sa.tuple_(*after))
        query = query.order_by(t.records.c.updated_at, t.records.c.id).limit(limit)
        with self.reading() as conn:
            return self._entries(conn, conn.execute(query).mappings().all(), with_records)

    def oai_entry(self, record_id: str, with_record: bool = False) -> OaiEntry | None:
        """One record's entry, or None when a harvester may not know of it."""
        columns = _ALL_COLUMNS if with_record else _HEADER_COLUMNS
        query = sa.select(*columns).where(t.records.c.id == record_id, HARVESTABLE)
        with self.reading() as conn:
            entries = self._entries(conn, conn.execute(query).mappings().all(), with_record)
        return entries[0] if entries else None

    def oai_count(self, selection: OaiSelection) -> int:
        """How many records the whole list holds (asked once per list: it reads all of them)."""
        query = _selected(sa.select(sa.func.count()).select_from(t.records), selection)
        with self.reading() as conn:
            return conn.execute(query).scalar_one()

    def oai_oldest(self) -> OaiHeader | None:
        """The header with the oldest datestamp a harvester can see (None in an empty catalogue)."""
        query = sa.select(*_HEADER_COLUMNS).where(HARVESTABLE).order_by(t.records.c.updated_at, t.records.c.id).limit(1)
        with self.reading() as conn:
            row = conn.execute(query).mappings().first()
        return _header(row) if row else None

    def _entries(self, conn: Connection, rows: Sequence, with_records: bool) -> list[OaiEntry]:
        published = [row for row in rows if row["status"] == PUBLISHED] if with_records else []
        records = {record.id: record for record in self._with_images(conn, published)} if published else {}
        return [OaiEntry(_header(row), records.get(row["id"])) for row in rows]


def _selected(query: sa.Select, selection: OaiSelection) -> sa.Select:
    query = query.where(HARVESTABLE)
    if selection.museum is not None:
        query = query.where(t.records.c.museum == selection.museum)
    if selection.masterpiece is not None:
        query = query.where(t.records.c.masterpiece.is_(selection.masterpiece))
    if selection.since is not None:
        query = query.where(t.records.c.updated_at >= selection.since)
    if selection.before is not None:
        query = query.where(t.records.c.updated_at < selection.before)
    return query


def _header(row) -> OaiHeader:
    return OaiHeader(
        record_id=row["id"],
        museum=row["museum"],
        masterpiece=bool(row["masterpiece"]),
        deleted=row["status"] != PUBLISHED,
        updated_at=aware(row["updated_at"]),
    )
