"""The object record schema: one marshmallow schema validates and normalises every way in.

Whatever the source (API, CSV, JSON Lines, later LIDO and web forms), a record passes through
``load_record`` and comes out in one shape: language maps, ISO country codes, rights URIs, and
``date_begin``/``date_end`` derived from the display date when the museum gave no years.
"""
import re

from marshmallow import (RAISE, Schema, ValidationError, fields, post_load, pre_load, validate,
                         validates_schema)

from catalogue import reference
from catalogue.records.dates import LATEST_YEAR, parse_date
from catalogue.records.dimensions import parse_dimensions
from catalogue.records.langmap import NO_LANGUAGE, LanguageMap, canonical_tag, is_valid_tag
from catalogue.text import clean_block, clean_line

STATUSES = ("draft", "published", "withdrawn")
READ_ONLY = ("id", "url", "museum", "images", "created_at", "updated_at", "revision")
SHORT, MEDIUM, LONG = 500, 5000, 50000
EARLIEST_YEAR = -100000


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


class Year(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(allow_none=True, strict=False,
                         validate=validate.Range(EARLIEST_YEAR, LATEST_YEAR), **kwargs)


class TextList(fields.List):
    """A list of short strings; a single string is split on ";" (how spreadsheets write lists)."""

    def __init__(self, max_items: int = 200, max_length: int = SHORT, **kwargs):
        super().__init__(Line(max_length=max_length), validate=validate.Length(max=max_items),
                         load_default=list, **kwargs)

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
    """ISO 3166-1 alpha-2 codes, from codes, English names or the vernacular names TGN uses."""

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
                raise ValidationError(f"Unknown country {name[:60]!r}: use an ISO 3166-1 alpha-2 code.")
            if code not in codes:
                codes.append(code)
        return codes


class RightsUri(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        uri = reference.rights_uri(text)
        if uri is None:
            raise ValidationError(f"Unknown rights statement {text[:80]!r}; use one of "
                                  + ", ".join(e["label"] for e in reference.rights_statements().values()) + ".")
        return uri


class RightsSchema(Schema):
    class Meta:
        unknown = RAISE

    metadata_license = RightsUri(allow_none=True, load_default=None)
    image_rights = RightsUri(allow_none=True, load_default=None)


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
    def check_life(self, data, **kwargs):
        if not data.get("name"):
            raise ValidationError("A maker needs a name.", "name")
        born, died = data.get("birth_year"), data.get("death_year")
        if born is not None and died is not None and died < born:
            raise ValidationError("Death year is before birth year.", "death_year")


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
    makers = fields.List(fields.Nested(MakerSchema), load_default=list, validate=validate.Length(max=100))
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
    rights = fields.Nested(RightsSchema, load_default=dict)
    source_url = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"},
                            validate=validate.Length(max=2000))
    masterpiece = fields.Boolean(load_default=False)
    status = fields.String(load_default="published", validate=validate.OneOf(STATUSES))

    @pre_load
    def prepare(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("A record must be a JSON object.", "_schema")
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
        begin, end = data.get("date_begin"), data.get("date_end")
        if begin is not None and end is not None and end < begin:
            raise ValidationError("date_end is before date_begin.", "date_end")
        dims = data.get("dimensions")
        if dims is not None and not isinstance(dims, (str, dict)):
            raise ValidationError("Expected text or {\"text\": ...}.", "dimensions")

    @post_load
    def normalise(self, data, **kwargs):
        data["language"] = canonical_tag(data["language"])
        data["dimensions"] = _dimensions(data.get("dimensions"))
        data["date_begin"], data["date_end"] = _years(data)
        if not data["materials"] and data.get("medium"):
            data["materials"] = materials_from_medium(data["medium"])
        return data


def _dimensions(value) -> dict:
    text = value.get("text") if isinstance(value, dict) else value
    if not isinstance(text, str) or not clean_line(text):
        return {}
    return parse_dimensions(clean_block(text)[:MEDIUM])


def _years(data: dict) -> tuple[int | None, int | None]:
    """The museum's own years win; the display text (then period, dynasty) fills the gaps."""
    begin, end = data.get("date_begin"), data.get("date_end")
    if begin is None and end is None:
        for text in (data.get("date_display"), data.get("period"), data.get("dynasty")):
            parsed = parse_date(text)
            if parsed and (parsed.begin is not None or parsed.end is not None):
                return parsed.begin, parsed.end
        return None, None
    return (begin if begin is not None else end), (end if end is not None else begin)


def materials_from_medium(medium: str) -> list[str]:
    """"ink and pigments on paper" -> ["ink", "pigments", "paper"]: a facet-friendly reading."""
    pieces = re.split(r"\s*(?:[,;/]|\band\b|\bon\b|\bwith\b|\ben\b|\bop\b|\bmet\b)\s*", medium.lower())
    result = []
    for piece in pieces:
        piece = piece.strip(" .()")
        if 1 < len(piece) <= 60 and piece not in result:
            result.append(piece)
    return result[:20]


_SCHEMA = ObjectRecordSchema()  # built once: schemas are stateless, and building one is costly


def load_record(payload) -> dict:
    """Validate and normalise one record; raises ``marshmallow.ValidationError`` with field messages."""
    return _SCHEMA.load(payload)


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
