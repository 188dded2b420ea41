"""Every revision of every record: written with each change, read by the history page and revert.
A mix-in of ``Store``."""

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware
from catalogue.store.queries import Queries, fits_integer_column


class RevisionQueries(Queries):
    """Revisions are written on the caller's connection, so each commits with the change it records;
    reads open their own snapshot."""

    def add_revisions(self, conn: Connection, rows: list[dict]) -> None:
        """Rows of {record_id, revision, body, status, actor, at}: one per record revision written."""
        if rows:
            conn.execute(t.record_revisions.insert(), rows)

    def revisions(self, record_id: str) -> list[dict]:
        """Every kept revision of a record, oldest first."""
        query = (
            sa.select(t.record_revisions)
            .where(t.record_revisions.c.record_id == record_id)
            .order_by(t.record_revisions.c.revision)
        )
        with self.reading() as conn:
            return [_revision(row) for row in conn.execute(query).mappings()]

    def revision(self, record_id: str, revision: int, conn: Connection | None = None) -> dict | None:
        """One revision of a record; None when it was never kept (or never existed). Pass ``conn`` to
        read inside a write transaction."""
        if not fits_integer_column(revision):  # a number from a URL
            return None
        query = sa.select(t.record_revisions).where(
            t.record_revisions.c.record_id == record_id, t.record_revisions.c.revision == revision
        )
        with self._conn(conn) as c:
            row = c.execute(query).mappings().first()
        return _revision(row) if row else None


def _revision(row) -> dict:
    return {**row, "at": aware(row["at"])}
