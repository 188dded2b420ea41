"""Typo tolerance as Meilisearch's defaults: 5-8 letters one edit, 9+ two, the first letter fixed,
only for words the index does not know, the same corrections in every process."""

from indexer.typos import IndexTerms

TERMS = IndexTerms.of(
    [
        ("driving", 3),
        ("drawing", 40),
        ("cutting", 5),
        ("elements", 2),
        ("sketchbook", 7),
        ("landscape", 50),
        ("landscapes", 9),
        ("print", 100),
        ("paint", 80),
        ("1850", 9),
        ("北斎", 2),
    ]
)


def test_a_five_to_eight_letter_word_is_corrected_by_one_edit():
    assert TERMS.corrections("drving") == ("driving",)  # a letter dropped
    assert TERMS.corrections("cuttnig") == ("cutting",)  # two neighbours swapped
    assert TERMS.corrections("eleents") == ("elements",)


def test_a_nine_letter_word_may_have_two_edits():
    assert TERMS.corrections("sketchbok") == ("sketchbook",)
    assert TERMS.corrections("skechbok") == ()  # 8 letters: one edit only
    assert TERMS.corrections("landskaps") == ("landscape", "landscapes")  # two edits each, by frequency


def test_short_words_numbers_and_the_first_letter_are_not_corrected():
    assert TERMS.corrections("prnt") == ()
    assert TERMS.corrections("1851") == ()
    assert TERMS.corrections("trawing") == ()  # the first letter is never the typo


def test_the_closest_and_most_frequent_come_first():
    terms = IndexTerms.of([("prints", 5), ("paint", 80), ("point", 90)])
    assert terms.corrections("pxint") == ("point", "paint")


def test_only_words_are_listed():
    assert TERMS.knows("drawing") and not TERMS.knows("1850") and not TERMS.knows("北斎")


def test_did_you_mean_is_a_little_more_lenient():
    assert TERMS.closest("pint") == "print"
    assert TERMS.corrections("pint") == ()
