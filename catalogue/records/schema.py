"""The object record schema: one marshmallow schema validates and normalises every way in.

Whatever the source (API, CSV, JSON Lines, later LIDO and web forms), a record passes through
``load_record`` and comes out in one shape: language maps, ISO country codes, rights URIs, and
``date_begin``/``date_end`` derived from the display date when the museum gave no years.

Real museum data is messy, and a museum cannot fix its source system for us. So a record is
rejected only when it has no identity (local id), no title, or a broken shape (a list where text
belongs, an unknown field name, invalid Unicode). A *value* we cannot use (a year 7195, a death
before birth, an unknown country or rights statement, a broken URL) is dropped, or re-derived
from the display text, and reported as a warning (field, value, reason) stored with the record.

The curator form is the exception: a person is there to correct the value, so it loads records
``refusing_unusable_values`` and each such value is an error, worded for the form. Every error of
a record, the checks across fields (years in order) among them, is found in one pass.
"""

import re

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from catalogue.errors import ValidationFailed
from catalogue.messages import N_, Message
from catalogue.models import DRAFT, PUBLISHED, WITHDRAWN
from catalogue.records.dates import parse_date
from catalogue.records.dimensions import parse_dimensions
from catalogue.records.fields import (
    LONG,
    MEDIUM,
    SHORT,
    WARNINGS_KEY,
    AtMost,
    Block,
    Countries,
    ImageUrl,
    LenientUrl,
    Line,
    Makers,
    Name,
    PathNested,
    RightsUri,
    TextList,
    Year,
    collecting_warnings,
    field_path,
    plain,
    refusing,
    reject_lone_surrogates,
    warn,
)
from catalogue.records.langmap import NO_LANGUAGE, LanguageMap, canonical_tag, is_valid_tag
from catalogue.text import clean_block, clean_line

STATUSES = (DRAFT, PUBLISHED, WITHDRAWN)
# what the API adds to a record it shows: a record read from it may be sent back as it came
READ_ONLY = (
    "id",
    "url",
    "museum",
    "image_sources",
    "created_at",
    "updated_at",
    "revision",
    "manifest",
    "warnings",
    "shown",
)
IMAGE_SOURCES_KEY = "_image_sources"  # images to fetch by URL; the service queues them apart
KEPT_KEY = "_kept"  # fields the row's format cannot say: an update keeps their stored values
MAX_IMAGE_SOURCES = 50


class RightsSchema(Schema):
    class Meta:
        unknown = RAISE

    metadata_license = RightsUri(allow_none=True, load_default=None)
    image_rights = RightsUri(allow_none=True, load_default=None)


NO_RIGHTS = dict.fromkeys(RightsSchema._declared_fields)  # a record without rights has every key, empty


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
        too_many = N_("At most %(n)s image URLs per record.")
        super().__init__(
            fields.Nested(ImageSourceSchema),
            load_default=list,
            load_only=True,
            validate=AtMost(MAX_IMAGE_SOURCES, too_many),
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError(N_('Expected a list of images such as [{"url": "https://..."}].'))
        result, errors = [], {}
        for index, item in enumerate(value):
            if isinstance(item, dict) and "id" in item:
                continue
            with field_path(f"{attr}.{index}."):
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


class MakerSchema(Schema):
    class Meta:
        unknown = RAISE

    name = Name(required=True, allow_none=False)
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
            raise ValidationError(N_("A maker needs a name."), "name")

    @validates_schema(skip_on_field_errors=False)
    def refuse_reversed_life(self, data, **kwargs):
        """On the form, a death before the birth is an error, beside the maker's other errors."""
        born, died = data.get("birth_year"), data.get("death_year")
        if refusing() and _reversed(born, died):
            message = Message(
                N_("The death year (%(died)s) is before the birth year (%(born)s)."), died=died, born=born
            )
            raise ValidationError(message, "death_year")

    @post_load
    def check_life(self, data, **kwargs):
        born, died = data.get("birth_year"), data.get("death_year")
        if _reversed(born, died):
            reason = N_("Death year %(died)s is before birth year %(born)s; both years were dropped.")
            warn("death_year", died, Message(reason, died=died, born=born))
            data["birth_year"] = data["death_year"] = None
        return data


class OtherTitleSchema(Schema):
    class Meta:
        unknown = RAISE

    title = Line(required=True, allow_none=False, max_length=2000)
    type = Line()
    lang = fields.String(allow_none=True, load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def check_lang(self, data, **kwargs):
        if data.get("lang") and not is_valid_tag(data["lang"]):
            raise ValidationError(N_("Not a language tag."), "lang")


SOURCE_FORMATS = ("lido",)
MAX_SOURCE_CHARACTERS = 1_000_000


class SourceRecordSchema(Schema):
    """The record as its museum sent it in a richer format than ours (a LIDO record): kept whole,
    so nothing our fields cannot hold is lost, with the paths of the elements no field took."""

    class Meta:
        unknown = RAISE

    format = fields.String(required=True, validate=validate.OneOf(SOURCE_FORMATS))
    xml = fields.String(required=True, validate=validate.Length(max=MAX_SOURCE_CHARACTERS))
    unmapped = fields.List(fields.String(validate=validate.Length(max=SHORT)), load_default=list)


NOT_A_TAG = N_("Not a language tag (BCP 47, or 'none').")


def _check_language(tag: str) -> None:
    """The record's language: a BCP 47 tag, or empty or "none" for none."""
    if tag.strip() and not is_valid_tag(tag):
        raise ValidationError(NOT_A_TAG)


def _reversed(earlier: int | None, later: int | None) -> bool:
    """Whether two years that should be in order (begin and end, birth and death) are not."""
    return earlier is not None and later is not None and later < earlier


NOT_A_STATUS = N_("Must be one of: draft, published, withdrawn.")  # OneOf's own would be English text


class ObjectRecordSchema(Schema):
    """Validates and normalises one object record as curators send it."""

    class Meta:
        unknown = RAISE
        ordered = True

    local_id = fields.String(
        required=True, validate=[validate.Length(min=1, error=N_("Required: fill this in.")), AtMost(SHORT)]
    )
    accession_number = Line()
    language = fields.String(load_default=NO_LANGUAGE, validate=_check_language)
    title = LanguageMap(required=True, max_length=2000)
    other_titles = fields.List(fields.Nested(OtherTitleSchema), load_default=list, validate=AtMost(100))
    description = LanguageMap(load_default=dict, max_length=LONG, multiline=True)
    makers = Makers(fields.Nested(MakerSchema), load_default=list, validate=AtMost(100))
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
    source_url = LenientUrl(allow_none=True, load_default=None, schemes={"http", "https"}, validate=AtMost(2000))
    images = ImageSources()
    image_url = ImageUrl(allow_none=True, load_default=None, load_only=True)  # one image, as a CSV column
    masterpiece = fields.Boolean(load_default=False)
    status = fields.String(load_default=PUBLISHED, validate=validate.OneOf(STATUSES, error=NOT_A_STATUS))
    source_record = fields.Nested(
        SourceRecordSchema,
        metadata={"optional": True, "description": "The record as received in LIDO XML, with the unmapped paths"},
    )

    @pre_load
    def prepare(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError(N_("A record must be a JSON object."), "_schema")
        reject_lone_surrogates(data)
        # null means "not given": the field's default applies (empty list, empty map, None)
        data = {k: v for k, v in data.items() if k not in READ_ONLY and v is not None}
        # plain strings are in the record's language; a language that is no tag is the language
        # field's error, reported with the others, and the strings are kept as having none
        language = data.get("language")
        tag = canonical_tag(language) if isinstance(language, str) and is_valid_tag(language) else NO_LANGUAGE
        for name in ("title", "description"):
            if isinstance(data.get(name), str):
                data[name] = {tag: [data[name]]}
        if isinstance(data.get("local_id"), (int, float)) and not isinstance(data.get("local_id"), bool):
            data["local_id"] = str(data["local_id"])
        return data

    @validates_schema(skip_on_field_errors=False)  # with the fields' errors, not in a round after them
    def check_record(self, data, **kwargs):
        if "title" in data and not data["title"]:  # a title that failed, or is missing, has its own error
            raise ValidationError(N_("A title is required."), "title")
        local_id = data.get("local_id", "")
        if local_id != local_id.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in local_id):
            raise ValidationError(N_("Local ids have no surrounding spaces or control characters."), "local_id")
        dims = data.get("dimensions")
        if dims is not None and not isinstance(dims, (str, dict)):
            raise ValidationError(N_('Expected text or {"text": ...}.'), "dimensions")

    @validates_schema(skip_on_field_errors=False)
    def refuse_reversed_years(self, data, **kwargs):
        """On the form, a latest year before the earliest is an error, beside the other errors."""
        begin, end = data.get("date_begin"), data.get("date_end")
        if refusing() and _reversed(begin, end):
            message = Message(
                N_("The latest year (%(end)s) is before the earliest year (%(begin)s)."), end=end, begin=begin
            )
            raise ValidationError(message, "date_end")

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
    if _reversed(begin, end):
        reason = N_(
            "date_end %(end)s is before date_begin %(begin)s; both were dropped and the years read from the "
            "display date instead."
        )
        warn("date_end", end, Message(reason, end=end, begin=begin))
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
    with collecting_warnings() as collected:
        body = _SCHEMA.load(payload)
    if collected:
        body[WARNINGS_KEY] = collected
    return body


def validate_record(payload) -> dict:
    """`load_record` with the catalogue's own error: a bad request that lists each field's message."""
    try:
        return load_record(payload)
    except ValidationError as error:
        raise ValidationFailed(N_("The record is not valid."), field_errors(error)) from None


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
            out.append({"field": ".".join(path) or None, "message": plain(messages)})

    walk(error.messages, [])
    return out
