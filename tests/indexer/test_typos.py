"""Typo tolerance as Meilisearch's defaults: 5-8 letters one edit, 9+ two, the first letter fixed,
only for words the index does not know, the same corrections in every process."""

import time

from indexer.typos import IndexTerms, TermsCache, eligible, eligible_words

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


def test_the_word_list_is_read_once_per_index_and_again_only_after_a_change():
    reads, version = [], [1]

    def read():
        reads.append(version[0])
        return IndexTerms.of([(f"word{'a' * version[0]}", 1)])

    cache = TermsCache(seconds=0.0)
    first = cache.get("index-1", lambda: version[0], read)
    assert reads == [1]
    assert cache.get("index-1", lambda: version[0], read) is first  # unchanged: checked, not read
    _wait_for(lambda: not cache._checking)
    assert reads == [1]
    version[0] = 2  # a write
    assert cache.get("index-1", lambda: version[0], read) is first  # searches go on with the old list
    _wait_for(lambda: len(reads) == 2)
    _wait_for(lambda: cache.get("index-1", lambda: version[0], read) is not first)
    cache.get("index-2", lambda: version[0], read)  # another index (a rebuild): read at once
    assert len(reads) == 3


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_document_builder_lists_the_same_words_as_the_rule():
    words = ["drawing", "1850", "北斎", "ink", "dürer", "x2y", "portrait"]
    assert eligible_words(words) == [w for w in words if eligible(w)] == ["drawing", "dürer", "portrait"]
