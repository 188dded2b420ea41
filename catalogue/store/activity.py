"""IIIF Change Discovery in the database: the audit log read for replay, and the derived tables the
replay writes (numbered public activities, each record's manifest state, the replay's progress).
A mix-in of ``Store``; the rules that turn audit entries into activities are in
``catalogue/service/activity.py``.

Why derived tables: a page of the stream is "activities n*size to (n+1)*size-1", and which audit
entries are public activities depends on everything that happened to the record before. Deciding
that per request would read the whole audit log; replaying each entry once, in order, and keeping
the numbered result makes every page one primary-key range read."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware, aware_or_none
from catalogue.store.queries import Queries

CHUNK = 500  # ids per IN (...) list
PROGRESS_ROW = 1


@dataclass(frozen=True)
class AuditStep:
    """One audit entry as the replay needs it (never its actor: activities do not name curators)."""

    id: int
    at: datetime
    museum: str | None
    record_id: str | None
    action: str
    revision: int | None
    status: str | None  # the record's status at this revision, from its kept copy (None: not kept)
    images_added: int  # for "images_added": how many images it attached


@dataclass(frozen=True)
class ManifestState:
    """What the replay knows of one record after the entries replayed so far."""

    record_id: str
    status: str | None
    images: int
    revision: int


@dataclass(frozen=True)
class Activity:
    """One public activity: its place in the stream, what happened to whose manifest, and when."""

    position: int
    record_id: str
    museum: str | None
    type: str  # Create, Update or Delete
    end_time: datetime
    audit_id: int = 0


@dataclass(frozen=True)
class DiscoveryProgress:
    audit_id: int  # every audit entry up to this id has been replayed
    activities: int  # how many activities there are: the next one's position
    last_end_time: datetime | None


class ActivityQueries(Queries):
    """Reads open their own snapshot; the replay's writes take the caller's transaction, which
    ``lock_discovery`` begins by locking the progress row, so two replays take turns."""

    dialect: str

    # the replay -----------------------------------------------------------------------------
    def replay_is_behind(self) -> bool:
        """Whether the audit log holds entries the replay has not read: two single-row reads."""
        with self.reading() as c:
            newest = c.execute(sa.select(sa.func.max(t.audit_log.c.id))).scalar() or 0
            return newest > _progress(c.execute(_progress_query()).mappings().first()).audit_id

    def discovery_progress(self, conn: Connection | None = None) -> DiscoveryProgress:
        with self._conn(conn) as c:
            return _progress(c.execute(_progress_query()).mappings().first())

    def lock_discovery(self, conn: Connection) -> DiscoveryProgress:
        """The replay's progress, locked until the transaction ends (PostgreSQL; SQLite's write
        transactions take turns anyway). The row is written on first use: it is derived data."""
        conn.execute(
            self._insert_ignoring_conflict(t.discovery_progress, {"id": PROGRESS_ROW, "audit_id": 0, "activities": 0})
        )
        return _progress(conn.execute(_progress_query().with_for_update()).mappings().first())

    def audit_steps(self, conn: Connection, after_id: int, limit: int) -> list[AuditStep]:
        """The next ``limit`` audit entries after ``after_id``, oldest first, with the kept status of
        the revision each names. Only "images_added" entries have their changes read (the ids of
        the images): a creation's changes hold the whole record."""
        kept = t.record_revisions
        query = (
            sa.select(
                t.audit_log.c.id,
                t.audit_log.c.at,
                t.audit_log.c.museum,
                t.audit_log.c.record_id,
                t.audit_log.c.action,
                t.audit_log.c.revision,
                kept.c.status,
            )
            .outerjoin(
                kept, (kept.c.record_id == t.audit_log.c.record_id) & (kept.c.revision == t.audit_log.c.revision)
            )
            .where(t.audit_log.c.id > after_id)
            .order_by(t.audit_log.c.id)
            .limit(limit)
        )
        rows = conn.execute(query).mappings().all()
        added = self._images_added(conn, [row["id"] for row in rows if row["action"] == "images_added"])
        return [
            AuditStep(
                id=row["id"],
                at=aware(row["at"]),
                museum=row["museum"],
                record_id=row["record_id"],
                action=row["action"],
                revision=row["revision"],
                status=row["status"],
                images_added=added.get(row["id"], 0),
            )
            for row in rows
        ]

    def _images_added(self, conn: Connection, entry_ids: list[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for chunk in _chunks(entry_ids):
            query = sa.select(t.audit_log.c.id, t.audit_log.c.changes).where(t.audit_log.c.id.in_(chunk))
            for entry_id, changes in conn.execute(query):
                images = changes.get("images") if isinstance(changes, dict) else None
                found[entry_id] = len(images) if isinstance(images, list) else 1
        return found

    def manifest_states(self, conn: Connection, record_ids: Iterable[str]) -> dict[str, ManifestState]:
        """Record id -> its state after the entries replayed so far, for the records met before."""
        found: dict[str, ManifestState] = {}
        for chunk in _chunks(list(dict.fromkeys(record_ids))):
            query = sa.select(t.discovery_manifests).where(t.discovery_manifests.c.record_id.in_(chunk))
            for row in conn.execute(query).mappings():
                found[row["record_id"]] = ManifestState(row["record_id"], row["status"], row["images"], row["revision"])
        return found

    def save_replay(
        self, conn: Connection, states: list[ManifestState], activities: list[Activity], progress: DiscoveryProgress
    ) -> None:
        """Write one replayed batch: the records' new states, the new activities and how far it read."""
        for chunk in _chunks([state.record_id for state in states]):
            conn.execute(t.discovery_manifests.delete().where(t.discovery_manifests.c.record_id.in_(chunk)))
        if states:
            conn.execute(t.discovery_manifests.insert(), [state.__dict__ for state in states])
        if activities:
            conn.execute(t.discovery_activities.insert(), [_activity_row(activity) for activity in activities])
        conn.execute(
            t.discovery_progress.update()
            .where(t.discovery_progress.c.id == PROGRESS_ROW)
            .values(audit_id=progress.audit_id, activities=progress.activities, last_end_time=progress.last_end_time)
        )

    def _insert_ignoring_conflict(self, table: sa.Table, values: dict):
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        return insert(table).values(**values).on_conflict_do_nothing()

    # reading the stream ---------------------------------------------------------------------
    def activities(self, start: int, stop: int) -> tuple[DiscoveryProgress, list[Activity]]:
        """How far the stream goes, and its activities at positions ``start`` to ``stop - 1``,
        from one snapshot. Positions past the end are not looked up (nor sent to the database)."""
        column = t.discovery_activities.c.position
        with self.reading() as c:
            progress = _progress(c.execute(_progress_query()).mappings().first())
            stop = min(stop, progress.activities)
            query = sa.select(t.discovery_activities).where(column >= start, column < stop).order_by(column)
            rows = c.execute(query).mappings().all() if start < stop else []
        return progress, [_activity(row) for row in rows]


def _progress_query() -> sa.Select:
    return sa.select(t.discovery_progress).where(t.discovery_progress.c.id == PROGRESS_ROW)


def _progress(row) -> DiscoveryProgress:
    if row is None:  # before the first replay
        return DiscoveryProgress(audit_id=0, activities=0, last_end_time=None)
    return DiscoveryProgress(row["audit_id"], row["activities"], aware_or_none(row["last_end_time"]))


def _activity_row(activity: Activity) -> dict:
    return {
        "position": activity.position,
        "audit_id": activity.audit_id,
        "record_id": activity.record_id,
        "museum": activity.museum,
        "type": activity.type,
        "end_time": activity.end_time,
    }


def _activity(row) -> Activity:
    return Activity(
        position=row["position"],
        record_id=row["record_id"],
        museum=row["museum"],
        type=row["type"],
        end_time=aware(row["end_time"]),
        audit_id=row["audit_id"],
    )


def _chunks(items: list) -> Iterable[list]:
    return (items[start : start + CHUNK] for start in range(0, len(items), CHUNK))
