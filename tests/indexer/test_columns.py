"""The embedded backend's in-memory columns: each process follows what other writers commit, and a
process that followed the change log answers exactly as one that loaded the file fresh."""

import random
import sqlite3

import numpy as np
import pytest

from indexer.backends import BackendUnavailable, embedded
from indexer.backends import columns as columns_module
from indexer.backends.columns import Columns, FacetColumn
from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.schema import FACET_NAMES

MUSEUMS = ("tate", "walters", "rijksmuseum")
MATERIALS = ("paper", "ink", "oil paint", "bronze", "silk")
REQUESTS = [
    SearchRequest(),
    SearchRequest(filters={"museum": ("tate", "walters")}),
    SearchRequest(filters={"material": ("ink",), "museum": ("rijksmuseum",)}),
    SearchRequest(date_from=1500, date_to=1700),
    SearchRequest(sort="date_asc", size=50),
    SearchRequest(sort="date_desc", filters={"masterpiece": ("true",)}),
    SearchRequest(sort="title", size=100),
    SearchRequest(text="landscape"),
    SearchRequest(text="landscape", sort="title"),
    SearchRequest(text="-landscape"),
]


def document(number: int, revision: int = 1, rng: random.Random | None = None) -> dict:
    """A search document as the indexer builds it, with varied facets, dates and words."""
    rng = rng or random.Random(number * 7919 + revision)
    begin = rng.choice([None, rng.randrange(-500, 1900)])
    word = rng.choice(["landscape", "portrait", "vase"])
    values = {
        "museum": rng.choice(MUSEUMS),
        "country": "GB",
        "region": "europe",
        "object_type": [rng.choice(["painting", "print"])],
        "maker": [f"Maker {rng.randrange(20)}"],
        "material": rng.sample(MATERIALS, rng.randrange(0, 3)),
        "culture": [],
        "rights": "open",
        "has_image": "false",
        "masterpiece": rng.choice(["true", "false"]),
        "theme": rng.sample(["landscapes", "portraits"], rng.randrange(0, 3)),
    }
    assert set(values) == set(FACET_NAMES)
    return {
        "id": f"doc{number:05d}",
        "revision": revision,
        "date_begin": begin,
        "date_end": None if begin is None else begin + rng.randrange(0, 50),
        "title_sort": f"{word} {rng.randrange(10)}",
        "title_text": word,
        "text": f"{word} r{revision}",
        "stems": "",
        "concepts": "",
        "roman": "",
        "words": [word],
        "display": {"title": {"en": [word]}},
        **values,
    }


def answers(backend: EmbeddedBackend) -> list:
    found = []
    for request in REQUESTS:
        result = backend.search(request)
        found.append(
            (
                result.total,
                [h.id for h in result.hits],
                {n: [(v.value, v.count, v.selected) for v in vs] for n, vs in result.facets.items()},
                result.centuries,
            )
        )
    return found


@pytest.fixture
def loads(monkeypatch):
    """Counts full loads of an index file (as opposed to following its change log)."""
    calls = []
    original = columns_module.Columns.load.__func__

    def counted(cls, conn):
        calls.append(1)
        return original(cls, conn)

    monkeypatch.setattr(columns_module.Columns, "load", classmethod(counted))
    return calls


def test_a_reader_follows_other_writers_without_loading_again(tmp_path, loads):
    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(300)])
    assert reader.search(SearchRequest()).total == 300
    rng = random.Random(4)
    for step in range(1, 6):
        writer.bulk([document(n, revision=step + 1) for n in rng.sample(range(300), 40)])  # updates
        writer.bulk([document(n) for n in range(300 + step * 10, 310 + step * 10)])  # additions
        writer.delete([(f"doc{n:05d}", 99) for n in rng.sample(range(300), 5)])  # removals
        assert answers(reader) == answers(EmbeddedBackend(tmp_path))
    assert len(loads) == 1 + 5  # the reader loaded once; each fresh backend once


def test_updates_count_once_and_removals_disappear(tmp_path):
    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(10)])
    reader.search(SearchRequest())
    writer.bulk([dict(document(3, revision=2), museum="walters"), dict(document(4, revision=2), museum="walters")])
    writer.delete([("doc00005", 5)])
    result = reader.search(SearchRequest(size=100))
    assert result.total == 9 and len({h.id for h in result.hits}) == 9 and "doc00005" not in {h.id for h in result.hits}
    assert sum(v.count for v in result.facets["museum"]) == 9


def test_many_changes_or_a_pruned_log_mean_a_fresh_load(tmp_path, loads, monkeypatch):
    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(50)])
    reader.search(SearchRequest())
    monkeypatch.setattr(columns_module, "RELOAD_MINIMUM", 10)
    writer.bulk([document(n, revision=2) for n in range(50)])  # 100 changes > max(10, 20 % of 50)
    assert answers(reader) == answers(EmbeddedBackend(tmp_path))
    monkeypatch.setattr(columns_module, "RELOAD_MINIMUM", 5_000)
    monkeypatch.setattr(embedded, "CHANGES_KEPT", 3)
    writer.bulk([document(n, revision=3) for n in range(5)])  # the log keeps only the last 3 rows
    assert answers(reader) == answers(EmbeddedBackend(tmp_path))
    monkeypatch.setattr(embedded, "CHANGES_KEPT", 0)
    writer.delete([("doc00001", 9)])  # the log keeps nothing at all
    assert answers(reader) == answers(EmbeddedBackend(tmp_path))
    assert reader.search(SearchRequest()).total == 49
    assert len(loads) == 1 + 2 + 2 + 2


def test_a_rebuild_is_loaded_fresh(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([document(n) for n in range(20)])
    assert backend.search(SearchRequest()).total == 20
    backend.rebuild(document(n) for n in range(100, 105))
    assert [h.id for h in backend.search(SearchRequest(sort="title", size=10)).hits] == sorted(
        (f"doc{n:05d}" for n in range(100, 105)), key=lambda i: (document(int(i[3:]))["title_sort"], i)
    )


@pytest.mark.parametrize(
    "request_params",
    [
        dict(sort="relevance"),
        dict(sort="date_asc"),
        dict(sort="date_desc"),
        dict(sort="title"),
        dict(text="landscape"),
        dict(text="landscape", sort="date_desc"),
        dict(filters={"museum": ("tate",)}),
    ],
    ids=repr,
)
def test_the_cursor_walks_every_hit_once_in_order(tmp_path, request_params):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([document(n) for n in range(260)])
    everything = backend.search(SearchRequest(**request_params, size=100, page=1)).hits
    everything += backend.search(SearchRequest(**request_params, size=100, page=2)).hits
    everything += backend.search(SearchRequest(**request_params, size=100, page=3)).hits
    walked, cursor = [], None
    while True:
        page = backend.search(SearchRequest(**request_params, size=17, cursor=cursor))
        walked += [h.id for h in page.hits]
        cursor = page.next_cursor
        if not cursor:
            break
    assert walked == [h.id for h in everything]
    assert len(set(walked)) == len(walked) == backend.search(SearchRequest(**request_params)).total


def test_a_cursor_of_another_shape_is_refused(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([document(n) for n in range(30)])
    title_cursor = backend.search(SearchRequest(sort="title", size=5)).next_cursor
    text_cursor = backend.search(SearchRequest(text="landscape", size=2)).next_cursor
    with pytest.raises(ValueError, match="cursor"):
        backend.search(SearchRequest(sort="date_asc", cursor=title_cursor))
    with pytest.raises(ValueError, match="cursor"):
        backend.search(SearchRequest(cursor=text_cursor))


def test_an_index_file_of_an_older_format_asks_for_a_rebuild(tmp_path):
    old = tmp_path / "search-old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT)")
    (tmp_path / "CURRENT").write_text(old.name)
    with pytest.raises(BackendUnavailable, match="catalogue reindex"):
        EmbeddedBackend(tmp_path).search(SearchRequest())


def test_searches_in_many_threads_during_writes_never_fail_and_end_up_current(tmp_path):
    import threading

    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(100)])
    failures, done = [], threading.Event()

    def search_until_done():
        while not done.is_set():
            try:
                result = reader.search(SearchRequest(filters={"museum": MUSEUMS}, size=5))
                assert result.total == sum(v.count for v in result.facets["museum"])
            except Exception as error:
                failures.append(error)
                return

    threads = [threading.Thread(target=search_until_done) for _ in range(4)]
    for thread in threads:
        thread.start()
    for step in range(2, 12):
        writer.bulk([document(n, revision=step) for n in range(step * 5, step * 5 + 20)])
        writer.bulk([document(n) for n in range(100 + step * 3, 103 + step * 3)])
    done.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert answers(reader) == answers(EmbeddedBackend(tmp_path))


def test_a_page_among_many_equal_scores_takes_masterpieces_first_then_ids():
    """Thousands of equal scores: the page holds the best-scored first, then the tied documents in
    the order Elasticsearch breaks ties (masterpieces first, then by document id)."""
    rng = np.random.default_rng(7)
    scores = np.where(rng.random(5000) < 0.01, -2.0, -1.0)
    ties = rng.permutation(5000)
    chosen = columns_module._best(scores, ties, 40)
    expected = np.lexsort((ties, scores))[:40]
    assert sorted(chosen.tolist()) == sorted(expected.tolist())


def test_filters_and_counts_agree_with_a_plain_count_over_every_pair():
    """A facet's mask and counts, whichever way they are computed, are what counting each pair gives."""
    rng = np.random.default_rng(3)
    slots = np.sort(rng.integers(0, 2000, 6000)).astype(np.int32)
    values = rng.integers(0, 30, 6000).astype(np.int32)
    pairs = np.unique(np.stack([slots, values]), axis=1)
    column = columns_module.FacetColumn([f"v{i}" for i in range(30)], {f"v{i}": i for i in range(30)}, *pairs)
    for share in (0.001, 0.05, 0.5, 0.95):
        documents = rng.random(2000) < share
        plain = np.bincount(pairs[1][documents[pairs[0]]], minlength=30)
        assert (column.counts_in(documents, np.flatnonzero(documents)) == plain).all()
        assert (column.counts(documents) == plain).all()
    mask = column.mask(("v3", "v7", "unknown"), 2000)
    assert set(np.flatnonzero(mask)) == set(pairs[0][np.isin(pairs[1], [3, 7])])


def test_the_century_histogram_counts_a_record_in_every_century_its_years_overlap(tmp_path):
    """1790-1810 counts in the 1700s and the 1800s, -150 to -50 in the 200s and 100s BCE, and a
    record with one year unknown in none: each bar is what its century's date range finds."""
    backend = EmbeddedBackend(tmp_path)
    years = [(1790, 1810), (1850, 1850), (-150, -50), (1900, None), (None, 1700), (None, None), (1500, 1899)]
    backend.bulk([dict(document(n), date_begin=begin, date_end=end) for n, (begin, end) in enumerate(years)])
    assert backend.search(SearchRequest()).centuries == [
        (-200, 1),
        (-100, 1),
        (1500, 1),
        (1600, 1),
        (1700, 2),
        (1800, 3),
    ]
    rng = random.Random(5)
    many = [document(n, rng=rng) for n in range(100, 600)]
    for doc in many[::3]:
        doc["date_end"] = None if doc["date_begin"] is None else doc["date_begin"] + rng.choice([99, 100, 250, 1000])
    backend.bulk(many)
    centuries = backend.search(SearchRequest()).centuries
    for century, count in centuries:
        assert backend.search(SearchRequest(date_from=century, date_to=century + 99)).total == count, century
    assert {century for century, _ in centuries} >= {-500, 0, 1900, 2000}


SORTS = ("relevance", "title", "date_asc", "date_desc")
CARRIED = ("id_bytes", "by_id", "century_spans", "alive_counts", "orders")


def derive_everything(columns: Columns) -> None:
    """What searches derive from the columns: the sort orders, the tie order, the century
    histogram's numbers, the counts over alive documents, and each facet's groupings."""
    for sort in SORTS:
        columns.order(sort)
    _ = columns.tie_order, columns.century_spans, columns.alive_counts
    for column in columns.facets.values():
        _ = column.by_value, column.counts_of(np.arange(3))  # by slot: a lookup, or a grouping for several values


def afresh(columns: Columns) -> Columns:
    """The same columns with nothing derived yet."""
    facets = {n: FacetColumn(c.values, c.numbers, c.pair_slots, c.pair_values) for n, c in columns.facets.items()}
    return Columns(
        columns.rowids,
        columns.ids,
        columns.titles,
        columns.begin,
        columns.end,
        columns.masterpiece,
        columns.alive,
        facets,
        columns.seq,
    )


def assert_derived_alike(followed: Columns, fresh: Columns) -> None:
    for name in ("id_bytes", "by_id", "tie_order"):
        assert np.array_equal(getattr(followed, name), getattr(fresh, name)), name
    spans, fresh_spans = followed.century_spans, fresh.century_spans
    assert (spans.low, spans.size) == (fresh_spans.low, fresh_spans.size)
    assert np.array_equal(spans.first, fresh_spans.first) and np.array_equal(spans.last, fresh_spans.last)
    for sort in SORTS:
        assert np.array_equal(followed.order(sort), fresh.order(sort)), sort
    for name, column in followed.facets.items():
        assert np.array_equal(followed.alive_counts[name], fresh.alive_counts[name]), name
        other = fresh.facets[name]
        for mine, theirs in [*zip(column.by_value, other.by_value), *zip(column.by_slot, other.by_slot)]:
            assert np.array_equal(mine, theirs), name
        assert (column.single is None) == (other.single is None), name
        if column.single is not None:
            assert np.array_equal(column.single, other.single), name


def test_what_searches_derived_is_carried_over_a_write_as_made_afresh(tmp_path):
    """After a write, the columns keep what searches derived from the columns before it, brought up
    to date, and it is exactly what deriving it afresh gives: the first search after each write
    does not wait for a million titles to be sorted again (about three seconds)."""
    writer = EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(300)])
    conn = sqlite3.connect(writer._current())
    columns = Columns.load(conn)
    rng = random.Random(11)
    for step in range(2, 8):
        derive_everything(columns)
        writer.bulk([document(n, revision=step) for n in rng.sample(range(300), 30)])  # updates
        new = [dict(document(1000 + step), id=f"a-much-longer-document-id-{step:05d}", maker=[f"New maker {step}"])]
        if step == 4:  # a century no document had
            new.append(dict(document(2000), date_begin=2020, date_end=2021))
        writer.bulk(new)
        writer.delete([(f"doc{n:05d}", 99) for n in rng.sample(range(300), 3)])  # removals
        columns = columns.refreshed(conn)
        expected = set(CARRIED) - ({"century_spans"} if step == 4 else set())
        assert expected <= set(columns.__dict__)
        assert set(columns.orders) == set(SORTS)
        for column in columns.facets.values():  # grouped by slot only when a document has several values
            assert {"by_value", "single"} <= set(column.__dict__)
            assert column.single is not None or "by_slot" in column.__dict__
        assert_derived_alike(columns, afresh(columns))


def test_many_new_documents_are_sorted_afresh_not_merged_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setattr(columns_module, "ORDERS_CARRIED_UP_TO", 10)
    writer = EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(100)])
    conn = sqlite3.connect(writer._current())
    columns = Columns.load(conn)
    derive_everything(columns)
    writer.bulk([document(n) for n in range(100, 111)])  # 11 > 10
    columns = columns.refreshed(conn)
    assert "orders" not in columns.__dict__ and "by_id" in columns.__dict__
    assert_derived_alike(columns, afresh(columns))


def test_a_write_groups_no_facet_by_document_that_searches_never_did(tmp_path):
    """Counting the removed and new documents' values reads the pairs once when no search grouped
    a facet by document: grouping a million documents' pairs costs more than the pass."""
    writer = EmbeddedBackend(tmp_path)
    writer.bulk([document(n) for n in range(100)])
    conn = sqlite3.connect(writer._current())
    columns = Columns.load(conn)
    _ = columns.alive_counts, [column.single for column in columns.facets.values()]
    writer.bulk([document(n) for n in range(100, 105)])
    writer.delete([("doc00007", 9)])
    columns = columns.refreshed(conn)
    multiple = [column for column in columns.facets.values() if column.single is None]
    assert multiple and all("by_slot" not in column.__dict__ for column in multiple)
    fresh = afresh(columns)
    assert all(np.array_equal(columns.alive_counts[name], fresh.alive_counts[name]) for name in FACET_NAMES)
