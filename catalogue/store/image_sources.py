"""The image sources queue: images records name by URL, queued with the record's save and fetched
later. Every method runs on the caller's connection, so a queueing commits with its record."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware_or_none
from catalogue.store.queries import Queries

PENDING, FETCHED, FAILED = "pending", "fetched", "failed"
_s = t.image_sources


@dataclass(frozen=True)
class ImageSource:
    id: int
    record_id: str
    museum: str
    local_id: str
    url: str
    alt: dict
    position: int
    state: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    image_id: str | None

    def to_json(self) -> dict:
        return {
            "url": self.url,
            "alt": self.alt,
            "state": self.state,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "image": self.image_id,
        }


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class ImageSourceQueries(Queries):
    """The image source methods of ``Store`` (a mix-in, to keep store.py readable)."""

    def queue_image_sources(self, conn: Connection, sources: list[dict], at: datetime) -> list[tuple[str, str]]:
        """Queue {record_id, url, alt, position} that the record has not named before, in any state:
        a URL fetched once for a record is never fetched again for it. Returns the (record id, url)
        pairs queued."""
        if not sources:
            return []
        known: set[tuple[str, str]] = set()
        record_ids = sorted({source["record_id"] for source in sources})
        for start in range(0, len(record_ids), 500):
            query = sa.select(_s.c.record_id, _s.c.url_hash).where(_s.c.record_id.in_(record_ids[start : start + 500]))
            known.update(tuple(row) for row in conn.execute(query))
        rows = []
        for source in sources:
            key = (source["record_id"], url_hash(source["url"]))
            if key not in known:
                known.add(key)
                rows.append(_new_row(source, key[1], at))
        if rows:
            conn.execute(_s.insert(), rows)
        return [(row["record_id"], row["url"]) for row in rows]

    def image_sources_of(self, conn: Connection, record_id: str) -> list[ImageSource]:
        query = _with_record(sa.select(_s)).where(_s.c.record_id == record_id).order_by(_s.c.position, _s.c.id)
        return [_source(row) for row in conn.execute(query).mappings()]

    def due_image_sources(
        self, conn: Connection, at: datetime, museum: str | None = None, limit: int | None = None
    ) -> list[ImageSource]:
        """Pending sources whose next attempt is due, oldest first, in each record's order."""
        query = _in_museum(_with_record(sa.select(_s)), museum).where(_s.c.state == PENDING, _s.c.next_attempt_at <= at)
        query = query.order_by(_s.c.next_attempt_at, _s.c.record_id, _s.c.position, _s.c.id).limit(limit)
        return [_source(row) for row in conn.execute(query).mappings()]

    def claim_image_source(self, conn: Connection, source: ImageSource, lease_until: datetime, at: datetime) -> bool:
        """Count an attempt and hold the source until ``lease_until``; False when another process
        claimed it first (its attempts moved on). A fetcher that dies leaves it due again later."""
        result = conn.execute(
            _s.update()
            .where(_s.c.id == source.id, _s.c.state == PENDING, _s.c.attempts == source.attempts)
            .values(attempts=source.attempts + 1, next_attempt_at=lease_until, updated_at=at)
        )
        return result.rowcount == 1

    def finish_image_source(
        self,
        conn: Connection,
        source_id: int,
        at: datetime,
        state: str,
        image_id: str | None = None,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        values = {"state": state, "next_attempt_at": next_attempt_at, "updated_at": at}
        if image_id is not None:
            values["image_id"] = image_id
        if error is not None:
            values["last_error"] = error[:2000]
        conn.execute(_s.update().where(_s.c.id == source_id).values(**values))

    def retry_failed_image_sources(self, conn: Connection, at: datetime, museum: str | None = None) -> int:
        """Failed sources become due again with their attempts counted afresh."""
        query = _s.update().where(_s.c.state == FAILED)
        if museum:
            query = query.where(_s.c.record_id.in_(sa.select(t.records.c.id).where(t.records.c.museum == museum)))
        return conn.execute(query.values(state=PENDING, attempts=0, next_attempt_at=at, updated_at=at)).rowcount

    def count_pending_image_sources(self, conn: Connection, museum: str | None = None) -> int:
        query = _in_museum(sa.select(sa.func.count()).select_from(_s.join(t.records)), museum)
        return conn.execute(query.where(_s.c.state == PENDING)).scalar_one()


def _with_record(query: sa.Select) -> sa.Select:
    """Sources with their record's museum and local id (what a report names)."""
    return query.add_columns(t.records.c.museum, t.records.c.local_id).join(t.records, t.records.c.id == _s.c.record_id)


def _in_museum(query: sa.Select, museum: str | None) -> sa.Select:
    return query.where(t.records.c.museum == museum) if museum else query


def _new_row(source: dict, digest: str, at: datetime) -> dict:
    return {
        "record_id": source["record_id"],
        "url": source["url"],
        "url_hash": digest,
        "alt": source.get("alt") or {},
        "position": source["position"],
        "state": PENDING,
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": at,
        "image_id": None,
        "created_at": at,
        "updated_at": at,
    }


def _source(row) -> ImageSource:
    return ImageSource(
        id=row["id"],
        record_id=row["record_id"],
        museum=row["museum"],
        local_id=row["local_id"],
        url=row["url"],
        alt=row["alt"],
        position=row["position"],
        state=row["state"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        next_attempt_at=aware_or_none(row["next_attempt_at"]),
        image_id=row["image_id"],
    )
