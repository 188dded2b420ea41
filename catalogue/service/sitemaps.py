"""Rules for sitemaps of published objects: which records a sitemap lists (published ones only), how
they are cut into numbered sitemaps, and the public pages and themes listed beside them."""

import time
from dataclasses import dataclass
from datetime import datetime

from catalogue.errors import NotFound
from catalogue.models import Museum
from catalogue.service.base import ServiceBase
from catalogue.store.sitemaps import SitemapPage

# Cutting the records into pages reads every published id: a crawler that fetches the index and
# then each objects sitemap in turn would make that read once per sitemap. The cut is kept for a
# few minutes instead; a record published meanwhile is listed when it is taken again.
PAGES_KEPT_SECONDS = 300.0


@dataclass(frozen=True)
class SitemapEntry:
    record_id: str
    lastmod: datetime


class SitemapRules(ServiceBase):
    _sitemap_pages: tuple[float, int, list[SitemapPage]] | None = None

    def sitemap_pages(self, size: int) -> list[SitemapPage]:
        """The numbered objects sitemaps (page 1 first), each with its newest change."""
        kept = self._sitemap_pages
        if kept is None or kept[1] != size or kept[0] < time.monotonic():
            kept = (time.monotonic() + PAGES_KEPT_SECONDS, size, self.store.sitemap_pages(size))
            self._sitemap_pages = kept
        return kept[2]

    def sitemap_entries(self, number: int, size: int) -> list[SitemapEntry]:
        """The published records of objects sitemap ``number`` (from 1); past the last is not found."""
        pages = self.sitemap_pages(size)
        if not 1 <= number <= len(pages):
            raise NotFound(f"There is no objects sitemap {number}; there are {len(pages)}.")
        following = pages[number].first_id if number < len(pages) else None
        rows = self.store.sitemap_entries(pages[number - 1].first_id, following)
        return [SitemapEntry(record_id, updated) for record_id, updated in rows]

    def sitemap_museums(self) -> list[Museum]:
        """The museums the home page lists (an applicant is not a member yet)."""
        return [museum for museum in self.store.list_museums() if museum.status != "applicant"]

    def sitemap_themes(self) -> list[tuple[str, datetime]]:
        """(slug, updated_at) of the published themes."""
        return [(theme.slug, theme.updated_at) for theme in self.store.list_themes(published_only=True)]
