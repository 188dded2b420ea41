"""Export, then import: a record written as LIDO 1.1 and read back by the LIDO reader loads as the
same record, for every field the mapping in catalogue/lido/__init__.py covers.

Not compared: ``source_record`` (the reader keeps the XML it read), ``status`` and ``masterpiece``
(the catalogue's flags, which the writer does not export: see its docstring) and the images, which
come back as image sources to fetch (checked apart).

Every comparison is exact: a difference the reader and the writer do not agree on fails here."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import reference
from catalogue.lido.reader import read_lido
from catalogue.lido.writer import lido_document
from catalogue.models import ObjectRecord
from catalogue.records.fields import WARNINGS_KEY
from catalogue.records.schema import IMAGE_SOURCES_KEY, load_record
from tests.lido.catalogues import (
    BASE_URL,
    FULL,
    IMAGE,
    TATE,
    every_record,
    museums_of,
    record_of,
)
from tests.support import record_payload

NOT_COMPARED = ("source_record", "status", "masterpiece", WARNINGS_KEY, IMAGE_SOURCES_KEY)


def comparable(body: dict) -> dict:
    return {name: value for name, value in body.items() if name not in NOT_COMPARED}


def reimported(record: ObjectRecord, museum=TATE) -> dict:
    """The record exported, read by the LIDO reader and loaded as an import would load it."""
    rows = list(read_lido(io.BytesIO(lido_document(record, museum, BASE_URL))))
    assert [row.error for row in rows] == [None]
    return load_record(rows[0].data)


def assert_same(record: ObjectRecord, museum=TATE) -> None:
    original, back = comparable(record.body), comparable(reimported(record, museum))
    differing = {name: (original.get(name), back.get(name)) for name in original | back}
    differing = {name: pair for name, pair in differing.items() if pair[0] != pair[1]}
    assert differing == {}, f"{record.museum}/{record.local_id}"


# conventions the writer and the reader share (see the mapping), each with a record that needs it
CONVENTIONS = [
    pytest.param(
        record_payload(makers=[{"name": "J. M. W. Turner", "display_dates": "1775–1851"}]),
        id="display_dates in displayActorInRole 'name (dates)'",
    ),
    pytest.param(
        record_payload(makers=[{"name": "Piri Reis (Turkish, 1465-1555)", "display_dates": "(Turkish, 1465-1555)"}]),
        id="display_dates the name already shows",
    ),
    pytest.param(
        record_payload(other_titles=[{"title": "Thirty-six Views of Mount Fuji", "type": "series"}]),
        id="other title without language is und",
    ),
    pytest.param(record_payload(department="Prints and Drawings"), id="department as a collection"),
    pytest.param(record_payload(source_url=None), id="our page is no source_url"),
    pytest.param(record_payload(object_type=None), id="no object type is 'not specified'"),
    pytest.param(record_payload(place_of_origin=None, country="JP"), id="a country is no place of origin"),
    pytest.param({"local_id": "PH-1", "language": "tl", "title": "Ang Pag-aalay"}, id="Tagalog stays tl"),
    pytest.param(record_payload(rights={"image_rights": "CC BY"}), id="image rights without images"),
]


@pytest.mark.parametrize("payload", CONVENTIONS)
def test_shared_conventions_come_back_the_same(payload):
    assert_same(record_of(payload))


# records ---------------------------------------------------------------------------------------
def test_a_record_with_every_field_comes_back_the_same():
    assert_same(record_of(FULL, images=(IMAGE,)))


CJK_TITLES = {"zh-Hant": ["清明上河圖"], "ko": ["청명상하도"], "ja": ["神奈川沖浪裏"]}


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"local_id": "1", "title": "Bare"}, id="title only"),
        pytest.param(record_payload(date_begin=-2500, date_end=-2100, date_display="Bronze Age"), id="BCE"),
        pytest.param(record_payload(date_begin=-12000, date_end=-11000), id="five-digit BCE years"),
        pytest.param({"local_id": "2", "language": "zh-Hant", "title": CJK_TITLES}, id="CJK"),
        pytest.param({"local_id": "3", "language": "none", "title": {"none": ["Untitled"]}}, id="no language"),
        pytest.param({"local_id": "4", "title": {"none": ["Untitled"], "en": ["Nameless"]}}, id="mixed"),
        pytest.param(record_payload(makers=[{"name": "Anon", "death_year": 1500, "role": "potter"}]), id="death only"),
        pytest.param(record_payload(medium="bronze with gold inlay", materials=[]), id="materials from medium"),
        pytest.param(record_payload(dimensions="H: 12 5/8 x W: 8 1/4 in. (32 x 21 cm)"), id="dimensions"),
    ],
)
def test_odd_records_come_back_the_same(payload):
    assert_same(record_of(payload))


def test_a_stored_image_comes_back_as_its_original_to_fetch_with_its_alt_text():
    back = reimported(record_of(record_payload(), images=(IMAGE,)))
    assert back[IMAGE_SOURCES_KEY] == [{"url": f"{BASE_URL}/images/img-1/original", "alt": IMAGE.alt}]


def test_no_language_comes_back_as_none():
    back = reimported(record_of({"local_id": "1", "language": "none", "title": {"none": ["Untitled"]}}))
    assert back["language"] == "none" and back["title"] == {"none": ["Untitled"]}


def test_every_demo_record_comes_back_the_same(demo_app):
    museums = museums_of(demo_app)
    for record in every_record(demo_app):
        assert_same(record, museums[record.museum])


def test_a_few_hundred_shared_records_come_back_the_same(shared_app):
    museums = museums_of(shared_app)
    records = every_record(shared_app)
    assert len(records) > 300
    for record in records:
        assert_same(record, museums[record.museum])


# generated records -----------------------------------------------------------------------------
# letters, marks, digits, punctuation, symbols, spaces and format characters (ZWJ) of every script; no
# control characters and no noncharacters (XML 1.0 cannot carry U+FFFE, U+FFFF: the writer drops them)
CHARACTERS = st.characters(categories=("L", "M", "N", "P", "S", "Zs", "Cf"))
TEXT = st.text(CHARACTERS, min_size=1, max_size=24).filter(str.strip)
OPTIONAL_TEXT = st.none() | TEXT
BLOCK = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
# languages of the ASEM partners, in the tags records use
LANGUAGES = st.sampled_from(
    ["en", "ja", "zh-Hant", "zh-Hans", "ko", "th", "hi", "bn", "ur", "vi", "id", "ms", "tl", "fil", "km", "lo", "my"]
    + ["mn", "kk", "ru", "nl", "de", "fr", "pt-PT", "el", "sv", "fi", "pl", "hu", "bg", "ro", "hr", "none"]
)
YEARS = st.none() | st.integers(-5000, 2100)
COUNTRIES = st.lists(st.sampled_from(sorted(reference.countries())), max_size=2)
RIGHTS = st.none() | st.sampled_from(sorted(reference.rights_statements()))
MAKERS = st.fixed_dictionaries(
    {"name": TEXT},
    optional={
        "name_sort": TEXT,
        "role": TEXT,
        "display_dates": TEXT,
        "birth_year": YEARS,
        "death_year": YEARS,
        "nationality": TEXT,
    },
)
OTHER_TITLES = st.fixed_dictionaries(
    {"title": TEXT}, optional={"type": TEXT, "lang": st.sampled_from(["en", "ja-Latn", "zh-Hans"])}
)
RECORDS = st.fixed_dictionaries(
    {
        "local_id": TEXT.map(str.strip).filter(bool),
        "language": LANGUAGES,
        "title": st.dictionaries(LANGUAGES, st.lists(TEXT, min_size=1, max_size=2), min_size=1, max_size=3),
    },
    optional={
        "accession_number": TEXT,
        "other_titles": st.lists(OTHER_TITLES, max_size=2),
        "description": st.dictionaries(LANGUAGES, BLOCK, max_size=2),
        "makers": st.lists(MAKERS, max_size=3),
        "date_display": OPTIONAL_TEXT | st.sampled_from(["c. 1830-32", "500 BCE", "Ming dynasty", "1920s"]),
        "date_begin": YEARS,
        "date_end": YEARS,
        "object_type": TEXT,
        "classification": TEXT,
        "medium": TEXT,
        "materials": st.lists(TEXT, max_size=3),
        "technique": TEXT,
        "dimensions": TEXT | st.sampled_from(["25.7 x 37.9 cm", "H. 12 in.", "diam. 30 mm"]),
        "culture": TEXT,
        "period": TEXT,
        "dynasty": TEXT,
        "place_of_origin": TEXT,
        "place_depicted": TEXT,
        "country": COUNTRIES,
        "subjects": st.lists(TEXT, max_size=3),
        "inscription": BLOCK,
        "credit_line": TEXT,
        "department": TEXT,
        "rights": st.fixed_dictionaries({"metadata_license": RIGHTS, "image_rights": RIGHTS}),
        "source_url": st.sampled_from(["https://collection.example.org/objects/7", "http://example.org/a?b=1&c=2"]),
    },
)


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(payload=RECORDS)
def test_generated_records_come_back_the_same(payload):
    assert_same(record_of(payload))
