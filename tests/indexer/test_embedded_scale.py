"""The embedded backend's shortcuts for a million records answer exactly as the plain ways they
replace: facet counts over few or most documents, the first matching slots of an order, the
intersection of match lists, the page of a relevance sort, and the cache of FTS5 match lists."""

import numpy as np
import pytest

from indexer.backends.columns import FacetColumn, _first_matching, latest_change
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
    cache, reads = MatchCache(shortest=10, clock=lambda: 0.0), []  # every read quick

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


def test_a_short_list_that_was_slow_to_read_is_kept(tmp_path):
    """A title's few matches of a common word cost as much to read as the word's whole list."""
    now = [0.0]
    cache = MatchCache(shortest=10, clock=lambda: now[0])

    def read(seconds):
        def reader():
            now[0] += seconds
            return (np.arange(3),)

        return reader

    cache.get(tmp_path, 1, "title_text : paper", read(0.030))
    cache.get(tmp_path, 1, "title_text : paper", lambda: pytest.fail("kept"))
    cache.get(tmp_path, 2, "title_text : paper", lambda: pytest.fail("carried"), lambda arrays, older: arrays)
    cache.get(tmp_path, 2, "title_text : paper", lambda: pytest.fail("kept, though carried quickly"))
    cache.get(tmp_path, 1, "title_text : vase", read(0.0001))
    assert len(cache.get(tmp_path, 1, "title_text : vase", read(0.0001))[0]) == 3  # quick: read again
    assert cache.used == 3 * 8


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


def test_after_a_commit_a_match_list_is_carried_over_and_a_bm25_list_read_anew(tmp_path):
    cache, carried = MatchCache(shortest=1), []

    def carry(arrays, older):
        carried.append(older)
        return (arrays[0][1:],)  # as if the commit removed the first document

    cache.get(tmp_path, 1, "paper", lambda: (np.arange(100),), carry)
    cache.get(tmp_path, 1, "bm25 paper", lambda: (np.arange(100), np.zeros(100)))
    later = cache.get(tmp_path, 3, "paper", lambda: pytest.fail("carried, not read"), carry)[0]
    assert carried == [1] and later.tolist() == list(range(1, 100)) and not later.flags.writeable
    assert cache.get(tmp_path, 3, "paper", lambda: pytest.fail("kept"), carry)[0] is later
    assert cache.used == 99 * 8  # the older version of each is gone: replaced, or never to be asked again
    reread = cache.get(tmp_path, 3, "bm25 paper", lambda: (np.arange(7), np.zeros(7)))
    assert len(reread[0]) == 7
    cache.get(tmp_path, 4, "paper", lambda: (np.arange(5),), lambda arrays, older: None)  # the log is gone
    assert len(cache.get(tmp_path, 4, "paper", lambda: pytest.fail("kept"))[0]) == 5


TEXTS = [
    SearchRequest(text="landscape"),
    SearchRequest(text="portrait", sort="title"),
    SearchRequest(text="-vase"),
    SearchRequest(text="landscape r1"),
    SearchRequest(text="lanscape", sort="date_asc"),
]


@pytest.fixture
def fts_reads(monkeypatch):
    """(first rowid asked for, rowids found) of each match list read from FTS5."""
    from indexer.backends import embedded

    reads, plain = [], embedded._rowids

    def counted(conn, match, since=0):
        found = plain(conn, match, since)
        reads.append((since, len(found)))
        return found

    monkeypatch.setattr(embedded, "_rowids", counted)
    return reads


def assert_answers_as_read_afresh(reader: EmbeddedBackend, tmp_path, reads: list) -> list:
    """The reader's answers to TEXTS are a fresh backend's; returns the reader's reads."""
    reads.clear()
    mine = [reader.search(request) for request in TEXTS]
    done = list(reads)
    theirs = [EmbeddedBackend(tmp_path).search(request) for request in TEXTS]
    assert [(r.total, [h.id for h in r.hits]) for r in mine] == [(r.total, [h.id for h in r.hits]) for r in theirs]
    current = reader._current()
    with reader._connect(current) as conn:
        alive = {rowid for (rowid,) in conn.execute("SELECT rowid FROM docs")}
        seq = latest_change(conn)
    kept = [lists[0] for (_, at, asked), lists in reader._matches._lists.items() if at == seq and "bm25" not in asked]
    assert kept and all(set(rowids.tolist()) <= alive for rowids in kept)  # no removed document stays
    return done


def test_match_lists_follow_writes_by_the_documents_added_and_removed(tmp_path, fts_reads):
    """After a write, a reader's kept match lists lose the removed documents and read only the
    added ones, and it answers exactly as a backend that read every list afresh."""
    import random

    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    reader._matches = MatchCache(shortest=1)
    writer.bulk([document(n) for n in range(300)])
    assert_answers_as_read_afresh(reader, tmp_path, fts_reads)
    rng = random.Random(5)
    for step in range(2, 7):
        writer.bulk([document(n, revision=step) for n in rng.sample(range(300), 20)])  # updates
        writer.bulk([document(n) for n in range(300 + step * 10, 305 + step * 10)])  # additions
        writer.delete([(f"doc{n:05d}", 99) for n in rng.sample(range(300), 4)])  # removals
        reads = assert_answers_as_read_afresh(reader, tmp_path, fts_reads)
        assert reads and all(since > 0 or found == 0 for since, found in reads)  # no long list read whole
    writer.delete([(f"doc{n:05d}", 99) for n in range(0, 300, 7)])  # removals alone: nothing to read
    assert [found for since, found in assert_answers_as_read_afresh(reader, tmp_path, fts_reads) if found] == []


def test_match_lists_are_read_afresh_once_the_change_log_no_longer_reaches_back(tmp_path, fts_reads, monkeypatch):
    from indexer.backends import embedded

    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    reader._matches = MatchCache(shortest=1)
    writer.bulk([document(n) for n in range(300)])
    assert_answers_as_read_afresh(reader, tmp_path, fts_reads)
    monkeypatch.setattr(embedded, "CHANGES_KEPT", 3)
    writer.bulk([document(n, revision=2) for n in range(10)])  # 20 changes; the log keeps the last 3
    reads = assert_answers_as_read_afresh(reader, tmp_path, fts_reads)
    assert any(since == 0 and found for since, found in reads)
    monkeypatch.setattr(embedded, "CHANGES_KEPT", 1)
    writer.bulk([document(20, revision=3)])  # a removal and an addition; the log keeps the addition
    reads = assert_answers_as_read_afresh(reader, tmp_path, fts_reads)
    assert any(since == 0 and found for since, found in reads)
