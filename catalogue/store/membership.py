"""Membership applications from the public form, and the secretariat's decisions on them. A mix-in of ``Store``."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware_or_none, now
from catalogue.store.queries import Queries

# the review list shows what waits for a decision first
_STATE_ORDER = sa.case({"pending": 0, "approved": 1, "rejected": 2}, value=t.applications.c.state, else_=3)


class MembershipQueries(Queries):
    """Applications are never deleted: a decision changes an application's state, once."""

    def add_application(self, conn: Connection, values: dict) -> int:
        """A new pending application; ``values`` as ``catalogue.membership.load_application`` gives them."""
        result = conn.execute(t.applications.insert().values(**values, state="pending", created_at=now()))
        key = result.inserted_primary_key
        assert key is not None
        return key[0]

    def application(self, application_id: int, conn: Connection | None = None, for_update: bool = False) -> dict | None:
        """One application; ``for_update`` (in a transaction) locks its row until the commit, so
        that two decisions on it take turns (SQLite takes turns anyway: one writer at a time)."""
        if not 0 < application_id < 2**31:  # a number from a URL, past what the column holds
            return None
        query = sa.select(t.applications).where(t.applications.c.id == application_id)
        if for_update:
            query = query.with_for_update()
        with self._conn(conn) as c:
            row = c.execute(query).mappings().first()
        return _application(row) if row else None

    def list_applications(self, state: str | None = None) -> list[dict]:
        """Pending first, then approved, then rejected; the newest first within each."""
        query = sa.select(t.applications).order_by(
            _STATE_ORDER, t.applications.c.created_at.desc(), t.applications.c.id.desc()
        )
        if state is not None:
            query = query.where(t.applications.c.state == state)
        with self.reading() as c:
            return [_application(row) for row in c.execute(query).mappings()]

    def count_applications(self) -> dict[str, int]:
        """State -> how many applications are in it."""
        query = sa.select(t.applications.c.state, sa.func.count()).group_by(t.applications.c.state)
        with self.reading() as c:
            return dict(c.execute(query).all())

    def decide_application(
        self,
        conn: Connection,
        application_id: int,
        state: str,
        note: str | None,
        decided_by: str,
        museum_code: str | None = None,
    ) -> bool:
        """Record the decision on a pending application; False when it was not pending."""
        result = conn.execute(
            t.applications.update()
            .where(t.applications.c.id == application_id, t.applications.c.state == "pending")
            .values(state=state, decision_note=note, decided_by=decided_by, decided_at=now(), museum_code=museum_code)
        )
        return result.rowcount == 1

    def expire_links_of(self, conn: Connection, user_id: int, at: datetime) -> None:
        """Make a person's unused single-use links expire at ``at``: the tests use it to see an
        invitation refused once it is too old, without waiting a week."""
        conn.execute(
            t.action_tokens.update()
            .where(t.action_tokens.c.user_id == user_id, t.action_tokens.c.used_at.is_(None))
            .values(expires_at=at)
        )


def _application(row) -> dict:
    application = dict(row)
    application["created_at"] = aware_or_none(application["created_at"])
    application["decided_at"] = aware_or_none(application["decided_at"])
    return application
