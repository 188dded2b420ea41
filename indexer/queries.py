"""A `SearchRequest` translated for each backend: an Elasticsearch body, and the SQLite FTS5 match
expressions that the embedded backend's in-memory columns (`backends/columns.py`) complete.

Both backends follow the same rules, which the conformance tests check:
- free text: every word must match in one of the ways `expansion.py` allows (exact, stem, concept,
  romanized, typo), "phrases" exactly as adjacent tokens, -exclusions must not occur;
- facets: OR within a facet, AND across facets; each facet's counts ignore its own selection;
- dates: a record matches when its [date_begin, date_end] overlaps [date_from, date_to];
- the century histogram applies every filter but the date range, and counts a record in every century
  its years overlap: a century's count is what the search with that century as its date range finds;
- sorts break ties on the document id, so filter-only requests give the same order everywhere.
"""

from indexer.expansion import Alternative, TextQuery, text_query
from indexer.request import Hit, SearchRequest, SearchResult, decode_cursor, encode_cursor, merge_facet_values
from indexer.schema import FACET_NAMES
from indexer.typos import IndexTerms

TITLE_BOOST = 2.0
TIE_BREAK = 0.001  # BM25 is scaled below the smallest gap between tier weights
CENTURY = 100

# Elasticsearch ----------------------------------------------------------------------------------

ES_SORTS = {
    # masterpieces first among equally relevant records
    "relevance": [{"_score": "desc"}, {"masterpiece": "desc"}, {"id": "asc"}],
    "date_asc": [{"date_begin": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
    "date_desc": [{"date_end": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "title": [{"title_sort": {"order": "asc"}}, {"id": "asc"}],
}


def _es_phrase(tokens: tuple[str, ...], field: str = "text") -> dict:
    if len(tokens) == 1:
        return {"term": {field: tokens[0]}}
    return {"match_phrase": {field: " ".join(tokens)}}


def _es_alternative(alternative: Alternative) -> dict:
    if alternative.prefix:
        clause: dict = {"prefix": {alternative.field: alternative.tokens[0]}}
    elif alternative.phrase:
        clause = _es_phrase(tuple(alternative.tokens[0].split()), alternative.field)
    elif len(alternative.tokens) == 1:
        clause = {"term": {alternative.field: alternative.tokens[0]}}
    else:
        clause = {"terms": {alternative.field: list(alternative.tokens)}}
    return {"constant_score": {"filter": clause, "boost": alternative.weight}}


def _es_text_query(text: TextQuery) -> dict:
    """Each word: the best of its alternatives (dis_max of constant scores, the tier weights);
    BM25 on the exact words, scaled down, only breaks ties within a tier."""
    must_not = [_es_phrase(group) for group in text.exclusions]
    if not text.positive:
        return {"constant_score": {"filter": {"bool": {"must_not": must_not}}}} if must_not else {"match_all": {}}
    must = [{"dis_max": {"queries": [_es_alternative(a) for a in word.alternatives]}} for word in text.words]
    terms = " ".join(text.exact_terms)
    should = [
        {"match": {"title_text": {"query": terms, "boost": TITLE_BOOST * TIE_BREAK}}},
        {"match": {"text": {"query": terms, "boost": TIE_BREAK}}},
    ]
    return {"bool": {"must": must, "must_not": must_not, "should": should}}


def _es_date_filter(request: SearchRequest) -> list[dict]:
    clauses = []
    if request.date_to is not None:
        clauses.append({"range": {"date_begin": {"lte": request.date_to}}})
    if request.date_from is not None:
        clauses.append({"range": {"date_end": {"gte": request.date_from}}})
    return clauses


def _es_filters(request: SearchRequest, skip: str | None = None, dates: bool = True) -> dict:
    clauses = [{"terms": {name: list(values)}} for name, values in request.filters.items() if name != skip]
    if dates:
        clauses += _es_date_filter(request)
    return {"bool": {"filter": clauses}}


def elasticsearch_body(request: SearchRequest, terms: IndexTerms | None = None, text: TextQuery | None = None) -> dict:
    """The `_search` body for a request (pure; the benchmark sends it raw as the baseline).
    ``terms``: the index's words, for typo tolerance; ``text``: the words already expanded."""
    aggs = {}
    for name in FACET_NAMES:
        sub = {
            "top": {
                "terms": {"field": name, "size": request.facet_size, "order": [{"_count": "desc"}, {"_key": "asc"}]}
            }
        }
        selected = request.filters.get(name)
        if selected:
            sub["selected"] = {"terms": {"field": name, "include": list(selected), "size": len(selected)}}
        aggs[name] = {"filter": _es_filters(request, skip=name), "aggs": sub}
    aggs["centuries"] = {
        "filter": _es_filters(request, dates=False),
        "aggs": {"h": {"histogram": {"field": "date_span", "interval": CENTURY, "min_doc_count": 1}}},
    }
    body = {
        "query": _es_text_query(text or text_query(request, terms)),
        "post_filter": _es_filters(request),
        "aggs": aggs,
        "sort": ES_SORTS[request.sort],
        "size": request.size,
        "track_total_hits": True,
        "_source": ["display"],
    }
    if request.cursor:
        body["search_after"] = decode_cursor(request.cursor, "elasticsearch", request.sort)
    else:
        body["from"] = request.offset
    return body


def elasticsearch_result(request: SearchRequest, response: dict) -> SearchResult:
    raw_hits = response["hits"]["hits"]
    hits = [Hit(id=h["_id"], score=h.get("_score") or 0.0, display=h["_source"]["display"]) for h in raw_hits]
    total = response["hits"]["total"]["value"]
    facets = {}
    for name in FACET_NAMES:
        agg = response["aggregations"][name]
        top = [(b["key"], b["doc_count"]) for b in agg["top"]["buckets"]]
        selected = {b["key"]: b["doc_count"] for b in agg.get("selected", {}).get("buckets", [])}
        facets[name] = merge_facet_values(top, selected, request.filters.get(name, ()))
    centuries = [(int(b["key"]), b["doc_count"]) for b in response["aggregations"]["centuries"]["h"]["buckets"]]
    next_cursor = None
    if raw_hits and len(raw_hits) == request.size and (request.cursor or request.offset + request.size < total):
        next_cursor = encode_cursor("elasticsearch", request.sort, raw_hits[-1]["sort"])
    return SearchResult(total=total, hits=hits, facets=facets, centuries=centuries, next_cursor=next_cursor)


# SQLite FTS5 ----------------------------------------------------------------------------------


def fts_expression(alternative: Alternative, columns: str | None = None) -> str:
    """One alternative of a word as an FTS5 expression on its column (or on ``columns``)."""
    columns = columns or alternative.field
    quoted = ['"' + token.replace('"', '""') + '"' for token in alternative.tokens]
    if alternative.prefix:
        return f"{columns} : {quoted[0]} *"
    if len(quoted) == 1:
        return f"{columns} : {quoted[0]}"
    return f"{columns} : ({' OR '.join(quoted)})"


def fts_phrase(group: tuple[str, ...]) -> str:
    return 'text : "' + " ".join(token.replace('"', '""') for token in group) + '"'


def fts_exclusions(text: TextQuery) -> str | None:
    return " OR ".join(fts_phrase(group) for group in text.exclusions) or None


def fts_tie_break(text: TextQuery, columns: str = "{text title_text}") -> str | None:
    """Documents with every word exactly as typed, for BM25: the order within the top tier. (Lower
    tiers keep the engine-neutral order: masterpieces first, then the id. An OR of the words would
    score every document holding any of them: 90 ms for "oil on canvas" at 100,000 records, not 3.)"""
    exact = [word.alternatives[0] for word in text.words]
    if not exact:
        return None
    return " AND ".join(fts_expression(a, columns) for a in exact)
