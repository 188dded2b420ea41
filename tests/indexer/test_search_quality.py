"""Search that understands visitors, on both engines with the same answers: typos, plurals, one
vocabulary across languages, romanized CJK names, makers reconciled; and exact matches first.

A small purpose-made collection goes through the real document builder into the real embedded
index and a real Elasticsearch index; every request is asked of both."""

import secrets
from datetime import UTC, datetime

import pytest

from catalogue.concepts import vocabulary
from catalogue.models import Museum, ObjectRecord
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.expansion import text_query
from indexer.request import SearchRequest
from indexer.schema import build_document
from indexer.search import SearchService

MUSEUMS = {
    "tate": Museum("tate", {"en": ["Tate"]}, "GB", "member"),
    "rijks": Museum("rijks", {"nl": ["Rijksmuseum"]}, "NL", "member"),
    "tnm": Museum("tnm", {"en": ["Tokyo National Museum"]}, "JP", "member"),
}
RECORDS = {
    "sultan-stem": ("tate", "en", {"en": ["Portrait of Sultan Murad"]}, {}),
    "sultan-exact": ("tate", "en", {"en": ["Portraits of the Sultan's Court"]}, {}),
    "geese": ("tate", "en", {"en": ["Boy Driving Geese to Market"]}, {}),
    "elements": ("tate", "en", {"en": ["The Four Elements"]}, {}),
    "sketchbook": ("tate", "en", {"en": ["Landscape Sketchbook"]}, {}),
    "print-room": ("tate", "en", {"en": ["The Print Room"]}, {}),
    "paint-box": ("tate", "en", {"en": ["A Paint Box"]}, {}),
    "foto": ("rijks", "nl", {"nl": ["Gezicht op de Dam"]}, {"object_type": "foto", "materials": ["papier"]}),
    "tekening": ("rijks", "nl", {"nl": ["Twee koeien"]}, {"object_type": "tekening", "materials": ["inkt"]}),
    "photographs": ("tate", "en", {"en": ["Street in Leeds"]}, {"object_type": "photographs"}),
    "hokusai-kanji": ("tnm", "ja", {"ja": ["葛飾北斎 富嶽三十六景"]}, {}),
    "hokusai-latin": ("tnm", "en", {"en": ["Hokusai, The Great Wave"]}, {}),
    "qi-baishi": ("tnm", "zh", {"zh": ["齐白石 虾"]}, {}),
    "kim-hongdo": ("tnm", "ko", {"ko": ["김홍도 씨름"]}, {}),
    "turner-tate": (
        "tate",
        "en",
        {"en": ["Norham Castle"]},
        {"makers": [{"name": "Joseph Mallord William Turner", "birth_year": 1775, "death_year": 1851}]},
    ),
    "turner-initials": (
        "tate",
        "en",
        {"en": ["Rain, Steam and Speed"]},
        {"makers": [{"name": "J.M.W. Turner", "birth_year": 1775, "death_year": 1851}]},
    ),
    "turner-inverted": (
        "rijks",
        "nl",
        {"nl": ["Gezicht op Venetië"]},
        {"makers": [{"name": "Turner, Joseph Mallord William"}]},
    ),
    "hiroshige-maker": ("tnm", "en", {"en": ["Ohashi"]}, {"makers": [{"name": "Hiroshige Andō", "birth_year": 1797}]}),
    "japanese-maker": ("tnm", "en", {"en": ["Sword guard"]}, {"makers": [{"name": "Japanese"}]}),
    "japanese-culture": ("tnm", "en", {"en": ["Kanagawa oki nami ura"]}, {"culture": "Japanese, Edo period"}),
    "anonymous-maker": ("rijks", "nl", {"nl": ["Molen"]}, {"makers": [{"name": "anoniem"}]}),
    "late-edo": ("tnm", "en", {"en": ["Beauty under an umbrella"]}, {"period": "late Edo"}),
    "edo-meiji": ("tnm", "en", {"en": ["Tea bowl"]}, {"period": "Edo-Meiji"}),
    "qing-dynasty": ("tnm", "en", {"en": ["Dragon jar"]}, {"dynasty": "Qing [Ch'ing] Dynasty"}),
    "joseon-period": ("tnm", "en", {"en": ["Moon jar"]}, {"period": "Joseon"}),
    "georgian-culture": ("tate", "en", {"en": ["Chalice"]}, {"culture": "Georgian"}),
}


def _record(record_id: str, museum: str, language: str, title: dict, extra: dict) -> ObjectRecord:
    now = datetime.now(UTC)
    body = {"local_id": record_id, "language": language, "title": title, "rights": {}, **extra}
    return ObjectRecord(record_id, museum, record_id, body, 1, "published", now, now)


@pytest.fixture(scope="module")
def engines(elasticsearch_url, tmp_path_factory):
    documents = [build_document(_record(rid, *spec), MUSEUMS[spec[0]]) for rid, spec in RECORDS.items()]
    es = ElasticsearchBackend(elasticsearch_url, alias=f"quality-{secrets.token_hex(4)}")
    embedded = EmbeddedBackend(tmp_path_factory.mktemp("quality"))
    for backend in (es, embedded):
        backend.bulk(documents)
        backend.refresh()
    yield SearchService(es), SearchService(embedded)
    es.drop()


def ranked(engines, text: str, **params) -> list[str]:
    """The hit ids of a search, after checking both engines find the same ones."""
    es, embedded = (engine.search(SearchRequest(text=text, size=50, **params)) for engine in engines)
    assert {h.id for h in es.hits} == {h.id for h in embedded.hits}, text
    assert es.total == embedded.total
    return [h.id for h in embedded.hits]


def test_a_one_letter_typo_in_a_word_of_five_or_more_letters_still_finds_it(engines):
    assert ranked(engines, "drving geese") == ["geese"]
    assert ranked(engines, "Eleents") == ["elements"]
    assert ranked(engines, "sketchbok") == ["sketchbook"]


def test_short_words_and_known_words_are_not_widened(engines):
    assert ranked(engines, "gese") == []  # four letters: too short to guess
    assert ranked(engines, "print") == ["print-room"]  # "paint" is one edit away, but "print" is known
    assert ranked(engines, "pront") == ["print-room"]  # and "paint" is two


def test_plural_and_singular_find_each_other_and_the_exact_form_ranks_first(engines):
    hits = ranked(engines, "portraits sultan")
    assert hits[0] == "sultan-exact" and "sultan-stem" in hits
    assert ranked(engines, "portrait sultan")[0] == "sultan-stem"
    assert ranked(engines, "landscapes sketchbook") == ["sketchbook"]


def test_a_word_in_one_language_finds_the_concept_in_every_language(engines):
    assert set(ranked(engines, "photograph")) == {"foto", "photographs"}
    assert set(ranked(engines, "foto")) == {"foto", "photographs"}
    assert ranked(engines, "drawing") == ["tekening"]
    assert ranked(engines, "ink") == ["tekening"]
    assert ranked(engines, "paper") == ["foto"]
    assert set(ranked(engines, "攝影")) == {"foto", "photographs"}  # traditional Chinese for 摄影


@pytest.mark.parametrize(
    "traditional, simplified", [("繪畫", "绘画"), ("版畫", "版画"), ("攝影", "摄影"), ("鐵", "铁")]
)
def test_a_concept_is_named_by_its_chinese_label_in_traditional_characters(traditional, simplified):
    """Visitors in Taiwan and Hong Kong write traditional characters; the vocabulary's labels are simplified."""
    concept = next(c for c in vocabulary().concepts.values() if c.labels.get("zh") == simplified)
    named = next(
        a for a in text_query(SearchRequest(text=traditional), None).words[0].alternatives if a.field == "concepts"
    )
    assert concept.token in named.tokens


def concept_tokens(text: str) -> set[str]:
    """The concept tokens a query word is widened to."""
    alternatives = text_query(SearchRequest(text=text), None).words[0].alternatives
    return {token for a in alternatives if a.field == "concepts" for token in a.tokens}


@pytest.mark.parametrize(
    "traditional, simplified",
    [("油畫", "油画"), ("木版畫", "木版画"), ("景泰藍", "景泰蓝"), ("漫畫", "漫画"), ("鑄鐵", "铸铁")],
)
def test_a_museums_chinese_word_is_found_in_traditional_characters_too(traditional, simplified):
    """The museums' own Chinese words (aliases, not labels) are simplified: a visitor writing 油畫
    finds oil paintings as one writing 油画 does."""
    assert concept_tokens(simplified) and concept_tokens(traditional) == concept_tokens(simplified)


def test_facets_show_concepts_and_keep_the_museums_words_searchable(engines):
    for engine in engines:
        result = engine.search(SearchRequest(size=50, facet_size=50))
        types = {v.value: v.count for v in result.facets["object_type"]}
        photographs = next(c for c in vocabulary().concepts.values() if "foto" in c.aliases)
        assert types[photographs.id] == 2  # Rijksmuseum's "foto" and Tate's "photographs"


def test_romanized_names_find_cjk_records_below_exact_matches(engines):
    assert ranked(engines, "Hokusai") == ["hokusai-latin", "hokusai-kanji"]
    assert ranked(engines, "katsushika hokusai") == ["hokusai-kanji"]
    assert ranked(engines, "Qi Baishi") == ["qi-baishi"]
    assert ranked(engines, "qibaishi") == ["qi-baishi"]
    assert ranked(engines, "Kim Hong-do") == ["kim-hongdo"]


def test_a_maker_known_under_three_forms_is_one_facet_value_and_each_form_finds_all(engines):
    for engine in engines:
        makers = engine.search(SearchRequest(size=50, facet_size=50)).facets["maker"]
        turner = [v for v in makers if "Turner" in v.value]
        assert [(v.value, v.count) for v in turner] == [("Joseph Mallord William Turner", 3)]
    turners = {"turner-tate", "turner-initials", "turner-inverted"}
    assert set(ranked(engines, "J.M.W. Turner")) == turners
    assert set(ranked(engines, "Joseph Mallord William Turner")) == turners


@pytest.mark.parametrize("reading", ["ひろしげ", "ヒロシゲ", "うたがわひろしげ", "うたがわ ひろしげ", "ウタガワ"])
def test_a_japanese_maker_is_found_by_the_reading_of_their_name_in_kana(engines, reading):
    """Visitors who do not know the kanji (or have no input method at hand for them) type the reading."""
    assert ranked(engines, reading) == ["hiroshige-maker"]


@pytest.mark.parametrize("word", ["japonais", "japanisch", "日本", "일본", "japanese", "JAPANESE"])
def test_a_culture_is_found_by_its_name_in_every_interface_language(engines, word):
    """A museum says "Japanese" (as maker, or as culture with its period: "Japanese, Edo period"); a
    visitor in Paris types japonais, one in Seoul 일본."""
    assert set(ranked(engines, word)) == set(ranked(engines, "Japanese")) == {"japanese-maker", "japanese-culture"}


def test_cultures_and_anonymous_makers_are_not_people(engines):
    for engine in engines:
        result = engine.search(SearchRequest(size=50, facet_size=50))
        makers = {v.value for v in result.facets["maker"]}
        cultures = {v.value for v in result.facets["culture"]}
        assert "Japanese" not in makers and "Japanese" in cultures
        assert "Japanese, Edo period" not in cultures and "Edo period" in cultures
        assert {"late Edo", "Edo-Meiji", "Qing [Ch'ing] Dynasty"} <= cultures  # the museums' values filter
        assert "anoniem" not in makers and "anonymous" in makers


@pytest.mark.parametrize(
    "query",
    [
        "江戸時代",
        "江戸",
        "江戶時代",
        "Edo-Zeit",
        "époque d'Edo",
        "에도 시대",
        "에도시대",
        "江户时代",
        "Tokugawa",
        "Edo",
    ],
)
def test_a_period_is_found_by_its_name_in_every_interface_language(engines, query):
    """Museums write "late Edo", "Edo-Meiji" or "Japanese, Edo period"; a visitor in Tokyo types
    江戸時代, one in Berlin Edo-Zeit, one in Seoul 에도 시대 (or 에도시대), one in Taipei 江戶時代."""
    assert set(ranked(engines, query)) == {"late-edo", "edo-meiji", "japanese-culture"}


def test_a_value_naming_two_periods_is_found_by_either(engines):
    assert ranked(engines, "明治時代") == ranked(engines, "Meiji-Zeit") == ["edo-meiji"]


@pytest.mark.parametrize("query", ["清朝", "清代", "清", "청나라", "Qing-Dynastie", "dynastie Qing", "Ch'ing"])
def test_a_dynasty_is_found_by_its_names_and_short_forms(engines, query):
    assert ranked(engines, query) == ["qing-dynasty"]


@pytest.mark.parametrize("query", ["朝鮮王朝", "朝鲜王朝", "조선", "조선시대", "Joseon-Dynastie", "李朝"])
def test_joseon_is_found_by_its_korean_japanese_and_chinese_names(engines, query):
    assert ranked(engines, query) == ["joseon-period"]


def test_a_single_character_finds_only_the_period_it_names(engines):
    """明 is Ming's short name, not Qing's: the Qing record is not found by it."""
    assert ranked(engines, "明") == []


def test_a_culture_the_authority_knows_is_not_taken_for_a_period(engines):
    """The culture "Georgian" is Georgia's, not the British Georgian era."""
    assert ranked(engines, "georgisch") == ["georgian-culture"]
    assert ranked(engines, "Georgianische Ära") == []


def test_quoted_phrases_stay_exact(engines):
    assert ranked(engines, '"portraits"') == ["sultan-exact"]
    assert ranked(engines, '"drving"') == []


def test_highlights_mark_the_stemmed_and_corrected_words(engines):
    for engine in engines:
        hit = engine.search(SearchRequest(text="portraits sultan")).hits[-1]
        assert "<mark>Portrait</mark>" in hit.highlights["title"]
        hit = engine.search(SearchRequest(text="drving")).hits[0]
        assert "<mark>Driving</mark>" in hit.highlights["title"]


def test_did_you_mean_uses_the_same_word_list(engines):
    for engine in engines:
        assert engine.did_you_mean(SearchRequest(text="sketchbok landscpe")) == "sketchbook landscape"
        assert engine.did_you_mean(SearchRequest(text="hokusai landscpe")) is None  # "hokusai landscape": nothing


def test_a_search_without_results_offers_the_same_shorter_queries_on_both_engines(engines):
    """Each shorter query is expanded as a search is (romanized names, typos), on both engines."""
    assert ranked(engines, "hokusai sketchbok") == []
    for engine in engines:
        assert engine.fewer_words(SearchRequest(text="hokusai sketchbok")) == [("hokusai", 2), ("sketchbok", 1)]


def test_the_word_being_typed_is_only_a_prefix():
    """Autocomplete asks for the start of a word, exactly: no stems, concepts or typos for it."""
    words = text_query(SearchRequest(text="drving pho", prefix=True), None).words
    assert [a.field for a in words[1].alternatives] == ["text"] and words[1].alternatives[0].prefix
    assert "stems" in [a.field for a in words[0].alternatives]
