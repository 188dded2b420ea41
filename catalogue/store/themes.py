"""Curated themes in the database: the themes, their ordered records with notes, and which published
themes hold a record (the search documents' ``theme`` field). A mix-in of ``Store``."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware, now
from catalogue.store.queries import Queries
from catalogue.themes import Theme, ThemeObject

CHUNK = 500  # ids per IN (...) list


class ThemeQueries(Queries):
    """Writes take the caller's connection, so a theme's change commits with its audit and outbox
    entries; reads open their own snapshot unless given one."""

    def theme(self, slug: str, conn: Connection | None = None, for_update: bool = False) -> Theme | None:
        """One theme with its objects; ``for_update`` (in a transaction) locks its row until the
        commit, so two changes of one theme take turns (SQLite takes turns anyway)."""
        query = sa.select(t.themes).where(t.themes.c.slug == slug)
        if for_update:
            query = query.with_for_update()
        with self._conn(conn) as c:
            row = c.execute(query).mappings().first()
            return _theme(row, self._theme_objects(c, [slug]).get(slug, ())) if row else None

    def list_themes(self, published_only: bool = False) -> list[Theme]:
        """Every theme (or the published ones) with its objects, the newest first."""
        query = sa.select(t.themes).order_by(t.themes.c.created_at.desc(), t.themes.c.slug)
        if published_only:
            query = query.where(t.themes.c.published.is_(True))
        with self.reading() as c:
            rows = c.execute(query).mappings().all()
            objects = self._theme_objects(c, [row["slug"] for row in rows])
        return [_theme(row, objects.get(row["slug"], ())) for row in rows]

    def _theme_objects(self, conn: Connection, slugs: list[str]) -> dict[str, tuple[ThemeObject, ...]]:
        found: dict[str, list[ThemeObject]] = {}
        for chunk in _chunks(slugs):
            query = (
                sa.select(t.theme_objects)
                .where(t.theme_objects.c.theme.in_(chunk))
                .order_by(t.theme_objects.c.theme, t.theme_objects.c.position)
            )
            for row in conn.execute(query).mappings():
                found.setdefault(row["theme"], []).append(ThemeObject(row["record_id"], row["note"] or {}))
        return {slug: tuple(items) for slug, items in found.items()}

    def insert_theme(self, conn: Connection, theme: Theme) -> None:
        """A new theme (its objects are written with ``replace_theme_objects``)."""
        at = now()
        conn.execute(t.themes.insert().values(**_columns(theme), slug=theme.slug, created_at=at, updated_at=at))

    def update_theme(self, conn: Connection, theme: Theme) -> None:
        """A theme's own fields and revision, as ``theme`` has them."""
        conn.execute(t.themes.update().where(t.themes.c.slug == theme.slug).values(**_columns(theme), updated_at=now()))

    def replace_theme_objects(self, conn: Connection, slug: str, objects: Iterable[ThemeObject]) -> None:
        """The theme's list as given, in order (the old rows go)."""
        conn.execute(t.theme_objects.delete().where(t.theme_objects.c.theme == slug))
        rows = [
            {"theme": slug, "position": position, "record_id": item.record_id, "note": item.note}
            for position, item in enumerate(objects)
        ]
        if rows:
            conn.execute(t.theme_objects.insert(), rows)

    def delete_theme(self, conn: Connection, slug: str) -> None:
        conn.execute(t.theme_objects.delete().where(t.theme_objects.c.theme == slug))
        conn.execute(t.themes.delete().where(t.themes.c.slug == slug))

    def themes_of(self, record_ids: list[str], published_only: bool = True) -> dict[str, list[str]]:
        """Record id -> the slugs (sorted) of the themes that hold it: the published ones, which is
        what search documents carry. Records in no theme are left out."""
        found: dict[str, list[str]] = {}
        with self.reading() as c:
            for chunk in _chunks(list(dict.fromkeys(record_ids))):
                query = (
                    sa.select(t.theme_objects.c.record_id, t.theme_objects.c.theme)
                    .join(t.themes, t.themes.c.slug == t.theme_objects.c.theme)
                    .where(t.theme_objects.c.record_id.in_(chunk))
                    .order_by(t.theme_objects.c.record_id, t.theme_objects.c.theme)
                )
                if published_only:
                    query = query.where(t.themes.c.published.is_(True))
                for record_id, slug in c.execute(query):
                    found.setdefault(record_id, []).append(slug)
        return found

    def record_statuses(self, conn: Connection, record_ids: list[str]) -> dict[str, str]:
        """Record id -> status, for the ids that name a stored record."""
        statuses: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(record_ids))):
            query = sa.select(t.records.c.id, t.records.c.status).where(t.records.c.id.in_(chunk))
            statuses.update(dict(conn.execute(query).all()))
        return statuses

    def image_record(self, conn: Connection, image_id: str) -> str | None:
        """The id of the record an image belongs to; None for an unknown image."""
        query = sa.select(t.images.c.record_id).where(t.images.c.id == image_id)
        return conn.execute(query).scalar()


def _chunks(items: list[str]) -> Iterable[list[str]]:
    return (items[start : start + CHUNK] for start in range(0, len(items), CHUNK))


def _columns(theme: Theme) -> dict:
    return {
        "title": theme.title,
        "introduction": theme.introduction,
        "cover_image_id": theme.cover_image,
        "published": theme.published,
        "revision": theme.revision,
    }


def _theme(row, objects: tuple[ThemeObject, ...]) -> Theme:
    return Theme(
        slug=row["slug"],
        title=row["title"] or {},
        introduction=row["introduction"] or {},
        cover_image=row["cover_image_id"],
        published=bool(row["published"]),
        revision=row["revision"],
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
        objects=objects,
    )
