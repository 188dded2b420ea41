"""Museums: registering them (administrators), and what the pages and IIIF collections read of them."""

from dataclasses import dataclass

from catalogue.errors import Forbidden, NotFound
from catalogue.messages import N_
from catalogue.models import Actor, Museum, ObjectRecord
from catalogue.museums import load_museum
from catalogue.service.base import ServiceBase, audit_entry


@dataclass(frozen=True)
class MuseumPage:
    museum: Museum
    records: list[ObjectRecord]
    page: int
    pages: int
    total: int


class MuseumRules(ServiceBase):
    def register_museum(self, actor: Actor, data: dict) -> Museum:
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators register museums.")
        museum = load_museum(data)
        with self.store.transaction() as conn:
            self.store.lock_museum(conn, museum.code)
            changed = self._save_museum(conn, actor, museum)
        if changed:
            self._written()
        return museum

    def _save_museum(self, conn, actor: Actor, museum: Museum) -> bool:
        """Insert or update a museum in the caller's transaction (which holds its lock), with its
        audit entry and every record of it queued for the index (names and country are on each
        document); False when nothing changed."""
        changed = self.store.save_museum(conn, museum)
        if changed:
            self.store.append_audit(
                conn, [audit_entry(actor, museum.code, None, "museum_saved", None, museum.to_json())]
            )
            self.store.enqueue_museum(conn, museum.code)
        return changed

    def museums(self) -> list[Museum]:
        return self.store.list_museums()

    def museum_labels(self) -> dict[str, Museum]:
        """Every museum by code, cached for a few seconds (search results label each hit with them)."""
        return self.store.museums_by_code()

    def published_counts(self) -> dict[str, int]:
        """Published records per museum code."""
        return self.store.record_counts()

    def museum_page(self, code: str, page: int, size: int) -> MuseumPage:
        """One page of a museum's published records; a page past the last is not found."""
        museum = self.museum(code)
        total = self.store.count_records(code)
        pages = max(1, -(-total // size))
        if not 1 <= page <= pages:
            raise NotFound(N_("There is no page %(page)s; the last page is %(last)s."), page=page, last=pages)
        records = self.store.list_records(museum=code, limit=size, offset=(page - 1) * size)
        return MuseumPage(museum, records, page, pages, total)

    def masterpieces(self, limit: int = 12) -> list[ObjectRecord]:
        return self.store.list_records(masterpiece=True, limit=limit)

    def records_with_images(
        self,
        page: int,
        size: int,
        museum: str | None = None,
        country: str | None = None,
        masterpiece: bool | None = None,
    ) -> tuple[list[ObjectRecord], int]:
        """A page of the published records that have images (the ones IIIF collections list)."""
        return self.store.records_with_images(museum, country, masterpiece, limit=size, offset=(page - 1) * size)

    def museums_with_images(self) -> dict[str, int]:
        """Museum code -> published records with an image: the museums whose IIIF collection has a
        manifest in it."""
        return self.store.museums_with_images()

    def countries_with_images(self) -> dict[str, int]:
        return self.store.countries_with_images()
