"""What the curator dashboard reads: one museum's records by status, image and warning filters,
counts, recent changes. A mix-in of ``Store``."""

import json
import string

import sqlalchemy as sa

from catalogue.store import tables as t
from catalogue.store.clock import aware
from catalogue.store.queries import HAS_IMAGE, Queries

_HAS_WARNINGS = sa.func.json_array_length(t.records.c.warnings) > 0
_IMAGE_COUNT = (
    sa.select(sa.func.count()).where(t.images.c.record_id == t.records.c.id).scalar_subquery().label("image_count")
)
_WARNING_COUNT = sa.func.json_array_length(t.records.c.warnings).label("warning_count")


class CurationQueries(Queries):
    def curation_counts(self, museum: str) -> dict[str, int]:
        """One museum's records: how many per status, and how many with images, without, and with
        data-quality warnings (every status together)."""
        query = (
            sa.select(
                t.records.c.status,
                sa.func.count(),
                sa.func.sum(sa.case((HAS_IMAGE, 1), else_=0)),
                sa.func.sum(sa.case((_HAS_WARNINGS, 1), else_=0)),
            )
            .where(t.records.c.museum == museum)
            .group_by(t.records.c.status)
        )
        counts = {"total": 0, "with_images": 0, "with_warnings": 0}
        with self.reading() as c:
            for status, number, with_images, with_warnings in c.execute(query):
                counts[status] = number
                counts["total"] += number
                counts["with_images"] += int(with_images or 0)
                counts["with_warnings"] += int(with_warnings or 0)
        counts["missing_images"] = counts["total"] - counts["with_images"]
        return counts

    def curation_records(
        self,
        museum: str,
        text: str = "",
        status: str | None = None,
        images: str | None = None,
        warnings: bool = False,
        limit: int = 25,
        offset: int = 0,
    ) -> tuple[list[dict], int]:
        """One page of a museum's records in any status, most recently changed first, and how many
        match in all. ``text`` matches the local id or a title; ``images`` is "missing" or "present"."""
        query = sa.select(
            t.records.c.id,
            t.records.c.local_id,
            t.records.c.status,
            t.records.c.revision,
            t.records.c.masterpiece,
            t.records.c.updated_at,
            t.records.c.body["title"].label("title"),
            _IMAGE_COUNT,
            _WARNING_COUNT,
        ).where(t.records.c.museum == museum)
        if text:
            query = query.where(_matches(text))
        if status:
            query = query.where(t.records.c.status == status)
        if images == "missing":
            query = query.where(~HAS_IMAGE)
        elif images == "present":
            query = query.where(HAS_IMAGE)
        if warnings:
            query = query.where(_HAS_WARNINGS)
        total_query = sa.select(sa.func.count()).select_from(query.subquery())
        page = query.order_by(t.records.c.updated_at.desc(), t.records.c.id).limit(limit).offset(offset)
        with self.reading() as c:
            rows = [{**row, "updated_at": aware(row["updated_at"])} for row in c.execute(page).mappings()]
            return rows, c.execute(total_query).scalar_one()

    def recent_changes(self, museum: str, limit: int = 10) -> list[dict]:
        """The newest audit entries of the museum's records, each with the record's local id and title."""
        query = (
            sa.select(
                t.audit_log.c.id,
                t.audit_log.c.at,
                t.audit_log.c.actor,
                t.audit_log.c.action,
                t.audit_log.c.record_id,
                t.audit_log.c.revision,
                t.audit_log.c.changes,
                t.records.c.local_id,
                t.records.c.body["title"].label("title"),
            )
            .select_from(t.audit_log.join(t.records, t.records.c.id == t.audit_log.c.record_id))
            .where(t.audit_log.c.museum == museum, t.records.c.museum == museum)
            .order_by(t.audit_log.c.id.desc())
            .limit(limit)
        )
        with self.reading() as c:
            return [{**row, "at": aware(row["at"])} for row in c.execute(query).mappings()]


def _matches(text: str):
    """Local id or title contains ``text``. Titles are matched in the stored JSON text, where rows
    written before the store encoded JSON with orjson keep non-ASCII letters as \\u escapes; ``text``
    is matched both as typed and as escaped, so 北斎 is found however the database keeps it. Case is
    ignored for ASCII letters everywhere, and for other letters where the database's lower() folds
    them (PostgreSQL in a UTF-8 locale; SQLite folds ASCII only, so "Étude" is found as typed)."""
    typed = (_ascii_lower(text), text.lower())
    needles = dict.fromkeys((*typed, json.dumps(text)[1:-1].lower()))
    title = sa.func.lower(sa.cast(t.records.c.body["title"], sa.Text))
    local_id = sa.func.lower(t.records.c.local_id)
    conditions = [local_id.contains(needle, autoescape=True) for needle in dict.fromkeys(typed)]
    conditions += [title.contains(needle, autoescape=True) for needle in needles]
    return sa.or_(*conditions)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ascii_lower(text: str) -> str:
    """``text`` with its ASCII letters lowered, as SQLite's lower() lowers the stored text."""
    return text.translate(_ASCII_LOWER)
