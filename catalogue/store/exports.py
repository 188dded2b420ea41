"""Reads for bulk exports of records: every record of a status (or of a museum) in chunks, and
records by id for a download of search results. A mix-in of ``Store``."""

from collections.abc import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.models import ObjectRecord
from catalogue.store import tables as t
from catalogue.store.queries import Queries

EXPORT_CHUNK = 500  # records per read: an export never holds more than one chunk


class ExportQueries(Queries):
    _with_images: Callable[[Connection, Sequence], list[ObjectRecord]]  # Store's: rows -> records with images

    def export_records(
        self, museum: str | None, statuses: tuple[str, ...], chunk: int = EXPORT_CHUNK
    ) -> Iterator[ObjectRecord]:
        """Records in these statuses (of one museum, or all), by museum and local id. Each chunk is
        its own short read that starts after the last key of the one before (keyset paging on the
        unique (museum, local_id) index), so a long export neither holds a snapshot open for its
        whole length nor slows down as OFFSET would."""
        after: tuple[str, str] | None = None
        while True:
            query = sa.select(t.records).where(t.records.c.status.in_(statuses))
            if museum is not None:
                query = query.where(t.records.c.museum == museum)
            if after is not None:
                query = query.where(sa.tuple_(t.records.c.museum, t.records.c.local_id) > sa.tuple_(*after))
            query = query.order_by(t.records.c.museum, t.records.c.local_id).limit(chunk)
            with self.reading() as c:
                batch = self._with_images(c, c.execute(query).mappings().all())
            if not batch:
                return
            yield from batch
            after = (batch[-1].museum, batch[-1].local_id)

    def count_export(self, museum: str | None, statuses: tuple[str, ...]) -> int:
        """How many records ``export_records`` yields (for a progress bar)."""
        query = sa.select(sa.func.count()).select_from(t.records).where(t.records.c.status.in_(statuses))
        if museum is not None:
            query = query.where(t.records.c.museum == museum)
        with self.reading() as c:
            return c.execute(query).scalar_one()

    def records_by_ids(self, record_ids: list[str], statuses: tuple[str, ...]) -> list[ObjectRecord]:
        """The records of these ids that are in these statuses, in the order of ``record_ids``;
        unknown ids are left out."""
        query = sa.select(t.records).where(t.records.c.id.in_(record_ids), t.records.c.status.in_(statuses))
        with self.reading() as c:
            found = {record.id: record for record in self._with_images(c, c.execute(query).mappings().all())}
        return [found[record_id] for record_id in dict.fromkeys(record_ids) if record_id in found]
