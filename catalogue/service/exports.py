"""Rules for bulk exports of records: what an export may hold (published records; a museum's
drafts and withdrawn records only for those who may read them), read in chunks."""

from collections.abc import Iterator
from dataclasses import dataclass

from catalogue.errors import Forbidden
from catalogue.models import PUBLIC, PUBLISHED, Actor, Museum, ObjectRecord
from catalogue.records.schema import STATUSES
from catalogue.service.base import ServiceBase

IDS_PER_READ = 500  # record ids per database read of a download


@dataclass
class RecordExport:
    """One export: how many records it holds (counted before the first is read, for a progress
    bar), the records themselves (read chunk by chunk as they are iterated) and every museum by
    code (LIDO names a record's museum)."""

    total: int
    records: Iterator[ObjectRecord]
    museums: dict[str, Museum]


class ExportRules(ServiceBase):
    def export(
        self, museum: str | None = None, reader: Actor = PUBLIC, include_unpublished: bool = False
    ) -> RecordExport:
        """The records of one museum (NotFound for an unknown code) or of every museum, by museum
        and local id. Published records only, unless ``include_unpublished`` and ``reader`` may
        read the unpublished records of that museum (of every museum: the secretariat)."""
        if museum is not None:
            self.museum(museum)
        statuses: tuple[str, ...] = (PUBLISHED,)
        if include_unpublished:
            allowed = reader.may_read_unpublished(museum) if museum else reader.is_secretariat
            if not allowed:
                raise Forbidden(f"{reader.name} may not export unpublished records.")
            statuses = STATUSES
        return RecordExport(
            total=self.store.count_export(museum, statuses),
            records=self.store.export_records(museum, statuses),
            museums=self.store.museums_by_code(),
        )

    def published_records(self, record_ids: list[str]) -> Iterator[ObjectRecord]:
        """The published records of these ids, in their order (search hits keep their ranking). A
        record that is no longer published is left out: the index may lag a write for a moment,
        and a download must never carry a draft."""
        for start in range(0, len(record_ids), IDS_PER_READ):
            yield from self.store.records_by_ids(record_ids[start : start + IDS_PER_READ], (PUBLISHED,))
