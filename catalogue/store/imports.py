"""Bulk uploads from the curator pages: their files, mappings, dry-run reports, progress and
reports. A mix-in of ``Store``."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware, aware_or_none, now
from catalogue.store.queries import Queries, fits_integer_column

UPLOADED, CHECKING, CHECKED = "uploaded", "checking", "checked"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
BACKGROUND = (CHECKING, QUEUED, RUNNING)  # the states in which a background job has the upload
_i = t.imports
# what the history list shows: the reports (up to thousands of lines each) stay unread
_SUMMARY_COLUMNS = [column for column in _i.c if column.name not in ("dry_run_report", "report", "mapping")]


@dataclass(frozen=True)
class BulkUpload:
    """One uploaded file on its way from upload through mapping and dry run to the finished import."""

    id: int
    museum: str
    user_id: int | None
    actor: str
    format: str
    filename: str
    file_path: str
    state: str
    processed_rows: int
    counts: dict
    created_at: datetime
    updated_at: datetime
    total_rows: int | None = None
    mapping: dict | None = None
    default_status: str | None = None  # of rows that name none (chosen when the import is confirmed)
    dry_run_report: dict | None = None
    report: dict | None = None
    error: str | None = None
    claimed_by: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def in_progress(self) -> bool:
        """A dry run or the import is waiting or under way."""
        return self.state in BACKGROUND

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


class ImportQueries(Queries):
    """The bulk upload methods of ``Store``: reads open their own snapshot; writes take the caller's
    connection, except the claim and the progress of a background run, which are their own unit."""

    def add_import(self, conn: Connection, values: dict) -> int:
        stamp = now()
        result = conn.execute(_i.insert().values(**values, created_at=stamp, updated_at=stamp))
        key = result.inserted_primary_key
        assert key is not None
        return key[0]

    def get_import(self, import_id: int, conn: Connection | None = None) -> BulkUpload | None:
        if not fits_integer_column(import_id):  # a number from a URL
            return None
        query = sa.select(_i).where(_i.c.id == import_id)
        with self._conn(conn) as c:
            row = c.execute(query).mappings().first()
        return _upload(row) if row else None

    def list_imports(self, museum: str, limit: int = 100) -> list[BulkUpload]:
        """A museum's uploads, newest first, without their reports."""
        query = (
            sa.select(*_SUMMARY_COLUMNS)
            .where(_i.c.museum == museum)
            .order_by(_i.c.created_at.desc(), _i.c.id.desc())
            .limit(limit)
        )
        with self.reading() as c:
            return [_upload(row) for row in c.execute(query).mappings()]

    def update_import(
        self,
        conn: Connection,
        import_id: int,
        values: dict,
        states: Iterable[str] | None = None,
        claimed_by: str | None = None,
    ) -> bool:
        """Change an upload, only while it is in one of ``states`` and (for a background run) still
        held by ``claimed_by``; returns False when it was not (someone else got there first)."""
        statement = _i.update().where(_i.c.id == import_id).values(**values, updated_at=now())
        if states is not None:
            statement = statement.where(_i.c.state.in_(list(states)))
        if claimed_by is not None:
            statement = statement.where(_i.c.claimed_by == claimed_by)
        return conn.execute(statement).rowcount == 1

    def delete_import(self, conn: Connection, import_id: int, states: Iterable[str]) -> bool:
        """Remove an upload's row, only while it is in one of ``states``; False when it was not."""
        return conn.execute(_i.delete().where(_i.c.id == import_id, _i.c.state.in_(list(states)))).rowcount == 1

    def claim_import(self, import_id: int, claim: str, stale_before: datetime) -> BulkUpload | None:
        """Take an upload whose dry run or import waits, or whose job's heartbeat is older than
        ``stale_before`` (its process stopped), for the job named ``claim``; a queued import becomes
        running. One UPDATE decides: of two processes claiming at once, exactly one changes the row,
        as the other's condition no longer holds."""
        stamp = now()
        starting = _i.c.state == QUEUED
        statement = (
            _i.update()
            .where(_i.c.id == import_id, _waiting(stale_before))
            .values(
                state=sa.case((starting, RUNNING), else_=_i.c.state),
                started_at=sa.case((starting, sa.func.coalesce(_i.c.started_at, stamp)), else_=_i.c.started_at),
                claimed_by=claim,
                updated_at=stamp,
            )
        )
        with self.transaction() as conn:
            if conn.execute(statement).rowcount != 1:
                return None
            return self.get_import(import_id, conn)

    def runnable_imports(self, stale_before: datetime) -> list[int]:
        """Uploads whose dry run or import waits, or whose job's process stopped, oldest first."""
        with self.reading() as c:
            return list(c.execute(sa.select(_i.c.id).where(_waiting(stale_before)).order_by(_i.c.id)).scalars())


def _waiting(stale_before: datetime):
    """Not held by a job: never claimed since it was asked for, or its job's heartbeat is stale."""
    return sa.and_(
        _i.c.state.in_(BACKGROUND),
        sa.or_(_i.c.claimed_by.is_(None), _i.c.updated_at < stale_before),
    )


def _upload(row) -> BulkUpload:
    data = dict(row)
    for name in ("created_at", "updated_at"):
        data[name] = aware(data[name])
    for name in ("started_at", "finished_at"):
        data[name] = aware_or_none(data[name])
    data["counts"] = data.get("counts") or {}
    return BulkUpload(**data)
