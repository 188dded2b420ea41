"""A `SearchRequest` translated for each backend: an Elasticsearch body, and the SQLite FTS5 match
expression that the embedded backend's in-memory columns (`backends/columns.py`) complete.

Both backends follow the same rules, which the conformance tests check:
- free text: every word must occur, "phrases" as adjacent tokens, -exclusions must not occur;
- facets: OR within a facet, AND across facets; each facet's counts ignore its own selection;
- dates: a record matches when its [date_begin, date_end] overlaps [date_from, date_to];
- the century histogram applies every filter but the date range;
- sorts break ties on the document id, so filter-only requests give the same order everywhere.
"""

from indexer.request import Hit, SearchRequest, SearchResult, decode_cursor, encode_cursor, merge_facet_values
from indexer.schema import FACET_NAMES

TITLE_BOOST = 2.0
CENTURY = 100

# Elasticsearch ----------------------------------------------------------------------------------

ES_SORTS = {
    # masterpieces first among equally relevant records
    "relevance": [{"_score": "desc"}, {"masterpiece": "desc"}, {"id": "asc"}],
    "date_asc": [{"date_begin": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
    "date_desc": [{"date_end": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "title": [{"title_sort": {"order": "asc"}}, {"id": "asc"}],
}


def _es_group(group: tuple[str, ...], prefix: bool = False) -> dict:
    if prefix:
        return {"prefix": {"text": group[0]}}
    if len(group) == 1:
        return {"term": {"text": group[0]}}
    return {"match_phrase": {"text": " ".join(group)}}


def _es_text_query(request: SearchRequest) -> dict:
    parsed = request.parsed
    groups = parsed.required_groups()
    must = [_es_group(g, prefix=request.prefix and i == len(groups) - 1 and len(g) == 1) for i, g in enumerate(groups)]
    must_not = [_es_group(g) for g in parsed.exclusions]
    if not must:
        return {"constant_score": {"filter": {"bool": {"must_not": must_not}}}} if must_not else {"match_all": {}}
    terms = " ".join(sorted(parsed.terms))
    should = [{"match": {"title_text": {"query": terms, "boost": TITLE_BOOST}}}]
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


def elasticsearch_body(request: SearchRequest) -> dict:
    """The `_search` body for a request (pure; the benchmark sends it raw as the baseline)."""
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
        "aggs": {"h": {"histogram": {"field": "date_begin", "interval": CENTURY, "min_doc_count": 1}}},
    }
    body = {
        "query": _es_text_query(request),
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


def _fts_group(group: tuple[str, ...], prefix: bool = False) -> str:
    return '"' + " ".join(token.replace('"', '""') for token in group) + '"' + ("*" if prefix else "")


def fts_match(request: SearchRequest) -> tuple[str | None, str | None]:
    """(positive expression, exclusion expression) in FTS5 query syntax over our tokens."""
    parsed = request.parsed
    groups = parsed.required_groups()
    positive = (
        " AND ".join(
            _fts_group(g, prefix=request.prefix and i == len(groups) - 1 and len(g) == 1) for i, g in enumerate(groups)
        )
        or None
    )
    negative = " OR ".join(_fts_group(g) for g in parsed.exclusions) or None
    return positive, negative
