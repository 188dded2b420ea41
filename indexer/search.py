"""Searching: the backend finds the hits; highlights are made here from the original text, so both
backends show the same snippets and the visitor sees the museum's text, not our tokens."""
from markupsafe import escape

from indexer.analysis import highlight
from indexer.backends import SearchBackend
from indexer.request import SearchRequest, SearchResult


class SearchService:
    def __init__(self, backend: SearchBackend):
        self.backend = backend

    def search(self, request: SearchRequest) -> SearchResult:
        result = self.backend.search(request)
        terms = request.parsed.terms
        if terms:
            for hit in result.hits:
                hit.highlights = _highlights(hit.display, terms)
        return result


def _highlights(display: dict, terms: set[str]) -> dict:
    """Escaped HTML snippets with <mark> around the matched words, per field that matched."""
    found = {}
    fields = {"title": [v for values in display.get("title", {}).values() for v in values],
              "makers": display.get("makers", []), "description": display.get("description", [])}
    for name, texts in fields.items():
        for text in texts:
            snippet = highlight(text, terms, escape=lambda s: str(escape(s)))
            if snippet:
                found[name] = snippet
                break
    return found
