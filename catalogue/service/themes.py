"""Curated themes: the secretariat makes them (title, introduction, cover, published, and the records
in order with a note each); everyone reads the published ones, with their published records.

Every change reads the theme as it is, locked, works out the theme it becomes, and writes that in
one transaction with its audit entry (what changed) and, when the records a published theme shows
in search change (its list, or its published flag), an outbox entry for each record affected, so
that the ``theme`` field of their search documents is rebuilt."""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.i18n import N_
from catalogue.models import PUBLIC, Actor, ObjectRecord, StoredImage, is_public, public_id
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.store import now
from catalogue.themes import (
    MAX_OBJECTS,
    SLUG,
    Theme,
    ThemeObject,
    load_note,
    load_objects,
    load_theme,
    record_id_from_reference,
)

THEME_TITLES_SECONDS = 10.0  # how long search pages may label the theme facet with titles read before
IMPORT_KEYS = {"slug", "title", "introduction", "published", "cover", "objects"}


@dataclass(frozen=True)
class ThemeEntry:
    """One record of a theme as a page shows it, with the theme's note about it."""

    record: ObjectRecord
    note: dict


@dataclass(frozen=True)
class ThemeView:
    """A theme with the records a reader sees (the public: published records only), in order, and
    its cover: the chosen image when its record is among them, else the first image among them."""

    theme: Theme
    entries: list[ThemeEntry]
    cover: StoredImage | None

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def with_images(self) -> list[ObjectRecord]:
        """The records that have an IIIF manifest (at least one image), in order."""
        return [entry.record for entry in self.entries if entry.record.images]


class ThemeRules(ServiceBase):
    _theme_titles: tuple[float, dict[str, dict]] | None = None  # (expiry, titles); see theme_titles

    # reading ---------------------------------------------------------------------------------------
    def check_may_curate_themes(self, actor: Actor) -> None:
        """Only the secretariat (an administrator of no museum) makes and changes themes."""
        if not (actor.is_secretariat and actor.museum is None):
            raise Forbidden(N_("Only the secretariat curates themes."))

    def themes(self, reader: Actor = PUBLIC) -> list[ThemeView]:
        """The published themes with their published records, newest first; the secretariat sees
        every theme with every record it holds."""
        curating = self._curates(reader)
        themes = self.store.list_themes(published_only=not curating)
        records = self._records({i for theme in themes for i in theme.record_ids})
        return [_view(theme, records, curating) for theme in themes]

    def theme(self, slug: str, reader: Actor = PUBLIC) -> ThemeView:
        """One theme as ``reader`` sees it; an unpublished one exists for the secretariat only."""
        curating = self._curates(reader)
        theme = self.store.theme(slug) if isinstance(slug, str) and SLUG.fullmatch(slug) else None
        if theme is None or not (theme.published or curating):
            raise NotFound(N_("There is no such theme."))
        return _view(theme, self._records(set(theme.record_ids)), curating)

    def theme_titles(self) -> dict[str, dict]:
        """Slug -> title (a language map) of every published theme: the search page labels the
        theme facet with them. Kept for a few seconds; this process's theme changes clear it."""
        cached = self._theme_titles
        if cached is None or cached[0] < time.monotonic():
            titles = {theme.slug: theme.title for theme in self.store.list_themes(published_only=True)}
            cached = (time.monotonic() + THEME_TITLES_SECONDS, titles)
            self._theme_titles = cached
        return cached[1]

    def _curates(self, reader: Actor) -> bool:
        return reader.is_secretariat and reader.museum is None

    def _records(self, ids: set[str]) -> dict[str, ObjectRecord]:
        return {record.id: record for record in self.store.get_records(sorted(ids))} if ids else {}

    # writing ---------------------------------------------------------------------------------------
    def create_theme(self, actor: Actor, data) -> Theme:
        """A new theme, with no objects yet; its slug must be free."""
        self.check_may_curate_themes(actor)
        fields = load_theme(data)
        with self.store.transaction() as conn:
            if self.store.theme(fields["slug"], conn, for_update=True) is not None:
                message = N_("There is a theme with this slug already; choose another.")
                raise Conflict(message, [{"field": "slug", "message": message}])
            stamp = now()
            theme = Theme(
                fields["slug"],
                fields["title"],
                fields["introduction"],
                fields["cover"],
                fields["published"],
                0,
                stamp,
                stamp,
            )
            self._save(conn, actor, None, theme)
        self._themes_written()
        created = self.store.theme(fields["slug"])
        assert created is not None
        return created

    def update_theme(self, actor: Actor, slug: str, data, expected_revision: int | None = None) -> bool:
        """Title, introduction, cover and published flag as ``data`` gives them; False when nothing
        changed. ``expected_revision``: the revision the form was read at (a newer one is a conflict)."""
        self.check_may_curate_themes(actor)
        fields = load_theme(data, new=False)

        def change(conn, before: Theme) -> Theme:
            if expected_revision is not None and before.revision != expected_revision:
                raise Conflict(N_("Someone else changed this theme meanwhile; your changes were not saved."))
            return replace(
                before,
                title=fields["title"],
                introduction=fields["introduction"],
                cover_image=fields["cover"],
                published=fields["published"],
            )

        return self._change(actor, slug, change)

    def set_theme_objects(self, actor: Actor, slug: str, items) -> bool:
        """The theme's whole list: [{"record_id", "note"}] in order."""
        self.check_may_curate_themes(actor)
        objects = load_objects(items)
        return self._change(actor, slug, lambda conn, before: replace(before, objects=objects))

    def add_theme_object(self, actor: Actor, slug: str, reference, note=None) -> str:
        """Add a record at the end, named by its catalogue id or its page's address; its id."""
        self.check_may_curate_themes(actor)
        record_id = record_id_from_reference(reference)
        if record_id is None:
            message = N_("Give the catalogue id of an object or the address of its page.")
            raise ValidationFailed(message, [{"field": "reference", "message": message}])
        added = ThemeObject(record_id, load_note(note))

        def change(conn, before: Theme) -> Theme:
            problem = None
            if record_id in before.record_ids:
                problem = N_("This object is in the theme already.")
            elif len(before.objects) >= MAX_OBJECTS:
                problem = N_("A theme holds at most 100 objects.")
            elif not self.store.record_statuses(conn, [record_id]):
                problem = N_("There is no object with this id in the catalogue.")
            if problem:
                raise ValidationFailed(problem, [{"field": "reference", "message": problem}])
            return replace(before, objects=(*before.objects, added))

        self._change(actor, slug, change)
        return record_id

    def remove_theme_object(self, actor: Actor, slug: str, record_id: str) -> bool:
        self.check_may_curate_themes(actor)
        return self._change_object(
            actor, slug, record_id, lambda objects, index: objects[:index] + objects[index + 1 :]
        )

    def move_theme_object(self, actor: Actor, slug: str, record_id: str, direction: str) -> bool:
        """One step earlier ("up") or later ("down"); at either end it stays where it is."""
        self.check_may_curate_themes(actor)
        if direction not in ("up", "down"):
            raise ValidationFailed(N_("Move an object up or down."))

        def move(objects: tuple[ThemeObject, ...], index: int) -> tuple[ThemeObject, ...]:
            other = index - 1 if direction == "up" else index + 1
            if not 0 <= other < len(objects):
                return objects
            moved = list(objects)
            moved[index], moved[other] = moved[other], moved[index]
            return tuple(moved)

        return self._change_object(actor, slug, record_id, move)

    def set_theme_note(self, actor: Actor, slug: str, record_id: str, note) -> bool:
        self.check_may_curate_themes(actor)
        noted = load_note(note)

        def set_note(objects: tuple[ThemeObject, ...], index: int) -> tuple[ThemeObject, ...]:
            return objects[:index] + (ThemeObject(record_id, noted),) + objects[index + 1 :]

        return self._change_object(actor, slug, record_id, set_note)

    def delete_theme(self, actor: Actor, slug: str) -> None:
        """The theme and its list go (the records stay, of course); its records leave the facet."""
        self.check_may_curate_themes(actor)
        with self.store.transaction() as conn:
            before = self._locked(conn, slug)
            self.store.delete_theme(conn, slug)
            if before.published:
                self.store.enqueue_records(conn, before.record_ids)
            changes = {"theme": slug, "title": before.title, "objects": before.record_ids}
            self.store.append_audit(conn, [audit_entry(actor, None, None, "theme_deleted", before.revision, changes)])
        self._themes_written()

    def import_theme(self, actor: Actor, entry) -> str:
        """Create or update a theme from a file (``catalogue theme load``): its fields, its objects
        named by {"museum", "local_id"} or {"id"}, each with an optional note, and a cover named the
        same way (its first image, or ``"image": n``). ``created``, ``updated`` or ``unchanged``, so
        loading a file again changes nothing."""
        self.check_may_curate_themes(actor)
        if not isinstance(entry, dict) or not set(entry) <= IMPORT_KEYS:
            unknown = sorted(set(entry) - IMPORT_KEYS) if isinstance(entry, dict) else []
            raise ValidationFailed(
                N_("A theme is an object with slug, title, introduction, published, cover and objects."),
                [{"field": name, "message": "Unknown field."} for name in unknown],
            )
        fields = load_theme({key: entry[key] for key in ("slug", "title", "introduction", "published") if key in entry})
        listed = entry.get("objects") or []
        if not isinstance(listed, list):
            message = N_("The objects must be a list.")
            raise ValidationFailed(message, [{"field": "objects", "message": message}])
        objects = load_objects([_imported_object(index, item) for index, item in enumerate(listed)])
        with self.store.transaction() as conn:
            before = self.store.theme(fields["slug"], conn, for_update=True)
            stamp = now()
            after = Theme(
                fields["slug"],
                fields["title"],
                fields["introduction"],
                self._imported_cover(conn, entry.get("cover")),
                fields["published"],
                before.revision if before else 0,
                before.created_at if before else stamp,
                stamp,
                objects,
            )
            changed = self._save(conn, actor, before, after)
        if changed:
            self._themes_written()
        return "unchanged" if not changed else "updated" if before else "created"

    def _imported_cover(self, conn, cover) -> str | None:
        if cover is None:
            return None
        record_id = _imported_object(0, cover, "cover")["record_id"]
        number = cover.get("image", 1) if isinstance(cover, dict) else 1
        images = self.store.record_images(record_id, conn)
        if not isinstance(number, int) or not 1 <= number <= len(images):
            message = N_("The cover names an image its object does not have.")
            raise ValidationFailed(message, [{"field": "cover", "message": message}])
        return images[number - 1][0].id

    # the one way a theme is written ----------------------------------------------------------------
    def _locked(self, conn, slug: str) -> Theme:
        theme = (
            self.store.theme(slug, conn, for_update=True) if isinstance(slug, str) and SLUG.fullmatch(slug) else None
        )
        if theme is None:
            raise NotFound(N_("There is no such theme."))
        return theme

    def _change(self, actor: Actor, slug: str, change: Callable[[Any, Theme], Theme]) -> bool:
        with self.store.transaction() as conn:
            before = self._locked(conn, slug)
            changed = self._save(conn, actor, before, change(conn, before))
        if changed:
            self._themes_written()
        return changed

    def _change_object(self, actor: Actor, slug: str, record_id: str, change) -> bool:
        """Change the list at one of its records (``change(objects, index)``); a record the theme
        does not hold is not found."""

        def changed_list(conn, before: Theme) -> Theme:
            if record_id not in before.record_ids:
                raise NotFound(N_("This theme does not hold that object."))
            return replace(before, objects=change(before.objects, before.record_ids.index(record_id)))

        return self._change(actor, slug, changed_list)

    def _save(self, conn, actor: Actor, before: Theme | None, after: Theme) -> bool:
        """Write ``after`` over ``before`` (None: a new theme) as the next revision, with its audit
        entry and the outbox entries of the records whose themes in search change; False when
        nothing changed."""
        after = self._checked(conn, before, after)
        changes = _differences(before, after)
        if not changes:
            return False
        after = replace(after, revision=(before.revision if before else 0) + 1)
        if before is None:
            self.store.insert_theme(conn, after)
        else:
            self.store.update_theme(conn, after)
        if before is None or before.objects != after.objects:
            self.store.replace_theme_objects(conn, after.slug, after.objects)
        self.store.enqueue_records(conn, sorted(_in_search(before) ^ _in_search(after)))
        action = "theme_created" if before is None else "theme_changed"
        entry = audit_entry(actor, None, None, action, after.revision, {"theme": after.slug, **changes})
        self.store.append_audit(conn, [entry])
        return True

    def _checked(self, conn, before: Theme | None, after: Theme) -> Theme:
        """Every record of the list exists; the cover is an image of one of them. A cover whose
        record just left the list is dropped with it; a cover newly chosen elsewhere is refused."""
        ids = after.record_ids
        known = self.store.record_statuses(conn, ids)
        for index, record_id in enumerate(ids):
            if record_id not in known:
                message = N_("There is no object with this id in the catalogue.")
                raise ValidationFailed(message, [{"field": f"objects.{index}.record_id", "message": message}])
        if after.cover_image is None or self.store.image_record(conn, after.cover_image) in ids:
            return after
        if before is not None and after.cover_image == before.cover_image:
            return replace(after, cover_image=None)
        message = N_("Choose an image of one of the theme's objects.")
        raise ValidationFailed(message, [{"field": "cover", "message": message}])

    def _themes_written(self) -> None:
        self._theme_titles = None
        self._written()


def _view(theme: Theme, records: dict[str, ObjectRecord], curating: bool) -> ThemeView:
    entries = [
        ThemeEntry(records[item.record_id], item.note)
        for item in theme.objects
        if item.record_id in records and (curating or is_public(records[item.record_id].status))
    ]
    images = [image for entry in entries for image in entry.record.images]
    chosen = next((image for image in images if image.id == theme.cover_image), None)
    return ThemeView(theme, entries, chosen or (images[0] if images else None))


def _in_search(theme: Theme | None) -> set[str]:
    """The records whose search documents name this theme (those of a published theme)."""
    return set(theme.record_ids) if theme is not None and theme.published else set()


def _differences(before: Theme | None, after: Theme) -> dict:
    """What a change changes, for the audit log: [old, new] per field, and for the list the records
    added and removed, whether the order changed and whose notes changed."""
    changes: dict = {}
    for name in ("title", "introduction", "cover_image", "published"):
        old, new = (getattr(before, name) if before else None), getattr(after, name)
        if old != new and not (before is None and new in ({}, None, False)):
            changes[name] = [old, new]
    old_objects = before.objects if before else ()
    if old_objects != after.objects:
        old_ids, new_ids = [o.record_id for o in old_objects], after.record_ids
        old_notes = {o.record_id: o.note for o in old_objects}
        kept = [i for i in new_ids if i in old_notes]
        changes["objects"] = {
            "added": [i for i in new_ids if i not in old_notes],
            "removed": [i for i in old_ids if i not in set(new_ids)],
            "moved": kept != [i for i in old_ids if i in set(new_ids)],
            "notes": [
                o.record_id for o in after.objects if o.record_id in old_notes and old_notes[o.record_id] != o.note
            ],
        }
    if before is None and not changes:
        changes["title"] = [None, after.title]  # a new theme is a change even when it says little
    return changes


def _imported_object(index: int, item, field: str = "objects") -> dict:
    """{"record_id", "note"} of an object a theme file names by {"museum", "local_id"} or {"id"}."""
    place = field if field == "cover" else f"{field}.{index}"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        record_id = item["id"]
    elif isinstance(item, dict) and isinstance(item.get("museum"), str) and isinstance(item.get("local_id"), str):
        record_id = public_id(item["museum"], item["local_id"])
    else:
        message = N_('Name the object with "museum" and "local_id", or with "id".')
        raise ValidationFailed(message, [{"field": place, "message": message}])
    return {"record_id": record_id, "note": item.get("note") or {}}
