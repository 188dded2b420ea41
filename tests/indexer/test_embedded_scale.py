"""The embedded backend's shortcuts for a million records answer exactly as the plain ways they
replace: facet counts over few or most documents, the first matching slots of an order, the
intersection of match lists, the page of a relevance sort, and the cache of FTS5 match lists."""

import numpy as np
import pytest

from indexer.backends.columns import FacetColumn, _first_matching
from indexer.backends.embedded import EmbeddedBackend, _common
from indexer.backends.postings import MatchCache
from indexer.request import SearchRequest
from tests.indexer.test_columns import document

RNG = np.random.default_rng(14)


def random_column(size: int, most_values: int) -> FacetColumn:
    """Documents with 0..most_values values each, out of 30."""
    per_document = RNG.integers(0, most_values + 1, size)
    slots = np.repeat(np.arange(size, dtype=np.int32), per_document)
    values = RNG.integers(0, 30, len(slots)).astype(np.int32)
    return FacetColumn([f"v{i}" for i in range(30)], {f"v{i}": i for i in range(30)}, slots, values)


@pytest.mark.parametrize("most_values", [1, 3])  # one value at most (the museum) or several (the materials)
@pytest.mark.parametrize("share", [0.0, 0.001, 0.3, 0.7, 1.0])
def test_counting_the_matching_documents_directly_gives_the_counts_over_all_pairs(most_values, share):
    column = random_column(5_000, most_values)
    mask = RNG.random(5_000) < share
    assert column.counts_of(np.flatnonzero(mask)).tolist() == column.counts(mask).tolist()


def test_a_search_matching_most_documents_counts_facets_as_all_less_the_rest(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([document(n) for n in range(400)])
    backend.delete([("doc00007", 9)])
    everything = backend.search(SearchRequest(facet_size=50))
    assert everything.total == 399
    for name, values in everything.facets.items():
        assert sum(v.count for v in values) >= (399 if name in ("museum", "rights") else 0)
    most = backend.search(SearchRequest(text="-vase", facet_size=50))
    few = backend.search(SearchRequest(text="vase", facet_size=50))
    for name in everything.facets:
        counts = {v.value: v.count for v in everything.facets[name]}
        for value in counts:
            in_most = next((v.count for v in most.facets[name] if v.value == value), 0)
            in_few = next((v.count for v in few.facets[name] if v.value == value), 0)
            assert in_most + in_few == counts[value]


@pytest.mark.parametrize("wanted", [0, 1, 24, 4_000, 20_000])
def test_the_first_matching_slots_of_an_order_are_those_of_the_whole_order(wanted):
    order = RNG.permutation(20_000)
    matching = RNG.random(20_000) < 0.05
    assert _first_matching(order, matching, wanted)[:wanted].tolist() == order[matching[order]][:wanted].tolist()


def test_the_common_rowids_of_two_lists_are_those_intersect1d_finds():
    ours = np.unique(RNG.integers(0, 10_000, 3_000))
    theirs = np.unique(RNG.integers(0, 10_000, 500))
    for a, b in ((ours, theirs), (theirs, ours)):
        mine, other = _common(a, b)
        _, expected_mine, expected_other = np.intersect1d(a, b, assume_unique=True, return_indices=True)
        assert mine.tolist() == expected_mine.tolist() and other.tolist() == expected_other.tolist()


def test_every_page_of_a_relevance_sort_follows_one_whole_order(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([document(n) for n in range(300)])
    whole = [h.id for h in backend.search(SearchRequest(text="landscape", size=100)).hits]
    paged = [
        h.id for page in (1, 2, 3, 4) for h in backend.search(SearchRequest(text="landscape", size=25, page=page)).hits
    ]
    assert paged[: len(whole)] == whole and len(set(paged)) == len(paged)


def test_long_match_lists_are_read_once_per_change_of_the_index(tmp_path):
    cache, reads = MatchCache(shortest=10), []

    def read(length):
        def reader():
            reads.append(length)
            return (np.arange(length),)

        return reader

    first = cache.get(tmp_path, 1, "text : paper", read(100))[0]
    assert cache.get(tmp_path, 1, "text : paper", read(100))[0] is first and reads == [100]
    assert not first.flags.writeable  # shared by the searches of every thread
    cache.get(tmp_path, 1, "text : ink", read(5))
    cache.get(tmp_path, 1, "text : ink", read(5))
    assert reads == [100, 5, 5]  # short lists are not kept
    cache.get(tmp_path, 2, "text : paper", read(100))
    assert reads == [100, 5, 5, 100]  # a commit later: read again, the older list dropped
    assert cache.used == 100 * 8


def test_the_cache_keeps_to_its_budget_dropping_the_least_recently_used(tmp_path):
    cache = MatchCache(budget_bytes=8 * 1000, shortest=1)
    for word in ("a", "b", "c", "d"):
        cache.get(tmp_path, 1, word, lambda: (np.arange(250),))
    cache.get(tmp_path, 1, "a", lambda: pytest.fail("a was used last but one"))
    cache.get(tmp_path, 1, "e", lambda: (np.arange(250),))
    assert cache.used <= 8 * 1000
    reread = []
    cache.get(tmp_path, 1, "b", lambda: reread.append(1) or (np.arange(250),))
    assert reread == [1]


def test_a_write_is_seen_by_the_next_search_despite_the_cache(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend._matches = MatchCache(shortest=1)
    backend.bulk([document(n) for n in range(50)])
    before = backend.search(SearchRequest(text="landscape")).total
    landscape = dict(document(1000), text="landscape r1", title_text="landscape")
    backend.bulk([landscape])
    assert backend.search(SearchRequest(text="landscape")).total == before + 1
