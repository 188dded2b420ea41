"""Reads for sitemaps of published objects: the pages the published records fall into, in id order,
and the records of one page. A mix-in of ``Store``."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from catalogue.models import PUBLISHED
from catalogue.store import tables as t
from catalogue.store.clock import aware
from catalogue.store.queries import Queries

MOST_PER_SITEMAP = 50_000  # the sitemaps.org limit of URLs per file


@dataclass(frozen=True)
class SitemapPage:
    """One sitemap's share of the published records: ids from ``first_id`` on (up to the next
    page's first id), how many, and the newest change among them."""

    first_id: str
    count: int
    lastmod: datetime


class SitemapQueries(Queries):
    def sitemap_pages(self, size: int) -> list[SitemapPage]:
        """The published records in id order, cut every ``size`` records: one pass over ids and
        dates that gives each page's first id, so a page is then read by keyset, not by offset."""
        numbered = (
            sa.select(
                t.records.c.id,
                t.records.c.updated_at,
                ((sa.func.row_number(type_=sa.Integer).over(order_by=t.records.c.id) - 1) // size).label("page"),
            )
            .where(t.records.c.status == PUBLISHED)
            .subquery()
        )
        query = (
            sa.select(sa.func.min(numbered.c.id), sa.func.count(), sa.func.max(numbered.c.updated_at))
            .group_by(numbered.c.page)
            .order_by(numbered.c.page)
        )
        with self.reading() as c:
            return [SitemapPage(first, count, aware(newest)) for first, count, newest in c.execute(query)]

    def sitemap_entries(self, first_id: str, next_id: str | None) -> list[tuple[str, datetime]]:
        """(id, updated_at) of the published records from ``first_id`` up to ``next_id`` (excluded)."""
        query = (
            sa.select(t.records.c.id, t.records.c.updated_at)
            .where(t.records.c.status == PUBLISHED, t.records.c.id >= first_id)
            .order_by(t.records.c.id)
            .limit(MOST_PER_SITEMAP)
        )
        if next_id is not None:
            query = query.where(t.records.c.id < next_id)
        with self.reading() as c:
            return [(record_id, aware(updated)) for record_id, updated in c.execute(query)]
