"""The document builder is a pure function of the record and its museum."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.models import Museum, ObjectRecord, StoredImage
from catalogue.records.schema import load_record
from indexer.analysis import MAX_TEXT, analyze
from indexer.schema import FACET_NAMES, _analysed_whole, _analyzed, build_document, elasticsearch_index_body
from tests.support import record_payload

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TATE = Museum(code="tate", names={"en": ["Tate"]}, country="GB", status="member", city="London")


def record(**overrides) -> ObjectRecord:
    body = load_record(record_payload(**overrides))
    return ObjectRecord(
        id="abc",
        museum="tate",
        local_id=body["local_id"],
        body=body,
        revision=4,
        status="published",
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_document_carries_facets_text_and_display():
    doc = build_document(record(object_type="Print; Woodcut", culture="Japanese", period="Edo"), TATE)
    assert (doc["id"], doc["revision"], doc["museum"], doc["country"], doc["region"]) == (
        "abc",
        4,
        "tate",
        ["GB"],
        ["europe"],
    )
    assert doc["object_type"] == ["aat:300041273", "aat:300041405"]  # prints, woodcuts: vocabulary concepts
    assert doc["culture"] == ["Japanese", "Edo"]
    assert doc["maker"] == ["Katsushika Hokusai"] and doc["rights"] == "open"
    assert (doc["has_image"], doc["masterpiece"]) == ("false", "false")
    assert "hokusai" in doc["text"].split() and "tate" in doc["text"].split()
    assert doc["title_text"] == "the great wave" and doc["title_sort"] == "the great wave"
    assert doc["display"]["title"] == {"en": ["The Great Wave"]}


def test_titles_sort_from_their_first_letter_or_digit():
    """Quotes, brackets and marks that open a title do not sort it before every other title."""
    keys = {
        title: build_document(record(title={"en": [title]}), TATE)["title_sort"]
        for title in ('"Malqata" Jar', "(1) Hollenburg", "'s-Lands Werf", "« Le Pont »", "...", "北斎")
    }
    assert keys['"Malqata" Jar'] == 'malqata" jar' and keys["(1) Hollenburg"] == "1) hollenburg"
    assert keys["'s-Lands Werf"] == "s-lands werf" and keys["« Le Pont »"] == "le pont »"
    assert keys["..."] == "..." and keys["北斎"] == "北斎"  # nothing but marks: kept as it is


def test_cards_get_the_years_when_there_is_no_display_date():
    doc = build_document(record(date_display=None, date_begin=2005, date_end=2006), TATE)
    assert doc["display"]["date"] is None and doc["display"]["years"] == [2005, 2006]


def test_search_fields_add_stems_concepts_and_romanized_names():
    doc = build_document(
        record(title={"en": ["Portraits of Actors"], "ja": ["役者絵"]}, object_type="prent", medium="Ink on silk"),
        TATE,
    )
    assert "enportrait" in doc["stems"].split() and "enactor" in doc["stems"].split()
    assert doc["object_type"] == ["aat:300041273"]  # Dutch "prent" is the prints concept
    assert {"aat300041273", "aat300015012", "aat300014072"} <= set(doc["concepts"].split())  # prints, ink, silk
    assert doc["material"] == ["aat:300015012", "aat:300014072"]  # from the medium: no materials list
    assert "yakusha" in doc["roman"].split()
    assert "portraits" in doc["words"] and all(len(w) >= 4 and w.isalpha() for w in doc["words"])


def test_unmapped_values_stay_as_the_museum_wrote_them():
    doc = build_document(record(object_type="Prints; Mystery thing", materials=["unobtainium"]), TATE)
    assert doc["object_type"] == ["aat:300041273", "mystery thing"] and doc["material"] == ["unobtainium"]


def test_makers_are_reconciled_into_people_cultures_and_anonymous():
    doc = build_document(
        record(makers=[{"name": "Hokusai, Katsushika"}, {"name": "unknown Chinese"}, {"name": "anoniem"}]), TATE
    )
    assert doc["maker"] == ["Katsushika Hokusai", "anonymous"]
    assert doc["culture"] == ["Chinese"]
    assert "葛飾北斎" in doc["text"].replace(" ", "") or "北斎" in doc["text"].split()  # the authority's aliases


def test_a_culture_written_with_its_period_is_the_culture_the_authority_knows():
    """The Great Wave's "Japanese, Edo period": the culture facet's Japanese, found as japonais and 日本."""
    doc = build_document(record(culture="Japanese, Edo period", period="Edo"), TATE)
    assert doc["culture"] == ["Japanese", "Edo period", "Edo"]
    assert {"japonais", "japanisch", "日本"} <= set(doc["text"].split())


@pytest.mark.parametrize(
    "fields",
    [{"period": "late Edo"}, {"period": "Edo-Meiji"}, {"dynasty": "Edo period"}, {"culture": "Japanese, Edo period"}],
)
def test_a_period_the_gazetteer_knows_is_indexed_by_its_names_in_every_language(fields):
    """A period "late Edo" is found as 江戸時代, Edo-Zeit, époque d'Edo, 에도 시대 and 江户时代, as a culture is by
    every name of it; the facet keeps the museum's value."""
    doc = build_document(record(**fields), TATE)
    assert {"江戸", "時代", "edo", "zeit", "epoque", "에도", "시대", "江户", "时代"} <= set(doc["text"].split())
    assert next(iter(fields.values())).split(",")[-1].strip() in doc["culture"]


def test_a_period_named_twice_is_indexed_once():
    """Its period "Edo" and its culture "Japanese, Edo period": one period, whose names count once."""
    twice = build_document(record(culture="Japanese, Edo period", period="Edo"), TATE)["text"].split()
    once = build_document(record(culture="Japanese", period="Edo"), TATE)["text"].split()
    assert [twice.count(word) for word in ("epoque", "zeit", "tokugawa")] == [
        once.count(word) for word in ("epoque", "zeit", "tokugawa")
    ]


def test_a_dynasty_is_indexed_by_its_single_character_and_traditional_names():
    doc = build_document(record(dynasty="Qing [Ch'ing] Dynasty"), TATE)
    assert {"清", "清朝", "清代", "청나"} <= set(doc["text"].split())  # 청나라 is bigrams
    assert "清" not in build_document(record(period="Ming"), TATE)["text"].split()


def test_a_culture_the_authority_knows_is_no_period():
    """The culture "Georgian" is Georgia's; as a period, the British era."""
    assert "georgianische" not in build_document(record(culture="Georgian"), TATE)["text"].split()
    assert "georgianische" in build_document(record(period="Georgian"), TATE)["text"].split()  # Georgianische Ära


def test_images_and_restricted_rights_show_in_facets():
    rec = record(rights={"image_rights": "In Copyright"}, masterpiece=True)
    rec.images = [StoredImage("img1", "abc", "0" * 64, 0, "JPEG", 10, 10, 100, {})]
    doc = build_document(rec, TATE)
    assert (doc["rights"], doc["has_image"], doc["masterpiece"]) == ("restricted", "true", "true")
    assert doc["display"]["thumbnail"] == "img1"


def test_the_mapping_declares_every_document_field():
    mapping = elasticsearch_index_body(shards=2, replicas=1)
    properties = mapping["mappings"]["properties"]
    assert set(build_document(record(), TATE)) == set(properties)
    assert all(properties[name]["type"] == "keyword" for name in FACET_NAMES)
    assert properties["text"]["analyzer"] == "whitespace"
    assert mapping["settings"]["number_of_shards"] == 2 and mapping["settings"]["number_of_replicas"] == 1


@given(st.lists(st.text(min_size=1), max_size=3), st.lists(st.text(min_size=1), max_size=4))
def test_the_whole_text_reuses_the_title_tokens_and_stays_the_same(titles, others):
    present = [*titles, *others]
    assert _analyzed(present, _analysed_whole(present), analyze(*titles), len(titles)) == analyze(*present)


def test_a_text_cut_at_the_analysis_limit_is_analysed_whole():
    titles, others = ["Wave " * 10], ["word " * (MAX_TEXT // 5)]
    present = [*titles, *others]
    assert _analyzed(present, _analysed_whole(present), analyze(*titles), 1) == analyze(*titles, *others)


def test_the_documents_digest_follows_open_or_restricted_rights_not_their_names(monkeypatch):
    """A new translation of rights names must not rebuild a million-record index at the next start."""
    from catalogue import reference
    from indexer.schema import documents_digest

    statements = reference.rights_statements()
    before = documents_digest()
    renamed = {uri: {**entry, "labels": {"de": "neu"}} for uri, entry in statements.items()}
    monkeypatch.setattr(reference, "rights_statements", lambda: renamed)
    assert documents_digest() == before
    reopened = {uri: {**entry, "access": "open"} for uri, entry in statements.items()}
    monkeypatch.setattr(reference, "rights_statements", lambda: reopened)
    assert documents_digest() != before


def test_the_documents_digest_follows_the_period_gazetteer(monkeypatch, tmp_path):
    """A new name of a period is in the documents of its records: the indexes are rebuilt for it."""
    from catalogue import reference
    from indexer.schema import documents_digest

    before = documents_digest()
    changed = tmp_path / "periods.json"
    changed.write_text(reference.PERIODS_FILE.read_text(encoding="utf-8").replace("江戸時代", "江戸期"), "utf-8")
    monkeypatch.setattr(reference, "PERIODS_FILE", changed)
    assert documents_digest() != before
