"""The object record schema: one marshmallow schema validates and normalises every way in.

Whatever the source (API, CSV, JSON Lines, later LIDO and web forms), a record passes through
``load_record`` and comes out in one shape: language maps, ISO country codes, rights URIs, and
``date_begin``/``date_end`` derived from the display date when the museum gave no years.

Real museum data is messy, and a museum cannot fix its source system for us. So a record is
rejected only when it has no identity (local id), no title, or a broken shape (a list where text
belongs, an unknown field name, invalid Unicode). A *value* we cannot use (a year 7195, a death
before birth, an unknown country or rights statement, a broken URL) is dropped, or re-derived
from the display text, and reported as a warning (field, value, reason) stored with the record.
"""

import json
import math
import re
from contextlib import contextmanager
from contextvars import ContextVar

from marshmallow import RAISE, Schema, ValidationError, fields, missing, post_load, pre_load, validate, validates_schema

from catalogue import reference
from catalogue.models import DRAFT, PUBLISHED, WITHDRAWN
from catalogue.records.dates import EARLIEST_YEAR, LATEST_YEAR, parse_date
from catalogue.records.dimensions import parse_dimensions
from catalogue.records.langmap import NO_LANGUAGE, LanguageMap, canonical_tag, is_valid_tag
from catalogue.text import clean_block, clean_line

STATUSES = (DRAFT, PUBLISHED, WITHDRAWN)
READ_ONLY = ("id", "url", "museum", "image_sources", "created_at", "updated_at", "revision")
SHORT, MEDIUM, LONG = 500, 5000, 50000
WARNINGS_KEY = "_warnings"  # where load_record puts the warnings; the service stores them apart
IMAGE_SOURCES_KEY = "_image_sources"  # images to fetch by URL; the service queues them apart
MAX_IMAGE_SOURCES = 50
_warnings: ContextVar[list | None] = ContextVar("record_warnings", default=None)
_field_prefix: ContextVar[str] = ContextVar("record_field_prefix", default="")


def warn(field: str, value, reason: str) -> None:
    """Note a value that was dropped or re-derived (outside ``load_record`` warnings are not kept)."""
    collected = _warnings.get()
    if collected is not None:
        shown = value if _storable_number(value) or value is None else str(value)[:200]
        collected.append({"field": _field_prefix.get() + field, "value": shown, "reason": reason})


def _storable_number(value) -> bool:
    """A number JSON can carry everywhere we store and send it: no NaN or infinity (PostgreSQL's
    json refuses them), no integer beyond 64 bits (the JSON encoder refuses those); the others are
    kept as text."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and -(2**63) <= value < 2**63


@contextmanager
def _field_path(prefix: str):
    token = _field_prefix.set(_field_prefix.get() + prefix)
    try:
        yield
    finally:
        _field_prefix.reset(token)


class Lenient:
    """Mix-in for a field whose unusable value is dropped with a warning instead of rejecting the
    whole record (for values, not for the record's shape or identity)."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        try:
            return super().deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            warn(attr or "", value, _first_message(error.messages))
            default = self.load_default
            return default() if callable(default) else (None if default is missing else default)


def _first_message(messages) -> str:
    while isinstance(messages, (list, dict)) and messages:
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return str(messages) + " The value was dropped."


def reject_lone_surrogates(value) -> None:
    """Text with a lone surrogate (invalid Unicode, e.g. JSON "\\ud800") cannot be stored or shown.
    One encode of the whole record answers for almost every record (it cost a fifth of an import
    when each string was scanned in Python); only a record that fails is walked to name the field."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return
    except UnicodeEncodeError:
        _name_lone_surrogate(value)
    except (TypeError, ValueError):
        return  # not JSON at all: the fields say what is wrong with it
    except RecursionError:
        raise ValidationError("The record is nested too deeply.", "_schema") from None


def _name_lone_surrogate(value, path: str = "") -> None:
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValidationError("Contains invalid Unicode (a lone surrogate).", path or "_schema")
    elif isinstance(value, dict):
        for key, item in value.items():
            _name_lone_surrogate(key, path)
            _name_lone_surrogate(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            _name_lone_surrogate(item, path)


class Line(fields.String):
    """One line of text: control characters and runs of spaces removed; empty becomes None."""

    def __init__(self, max_length: int = SHORT, **kwargs):
        kwargs.setdefault("allow_none", True)
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters.")
        return clean_line(text) or None


class Block(Line):
    """Multi-line text (descriptions, inscriptions): newlines kept."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = fields.String._deserialize(self, value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters.")
        return clean_block(text) or None


class Year(Lenient, fields.Integer):
    """A signed year (BCE negative); one out of range or not a number is dropped with a warning."""

    def __init__(self, **kwargs):
        super().__init__(
            allow_none=True,
            strict=False,
            validate=validate.Range(
                EARLIEST_YEAR, LATEST_YEAR, error=f"Not a year between {EARLIEST_YEAR} and {LATEST_YEAR}."
            ),
            **kwargs,
        )


class TextList(fields.List):
    """A list of short strings; a single string is split on ";" (how spreadsheets write lists)."""

    def __init__(self, max_items: int = 200, max_length: int = SHORT, **kwargs):
        super().__init__(
            Line(max_length=max_length), validate=validate.Length(max=max_items), load_default=list, **kwargs
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(";")
        items = super()._deserialize(value, attr, data, **kwargs)
        unique = []
        for item in items:
            if item and item not in unique:
                unique.append(item)
        return unique


class Countries(fields.Field):
    """ISO 3166-1 alpha-2 codes, from codes, English names or the vernacular names TGN uses; an
    unknown name is dropped with a warning, the others are kept."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return []
        names = value.split(";") if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValidationError("Expected a country code or name, or a list of them.")
        codes = []
        for name in (n.strip() for n in names if n.strip()):
            code = reference.country_code(name)
            if code is None:
                warn(
                    attr,
                    name,
                    "Unknown country: use an ISO 3166-1 alpha-2 code or an English name. The value was dropped.",
                )
            elif code not in codes:
                codes.append(code)
        return codes


class RightsUri(Lenient, fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        uri = reference.rights_uri(text)
        if uri is None:
            raise ValidationError(
                f"Unknown rights statement {text[:80]!r}; use one of "
                + ", ".join(e["label"] for e in reference.rights_statements().values())
                + "."
            )
        return uri


class RightsSchema(Schema):
    class Meta:
        unknown = RAISE

    metadata_license = RightsUri(allow_none=True, load_default=None)
    image_rights = RightsUri(allow_none=True, load_default=None)


NO_RIGHTS = dict.fromkeys(RightsSchema._declared_fields)  # a record without rights has every key, empty


class LenientUrl(Lenient, fields.Url):
    pass


class ImageUrl(LenientUrl):
    """An http(s) image URL. Spaces, which museum exports leave in file names ("upper board.jpg"),
    are percent-encoded: the URL works, and the museum cannot fix its export for us."""

    def __init__(self, **kwargs):
        super().__init__(schemes={"http", "https"}, validate=validate.Length(max=2000), **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str):
            value = value.strip().replace(" ", "%20") or None  # an empty cell names no image
        return super().deserialize(value, attr, data, **kwargs)


class ImageSourceSchema(Schema):
    """One image to fetch: {"url": "https://...", "alt": "text" or a language map}."""

    class Meta:
        unknown = RAISE

    url = ImageUrl(required=True, allow_none=True)
    alt = LanguageMap(load_default=dict, max_length=2000)


class ImageSources(fields.List):
    """Images the catalogue fetches by URL: [{"url", "alt"}] or plain URLs. They are sources, not
    stored images: the service queues them, and a fetched one becomes an image like an upload.

    An entry with an "id" is a stored image as the API shows it: read-only and skipped, so a record
    read from the API may be sent back with its images. A URL that is not http(s) is dropped with a
    warning, like any other unusable value."""

    def __init__(self, **kwargs):
        too_many = f"At most {MAX_IMAGE_SOURCES} image URLs per record."
        super().__init__(
            fields.Nested(ImageSourceSchema),
            load_default=list,
            load_only=True,
            validate=validate.Length(max=MAX_IMAGE_SOURCES, error=too_many),
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError('Expected a list of images such as [{"url": "https://..."}].')
        result, errors = [], {}
        for index, item in enumerate(value):
            if isinstance(item, dict) and "id" in item:
                continue
            with _field_path(f"{attr}.{index}."):
                try:
                    source = self.inner.deserialize({"url": item} if isinstance(item, str) else item, **kwargs)
                except ValidationError as error:
                    errors[index] = error.messages
                    continue
            if source["url"] and all(known["url"] != source["url"] for known in result):
                result.append(source)
        if errors:
            raise ValidationError(errors)
        return result


class PathNested(fields.Nested):
    """A nested schema whose warnings name their full path ("rights.image_rights")."""

    def _deserialize(self, value, attr, data, **kwargs):
        with _field_path(f"{attr}."):
            return super()._deserialize(value, attr, data, **kwargs)


class Makers(fields.List):
    """The makers, each loaded under its own path ("makers.2.death_year") so warnings say which."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError("Expected a list of makers.")
        result, errors = [], {}
        for index, item in enumerate(value):
            with _field_path(f"{attr}.{index}."):
                try:
                    result.append(self.inner.deserialize(item, **kwargs))
                except ValidationError as error:
                    errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return result


class MakerSchema(Schema):
    class Meta:
        unknown = RAISE

    name = Line(required=True, allow_none=False)
    name_sort = Line()
    role = Line()
    display_dates = Line()
    birth_year = Year(load_default=None)
    death_year = Year(load_default=None)
    nationality = Line()

    @pre_load
    def accept_plain_names(self, data, **kwargs):
        return {"name": data} if isinstance(data, str) else data

    @validates_schema
    def check_name(self, data, **kwargs):
        if not data.get("name"):
            raise ValidationError("A maker needs a name.", "name")

    @post_load
    def check_life(self, data, **kwargs):
        born, died = data.get("birth_year"), data.get("death_year")
        if born is not None and died is not None and died < born:
            warn("death_year", died, f"Death year {died} is before birth year {born}; both years were dropped.")
            data["birth_year"] = data["death_year"] = None
        return data


class OtherTitleSchema(Schema):
    class Meta:
        unknown = RAISE

    title = Line(required=True, allow_none=False, max_length=2000)
    type = Line()
    lang = fields.String(allow_none=True, load_default=None)

    @validates_schema
    def check_lang(self, data, **kwargs):
        if data.get("lang") and not is_valid_tag(data["lang"]):
            raise ValidationError("Not a language tag.", "lang")


class ObjectRecordSchema(Schema):
    """Validates and normalises one object record as curators send it."""

    class Meta:
        unknown = RAISE
        ordered = True

    local_id = fields.String(required=True, validate=validate.Length(min=1, max=SHORT))
    accession_number = Line()
    language = fields.String(load_default=NO_LANGUAGE)
    title = LanguageMap(required=True, max_length=2000)
    other_titles = fields.List(fields.Nested(OtherTitleSchema), load_default=list, validate=validate.Length(max=100))
    description = LanguageMap(load_default=dict, max_length=LONG, multiline=True)
    makers = Makers(fields.Nested(MakerSchema), load_default=list, validate=validate.Length(max=100))
    date_display = Line()
    date_begin = Year(load_default=None)
    date_end = Year(load_default=None)
    object_type = Line()
    classification = Line()
    medium = Line(max_length=MEDIUM)
    materials = TextList(max_items=50)
    technique = Line()
    dimensions = fields.Raw(allow_none=True, load_default=None)
    culture = Line()
    period = Line()
    dynasty = Line()
    place_of_origin = Line()
    place_depicted = Line()
    country = Countries(load_default=list)
    subjects = TextList(max_items=200)
    inscription = Block(max_length=LONG)
    credit_line = Line(max_length=MEDIUM)
    department = Line()
    rights = PathNested(RightsSchema, load_default=lambda: dict(NO_RIGHTS))
    source_url = LenientUrl(
        allow_none=True, load_default=None, schemes={"http", "https"}, validate=validate.Length(max=2000)
    )
    images = ImageSources()
    image_url = ImageUrl(allow_none=True, load_default=None, load_only=True)  # one image, as a CSV column
    masterpiece = fields.Boolean(load_default=False)
    status = fields.String(load_default=PUBLISHED, validate=validate.OneOf(STATUSES))

    @pre_load
    def prepare(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("A record must be a JSON object.", "_schema")
        reject_lone_surrogates(data)
        # null means "not given": the field's default applies (empty list, empty map, None)
        data = {k: v for k, v in data.items() if k not in READ_ONLY and v is not None}
        language = data.get("language") or NO_LANGUAGE
        if not isinstance(language, str) or not is_valid_tag(language):
            raise ValidationError("Not a language tag (BCP 47, or 'none').", "language")
        for name in ("title", "description"):  # plain strings are in the record's language
            if isinstance(data.get(name), str):
                data[name] = {canonical_tag(language): [data[name]]}
        if isinstance(data.get("local_id"), (int, float)) and not isinstance(data.get("local_id"), bool):
            data["local_id"] = str(data["local_id"])
        return data

    @validates_schema
    def check_record(self, data, **kwargs):
        if not data.get("title"):
            raise ValidationError("A title is required.", "title")
        local_id = data.get("local_id", "")
        if local_id != local_id.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in local_id):
            raise ValidationError("Local ids have no surrounding spaces or control characters.", "local_id")
        dims = data.get("dimensions")
        if dims is not None and not isinstance(dims, (str, dict)):
            raise ValidationError('Expected text or {"text": ...}.', "dimensions")

    @post_load
    def normalise(self, data, **kwargs):
        data["language"] = canonical_tag(data["language"])
        data["dimensions"] = _dimensions(data.get("dimensions"))
        data["date_begin"], data["date_end"] = _years(data)
        if not data["materials"] and data.get("medium"):
            data["materials"] = materials_from_medium(data["medium"])
        sources = _image_sources(data.pop("image_url", None), data.pop("images", []))
        if sources:
            data[IMAGE_SOURCES_KEY] = sources
        return data


def _image_sources(image_url: str | None, images: list[dict]) -> list[dict]:
    """``image_url`` first, then ``images``, each URL once."""
    if image_url is None or any(source["url"] == image_url for source in images):
        return images
    return [{"url": image_url, "alt": {}}, *images]


def _dimensions(value) -> dict:
    text = value.get("text") if isinstance(value, dict) else value
    if not isinstance(text, str) or not clean_line(text):
        return {}
    return parse_dimensions(clean_block(text)[:MEDIUM])


def _years(data: dict) -> tuple[int | None, int | None]:
    """The museum's own years win; the display text (then period, dynasty) fills the gaps. Years
    that contradict each other are dropped, with a warning, and read from the text instead."""
    begin, end = data.get("date_begin"), data.get("date_end")
    if begin is not None and end is not None and end < begin:
        warn(
            "date_end",
            end,
            f"date_end {end} is before date_begin {begin}; both were dropped and the "
            "years read from the display date instead.",
        )
        begin = end = None
    if begin is None and end is None:
        return _years_from_text(data)
    return (begin if begin is not None else end), (end if end is not None else begin)


def _years_from_text(data: dict) -> tuple[int | None, int | None]:
    for text in (data.get("date_display"), data.get("period"), data.get("dynasty")):
        parsed = parse_date(text)
        if parsed and (parsed.begin is not None or parsed.end is not None):
            return parsed.begin, parsed.end
    return None, None


def materials_from_medium(medium: str) -> list[str]:
    """ "ink and pigments on paper" -> ["ink", "pigments", "paper"]: a facet-friendly reading."""
    pieces = re.split(r"\s*(?:[,;/]|\band\b|\bon\b|\bwith\b|\ben\b|\bop\b|\bmet\b)\s*", medium.lower())
    result = []
    for piece in pieces:
        piece = piece.strip(" .()")
        if 1 < len(piece) <= 60 and piece not in result:
            result.append(piece)
    return result[:20]


_SCHEMA = ObjectRecordSchema()  # built once: schemas are stateless, and building one is costly


def load_record(payload) -> dict:
    """Validate and normalise one record; raises ``marshmallow.ValidationError`` with field messages.
    Values that were dropped or re-derived are listed under ``WARNINGS_KEY`` (absent when none)."""
    collected: list = []
    token = _warnings.set(collected)
    try:
        body = _SCHEMA.load(payload)
    finally:
        _warnings.reset(token)
    if collected:
        body[WARNINGS_KEY] = collected
    return body


def field_errors(error: ValidationError) -> list[dict]:
    """Flatten marshmallow's nested messages into [{"field": "makers.0.name", "message": ...}]."""
    out: list[dict] = []

    def walk(messages, path):
        if isinstance(messages, dict):
            for key, value in messages.items():
                walk(value, path + ([] if key == "_schema" else [str(key)]))
        elif isinstance(messages, list):
            for message in messages:
                walk(message, path)
        else:
            out.append({"field": ".".join(path) or None, "message": str(messages)})

    walk(error.messages, [])
    return out
