"""Where an embedded search spends its time: per-part timings for `search_bench.py --profile`.

The parts are timed by wrapping the functions that do them, only while a profiled request runs,
so the same run shows how each part scales (100,000 against 1,000,000 records): expand (a query's
words and their alternatives), text (FTS5 matches, per word and tier), rank (combining the words'
matches, exclusions and BM25 tie-breaks), columns (loading or refreshing the in-memory columns),
filters (masks, totals, centuries), facets (counts and tops), sort (the page's order), hits (the
page's stored displays), highlight (snippets) and other (parsing, labels, JSON).
"""

import statistics
import time
from collections import defaultdict
from contextlib import contextmanager

from indexer import search as search_module
from indexer.backends import columns as columns_module
from indexer.backends import embedded as embedded_module

PARTS = ("expand", "text", "rank", "columns", "filters", "facets", "sort", "hits", "highlight", "other")


class SearchProfile:
    def __init__(self, clock=time.perf_counter):
        self.clock = clock  # time.process_time: this process's CPU only, when neighbours share the cores
        self.active = False
        self.current: dict[str, float] = defaultdict(float)
        self.requests: list[dict[str, float]] = []
        self._undo: list = []

    def install(self) -> None:
        """Wrap the parts' functions (the columns' search holds facets and sort: those are taken out)."""
        self._wrap(search_module, "text_query", "expand")
        self._wrap(search_module, "_highlights", "highlight")
        self._wrap(search_module, "_stemmed_words", "highlight")
        self._wrap(embedded_module, "_text_matches", "rank")
        self._wrap(embedded_module, "_best_per_document", "text", inside="rank")
        self._wrap(embedded_module, "rows_in", "hits")
        self._wrap(embedded_module.EmbeddedBackend, "_columns_for", "columns")
        self._wrap(columns_module.Columns, "search", "filters")
        self._wrap(columns_module.FacetColumn, "counts", "facets", inside="filters")
        self._wrap(columns_module.FacetColumn, "counts_of", "facets", inside="filters")
        self._wrap(columns_module.FacetColumn, "top", "facets", inside="filters")
        self._wrap(columns_module.Columns, "_page", "sort", inside="filters")

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()

    def _wrap(self, owner, name: str, part: str, inside: str | None = None) -> None:
        original = getattr(owner, name)
        profile = self

        def timed(*args, **kwargs):
            if not profile.active:
                return original(*args, **kwargs)
            started = profile.clock()
            try:
                return original(*args, **kwargs)
            finally:
                spent = profile.clock() - started
                profile.current[part] += spent
                if inside:  # counted in its own part, not in the enclosing one's
                    profile.current[inside] -= spent

        self._undo.append((owner, name, original))
        setattr(owner, name, timed)

    @contextmanager
    def request(self):
        """Time one request: its parts, and what is left of the total (parsing, labels, JSON)."""
        self.current = defaultdict(float)
        self.active = True
        started = self.clock()
        try:
            yield
        finally:
            self.active = False
            total = self.clock() - started
            self.current["other"] = total - sum(self.current.values())
            self.current["total"] = total
            self.requests.append(dict(self.current))

    def summary(self) -> dict[str, dict[str, float]]:
        """Per part: median, p95 and mean milliseconds over the profiled requests."""
        figures = {}
        for part in (*PARTS, "total"):
            values = sorted(r.get(part, 0.0) * 1000 for r in self.requests)
            if values:
                p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
                figures[part] = {
                    "median_ms": round(statistics.median(values), 2),
                    "p95_ms": round(p95, 2),
                    "mean_ms": round(statistics.fmean(values), 2),
                }
        return figures


def print_summary(figures: dict[str, dict[str, float]]) -> None:
    print("embedded, per part:  median      p95     mean (ms)")
    for part, numbers in figures.items():
        print(f"  {part:12s} {numbers['median_ms']:9.2f} {numbers['p95_ms']:8.2f} {numbers['mean_ms']:8.2f}")
