"""Curated themes (the network's travelling exhibitions): what a theme is, and its data validated.

A theme has a slug (its id in URLs), a title and an introduction as language maps, an ordered list
of catalogue records each with a note (a language map), an optional cover image (an image of one
of its records) and a published flag. Only published records of a published theme are shown to the
public; a theme may keep a record that was later withdrawn, which is then simply not shown.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from catalogue.errors import ValidationFailed
from catalogue.i18n import N_
from catalogue.records.langmap import NO_LANGUAGE, LanguageMap, pick
from catalogue.records.schema import field_errors

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")  # 2-60 lower-case letters, digits and hyphens
RESERVED_SLUGS = ("new",)  # /admin/themes/new is the form for a new theme
RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # what the records table's ids may be
MAX_TITLE = 300
MAX_INTRODUCTION = 5000
MAX_NOTE = 2000
MAX_OBJECTS = 100  # a theme's IIIF Collection is one document (iiif.collections.PAGE_SIZE)
# an object page, its viewers, its embed page or its IIIF manifest, with or without a language prefix
_OBJECT_PATH = re.compile(r"/(?:objects|embed|iiif/3/objects)/([A-Za-z0-9_-]{1,32})(?:/(?:manifest|mirador|uv)?)?$")

SLUG_RULE = N_("2 to 60 lower-case letters, digits and hyphens, starting with a letter or digit.")
NAMED_LANGUAGES = N_("Give each text its language code (en, ja, zh-Hant ...).")


@dataclass(frozen=True)
class ThemeObject:
    """One record of a theme, with the curators' note about it (a language map)."""

    record_id: str
    note: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Theme:
    slug: str
    title: dict
    introduction: dict
    cover_image: str | None  # an image id of one of its records, or None (the first image is shown)
    published: bool
    revision: int
    created_at: datetime
    updated_at: datetime
    objects: tuple[ThemeObject, ...] = ()

    def title_in(self, languages=("en",)) -> str:
        return pick(self.title, languages) or self.slug

    @property
    def record_ids(self) -> list[str]:
        return [item.record_id for item in self.objects]

    def to_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "introduction": self.introduction,
            "cover_image": self.cover_image,
            "published": self.published,
            "revision": self.revision,
            "objects": [{"record_id": item.record_id, "note": item.note} for item in self.objects],
        }


def _named_languages(langmap: dict) -> None:
    """Every text names its language, so that pages can say which one it is (``lang``)."""
    if NO_LANGUAGE in langmap:
        raise ValidationError(NAMED_LANGUAGES)


class ThemeSchema(Schema):
    """A theme's own fields as the forms, the command line and the demo file send them."""

    class Meta:
        unknown = RAISE

    slug = fields.String(
        required=True,
        validate=[
            validate.Regexp(SLUG, error=SLUG_RULE),
            validate.NoneOf(RESERVED_SLUGS, error=N_("This slug names a page of its own; choose another.")),
        ],
    )
    title = LanguageMap(required=True, max_length=MAX_TITLE, validate=_named_languages)
    introduction = LanguageMap(
        load_default=dict, max_length=MAX_INTRODUCTION, multiline=True, validate=_named_languages
    )
    cover = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(RECORD_ID))
    published = fields.Boolean(load_default=False)

    @validates_schema
    def check_title(self, data, **kwargs):
        if "title" in data and not data["title"]:
            raise ValidationError(N_("Give the theme a title in at least one language."), "title")


class ObjectSchema(Schema):
    class Meta:
        unknown = RAISE

    record_id = fields.String(required=True, validate=validate.Regexp(RECORD_ID, error=N_("Not a catalogue id.")))
    note = LanguageMap(load_default=dict, max_length=MAX_NOTE, multiline=True, validate=_named_languages)


def load_theme(data, new: bool = True) -> dict:
    """A theme's fields validated: slug (when ``new``), title, introduction, cover, published; or
    ValidationFailed with a message per field."""
    schema = ThemeSchema() if new else ThemeSchema(exclude=("slug",))
    try:
        return schema.load(data if isinstance(data, dict) else {})
    except ValidationError as error:
        raise ValidationFailed(N_("Some fields need another look."), field_errors(error)) from None


def load_objects(items) -> tuple[ThemeObject, ...]:
    """A theme's ordered objects validated: at most MAX_OBJECTS, each record once."""
    if not isinstance(items, list):
        raise ValidationFailed(N_("The objects must be a list."), [{"field": "objects", "message": "Not a list."}])
    if len(items) > MAX_OBJECTS:
        message = N_("A theme holds at most 100 objects.")
        raise ValidationFailed(message, [{"field": "objects", "message": message}])
    try:
        loaded = ObjectSchema(many=True).load(items)
    except ValidationError as error:
        errors = [{**item, "field": f"objects.{item['field']}"} for item in field_errors(error)]
        raise ValidationFailed(N_("Some objects need another look."), errors) from None
    seen: set[str] = set()
    for index, item in enumerate(loaded):
        if item["record_id"] in seen:
            message = N_("This object is in the theme already.")
            raise ValidationFailed(message, [{"field": f"objects.{index}.record_id", "message": message}])
        seen.add(item["record_id"])
    return tuple(ThemeObject(item["record_id"], item["note"]) for item in loaded)


def load_note(note) -> dict:
    """One object's note (a language map) validated."""
    try:
        return ObjectSchema(only=("note",)).load({"note": note if note is not None else {}})["note"]
    except ValidationError as error:
        raise ValidationFailed(N_("The note needs another look."), field_errors(error)) from None


def record_id_from_reference(text) -> str | None:
    """The catalogue id a curator pasted: the id itself, or the address of the object's page (or of
    its viewers, embed page or IIIF manifest), in any interface language; None when it is neither."""
    text = str(text or "").strip()
    if RECORD_ID.fullmatch(text):
        return text
    try:
        path = unquote(urlsplit(text).path).rstrip("/")
    except ValueError:
        return None
    match = _OBJECT_PATH.search(path)
    return match.group(1) if match else None
