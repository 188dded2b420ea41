"""SearchRequest parsing: words, phrases, exclusions, limits; invalid requests say why."""

import pytest

from indexer.request import InvalidRequest, SearchRequest, decode_cursor, encode_cursor, parse_text


def test_words_phrases_and_exclusions():
    """A word the analysis cuts in two ("Saint-Rémy") stays a word, in query order; only quotes
    make an exact phrase."""
    parsed = parse_text('turner "oil on canvas" -sketch -"pen and ink" Saint-Rémy 北斎')
    assert parsed.words == (("turner",), ("saint", "remy"), ("北斎",))
    assert parsed.phrases == (("oil", "on", "canvas"),)
    assert parsed.exclusions == (("sketch",), ("pen", "and", "ink"))
    assert parsed.terms == {"turner", "北斎", "oil", "on", "canvas", "saint", "remy"}


def test_an_unclosed_quote_is_a_phrase_to_the_end():
    assert parse_text('"great wave').phrases == (("great", "wave"),)


def test_punctuation_only_is_no_query():
    assert not parse_text("!!! -- ?").positive


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(filters={"colour": ("red",)}), "Unknown facet"),
        (dict(sort="random"), "Unknown sort"),
        (dict(size=0), "from 1 to 100 results"),
        (dict(size=101), "from 1 to 100 results"),
        (dict(page=0), "numbered from 1"),
        (dict(page=101, size=100), "first 10000 results"),
        (dict(date_from=1900, date_to=1800), "“From year” is later than “To year”"),
        (dict(text=" ".join(f"w{i}" for i in range(40))), "at most 32 words"),
    ],
)
def test_invalid_requests(params, message):
    with pytest.raises(InvalidRequest, match=message):
        request = SearchRequest(**params)
        assert request.parsed


def test_cursors_belong_to_one_backend_and_sort():
    cursor = encode_cursor("embedded", "title", ["a", "b"])
    assert decode_cursor(cursor, "embedded", "title") == ["a", "b"]
    for backend, sort in (("elasticsearch", "title"), ("embedded", "date_asc")):
        with pytest.raises(InvalidRequest):
            decode_cursor(cursor, backend, sort)
    with pytest.raises(InvalidRequest):
        decode_cursor("%%%not-base64", "embedded", "title")


def test_filters_drop_empty_and_repeated_values():
    request = SearchRequest(filters={"museum": ["tate", "tate", "walters"], "maker": []})
    assert request.filters == {"museum": ("tate", "walters")}
