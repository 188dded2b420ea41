"""What every part of the store shares: its read and write transactions, "the caller's connection,
or a read of its own" for queries that run both inside a write and on their own, and the filters
more than one part uses."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t

HAS_IMAGE = sa.exists().where(t.images.c.record_id == t.records.c.id)  # a record with at least one image


def fits_integer_column(number: int) -> bool:
    """Whether an INTEGER column can hold ``number`` (32 bits on PostgreSQL): a number from a URL
    past that is refused by the database itself (SQLite past 64 bits), so look nothing up for it;
    no row holds it anyway."""
    return -(2**31) <= number < 2**31


class Queries:
    """The base of ``Store`` and of its mix-ins (accounts, imports, membership, revisions, ...)."""

    reading: Callable[[], AbstractContextManager[Connection]]
    transaction: Callable[[], AbstractContextManager[Connection]]

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.reading() as c:
                yield c
