"""Both backends answer the same requests the same way: totals, facet counts, histograms, and for
requests without free text the same hits in the same order (text relevance may order differently).
The 5,000 shared records are loaded into a real Elasticsearch and the embedded SQLite FTS5 index."""

import pytest

from indexer.request import SearchRequest

TEXT_REQUESTS = [
    dict(text="durer"),
    dict(text="Dürer"),
    dict(text="DÜRER"),
    dict(text="turner"),
    dict(text="Turner sketchbook"),
    dict(text='"oil on canvas"'),
    dict(text="portrait -oil"),
    dict(text='landscape -"oil paint"'),
    dict(text="安親"),
    dict(text="政隨"),
    dict(text="後藤"),
    dict(text="乙柳軒"),
    dict(text="japan"),
    dict(text="ceramics"),
    dict(text="sword -tsuba"),
    dict(text="suriname"),
    dict(text="foto"),
    dict(text="schouten"),
    dict(text="-paper"),
    dict(text="carnegie"),
    dict(text="manuscript", filters={"museum": ("walters",)}),
    dict(text="turner", filters={"museum": ("tate",), "object_type": ("on paper, unique",)}),
    dict(text="saint-remy"),
    dict(text="1850"),
    dict(text="nothingmatchesthis"),
]
FILTER_REQUESTS = [
    dict(),
    dict(filters={"museum": ("tate",)}),
    dict(filters={"museum": ("tate", "walters")}),
    dict(filters={"region": ("europe",)}),
    dict(filters={"country": ("US",)}),
    dict(filters={"object_type": ("painting",)}),
    dict(filters={"maker": ("Joseph Mallord William Turner",)}),
    dict(filters={"material": ("paper",)}),
    dict(filters={"culture": ("Edo",)}),
    dict(filters={"rights": ("open",)}),
    dict(filters={"has_image": ("false",)}),
    dict(filters={"masterpiece": ("false",)}),
    dict(filters={"museum": ("walters",), "object_type": ("ceramics", "painting")}),
    dict(filters={"museum": ("cmoa", "rijksmuseum"), "material": ("paper",)}),
    dict(filters={"region": ("europe",), "rights": ("open", "restricted")}),
    dict(date_from=-500, date_to=0),
    dict(date_from=1800, date_to=1850),
    dict(date_from=-3000, date_to=-1000),
    dict(date_from=1900),
    dict(date_to=1500),
    dict(date_from=1600, date_to=1700, filters={"museum": ("walters",)}),
    dict(sort="date_asc", filters={"museum": ("walters",)}),
    dict(sort="date_desc", date_from=1000),
    dict(sort="title", filters={"museum": ("tate",)}),
    dict(sort="date_asc", page=3, size=10),
    dict(sort="title", page=2, size=50, filters={"region": ("europe",)}),
    dict(page=5, size=7),
    dict(filters={"museum": ("nowhere",)}),
    dict(filters={"maker": ("Katsushika Hokusai", "Utagawa Hiroshige")}),
]


def both(both_backends, **params):
    request = SearchRequest(**params)
    return [backend.search(request) for backend in both_backends]


def facet_table(result):
    return {name: [(v.value, v.count, v.selected) for v in values] for name, values in result.facets.items()}


def test_the_suite_is_large_enough():
    assert len(TEXT_REQUESTS) + len(FILTER_REQUESTS) >= 40


def assert_same_counts(es, embedded):
    assert es.total == embedded.total
    assert facet_table(es) == facet_table(embedded)
    assert es.centuries == embedded.centuries


@pytest.mark.parametrize("params", TEXT_REQUESTS, ids=lambda p: repr(p))
def test_text_requests_agree(both_backends, params):
    es, embedded = both(both_backends, **params)
    assert_same_counts(es, embedded)
    if es.total <= 100:
        es_all, embedded_all = both(both_backends, **params, size=100)
        assert {h.id for h in es_all.hits} == {h.id for h in embedded_all.hits}


@pytest.mark.parametrize("params", FILTER_REQUESTS, ids=lambda p: repr(p))
def test_filter_requests_agree_hit_for_hit(both_backends, params):
    es, embedded = both(both_backends, **params)
    assert_same_counts(es, embedded)
    assert [h.id for h in es.hits] == [h.id for h in embedded.hits]


def test_diacritics_and_case_do_not_matter(both_backends):
    for backend in both_backends:
        totals = {backend.search(SearchRequest(text=t)).total for t in ("durer", "Dürer", "DURER")}
        assert len(totals) == 1 and totals.pop() > 0


def test_cjk_substrings_find_longer_names(both_backends):
    for backend in both_backends:
        assert (
            backend.search(SearchRequest(text="後藤")).total >= backend.search(SearchRequest(text="後藤光正")).total > 0
        )


def test_facet_counts_are_disjunctive(both_backends):
    for backend in both_backends:
        one = backend.search(SearchRequest(filters={"museum": ("tate",)}))
        counts = {v.value: v.count for v in one.facets["museum"]}
        assert counts["walters"] > 0 and counts["tate"] == one.total
        assert {v.value for v in one.facets["museum"] if v.selected} == {"tate"}


def test_date_ranges_include_bce(both_backends):
    for backend in both_backends:
        result = backend.search(SearchRequest(date_from=-3000, date_to=-1000, size=100))
        assert 0 < result.total < 100
        assert any(century >= 1800 for century, _ in result.centuries)  # the histogram ignores the date range
        assert any(century < -1000 for century, _ in result.centuries)


def test_the_cursor_pages_past_the_window_the_same_way(both_backends):
    for backend in both_backends:
        first = backend.search(SearchRequest(sort="date_asc", size=25))
        ids, cursor = [h.id for h in first.hits], first.next_cursor
        for _ in range(3):
            page = backend.search(SearchRequest(sort="date_asc", size=25, cursor=cursor))
            ids += [h.id for h in page.hits]
            cursor = page.next_cursor
        by_offset = backend.search(SearchRequest(sort="date_asc", size=100))
        assert ids == [h.id for h in by_offset.hits]
    es, embedded = both_backends
    assert [h.id for h in es.search(SearchRequest(sort="title", size=30)).hits] == [
        h.id for h in embedded.search(SearchRequest(sort="title", size=30)).hits
    ]
