"""The JSON shapes the API answers with, each one marshmallow schema: the views dump with them and
the OpenAPI description is generated from them, so a shape is written down once.

Values reach these schemas already JSON-ready (language maps, ISO dates as text), so ``dump``
only picks each shape's keys in order, following nested shapes. That costs microseconds, where
marshmallow's own field-by-field dump cost 1.6 ms for one page of search results.
tests/views/test_shapes.py checks every kind of answer against its schema (keys and field types).
"""

from functools import cache
from typing import cast

from marshmallow import Schema, fields

from catalogue.records.schema import ObjectRecordSchema

MANIFEST = "IIIF Presentation 3 manifest; null when the record has no images (a manifest needs a canvas)"
OPTIONAL = {"optional": True}  # a key that a shape leaves out when there is nothing to say


class FieldErrorSchema(Schema):
    field = fields.String(allow_none=True)
    message = fields.String()
    index = fields.Integer(metadata={"description": "Position in a list of records", **OPTIONAL})


class ErrorSchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata=OPTIONAL)
    id = fields.String(metadata={"description": "410 only: the id of the withdrawn record (its tombstone)", **OPTIONAL})


class ImageSchema(Schema):
    id = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    format = fields.String()
    bytes = fields.Integer()
    sha256 = fields.String()
    alt = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    url = fields.Url(
        allow_none=True,
        metadata={
            "description": "The original file as uploaded; null unless the image rights are open for reuse "
            "(its original is not public: view it through iiif)"
        },
    )
    iiif = fields.Url(metadata={"description": "IIIF Image API 3 service (the id of its info.json)"})


class ImageSourceOutSchema(Schema):
    url = fields.Url()
    alt = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    state = fields.String(metadata={"description": "pending (to be fetched), fetched or failed"})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True, metadata={"description": "Why the last attempt failed"})
    next_attempt_at = fields.String(
        allow_none=True, metadata={"format": "date-time", "description": "When a pending source is fetched next"}
    )
    image = fields.String(allow_none=True, metadata={"description": "The id of the stored image, once fetched"})


class WarningSchema(Schema):
    field = fields.String()
    value = fields.Raw(allow_none=True)
    reason = fields.String()


class ChosenValueSchema(Schema):
    value = fields.String(allow_none=True)
    language = fields.String(allow_none=True, metadata={"description": "The language tag of the value chosen"})


class ShownSchema(Schema):
    """A record's language maps reduced to one value each, as the pages show them."""

    languages = fields.List(
        fields.String(),
        metadata={"description": "The languages asked for, best first (?lang=, then Accept-Language)"},
    )
    title = fields.Nested(ChosenValueSchema)
    description = fields.Nested(ChosenValueSchema)


SHOWN = (
    "The title and description in the visitor's language: the first of ?lang= and Accept-Language the "
    "record has, else English, else the record's own language, else a value without language, else any."
)


def _record_fields() -> dict:
    """Identity first, then the record schema's own fields in their order, then what the store adds."""
    body = {
        name: field
        for name, field in ObjectRecordSchema._declared_fields.items()
        if name != "status" and not field.load_only  # image URLs are kept apart, as image_sources
    }
    return {
        "id": fields.String(),
        "url": fields.Url(),
        "museum": fields.String(),
        **body,
        "images": fields.List(fields.Nested(ImageSchema)),
        "manifest": fields.Url(allow_none=True, metadata={"description": MANIFEST}),
        "status": fields.String(),
        "revision": fields.Integer(),
        "created_at": fields.String(metadata={"format": "date-time"}),
        "updated_at": fields.String(metadata={"format": "date-time"}),
        "shown": fields.Nested(ShownSchema, metadata={"description": SHOWN}),
    }


StoredRecordSchema = Schema.from_dict(_record_fields(), name="StoredRecordSchema")
CuratorRecordSchema = Schema.from_dict(
    {
        **_record_fields(),
        "warnings": fields.List(
            fields.Nested(WarningSchema),
            metadata={
                "description": "Data-quality warnings of the last save: values dropped or re-derived (curators only)"
            },
        ),
        "image_sources": fields.List(
            fields.Nested(ImageSourceOutSchema),
            metadata={"description": "Images the record names by URL and how fetching them went (curators only)"},
        ),
    },
    name="CuratorRecordSchema",
)


class MuseumOutSchema(Schema):
    code = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    country = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    website = fields.Url(allow_none=True)
    logo = fields.Url(allow_none=True)
    status = fields.String()
    records = fields.Integer(metadata={"description": "Published records"})


class HitSchema(Schema):
    id = fields.String()
    url = fields.Url()
    museum = fields.String()
    country = fields.String(
        allow_none=True, metadata={"description": "ISO 3166-1 alpha-2 code of the museum's country"}
    )
    local_id = fields.String()
    title = fields.String(allow_none=True)
    makers = fields.List(fields.String())
    date = fields.String(allow_none=True)
    thumbnail = fields.Url(allow_none=True)
    manifest = fields.Url(allow_none=True, metadata={"description": MANIFEST})
    highlights = fields.Dict(keys=fields.String(), values=fields.String())


class FacetValueSchema(Schema):
    value = fields.String()
    label = fields.String()
    count = fields.Integer()
    selected = fields.Boolean()


class CenturySchema(Schema):
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    count = fields.Integer(
        metadata={"description": "Objects whose years overlap the century: what date_from and date_to of it find."}
    )


class SearchResponseSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    size = fields.Integer()
    next_cursor = fields.String(allow_none=True)
    hits = fields.List(fields.Nested(HitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    centuries = fields.List(fields.Nested(CenturySchema))


class SuggestionSchema(Schema):
    kind = fields.String()
    text = fields.String()
    value = fields.String(
        metadata={**OPTIONAL, "description": "a maker's: the maker filter's value, where text is their name as shown"}
    )


class SuggestResponseSchema(Schema):
    q = fields.String()
    suggestions = fields.List(fields.Nested(SuggestionSchema))


class OutcomeSchema(Schema):
    action = fields.String()
    id = fields.String()
    local_id = fields.String()
    revision = fields.Integer()
    url = fields.Url()


class BatchResponseSchema(Schema):
    results = fields.List(fields.Nested(OutcomeSchema))


class ImagesResponseSchema(Schema):
    images = fields.List(fields.Nested(ImageSchema))


def dump(schema: type[Schema], data: dict) -> dict:
    """``data`` in the shape of ``schema``: its keys in its order (under their data keys), nested
    shapes followed; a key the shape has and ``data`` lacks is an error, not a silent gap."""
    return _dump_with(_plan(schema), data)


def dump_many(schema: type[Schema], items: list[dict]) -> list[dict]:
    plan = _plan(schema)
    return [_dump_with(plan, item) for item in items]


@cache
def _plan(schema: type[Schema]) -> tuple:
    """(attribute, key in the output, optional, how to dump the value) for each field of the shape."""
    return tuple(
        (name, field.data_key or name, bool(field.metadata.get("optional")), _value_plan(field))
        for name, field in schema._declared_fields.items()
    )


def _value_plan(field) -> tuple | None:
    if isinstance(field, fields.Nested) and isinstance(field.nested, type):
        return ("one", _plan(field.nested))
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
        return ("list", _plan(cast(type[Schema], field.inner.nested)))
    if (
        isinstance(field, fields.Dict)
        and isinstance(field.value_field, fields.List)
        and isinstance(field.value_field.inner, fields.Nested)
    ):
        return ("dict_of_lists", _plan(cast(type[Schema], field.value_field.inner.nested)))
    return None


def _dump_with(plan: tuple, data: dict) -> dict:
    out = {}
    for name, key, optional, nested in plan:
        if optional and key not in data and name not in data:
            continue
        value = data[key if key in data else name]
        if nested is not None and value is not None:
            kind, inner = nested
            if kind == "one":
                value = _dump_with(inner, value)
            elif kind == "list":
                value = [_dump_with(inner, item) for item in value]
            else:
                value = {k: [_dump_with(inner, item) for item in items] for k, items in value.items()}
        out[key] = value
    return out
