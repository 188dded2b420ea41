"""The record form shows every field of the record schema, and a stored record survives the trip
through the form unchanged: body -> form values -> submitted form -> payload -> schema."""

from contextlib import suppress

import pytest
from marshmallow import ValidationError, fields
from werkzeug.datastructures import MultiDict

from catalogue.records import form
from catalogue.records.fields import Block, Countries, ImageUrl, LenientUrl, Line, Makers, PathNested, TextList, Year
from catalogue.records.langmap import LanguageMap
from catalogue.records.schema import ImageSources, ObjectRecordSchema, load_record

# the kind of input each kind of schema field needs; a new field class must be added here (and to the form)
KINDS = [
    (LanguageMap, {form.LANGMAP}),
    (Makers, {form.ROWS}),
    (ImageSources, {form.ROWS}),
    (TextList, {form.LIST}),
    (fields.List, {form.ROWS}),
    (Countries, {form.LIST}),
    (Year, {form.YEAR}),
    (ImageUrl, {form.URL}),
    (LenientUrl, {form.URL}),
    (Block, {form.TEXT}),
    (Line, {form.LINE}),
    (PathNested, {form.GROUP}),
    (fields.Boolean, {form.BOOLEAN}),
    (fields.Raw, {form.DIMENSIONS}),
    (fields.String, {form.LINE, form.LANGUAGE, form.STATUS, form.RIGHTS}),
]


def expected_kinds(schema_field) -> set[str]:
    for field_class, kinds in KINDS:  # most specific first: Block is a Line is a String
        if isinstance(schema_field, field_class):
            return kinds
    raise AssertionError(f"the form has no kind of input for {type(schema_field).__name__}")


def nested_fields(schema_field) -> dict:
    inner = getattr(schema_field, "inner", schema_field)
    return inner.schema.fields


def test_every_schema_field_is_in_the_form_or_says_why_not():
    schema_fields = ObjectRecordSchema().fields
    shown = {f.name for f in form.FIELDS}
    assert shown | set(form.NOT_SHOWN) == set(schema_fields), "a schema field the form neither shows nor explains"
    assert not shown & set(form.NOT_SHOWN)
    in_sections = [f.name for _legend, section_fields in form.sections() for f in section_fields]
    assert sorted(in_sections) == sorted(shown), "every field of the form is in exactly one fieldset"


def test_every_field_has_an_input_of_its_kind_and_a_label():
    schema_fields = ObjectRecordSchema().fields
    for f in form.FIELDS:
        assert f.kind in expected_kinds(schema_fields[f.name]), f.name
        assert f.label
        if f.kind == form.ROWS:
            assert f.item and f.add, f.name
        if f.kind in (form.ROWS, form.GROUP):
            assert [p.name for p in f.parts] == list(nested_fields(schema_fields[f.name])), f.name
            for part in f.parts:
                assert part.label and part.kind in form.SCALARS, (f.name, part.name)


def rich_body() -> dict:
    """A record with several languages, makers, other titles, lists and rights, as the schema stores it."""
    return load_record(
        {
            "local_id": "1891/0523.0.1",
            "accession_number": "OA 1891",
            "language": "en",
            "title": {
                "en": ["The Great Wave", "Under the Wave off Kanagawa"],
                "ja": ["神奈川沖浪裏"],
                "none": ["Kanagawa-oki"],
            },
            "other_titles": [{"title": "Great Wave", "type": "popular", "lang": "en"}, {"title": "Big wave"}],
            "description": {"en": ["A wave.\nA second line."], "fr": ["Une vague."]},
            "makers": [
                {
                    "name": "Katsushika Hokusai",
                    "role": "artist",
                    "birth_year": 1760,
                    "death_year": 1849,
                    "nationality": "Japanese",
                },
                {
                    "name": "Nishimuraya Yohachi",
                    "role": "publisher",
                    "display_dates": "active 1780s-1850s",
                    "name_sort": "Nishimuraya",
                },
            ],
            "date_display": "c. 1830-32",
            "date_begin": -5,
            "date_end": 1832,
            "object_type": "print",
            "classification": "Prints",
            "medium": "woodblock print; ink and colour on paper",
            "materials": ["ink", "paper"],
            "technique": "woodblock",
            "dimensions": "25.7 x 37.9 cm",
            "culture": "Japanese",
            "period": "Edo",
            "dynasty": "Tokugawa",
            "place_of_origin": "Edo",
            "place_depicted": "Kanagawa",
            "country": ["JP", "GB"],
            "subjects": ["wave", "Mount Fuji"],
            "inscription": "Fugaku sanjūrokkei\nKanagawa oki nami ura",
            "credit_line": "Gift of a friend",
            "department": "Asia",
            "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"},
            "source_url": "https://example.org/objects/1",
            "masterpiece": True,
            "status": "draft",
        }
    )


def as_submitted(values: dict) -> MultiDict:
    """The form as a browser sends it: the inputs the page renders (with the spare rows), filled."""
    sent = MultiDict()
    for f in form.FIELDS:
        value = values[f.name]
        if f.kind == form.BOOLEAN:
            if value:
                sent.add(f.name, "1")
        elif f.kind in (form.LANGMAP, form.ROWS):
            for index, row in enumerate(form.with_spare_rows(value, f)):
                for part in form.part_names(f):
                    sent.add(f"{f.name}.{index}.{part}", row[part])
        elif f.kind == form.GROUP:
            for part in f.parts:
                sent.add(f"{f.name}.{part.name}", value[part.name])
        else:
            sent.add(f.name, value)
    return sent


def test_a_rich_record_goes_through_the_form_unchanged():
    body = rich_body()
    values, problems = form.read_form(as_submitted(form.body_to_values(body)))
    assert problems == []
    assert load_record(form.to_payload(values)) == body


def test_a_minimal_record_goes_through_the_form_unchanged():
    body = load_record({"local_id": "x", "title": "Untitled"})
    values, _ = form.read_form(as_submitted(form.body_to_values(body)))
    assert load_record(form.to_payload(values)) == body


def test_a_new_form_is_a_draft_with_nothing_filled_in():
    values = form.blank_values()
    assert values["status"] == "draft" and values["title"] == [] and values["masterpiece"] is False
    assert form.to_payload(values) == {"local_id": "", "status": "draft", "masterpiece": False}


def test_rows_are_read_in_order_without_the_empty_ones_and_numbered_again():
    sent = MultiDict(
        {
            "local_id": "a",
            "title.7.lang": "ja",
            "title.7.value": "浪",
            "title.2.lang": "",
            "title.2.value": "",
            "title.0.lang": "en",
            "title.0.value": "Wave",
            "makers.5.name": "Hokusai",
            "makers.5.birth_year": "1760",
            "makers.1.name": "",
            "makers.1.role": "",
        }
    )
    values, problems = form.read_form(sent)
    assert problems == []
    assert values["title"] == [{"lang": "en", "value": "Wave"}, {"lang": "ja", "value": "浪"}]
    assert values["makers"][0]["name"] == "Hokusai" and len(values["makers"]) == 1
    payload = form.to_payload(values)
    assert payload["title"] == {"en": ["Wave"], "ja": ["浪"]}
    assert payload["makers"] == [{"name": "Hokusai", "birth_year": "1760"}]


@pytest.mark.parametrize(
    "sent",
    [
        {
            "title.x.value": "odd index",
            "makers.-1.name": "negative",
            "makers.0.unknown": "part",
            "nothing.0.name": "field",
        },
        {"title.99999999999.value": "a huge index", "masterpiece": "maybe", "date_begin": "not a year"},
        {"rights.metadata_license": "no such licence", "rights.bogus": "x", "local_id": "\x00"},
        {},
    ],
)
def test_malformed_form_input_gives_errors_not_exceptions(sent):
    values, problems = form.read_form(MultiDict(sent))
    assert all(problem["field"] and problem["message"] for problem in problems)
    with suppress(ValidationError):  # the schema's field errors are the only failure allowed
        load_record(form.to_payload(values))


def test_a_language_code_that_is_not_a_tag_is_reported_on_its_row():
    values, problems = form.read_form(
        MultiDict({"title.0.lang": "en", "title.0.value": "Wave", "title.1.lang": "english!", "title.1.value": "x"})
    )
    assert problems == [{"field": "title.1.lang", "message": "Not a language code (e.g. en, ja, zh-Hant)."}]
    assert form.to_payload(values)["title"] == {"en": ["Wave"]}


def test_too_many_rows_are_an_error_not_a_slow_page():
    sent = MultiDict()
    for index in range(form.MAX_ROWS + 5):
        sent.add(f"makers.{index}.name", f"Maker {index}")
    values, problems = form.read_form(sent)
    assert len(values["makers"]) == form.MAX_ROWS
    assert problems == [{"field": "makers", "message": f"At most {form.MAX_ROWS} rows."}]


def test_errors_go_next_to_their_inputs_and_the_rest_to_the_top():
    values = form.body_to_values(rich_body())
    placed, top = form.place_errors(
        [
            {"field": "makers.1.name", "message": "A maker needs a name."},
            {"field": "title.ja", "message": "Too long."},
            {"field": "title", "message": "A title is required."},
            {"field": "rights.image_rights", "message": "Unknown."},
            {"field": "local_id", "message": "Required."},
            {"field": "no_such_field", "message": "Odd."},
            {"field": None, "message": "The record is odd."},
        ],
        values,
    )
    assert placed == {
        "makers.1.name": ["A maker needs a name."],
        "title.2.value": ["Too long."],  # the first "ja" row
        "title": ["A title is required."],
        "rights.image_rights": ["Unknown."],
        "local_id": ["Required."],
    }
    assert top == ["no_such_field: Odd.", "The record is odd."]
