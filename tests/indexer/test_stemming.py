"""Stems per language: values in their own language, query words in every language, never across."""

import pytest

from indexer import stemming
from indexer.stemming import language_of, query_stems, stem_tokens


@pytest.mark.parametrize(
    "word, language, other",
    [
        ("portraits", "en", "portrait"),
        ("landscapes", "en", "landscape"),
        ("tekeningen", "nl", "tekening"),
        ("schilderijen", "nl", "schilderij"),
        ("peintures", "fr", "peinture"),
        ("zeichnungen", "de", "zeichnung"),
        ("pinturas", "es", "pintura"),
        ("dipinti", "it", "dipinto"),
        ("desenhos", "pt", "desenho"),
        ("teckningar", "sv", "teckning"),
    ],
)
def test_a_plural_and_its_singular_share_a_stem_in_their_language(word, language, other):
    assert stem_tokens([word], language) == stem_tokens([other], language)


def test_a_query_word_meets_the_stem_of_a_value_in_any_language():
    for word, value, language in [("portrait", "portraits", "en"), ("tekening", "tekeningen", "nl")]:
        assert set(query_stems(word)) & set(stem_tokens([value], language))


def test_stems_of_different_languages_never_meet():
    """English "turned" and the German stem of "turner" are both "turn"; they must not match."""
    assert "enturn" in stem_tokens(["turned"], "en")
    assert "enturn" not in query_stems("turner")


def test_numbers_short_words_and_cjk_have_no_stems():
    assert stem_tokens(["1850", "of", "北斎"], "en") == []
    assert query_stems("1850") == () and query_stems("北斎") == ()


def test_unknown_languages_are_stemmed_as_english():
    assert language_of("und") == language_of(None) == "en"
    assert language_of("nl-BE") == "nl" and language_of("nb") == "no"


@pytest.mark.parametrize(
    "plural, singular, language",
    [("women", "woman", "en"), ("leaves", "leaf", "en"), ("schepen", "schip", "nl"), ("chevaux", "cheval", "fr")],
)
def test_irregular_plurals_meet_their_singular(plural, singular, language):
    assert stem_tokens([plural], language) == stem_tokens([singular], language)
    assert set(query_stems(singular)) & set(stem_tokens([plural], language))


def test_remembered_stems_are_the_stemmers_own_even_after_forgetting(monkeypatch):
    """Stems are looked up per word once learnt; the table is dropped when full and learnt again."""
    words = ["portraits", "teeth", "on", "1850", "北斎", "landscapes", "portraits"]
    fresh = stem_tokens(words, "en")
    assert fresh == ["enportrait", "entooth", "enlandscap", "enportrait"]
    assert stem_tokens(words, "en") == fresh  # now from the table
    monkeypatch.setattr(stemming, "STEMS_KEPT", 2)
    assert stem_tokens(words, "en") == fresh and stem_tokens(["portraits"], "en") == ["enportrait"]
    assert len(stemming._stems_known["en"]) <= len(set(words))
