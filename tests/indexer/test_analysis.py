"""One analyzer for both engines and the query side: case, diacritics, CJK bigrams, highlights."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.text import DIACRITIC_BLOCKS, fold
from indexer.analysis import analyze, highlight, tokens, tokens_with_offsets


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Albrecht Dürer", ["albrecht", "durer"]),
        ("DÜRER", ["durer"]),
        ("Straße", ["strasse"]),
        ("Saint-Rémy, 1889", ["saint", "remy", "1889"]),
        ("葛飾北斎", ["葛飾", "飾北", "北斎"]),
        ("北", ["北"]),
        ("Hokusai 北斎 print", ["hokusai", "北斎", "print"]),
        ("한국어", ["한국", "국어"]),
        ("かな", ["かな"]),
        ("हिन्दी", ["हिन्दी"]),  # Devanagari vowel signs are part of the word
        ("ภาษาไทย", ["ภาษาไทย"]),
        ("Ελληνικά", ["ελληνικα"]),
        ("ゴッホ・ひまわり", ["ゴッ", "ッホ", "ホ・", "・ひ", "ひま", "まわ", "わり"]),  # ・ is in the kana block
        ("北斎abc def_ghi", ["北斎", "abc", "def", "ghi"]),
        ("𠀀𠀁 𝐀 😀x", ["𠀀𠀁", "a", "x"]),  # beyond the BMP: CJK extension B, a math letter, an emoji
        ("", []),
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_a_cjk_query_is_a_substring_of_the_indexed_name():
    indexed = set(tokens("[Signature] 後藤光正"))
    assert set(tokens("後藤")) <= indexed and set(tokens("光正")) <= indexed


def test_analyze_joins_tokens_for_whitespace_engines():
    assert analyze("Dürer", None, "葛飾北斎") == "durer 葛飾 飾北 北斎"


@given(st.text(max_size=200))
def test_tokens_never_contain_separators(text):
    for token in tokens(text):
        assert token and " " not in token and '"' not in token and token == token.casefold()


def test_highlight_marks_the_original_text_and_escapes_it():
    snippet = highlight(
        "<b>Dürer</b> and Dürer's 北斎", {"durer", "北斎"}, escape=lambda s: s.replace("<", "&lt;").replace(">", "&gt;")
    )
    assert snippet == "&lt;b&gt;<mark>Dürer</mark>&lt;/b&gt; and <mark>Dürer</mark>'s <mark>北斎</mark>"


def test_highlight_cuts_long_text_around_the_first_match():
    text = "x " * 200 + "Turner" + " y" * 200
    snippet = highlight(text, {"turner"}, context=20)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>Turner</mark>" in snippet


def test_no_match_no_highlight():
    assert highlight("Monet", {"turner"}) is None


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x52F)) | st.text())
def test_folding_drops_exactly_the_latin_greek_and_cyrillic_diacritics(text):
    """The fold's regex removal agrees with the rule written per character."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(ch for ch in decomposed if not any(a <= ord(ch) <= b for a, b in DIACRITIC_BLOCKS))
    assert fold(text) == (text.lower() if text.isascii() else unicodedata.normalize("NFC", kept))


# the characters at the edges of the token-character runs: CJK punctuation, marks, beyond the BMP
MIXED = st.sampled_from([*"ab _-・々ゴッひ北斎 한국 é\u0301 \u0915\u093f \u3099 😀 𠀀 \u00b2① .", "\U0001d400"])


@given(st.text() | st.text(MIXED))  # any text, and text made of the characters at the runs' edges
def test_the_fast_tokens_are_the_tokens_with_offsets(text):
    assert tokens(text) == [token.text for token in tokens_with_offsets(text)]
