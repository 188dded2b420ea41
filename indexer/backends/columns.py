"""The embedded index's documents as in-memory columns: filters, facet counts, totals, the century
histogram and sorting, for one process.

SQLite FTS5 finds the text matches quickly, but counting ten facets over tens of thousands of
matches in SQL costs tens of milliseconds per facet. Here a filter is a boolean mask over the
documents, and a facet's counts are one `numpy.bincount` over its (document, value) pairs, so a
search costs a few milliseconds beyond its text match at 100,000 records.

The columns follow the SQLite file through its change log (table `changes`, one row per document
added or removed, in commit order): a process loads the file once, then applies the changes other
writers committed since. Documents' rowids only grow (AUTOINCREMENT), so new documents are
appended as new slots and removed ones are masked out; a file swapped by a rebuild is loaded anew.

Every rule here mirrors the Elasticsearch translation in `indexer.queries` (the conformance tests
run the same requests on both): OR within a facet, AND across facets, each facet's counts ignore
its own selection, dates match when the ranges overlap, ties break on the document id.
"""

import bisect
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from indexer.queries import CENTURY
from indexer.request import FacetValue, InvalidRequest, SearchRequest, merge_facet_values
from indexer.schema import FACET_NAMES

RELOAD_SHARE = 0.2  # more changes than this share of the documents: load the file anew
RELOAD_MINIMUM = 5_000  # ... but never reload for fewer changes than this
SELECT_DOCS = "SELECT rowid, id, title_sort, date_begin, date_end, masterpiece FROM docs"
CURSOR_SHAPES = {  # the sort values a cursor carries, per sort ("score": relevance with text)
    "score": ((int, float), int, str),
    "relevance": (int, str),
    "date_asc": (int, int, str),
    "date_desc": (int, int, str),
    "title": (str, str),
}


@dataclass(frozen=True)
class TextMatches:
    """The documents the positive text matched (rowids), with BM25 scores when sorting by relevance."""

    rowids: np.ndarray
    scores: np.ndarray | None = None


@dataclass
class FacetColumn:
    """One facet as (document slot, value number) pairs; value numbers index `values`."""

    values: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    pair_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pair_values: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def extended(self, pairs: list[tuple[int, str]]) -> "FacetColumn":
        """A copy with more (slot, value) pairs; new values get the next numbers."""
        values, numbers = list(self.values), dict(self.numbers)
        slots, numbered = [], []
        for slot, value in pairs:
            if value not in numbers:
                numbers[value] = len(values)
                values.append(value)
            slots.append(slot)
            numbered.append(numbers[value])
        return FacetColumn(
            values,
            numbers,
            np.concatenate([self.pair_slots, np.asarray(slots, np.int32)]),
            np.concatenate([self.pair_values, np.asarray(numbered, np.int32)]),
        )

    def mask(self, selected: tuple[str, ...], size: int) -> np.ndarray:
        """Documents with any of the selected values (OR within a facet)."""
        wanted = [self.numbers[v] for v in selected if v in self.numbers]
        found = np.zeros(size, bool)
        if wanted:
            found[self.pair_slots[np.isin(self.pair_values, wanted)]] = True
        return found

    def counts(self, documents: np.ndarray) -> np.ndarray:
        """How many of the given documents (a mask) have each value."""
        return np.bincount(self.pair_values[documents[self.pair_slots]], minlength=len(self.values))

    def top(self, counts: np.ndarray, size: int) -> list[tuple[str, int]]:
        """The `size` values with the highest counts, ties by value (as Elasticsearch orders them)."""
        present = np.flatnonzero(counts)
        if len(present) > size:
            threshold = np.partition(counts[present], -size)[-size]
            present = present[counts[present] >= threshold]
        ranked = sorted(((self.values[i], int(counts[i])) for i in present), key=lambda vc: (-vc[1], vc[0]))
        return ranked[:size]


@dataclass(frozen=True)
class ColumnResult:
    slots: list[int]  # the page's documents, in order
    scores: list[float]  # their BM25 scores (0.0 without text)
    total: int
    facets: dict[str, list[FacetValue]]
    centuries: list[tuple[int, int]]
    last_key: list | None  # the sort key of the page's last hit, for the next cursor


class Columns:
    """Documents of one index file as of change `seq`; never changed in place, so searches in other
    threads can keep using an older instance while a newer one is made."""

    def __init__(self, rowids, ids, titles, begin, end, masterpiece, alive, facets, seq):
        self.rowids = rowids  # int64, ascending: slot -> rowid
        self.ids = ids  # list[str]: slot -> document id
        self.titles = titles  # list[str]: slot -> title_sort
        self.begin, self.end = begin, end  # float64, NaN when unknown
        self.masterpiece = masterpiece  # int8
        self.alive = alive  # bool: False once removed
        self.facets = facets  # name -> FacetColumn
        self.seq = seq
        self.size = len(rowids)

    # loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, conn: sqlite3.Connection) -> "Columns":
        seq = latest_change(conn)
        empty = cls(
            np.zeros(0, np.int64),
            [],
            [],
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, np.int8),
            np.zeros(0, bool),
            {name: FacetColumn() for name in FACET_NAMES},
            seq,
        )
        return empty._appended(conn, conn.execute(f"{SELECT_DOCS} ORDER BY rowid").fetchall())

    def refreshed(self, conn: sqlite3.Connection) -> "Columns":
        """These columns with the changes committed since, or the file loaded anew when that is cheaper
        (or the log no longer reaches back far enough)."""
        seq = latest_change(conn)
        if seq <= self.seq:  # nothing new (or this reader's snapshot is older than these columns)
            return self
        oldest = conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
        pending = seq - self.seq
        if oldest is None or oldest > self.seq + 1 or pending > max(RELOAD_MINIMUM, RELOAD_SHARE * self.size):
            return Columns.load(conn)
        added, removed = [], set()
        for rowid, is_added in conn.execute(
            "SELECT doc, added FROM changes WHERE seq > ? AND seq <= ? ORDER BY seq", (self.seq, seq)
        ):
            if is_added:
                added.append(rowid)
            else:
                removed.add(rowid)
        added = [rowid for rowid in added if rowid not in removed]
        alive = self.alive.copy()
        alive[self._slots_of(np.asarray(sorted(removed), np.int64))[0]] = False
        docs = rows_in(conn, SELECT_DOCS + " WHERE rowid IN ({})", added)
        base = Columns(
            self.rowids, self.ids, self.titles, self.begin, self.end, self.masterpiece, alive, self.facets, seq
        )
        return base._appended(conn, sorted(docs))

    def _appended(self, conn: sqlite3.Connection, docs: list[tuple]) -> "Columns":
        """These columns with more documents (rows of docs, rowids above every rowid here)."""
        if not docs:
            return self
        rowids, ids, titles, begin, end, masterpiece = zip(*docs)
        first = self.size
        slot_of = {rowid: first + i for i, rowid in enumerate(rowids)}
        pairs: dict[str, list] = {name: [] for name in FACET_NAMES}
        rows: Iterable
        if first == 0:  # a whole load: one pass over the table beats thousands of IN lists
            rows = conn.execute("SELECT doc, facet, value FROM facets")
        else:
            rows = rows_in(conn, "SELECT doc, facet, value FROM facets WHERE doc IN ({})", list(rowids))
        for doc, facet, value in rows:
            if doc in slot_of and facet in pairs:
                pairs[facet].append((slot_of[doc], value))
        return Columns(
            np.concatenate([self.rowids, np.asarray(rowids, np.int64)]),
            self.ids + list(ids),
            self.titles + list(titles),
            np.concatenate([self.begin, np.asarray(begin, float)]),  # None becomes NaN
            np.concatenate([self.end, np.asarray(end, float)]),
            np.concatenate([self.masterpiece, np.asarray(masterpiece, np.int8)]),
            np.concatenate([self.alive, np.ones(len(rowids), bool)]),
            {name: column.extended(pairs[name]) for name, column in self.facets.items()},
            self.seq,
        )

    # derived columns, made when first needed -------------------------------------------
    @cached_property
    def id_bytes(self) -> np.ndarray:
        return np.asarray([i.encode() for i in self.ids], dtype=bytes) if self.ids else np.zeros(0, "S1")

    @cached_property
    def centuries(self) -> np.ndarray:
        known = np.nan_to_num(self.begin)
        return (np.floor(known / CENTURY) * CENTURY).astype(np.int64)

    @cached_property
    def orders(self) -> dict:
        return {}

    def order(self, sort: str) -> np.ndarray:
        """Every slot in the order of a sort without text scores (ties on the document id)."""
        if sort not in self.orders:
            if sort == "title":
                ordered = sorted(range(self.size), key=lambda s: (self.titles[s], self.ids[s]))
                self.orders[sort] = np.asarray(ordered, np.int64)
            else:
                self.orders[sort] = np.lexsort((self.id_bytes, *reversed(self._numeric_keys(sort))))
        return self.orders[sort]

    def _numeric_keys(self, sort: str) -> list[np.ndarray]:
        if sort == "date_asc":
            return [np.isnan(self.begin), np.nan_to_num(self.begin)]
        if sort == "date_desc":
            return [np.isnan(self.end), -np.nan_to_num(self.end)]
        return [-self.masterpiece]  # relevance without text: masterpieces first

    def sort_key(self, sort: str, slot: int, score: float = 0.0) -> list:
        """A hit's sort values, as the cursor carries them (the Elasticsearch cursor's counterpart)."""
        slot = int(slot)
        if sort == "title":
            return [self.titles[slot], self.ids[slot]]
        if sort == "date_asc":
            unknown = bool(np.isnan(self.begin[slot]))
            return [int(unknown), 0 if unknown else int(self.begin[slot]), self.ids[slot]]
        if sort == "date_desc":
            unknown = bool(np.isnan(self.end[slot]))
            return [int(unknown), 0 if unknown else -int(self.end[slot]), self.ids[slot]]
        return [-int(self.masterpiece[slot]), self.ids[slot]]

    # searching -------------------------------------------------------------------------
    def search(
        self, request: SearchRequest, text: TextMatches | None, excluded_rowids: np.ndarray | None, cursor: list | None
    ) -> ColumnResult:
        masks = {}
        if text is not None:
            masks["text"] = self._mask_of(text.rowids)
        if excluded_rowids is not None:
            masks["excluded"] = ~self._mask_of(excluded_rowids)
        for name, values in request.filters.items():
            masks[name] = self.facets[name].mask(values, self.size)
        dates = self._date_mask(request)

        def kept(skip: str | None = None, with_dates: bool = True) -> np.ndarray:
            found = self.alive.copy()
            for name, mask in masks.items():
                if name != skip:
                    found &= mask
            if with_dates and dates is not None:
                found &= dates
            return found

        matching = kept()
        facets = {}
        for name, column in self.facets.items():
            counts = column.counts(kept(skip=name) if name in request.filters else matching)
            selected = request.filters.get(name, ())
            chosen = {v: int(counts[column.numbers[v]]) if v in column.numbers else 0 for v in selected}
            facets[name] = merge_facet_values(column.top(counts, request.facet_size), chosen, selected)
        dated = kept(with_dates=False) & ~np.isnan(self.begin)
        buckets, counts = np.unique(self.centuries[dated], return_counts=True)
        slots, scores, last_key = self._page(request, matching, text, cursor)
        return ColumnResult(
            slots, scores, int(matching.sum()), facets, [(int(b), int(c)) for b, c in zip(buckets, counts)], last_key
        )

    def _mask_of(self, rowids: np.ndarray) -> np.ndarray:
        found = np.zeros(self.size, bool)
        found[self._slots_of(rowids)[0]] = True
        return found

    def _slots_of(self, rowids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slots, positions in rowids) of the rowids these columns know."""
        slots = np.searchsorted(self.rowids, rowids)
        inside = np.flatnonzero(slots < self.size)
        inside = inside[self.rowids[slots[inside]] == rowids[inside]]
        return slots[inside], inside

    def _date_mask(self, request: SearchRequest) -> np.ndarray | None:
        if not request.has_date_range():
            return None
        found = np.ones(self.size, bool)
        with np.errstate(invalid="ignore"):  # NaN (unknown dates) never matches a range
            if request.date_to is not None:
                found &= self.begin <= request.date_to
            if request.date_from is not None:
                found &= self.end >= request.date_from
        return found

    def _page(
        self, request: SearchRequest, matching: np.ndarray, text: TextMatches | None, cursor: list | None
    ) -> tuple[list[int], list[float], list | None]:
        start = 0 if cursor is not None else request.offset
        end = start + request.size
        by_score = text is not None and text.scores is not None and request.sort == "relevance"
        if cursor is not None:
            _check_cursor(cursor, CURSOR_SHAPES["score" if by_score else request.sort])
        if by_score:
            return self._page_by_score(request, matching, text, cursor, start, end)
        order = self.order(request.sort)
        if cursor is not None:
            order = order[self._after(request.sort, order, cursor) :]
        slots = order[matching[order]][start:end]
        last = self.sort_key(request.sort, slots[-1]) if len(slots) else None
        return [int(s) for s in slots], [0.0] * len(slots), last

    def _after(self, sort: str, order: np.ndarray, cursor: list) -> int:
        """The position in `order` just past the cursor's sort values."""
        return bisect.bisect_right(order, list(cursor), key=lambda slot: self.sort_key(sort, slot))

    def _page_by_score(self, request, matching, text, cursor, start, end):
        slots, positions = self._slots_of(text.rowids)
        keep = matching[slots]
        slots, scores = slots[keep], text.scores[positions[keep]]
        masterpiece = -self.masterpiece[slots].astype(np.int64)
        ids = self.id_bytes[slots]
        if cursor is not None:
            after = _after_mask([scores, masterpiece, ids], cursor)
            slots, scores, masterpiece, ids = slots[after], scores[after], masterpiece[after], ids[after]
        ranked = np.lexsort((ids, masterpiece, scores))[start:end]
        page, page_scores = slots[ranked], scores[ranked]
        last = None
        if len(page):
            last = [float(page_scores[-1]), -int(self.masterpiece[page[-1]]), self.ids[int(page[-1])]]
        return [int(s) for s in page], [float(s) for s in page_scores], last


def _check_cursor(cursor: list, shape: tuple) -> None:
    if len(cursor) != len(shape) or not all(
        isinstance(v, t) and not isinstance(v, bool) for v, t in zip(cursor, shape)
    ):
        raise InvalidRequest("The cursor is not valid for this search.")


def _after_mask(keys: list[np.ndarray], cursor: list) -> np.ndarray:
    """Which rows sort after the cursor: keys[0] > c0, or equal and the rest sort after."""
    score, masterpiece, doc_id = float(cursor[0]), cursor[1], cursor[2].encode()
    scores, masterpieces, ids = keys
    after = ids > doc_id
    after = (masterpieces > masterpiece) | ((masterpieces == masterpiece) & after)
    return (scores > score) | ((scores == score) & after)


def latest_change(conn: sqlite3.Connection) -> int:
    """The change log's counter (AUTOINCREMENT keeps it in sqlite_sequence even when old rows are pruned)."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return row[0] if row else 0


def rows_in(conn: sqlite3.Connection, sql: str, keys: list, chunk: int = 500) -> list[tuple]:
    """Rows for many keys, in chunks that stay under SQLite's limit on parameters."""
    rows = []
    for i in range(0, len(keys), chunk):
        part = keys[i : i + chunk]
        rows += conn.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return rows
