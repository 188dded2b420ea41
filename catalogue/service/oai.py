"""Rules for OAI-PMH harvesting: which records a harvester sees (published ones, and as deleted the
ones that were public once; see ``catalogue.store.oai.HARVESTABLE``), the sets they belong to, and
one keyset page of them at a time."""

from datetime import datetime

from catalogue.models import MUSEUM_CODE, Museum
from catalogue.service.base import ServiceBase
from catalogue.store.oai import OaiEntry, OaiHeader, OaiSelection

MASTERPIECES_SET = "masterpieces"
MUSEUM_SET_PREFIX = "museum:"


def set_specs(header: OaiHeader) -> list[str]:
    """The sets a record belongs to: its museum's, and the masterpieces when it is one."""
    return [museum_set(header.museum)] + ([MASTERPIECES_SET] if header.masterpiece else [])


def museum_set(code: str) -> str:
    return MUSEUM_SET_PREFIX + code


class OaiRules(ServiceBase):
    def oai_sets(self) -> list[tuple[str, Museum | None]]:
        """(setSpec, museum) for every set: each museum the public museum list shows (applicants
        are not listed there either), then the masterpieces (no museum)."""
        museums = [museum for museum in self.store.list_museums() if museum.status != "applicant"]
        return [(museum_set(museum.code), museum) for museum in museums] + [(MASTERPIECES_SET, None)]

    @staticmethod
    def oai_selection(
        set_spec: str | None, since: datetime | None = None, before: datetime | None = None
    ) -> OaiSelection | None:
        """The records a list with this set and date range holds; None for a set we do not have
        (its list is empty whatever the dates)."""
        if set_spec is None:
            return OaiSelection(since=since, before=before)
        if set_spec == MASTERPIECES_SET:
            return OaiSelection(masterpiece=True, since=since, before=before)
        code = set_spec.removeprefix(MUSEUM_SET_PREFIX)
        if set_spec.startswith(MUSEUM_SET_PREFIX) and MUSEUM_CODE.fullmatch(code):
            return OaiSelection(museum=code, since=since, before=before)
        return None

    def oai_oldest(self) -> OaiHeader | None:
        """The visible record changed longest ago: Identify's earliest datestamp and sample identifier."""
        return self.store.oai_oldest()

    def oai_count(self, selection: OaiSelection) -> int:
        return self.store.oai_count(selection)

    def oai_page(
        self, selection: OaiSelection, after: tuple[datetime, str] | None, limit: int, with_records: bool
    ) -> list[OaiEntry]:
        """Up to ``limit`` entries after the keyset position ``after``, oldest change first; with
        ``with_records`` the records of the ones that are not deleted come along."""
        return self.store.oai_page(selection, after, limit, with_records)

    def oai_entry(self, record_id: str, with_record: bool = False) -> OaiEntry | None:
        """One record as a harvester sees it; None when a harvester may not know of it (no such
        record, or one that was never public)."""
        return self.store.oai_entry(record_id, with_record)

    def oai_museum(self, code: str) -> Museum:
        """A record's museum, from the few seconds' cache (every record of a page needs one)."""
        return self.store.museums_by_code().get(code) or self.museum(code)
