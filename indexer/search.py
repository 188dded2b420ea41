"""Searching: the backend finds the hits; highlights are made here from the original text, so both
backends show the same snippets and the visitor sees the museum's text, not our tokens."""

import logging
import re
from dataclasses import replace

from markupsafe import escape

from indexer.analysis import highlight, tokens
from indexer.backends import BackendUnavailable, SearchBackend
from indexer.expansion import text_query
from indexer.request import MAX_QUERY_LENGTH, QUERY_PART, SearchRequest, SearchResult
from indexer.stemming import query_stems

log = logging.getLogger(__name__)
MAX_REMOVAL_PROBES = 5


class SearchService:
    def __init__(self, backend: SearchBackend):
        self.backend = backend

    def did_you_mean(self, request: SearchRequest) -> str | None:
        """The query with each word the index does not know replaced by the closest word it
        does, or None (offered when a search finds nothing). A correction that itself finds nothing
        (with the same filters) is no help, and is not offered: "hokusai welle" is not "hokusai well"."""
        terms = self.backend.index_terms()
        text, changed = request.text, False
        for group in request.parsed.words:
            if len(group) > 1 or terms.knows(group[0]) or not group[0].isalpha():
                continue
            closest = terms.closest(group[0])
            if closest:
                text = re.sub(rf"(?i)\b{re.escape(group[0])}\b", closest, text, count=1)
                changed = True
        if not changed or text == request.text:
            return None
        return text if self._total_of(request, terms, text=text, sort="relevance") else None

    def filters_to_remove(self, request: SearchRequest) -> list[tuple[str, str, int]]:
        """For a search without results: (facet, value, results without it) for the first
        MAX_REMOVAL_PROBES selected values, one small search each: a URL with fifty values selected
        must not cost fifty searches."""
        found = []
        selected = [(name, value) for name, values in request.filters.items() for value in values]
        for name, value in selected[:MAX_REMOVAL_PROBES]:
            rest = tuple(v for v in request.filters[name] if v != value)
            filters = {k: v for k, v in request.filters.items() if k != name}
            if rest:
                filters[name] = rest
            total = self._total_of(request, filters=filters)
            if total:
                found.append((name, value, total))
        return found

    def dated(self, request: SearchRequest, first: int, last: int) -> int:
        """How many objects ``request`` finds by its filters alone, dated from ``first`` to ``last``:
        the count offered for a search box that holds a date ("1850s") instead of words."""
        return self._total_of(request, text="", date_from=first, date_to=last)

    def _total_of(self, request: SearchRequest, terms=None, **changes) -> int:
        """How many ``request`` with ``changes`` finds: one small search (one hit, one facet value),
        its words expanded with ``terms`` when given, as the suggestions offered for it will be."""
        probe = replace(request, page=1, cursor=None, size=1, facet_size=1, **changes)
        return self.backend.search(probe, text_query(probe, terms) if terms is not None else None).total

    def fewer_words(self, request: SearchRequest) -> list[tuple[str, int]]:
        """For a search of several words without results: (the query without one of its words or
        "phrases", results it finds) for each of the first MAX_REMOVAL_PROBES that bring results
        back ("Munch Schrei" finds nothing, "Munch" one work), with the same filters and dates. The
        last words are left out first: visitors put what matters most to them first (a maker, then
        a title word). Exclusions stay; a query of one word gives none."""
        text = request.text[:MAX_QUERY_LENGTH]
        parts = [m for m in QUERY_PART.finditer(text) if (m.group(1) or m.group(3)) != "-" and tokens(m.group(0))]
        if len(parts) < 2:
            return []
        terms = self.backend.index_terms()
        found: list[tuple[str, int]] = []
        for part in parts[::-1][:MAX_REMOVAL_PROBES]:
            rest = " ".join(f"{text[: part.start()]} {text[part.end() :]}".split())
            if any(rest == shorter for shorter, _ in found):
                continue
            total = self._total_of(request, terms, text=rest, sort="relevance")
            if total:
                found.append((rest, total))
        return found

    def warm_up(self) -> int | None:
        """One small search, so a new server process loads what its first visitor would otherwise
        wait for (the embedded columns: about a second at 100,000 records; Elasticsearch: the
        connection). Returns how many documents the index holds, or None when it is unavailable."""
        try:
            return self.backend.search(SearchRequest(size=1, facet_size=1)).total
        except BackendUnavailable as error:
            log.warning("search warm-up skipped: %s", error)
            return None

    def search(self, request: SearchRequest) -> SearchResult:
        """The backend's answer, with highlights; the query is expanded once, here, for both."""
        words = text_query(request, self.backend.index_terms()) if request.text else None
        result = self.backend.search(request, words)
        if words is not None and result.hits:
            terms = {*words.exact_terms, *words.typo_terms}
            for hit in result.hits:
                hit.highlights = _highlights(hit.display, terms | _stemmed_words(hit.display, words.stems))
        return result


def _stemmed_words(display: dict, stems: frozenset[str]) -> set[str]:
    """The words of a hit's title and makers whose stem the query asked for ("Portrait" for
    "portraits"); descriptions are left out: they are long, and a snippet needs one word."""
    if not stems:
        return set()
    texts = [v for values in display.get("title", {}).values() for v in values] + display.get("makers", [])
    return {word for word in tokens(" ".join(texts)) if stems.intersection(query_stems(word))}


def _highlights(display: dict, terms: set[str]) -> dict:
    """Escaped HTML snippets with <mark> around the matched words, per field that matched."""
    found = {}
    fields = {
        "title": [v for values in display.get("title", {}).values() for v in values],
        "makers": display.get("makers", []),
        "description": display.get("description", []),
        "medium": [display["medium"]] if display.get("medium") else [],
    }
    for name, texts in fields.items():
        for text in texts:
            snippet = highlight(text, terms, escape=lambda s: str(escape(s)))
            if snippet:
                found[name] = snippet
                break
    return found
