"""The record schema accepts what curators send, normalises it, and names every bad field."""

import pytest
from marshmallow import ValidationError

from catalogue.records.fields import refusing_unusable_values
from catalogue.records.langmap import canonical_tag, pick
from catalogue.records.schema import WARNINGS_KEY, field_errors, load_record
from tests.support import record_payload

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
PDM = "http://creativecommons.org/publicdomain/mark/1.0/"


def errors_of(payload) -> dict:
    with pytest.raises(ValidationError) as caught:
        load_record(payload)
    return {e["field"]: e["message"] for e in field_errors(caught.value)}


def test_a_valid_record_is_normalised():
    record = load_record(record_payload())
    assert record["title"] == {"en": ["The Great Wave"]}
    assert record["date_begin"] == 1830 and record["date_end"] == 1832
    assert record["country"] == ["JP"]
    assert record["rights"] == {"metadata_license": CC0, "image_rights": PDM}
    assert record["status"] == "published" and record["masterpiece"] is False
    assert record["materials"] == ["woodblock print", "ink", "colour", "paper"]


def test_language_maps_take_plain_strings_lists_and_tags():
    record = load_record(
        record_payload(
            language="ja", title="神奈川沖浪裏", description={"EN": "A wave", "zh-hant": ["浪"], "none": "x"}
        )
    )
    assert record["title"] == {"ja": ["神奈川沖浪裏"]}
    assert record["description"] == {"en": ["A wave"], "zh-Hant": ["浪"], "none": ["x"]}


def test_a_record_without_language_keeps_its_text_under_none():
    record = load_record({"local_id": "1", "title": "Untitled"})
    assert record["title"] == {"none": ["Untitled"]}


def test_text_is_cleaned_but_not_rewritten():
    record = load_record(record_payload(title="  Two\tspaces  and\x00 control ", inscription="line 1\r\nline 2"))
    assert record["title"] == {"en": ["Two spaces and control"]}
    assert record["inscription"] == "line 1\nline 2"


def test_html_is_kept_as_text_for_escaping_on_output():
    record = load_record(record_payload(title="<script>alert(1)</script>"))
    assert record["title"] == {"en": ["<script>alert(1)</script>"]}


def test_structured_years_win_over_the_display_text():
    record = load_record(record_payload(date_display="19th century", date_begin=1850, date_end=None))
    assert (record["date_begin"], record["date_end"]) == (1850, 1850)


def test_years_come_from_period_when_the_display_date_is_missing():
    record = load_record(record_payload(date_display=None, period="Edo"))
    assert (record["date_begin"], record["date_end"]) == (1603, 1868)


def test_countries_accept_codes_english_and_vernacular_names():
    record = load_record(record_payload(country="Nihon; United States; fr"))
    assert record["country"] == ["JP", "US", "FR"]


def test_dimensions_keep_text_and_read_centimetres():
    record = load_record(record_payload(dimensions="H: 12 5/8 x W: 8 1/4 in. (32 x 21 cm)"))
    assert record["dimensions"] == {
        "text": "H: 12 5/8 x W: 8 1/4 in. (32 x 21 cm)",
        "height_cm": 32.0,
        "width_cm": 21.0,
    }


def test_read_only_keys_from_a_fetched_record_are_ignored():
    record = load_record(record_payload(id="abc", url="http://x", revision=3, images=[], museum="tate"))
    assert "id" not in record and "revision" not in record


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": None}, "title"),
        ({"title": {"e n": "x"}}, "title"),
        ({"title": {"en": 5}}, "title"),
        ({"local_id": ""}, "local_id"),
        ({"local_id": " padded"}, "local_id"),
        ({"local_id": "tab\there"}, "local_id"),
        ({"makers": [{"name": ""}]}, "makers.0.name"),
        ({"status": "deleted"}, "status"),
        ({"language": "not a tag!"}, "language"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"title": "x" * 2001}, "title"),
        ({"description": "x" * 50001}, "description"),
        ({"materials": [f"m{i}" for i in range(51)]}, "materials"),
    ],
)
def test_a_record_without_identity_title_or_shape_is_rejected_naming_the_field(overrides, field):
    assert field in errors_of(record_payload(**overrides))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"local_id": "a\ud800b"}, "local_id"),
        ({"source_url": "https://example.org/\udfff"}, "source_url"),
        ({"title": {"en": ["Wave \ud83d"]}}, "title.en"),
        ({"makers": [{"name": "\udc00"}]}, "makers"),
    ],
)
def test_text_with_invalid_unicode_is_rejected_naming_the_field(overrides, field):
    assert any(name.startswith(field) for name in errors_of(record_payload(**overrides)))


@pytest.mark.parametrize(
    "overrides, field, value, kept",
    [
        ({"date_begin": "soon", "date_display": "1850"}, "date_begin", "soon", {"date_begin": 1850, "date_end": 1850}),
        (
            {"date_begin": 1900, "date_end": 1800, "date_display": "1850"},
            "date_end",
            1800,
            {"date_begin": 1850, "date_end": 1850},
        ),
        (
            {"date_begin": 1959, "date_end": 7195, "date_display": "July 7, 1959"},
            "date_end",
            7195,
            {"date_begin": 1959, "date_end": 1959},
        ),
        (
            {"date_begin": 1995, "date_end": 1994, "date_display": "1995 (February)"},
            "date_end",
            1994,
            {"date_begin": 1995, "date_end": 1995},
        ),
        ({"country": ["JP", "Atlantis"]}, "country", "Atlantis", {"country": ["JP"]}),
        (
            {"rights": {"image_rights": "all mine"}},
            "rights.image_rights",
            "all mine",
            {"rights": {"metadata_license": None, "image_rights": None}},
        ),
        ({"source_url": "javascript:alert(1)"}, "source_url", "javascript:alert(1)", {"source_url": None}),
    ],
)
def test_an_unusable_value_is_dropped_or_re_derived_with_a_warning(overrides, field, value, kept):
    record = load_record(record_payload(**overrides))
    assert [(w["field"], w["value"]) for w in record[WARNINGS_KEY]] == [(field, value)]
    assert record[WARNINGS_KEY][0]["reason"]
    assert {key: record[key] for key in kept} == kept


def test_a_maker_who_died_before_birth_keeps_the_name_and_loses_the_years():
    record = load_record(record_payload(makers=[{"name": "A"}, {"name": "B", "birth_year": 1936, "death_year": 1912}]))
    assert record["makers"][1]["name"] == "B"
    assert (record["makers"][1]["birth_year"], record["makers"][1]["death_year"]) == (None, None)
    assert [w["field"] for w in record[WARNINGS_KEY]] == ["makers.1.death_year"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Venetian ()", "Venetian"),  # a museum's export, with nothing between the brackets
        ("Hokusai [ ] (Katsushika)", "Hokusai (Katsushika)"),
        ("Workshop of Titian (Tiziano Vecellio)", "Workshop of Titian (Tiziano Vecellio)"),
        ("()", "()"),  # nothing else: kept as given, rather than a record without its maker
    ],
)
def test_a_makers_name_loses_empty_brackets(given, kept):
    assert load_record(record_payload(makers=[{"name": given}]))["makers"][0]["name"] == kept


def test_a_year_with_a_fraction_is_refused_not_cut_and_a_whole_one_written_with_a_point_is_kept():
    assert errors_of(record_payload(date_begin=1850.5, makers=[{"name": "A", "birth_year": -500.5}])) == {
        "date_begin": "Must be a whole number (a year such as 1830). 1850.5 is not one.",
        "makers.0.birth_year": "Must be a whole number (a year such as 1830). -500.5 is not one.",
    }
    record = load_record(record_payload(date_begin=1850.0, date_end=1851.0))
    assert (record["date_begin"], record["date_end"]) == (1850, 1851) and WARNINGS_KEY not in record
    assert type(record["date_begin"]) is int
    # NaN, a missing value as Python writes JSON Lines, is no year: dropped with a warning as before
    record = load_record(record_payload(date_begin=float("nan")))
    assert record["date_begin"] == 1830 and [w["value"] for w in record[WARNINGS_KEY]] == ["nan"]


def test_a_bad_language_does_not_hide_the_records_other_errors():
    """Every way in (API, imports, the form) hears of all of a record's errors at once."""
    payload = record_payload(language="not a tag!", title="", makers=[{"name": ""}], status="gone")
    assert errors_of(payload) == {
        "language": "Not a language tag (BCP 47, or 'none').",
        "title": "A title is required.",
        "makers.0.name": "A maker needs a name.",
        "status": "Must be one of: draft, published, withdrawn.",
    }


CONTRADICTIONS = {
    "title": "Wave",
    "source_url": "notaurl",
    "country": ["JP", "Atlantis"],
    "date_begin": 1900,
    "date_end": 1800,
    "makers": [{"name": "B", "birth_year": 1936, "death_year": 1912}, {"name": "C", "death_year": "abc"}],
}


def test_on_the_form_values_an_import_would_drop_are_errors_found_with_the_others_in_one_pass():
    with refusing_unusable_values():
        errors = errors_of(record_payload(**CONTRADICTIONS, status="gone"))
    assert errors == {
        "status": "Must be one of: draft, published, withdrawn.",
        "source_url": "Not a valid URL.",
        "country": "Unknown country 'Atlantis': use an ISO 3166-1 alpha-2 code or an English name.",
        "date_end": "The latest year (1800) is before the earliest year (1900).",
        "makers.0.death_year": "The death year (1912) is before the birth year (1936).",
        "makers.1.death_year": "Must be a whole number (a year such as 1830).",
    }


def test_imports_and_the_api_still_drop_those_values_with_warnings():
    record = load_record(record_payload(**CONTRADICTIONS))
    assert [(w["field"], w["value"]) for w in record[WARNINGS_KEY]] == [
        ("makers.0.death_year", 1912),
        ("makers.1.death_year", "abc"),
        ("country", "Atlantis"),
        ("source_url", "notaurl"),
        ("date_end", 1800),
    ]
    assert (record["date_begin"], record["date_end"], record["country"]) == (1830, 1832, ["JP"])


def test_a_clean_record_has_no_warnings():
    assert WARNINGS_KEY not in load_record(record_payload())


def test_a_record_must_be_an_object():
    assert errors_of(["not", "a", "record"])


def test_language_helpers():
    assert canonical_tag("ZH-hant-tw") == "zh-Hant-TW"
    assert pick({"nl": ["Nachtwacht"], "en": ["Night Watch"]}, ["fr"]) == "Night Watch"
    assert pick({"nl": ["Nachtwacht"]}, ["ja"]) == "Nachtwacht"
    assert pick({"en-GB": ["Colour"]}, ["en"]) == "Colour"
    assert pick({}, ["en"]) is None


def test_a_record_whose_dimensions_no_float_holds_loads_with_the_text_alone():
    text = "H: " + "9" * 400 + " 1/2 cm"
    assert load_record(record_payload(dimensions=text))["dimensions"] == {"text": text}
