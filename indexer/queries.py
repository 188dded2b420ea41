"""A `SearchRequest` translated for each backend: an Elasticsearch body and SQLite FTS5 SQL.

Both translations follow the same rules, which the conformance tests check:
- free text: every word must occur, "phrases" as adjacent tokens, -exclusions must not occur;
- facets: OR within a facet, AND across facets; each facet's counts ignore its own selection;
- dates: a record matches when its [date_begin, date_end] overlaps [date_from, date_to];
- the century histogram applies every filter but the date range;
- sorts break ties on the document id, so filter-only requests give the same order everywhere.
"""
from indexer.request import (FacetValue, Hit, InvalidRequest, SearchRequest, SearchResult, decode_cursor,
                             encode_cursor, merge_facet_values)
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
    must = [_es_group(g, prefix=request.prefix and i == len(groups) - 1 and len(g) == 1)
            for i, g in enumerate(groups)]
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
        sub = {"top": {"terms": {"field": name, "size": request.facet_size,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]}}}
        selected = request.filters.get(name)
        if selected:
            sub["selected"] = {"terms": {"field": name, "include": list(selected), "size": len(selected)}}
        aggs[name] = {"filter": _es_filters(request, skip=name), "aggs": sub}
    aggs["centuries"] = {"filter": _es_filters(request, dates=False),
                         "aggs": {"h": {"histogram": {"field": "date_begin", "interval": CENTURY,
                                                      "min_doc_count": 1}}}}
    body = {"query": _es_text_query(request), "post_filter": _es_filters(request), "aggs": aggs,
            "sort": ES_SORTS[request.sort], "size": request.size, "track_total_hits": True,
            "_source": ["display"]}
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
    positive = " AND ".join(_fts_group(g, prefix=request.prefix and i == len(groups) - 1 and len(g) == 1)
                            for i, g in enumerate(groups)) or None
    negative = " OR ".join(_fts_group(g) for g in parsed.exclusions) or None
    return positive, negative


SQL_SORT_KEYS = {
    # every key is non-null, so row-value comparison gives keyset paging for the cursor
    "relevance": ["m.score", "-d.masterpiece", "d.id"],
    "date_asc": ["(d.date_begin IS NULL)", "COALESCE(d.date_begin, 0)", "d.id"],
    "date_desc": ["(d.date_end IS NULL)", "-COALESCE(d.date_end, 0)", "d.id"],
    "title": ["d.title_sort", "d.id"],
}


class SqlSearch:
    """The SQL pieces for one request over the embedded tables docs, facets and fts."""

    def __init__(self, request: SearchRequest):
        self.request = request
        self.positive, self.negative = fts_match(request)

    def matches(self) -> tuple[str, list] | None:
        """The statement that fills the temporary ``matches`` table with the text matches and their
        scores, once per search; every other statement of the search joins that table."""
        if not self.positive:
            return None
        match = self.positive + (f" NOT ({self.negative})" if self.negative else "")
        return ("INSERT INTO temp.matches (rowid, score) SELECT rowid, bm25(fts, 1.0, ?) FROM fts WHERE fts MATCH ?",
                [TITLE_BOOST, match])

    def source(self) -> str:
        """FROM: the documents, driven by the text matches when searching (CROSS JOIN keeps that
        order, so SQLite never runs a full-text lookup per document)."""
        return "temp.matches m CROSS JOIN docs d ON d.rowid = m.rowid" if self.positive else "docs d"

    def conditions(self, skip: str | None = None, dates: bool = True) -> tuple[list[str], list]:
        where, params = [], []
        for name, values in self.request.filters.items():
            if name == skip:
                continue
            marks = ",".join("?" * len(values))
            where.append(f"d.rowid IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))")
            params += [name, *values]
        if dates and self.request.date_to is not None:
            where.append("d.date_begin <= ?")
            params.append(self.request.date_to)
        if dates and self.request.date_from is not None:
            where.append("d.date_end >= ?")
            params.append(self.request.date_from)
        if self.negative and not self.positive:
            where.append("d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(self.negative)
        return where, params

    def sort_keys(self) -> list[str]:
        keys = SQL_SORT_KEYS[self.request.sort]
        return keys if self.positive or self.request.sort != "relevance" else ["-d.masterpiece", "d.id"]

    def hits(self) -> tuple[str, list]:
        source, params = self.source(), []
        where, where_params = self.conditions()
        params += where_params
        keys = self.sort_keys()
        if self.request.cursor:
            after = decode_cursor(self.request.cursor, "embedded", self.request.sort)
            if len(after) != len(keys):
                raise InvalidRequest("The cursor is not valid for this search.")
            where.append(f"({', '.join(keys)}) > ({', '.join('?' * len(keys))})")
            params += after
        score = "m.score" if self.positive else "0.0"
        sql = (f"SELECT d.id, {score}, d.display, {', '.join(keys)} FROM {source}"
               f"{_where(where)} ORDER BY {', '.join(keys)} LIMIT ? OFFSET ?")
        params += [self.request.size, 0 if self.request.cursor else self.request.offset]
        return sql, params

    def total(self) -> tuple[str, list]:
        source, params = self.source(), []
        where, where_params = self.conditions()
        return f"SELECT COUNT(*) FROM {source}{_where(where)}", params + where_params

    def facet(self, name: str, only: tuple[str, ...] | None = None) -> tuple[str, list]:
        source, params = self.source(), []
        where, where_params = self.conditions(skip=name)
        limit = self.request.facet_size
        values = ""
        if only:
            values = f" AND f.value IN ({','.join('?' * len(only))})"
            limit = len(only)
        if self.positive:
            # look facets up per matching document; left to itself SQLite may scan a whole facet per match
            sql = (f"SELECT f.value, COUNT(*) AS c FROM {source} JOIN facets f INDEXED BY ix_facets_doc "
                   f"ON f.doc = d.rowid AND f.facet = ?{values}{_where(where)} ")
            params += [name, *(only or ()), *where_params]
        else:
            # no text: count straight from the facet index, narrowed to the documents the filters keep
            narrowed = f" AND f.doc IN (SELECT d.rowid FROM docs d{_where(where)})" if where else ""
            sql = f"SELECT f.value, COUNT(*) AS c FROM facets f WHERE f.facet = ?{values}{narrowed} "
            params = [name, *(only or ()), *where_params]
        sql += "GROUP BY f.value ORDER BY c DESC, f.value ASC LIMIT ?"
        return sql, params + [limit]

    def centuries(self) -> tuple[str, list]:
        source, params = self.source(), []
        where, where_params = self.conditions(dates=False)
        where.append("d.date_begin IS NOT NULL")
        bucket = f"(d.date_begin - ((d.date_begin % {CENTURY}) + {CENTURY}) % {CENTURY})"
        sql = f"SELECT {bucket} AS b, COUNT(*) FROM {source}{_where(where)} GROUP BY b ORDER BY b"
        return sql, params + where_params


def _where(conditions: list[str]) -> str:
    return (" WHERE " + " AND ".join(conditions)) if conditions else ""


def embedded_result(request: SearchRequest, rows: list, total: int, facets: dict[str, list[FacetValue]],
                    centuries: list[tuple[int, int]], decode_display) -> SearchResult:
    hits = [Hit(id=row[0], score=-float(row[1]), display=decode_display(row[2])) for row in rows]
    next_cursor = None
    if rows and len(rows) == request.size and (request.cursor or request.offset + request.size < total):
        next_cursor = encode_cursor("embedded", request.sort, list(rows[-1][3:]))
    return SearchResult(total=total, hits=hits, facets=facets, centuries=centuries, next_cursor=next_cursor)
