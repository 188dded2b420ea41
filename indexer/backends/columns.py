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
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np

from indexer.queries import CENTURY
from indexer.request import CURSOR_NOT_VALID, FacetValue, InvalidRequest, SearchRequest, merge_facet_values
from indexer.schema import FACET_NAMES

RELOAD_SHARE = 0.2  # more changes than this share of the documents: load the file anew
RELOAD_MINIMUM = 5_000  # ... but never reload for fewer changes than this
MADE_OF_SLOTS = ("id_bytes", "by_id", "century_spans")  # derived columns a removal leaves as they are
ORDERS_CARRIED_UP_TO = 1_000  # new documents merged into the sort orders one by one; more: sorted afresh
OWN_VALUES_COST = 10  # counting one document's own values costs about as much as ten pairs of a pass over all
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

    def mask(self, selected: tuple[str, ...], size: int) -> np.ndarray:
        """Documents with any of the selected values (OR within a facet)."""
        slots, starts = self.by_value
        found = np.zeros(size, bool)
        for number in (self.numbers[v] for v in selected if v in self.numbers):
            found[slots[starts[number] : starts[number + 1]]] = True
        return found

    @cached_property
    def by_value(self) -> tuple[np.ndarray, np.ndarray]:
        """(document slots ordered by value number, where each value's run starts): a selected
        value's documents without looking at every pair (a million documents have ten million)."""
        return _grouped(self.pair_values, self.pair_slots, len(self.values))

    def counts(self, documents: np.ndarray) -> np.ndarray:
        """How many of the given documents (a mask) have each value: one pass over every pair
        (np.take and np.compress: twice as fast as fancy indexing on millions of pairs)."""
        chosen = np.compress(np.take(documents, self.pair_slots), self.pair_values)
        return np.bincount(chosen, minlength=len(self.values))

    def counts_in(self, documents: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """How many of the given documents (as a mask and as its slots) have each value, the
        cheaper way: a document's own values when they are few, every pair when they are many."""
        if self.single is not None or len(slots) * OWN_VALUES_COST < len(self.pair_slots):
            return self.counts_of(slots)
        return self.counts(documents)

    @cached_property
    def by_slot(self) -> tuple[np.ndarray, np.ndarray]:
        """(value numbers ordered by slot, where each slot's run starts): a document's values
        without looking at every pair, for counting over few documents."""
        size = int(self.pair_slots.max()) + 1 if len(self.pair_slots) else 0
        return _grouped(self.pair_slots, self.pair_values, size)

    @cached_property
    def single(self) -> np.ndarray | None:
        """Each slot's value number + 1 (0: none) when no document has two values (the museum, the
        rights), else None."""
        if len(np.unique(self.pair_slots)) != len(self.pair_slots):
            return None
        found = np.zeros(int(self.pair_slots.max()) + 1 if len(self.pair_slots) else 0, np.int32)
        found[self.pair_slots] = self.pair_values + 1
        return found

    def counts_of(self, slots: np.ndarray) -> np.ndarray:
        """How many of the given documents (slots) have each value: the cost follows their number,
        not the index's (a search matching 300 of a million documents reads 300 runs)."""
        if self.single is not None:  # one value at most per document: one gather
            slots = slots[slots < len(self.single)]  # slots past the last pair have no value
            return np.bincount(np.take(self.single, slots), minlength=len(self.values) + 1)[1:]
        values, starts = self.by_slot
        slots = slots[slots < len(starts) - 1]
        first = np.take(starts, slots)
        lengths = np.take(starts, slots + 1) - first
        total = int(lengths.sum())
        if not total:
            return np.zeros(len(self.values), np.int64)
        ends = np.cumsum(lengths)
        positions = np.repeat(first - (ends - lengths), lengths) + np.arange(total)
        return np.bincount(np.take(values, positions), minlength=len(self.values))

    def extended(self, values: list[str], numbers: dict[str, int], slots: np.ndarray, value_numbers: np.ndarray):
        """This column with more (slot, value number) pairs, slots above all of this column's, and
        with the groupings searches made of this one brought up to date instead of made again:
        grouping a million documents' nine million pairs takes about two seconds, and the first
        search after every write would wait for it."""
        grown = FacetColumn(
            values, numbers, np.concatenate([self.pair_slots, slots]), np.concatenate([self.pair_values, value_numbers])
        )
        known, carried = dict(self.__dict__), grown.__dict__
        if "by_value" in known:
            carried["by_value"] = _regrouped(known["by_value"], value_numbers, slots, len(values))
        if "by_slot" in known:
            size = _slot_count(len(known["by_slot"][1]) - 1, slots)
            carried["by_slot"] = _regrouped(known["by_slot"], slots, value_numbers, size)
        if "single" in known:
            carried["single"] = _single_extended(known["single"], slots, value_numbers)
        return grown

    def top(self, counts: np.ndarray, size: int) -> list[tuple[str, int]]:
        """The `size` values with the highest counts, ties by value (as Elasticsearch orders them)."""
        present = np.flatnonzero(counts)
        if len(present) > size:
            threshold = np.partition(counts[present], -size)[-size]
            present = present[counts[present] >= threshold]
        ranked = sorted(((self.values[i], int(counts[i])) for i in present), key=lambda vc: (-vc[1], vc[0]))
        return ranked[:size]


def _counted(column: FacetColumn, slots: np.ndarray, size: int) -> np.ndarray:
    """How many of `slots` have each value: from their own values when the column has those at
    hand already (`counts_of`), else in one pass over the pairs (grouping costs more than a pass)."""
    grouped = column.__dict__
    if "single" in grouped and (grouped["single"] is not None or "by_slot" in grouped):
        return column.counts_of(slots)
    documents = np.zeros(size, bool)
    documents[slots] = True
    return column.counts(documents)


def _centuries(years: np.ndarray) -> np.ndarray:
    """The century each year falls in (0 for unknown years, which callers leave out)."""
    return (np.floor(np.nan_to_num(years) / CENTURY) * CENTURY).astype(np.int64)


@dataclass(frozen=True)
class CenturySpans:
    """The centuries of each slot's years, for the century histogram: a record counts in every
    century its [begin, end] overlaps, which is what that century's date range finds (Elasticsearch
    counts its `date_span` range the same way). The centuries from `low` on are numbered 1..`size`;
    a slot holds the numbers of its first and last century, 0 and 0 when a year is unknown."""

    low: int
    size: int
    first: np.ndarray
    last: np.ndarray

    @classmethod
    def of(cls, begin: np.ndarray, end: np.ndarray) -> "CenturySpans":
        dated = _spanned(begin, end)
        if not dated.any():
            return cls._numbered(0, 0, begin, end, dated)
        low, high = _centuries(begin[dated]).min(), _centuries(end[dated]).max()
        return cls._numbered(int(low), int(high - low) // CENTURY + 1, begin, end, dated)

    @classmethod
    def _numbered(cls, low: int, size: int, begin: np.ndarray, end: np.ndarray, dated: np.ndarray):
        first, last = np.zeros(len(begin), np.int32), np.zeros(len(begin), np.int32)
        first[dated] = (_centuries(begin[dated]) - low) // CENTURY + 1
        last[dated] = (_centuries(end[dated]) - low) // CENTURY + 1
        return cls(low, size, first, last)

    def extended(self, begin: np.ndarray, end: np.ndarray) -> "CenturySpans | None":
        """These spans with slots appended (their years), or None when those reach a century
        beyond these (every number would change: they are made again)."""
        dated = _spanned(begin, end)
        high = self.low + (self.size - 1) * CENTURY
        if dated.any() and (_centuries(begin[dated]).min() < self.low or _centuries(end[dated]).max() > high):
            return None
        more = CenturySpans._numbered(self.low, self.size, begin, end, dated)
        return CenturySpans(
            self.low, self.size, np.concatenate([self.first, more.first]), np.concatenate([self.last, more.last])
        )

    def counts(self, documents: np.ndarray) -> list[tuple[int, int]]:
        """(century, records) for the dated records among `documents` (a mask): how many spans
        have begun by each century less how many ended before it (np.take on the slots: twice as fast
        as a mask's fancy indexing at a million documents)."""
        slots = np.flatnonzero(documents)
        begun = np.bincount(self.first.take(slots), minlength=self.size + 1)
        ended = np.bincount(self.last.take(slots), minlength=self.size + 1)
        begun[0] = ended[0] = 0  # undated
        open_spans = np.cumsum(begun)[1:] - np.cumsum(ended)[:-1]
        return [(self.low + CENTURY * int(i), int(open_spans[i])) for i in np.flatnonzero(open_spans)]


def _spanned(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The slots with both years, in order (the only ones a date range can find)."""
    return ~(np.isnan(begin) | np.isnan(end)) & (np.nan_to_num(begin) <= np.nan_to_num(end))


def _encoded(ids: list[str]) -> np.ndarray:
    """Document ids as bytes (UTF-8 sorts as the ids do), for numpy's sorts and comparisons."""
    return np.asarray([i.encode() for i in ids], dtype=bytes) if ids else np.zeros(0, "S1")


def _grouped(keys: np.ndarray, items: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(`items` ordered by their `keys`, where the run of each key 0..size-1 starts)."""
    starts = np.zeros(size + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=starts[1:])
    return items[np.argsort(keys, kind="stable")], starts


def _regrouped(
    grouped: tuple[np.ndarray, np.ndarray], keys: np.ndarray, items: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """`_grouped` of the pairs behind `grouped` followed by the pairs (`keys`, `items`): each new
    item goes at the end of its key's run, where a stable sort of all the pairs puts it."""
    old_items, old_starts = grouped
    order = np.argsort(keys, kind="stable")
    keys, items = keys[order], items[order]
    known = len(old_starts) - 1  # keys below this have a run already
    merged = np.insert(old_items, old_starts[np.minimum(keys + 1, known)], items)
    starts = np.full(size + 1, old_starts[-1], np.int64)
    starts[: known + 1] = old_starts
    if len(keys):  # the runs up to the lowest new key keep their starts (by slot: all but the last few)
        lowest = int(keys[0])
        starts[lowest + 1 :] += np.cumsum(np.bincount(keys - lowest, minlength=size - lowest))
    return merged, starts


def _single_extended(single: np.ndarray | None, slots: np.ndarray, value_numbers: np.ndarray):
    """`FacetColumn.single` with the new pairs (their slots above the old ones'): None as soon as
    a document has two values."""
    if single is None or len(np.unique(slots)) != len(slots):
        return None
    found = np.zeros(_slot_count(len(single), slots), np.int32)
    found[: len(single)] = single
    found[slots] = value_numbers + 1
    return found


def _slot_count(known: int, slots: np.ndarray) -> int:
    """Slots to cover once `slots` join the `known` ones."""
    return max(known, int(slots.max()) + 1 if len(slots) else 0)


def _extended_facets(
    facets: dict[str, FacetColumn], rows: Iterable, rowids: np.ndarray, first: int
) -> dict[str, FacetColumn]:
    """Copies of `facets` with the (doc, facet, value) rows of new documents (`rowids`, ascending,
    their slots from `first` on). Rows are kept as machine integers as they stream in: a million
    documents have ten million rows, too many for Python tuples."""
    values = {name: list(column.values) for name, column in facets.items()}
    numbers = {name: dict(column.numbers) for name, column in facets.items()}
    docs = {name: array("q") for name in facets}
    numbered = {name: array("i") for name in facets}
    for doc, facet, value in rows:
        known = numbers.get(facet)
        if known is None:
            continue
        number = known.get(value)
        if number is None:
            number = known[value] = len(values[facet])
            values[facet].append(value)
        docs[facet].append(doc)
        numbered[facet].append(number)
    extended = {}
    for name, column in facets.items():
        found = np.frombuffer(docs[name], np.int64) if docs[name] else np.zeros(0, np.int64)
        positions = np.minimum(np.searchsorted(rowids, found), max(len(rowids) - 1, 0))
        present = rowids[positions] == found if len(rowids) else np.zeros(len(found), bool)
        new_values = np.frombuffer(numbered[name], np.int32) if numbered[name] else np.zeros(0, np.int32)
        slots = (positions[present] + first).astype(np.int32)
        extended[name] = column.extended(values[name], numbers[name], slots, new_values[present])
    return extended


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
        return base._appended(conn, sorted(docs))._carried_from(self)

    def _appended(self, conn: sqlite3.Connection, docs: list[tuple]) -> "Columns":
        """These columns with more documents (rows of docs, rowids above every rowid here)."""
        if not docs:
            return self
        rowids, ids, titles, begin, end, masterpiece = zip(*docs)
        rows: Iterable
        if self.size == 0:  # a whole load: one pass over the table beats thousands of IN lists
            rows = conn.execute("SELECT doc, facet, value FROM facets")
        else:
            rows = rows_in(conn, "SELECT doc, facet, value FROM facets WHERE doc IN ({})", list(rowids))
        facets = _extended_facets(self.facets, rows, np.asarray(rowids, np.int64), self.size)
        return Columns(
            np.concatenate([self.rowids, np.asarray(rowids, np.int64)]),
            self.ids + list(ids),
            self.titles + list(titles),
            np.concatenate([self.begin, np.asarray(begin, float)]),  # None becomes NaN
            np.concatenate([self.end, np.asarray(end, float)]),
            np.concatenate([self.masterpiece, np.asarray(masterpiece, np.int8)]),
            np.concatenate([self.alive, np.ones(len(rowids), bool)]),
            facets,
            self.seq,
        )

    # derived columns, made when first needed -------------------------------------------
    @cached_property
    def id_bytes(self) -> np.ndarray:
        return _encoded(self.ids)

    @cached_property
    def by_id(self) -> np.ndarray:
        """Every slot in the order of its document id (equal ids: the older slot first)."""
        return np.argsort(self.id_bytes, kind="stable")

    @cached_property
    def tie_order(self) -> np.ndarray:
        """Each slot's place among equal scores: masterpieces first, then by document id (as
        Elasticsearch breaks ties), as one integer, so ties are ranked without comparing ids."""
        rank = np.empty(self.size, np.int64)
        rank[self.by_id] = np.arange(self.size)
        return (1 - self.masterpiece.astype(np.int64)) * self.size + rank

    @cached_property
    def century_spans(self) -> CenturySpans:
        return CenturySpans.of(self.begin, self.end)

    @cached_property
    def alive_total(self) -> int:
        return int(np.count_nonzero(self.alive))

    @cached_property
    def alive_counts(self) -> dict[str, np.ndarray]:
        """Each facet's counts over every alive document (what a search without filters shows)."""
        return {name: column.counts(self.alive) for name, column in self.facets.items()}

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

    # derived columns, carried over from the columns before a write ----------------------
    def _carried_from(self, earlier: "Columns") -> "Columns":
        """These columns (`earlier` with its new documents appended and its removed ones masked
        out), with what searches derived from `earlier` brought up to date instead of derived
        again: at a million documents that takes seconds (the title order alone three), which the
        first search after every write would wait for. Slots never change once made, so orders
        only take the new slots in; only the counts over alive documents lose the removed ones."""
        known, carried, first = dict(earlier.__dict__), self.__dict__, earlier.size
        if "alive_counts" in known:
            carried["alive_counts"] = self._merged_alive_counts(earlier)
        if self.size == first:  # removals alone: the slots are the same, and so is what is made of them
            carried.update({name: known[name] for name in MADE_OF_SLOTS if name in known})
            if "orders" in known:
                carried["orders"] = dict(known["orders"])  # a copy: searches add to it
            return self
        if "id_bytes" in known:
            carried["id_bytes"] = np.concatenate([earlier.id_bytes, _encoded(self.ids[first:])])
        if "by_id" in known:
            carried["by_id"] = self._merged_by_id(earlier.by_id, first)
        if "century_spans" in known:
            spans = earlier.century_spans.extended(self.begin[first:], self.end[first:])
            if spans is not None:
                carried["century_spans"] = spans
        if "orders" in known and self.size - first <= ORDERS_CARRIED_UP_TO:
            orders = dict(known["orders"])  # a copy: another thread's search may add one
            carried["orders"] = {sort: self._merged_order(sort, order, first) for sort, order in orders.items()}
        return self

    def _merged_by_id(self, by_id: np.ndarray, first: int) -> np.ndarray:
        """`by_id` of the first slots with the slots from `first` on merged in."""
        ids = self.id_bytes  # one width for old and new ids: a narrower one would cut longer ids
        new = np.argsort(ids[first:], kind="stable") + first
        at = np.searchsorted(ids[by_id], ids[new], side="right")  # equal ids: after the older slot
        return np.insert(by_id, at, new)

    def _merged_order(self, sort: str, order: np.ndarray, first: int) -> np.ndarray:
        """`order` (of the first slots) with the slots from `first` on merged in: a binary search
        each, on the sort values the cursor uses; an equal one (the older copy of a document
        written again) goes after, as in the stable sort of all slots."""
        new = sorted((self.sort_key(sort, slot), slot) for slot in range(first, self.size))
        at = [bisect.bisect_right(order, values, key=partial(self.sort_key, sort)) for values, _ in new]
        return np.insert(order, at, np.asarray([slot for _, slot in new], np.int64))

    def _merged_alive_counts(self, earlier: "Columns") -> dict[str, np.ndarray]:
        """The counts over alive documents: the earlier ones, less the removed documents' values,
        plus the new documents' (counted over those few documents alone)."""
        first = earlier.size
        removed = np.flatnonzero(earlier.alive & ~self.alive[:first])
        added = np.flatnonzero(self.alive[first:]) + first
        counts = {}
        for name, column in self.facets.items():
            total = np.zeros(len(column.values), np.int64)
            old = earlier.alive_counts[name]
            total[: len(old)] = old
            counts[name] = total - _counted(column, removed, self.size) + _counted(column, added, self.size)
        return counts

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
        counted = self._counter(matching)
        facets = {}
        for name, column in self.facets.items():
            counts = self._counter(kept(skip=name))(name) if name in request.filters else counted(name)
            selected = request.filters.get(name, ())
            chosen = {v: int(counts[column.numbers[v]]) if v in column.numbers else 0 for v in selected}
            facets[name] = merge_facet_values(column.top(counts, request.facet_size), chosen, selected)
        slots, scores, last_key = self._page(request, matching, text, cursor)
        return ColumnResult(
            slots,
            scores,
            int(np.count_nonzero(matching)),
            facets,
            self.century_spans.counts(matching if dates is None else kept(with_dates=False)),
            last_key,
        )

    def _counter(self, documents: np.ndarray):
        """Facet counts over `documents` (a mask within the alive ones), by name. Few documents are
        counted directly; many as the alive documents' counts less the rest's, so a search that keeps
        most of a million documents reads few of them."""
        if np.count_nonzero(documents) * 2 <= self.alive_total:
            slots = np.flatnonzero(documents)
            return lambda name: self.facets[name].counts_in(documents, slots)
        rest = self.alive & ~documents
        rest_slots = np.flatnonzero(rest)
        return lambda name: self.alive_counts[name] - self.facets[name].counts_in(rest, rest_slots)

    def _mask_of(self, rowids: np.ndarray) -> np.ndarray:
        found = np.zeros(self.size, bool)
        found[self._slots_of(rowids)[0]] = True
        return found

    def _slots_of(self, rowids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slots, positions in rowids) of the rowids these columns know."""
        lookup = self.slot_of_rowid
        inside = np.flatnonzero(rowids < len(lookup))
        slots = lookup[rowids[inside]]
        known = slots >= 0
        return slots[known].astype(np.int64), inside[known]

    @cached_property
    def slot_of_rowid(self) -> np.ndarray:
        """Each rowid's slot (-1: none): a lookup, not a binary search, for a third of a million matches."""
        lookup = np.full(int(self.rowids[-1]) + 1 if self.size else 0, -1, np.int32)
        lookup[self.rowids] = np.arange(self.size, dtype=np.int32)
        return lookup

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
        slots = _first_matching(order, matching, end)[start:end]
        last = self.sort_key(request.sort, slots[-1]) if len(slots) else None
        return [int(s) for s in slots], [0.0] * len(slots), last

    def _after(self, sort: str, order: np.ndarray, cursor: list) -> int:
        """The position in `order` just past the cursor's sort values."""
        return bisect.bisect_right(order, list(cursor), key=lambda slot: self.sort_key(sort, slot))

    def _page_by_score(self, request, matching, text, cursor, start, end):
        slots, positions = self._slots_of(text.rowids)
        keep = matching[slots]
        slots, scores = slots[keep], text.scores[positions[keep]]
        if cursor is not None:
            masterpiece = -self.masterpiece[slots].astype(np.int64)
            after = _after_mask([scores, masterpiece, self.id_bytes[slots]], cursor)
            slots, scores = slots[after], scores[after]
        if end < len(scores):  # only the best `end` can be on the page
            near = _best(scores, self.tie_order[slots], end)
            slots, scores = slots[near], scores[near]
        ranked = np.lexsort((self.tie_order[slots], scores))[start:end]
        page, page_scores = slots[ranked], scores[ranked]
        last = None
        if len(page):
            last = [float(page_scores[-1]), -int(self.masterpiece[page[-1]]), self.ids[int(page[-1])]]
        return [int(s) for s in page], [float(s) for s in page_scores], last


def _best(scores: np.ndarray, ties: np.ndarray, wanted: int) -> np.ndarray:
    """Positions of the `wanted` best (lowest) scores, equal scores decided by `ties` (lowest
    first): a search for a common word has a hundred thousand equal scores, and only a page's
    worth of them is ever shown."""
    threshold = np.partition(scores, wanted - 1)[wanted - 1]
    better = np.flatnonzero(scores < threshold)
    equal = np.flatnonzero(scores == threshold)
    room = wanted - len(better)
    if len(equal) > room:
        equal = equal[np.argpartition(ties[equal], room - 1)[:room]]
    return np.concatenate([better, equal])


def _first_matching(order: np.ndarray, matching: np.ndarray, wanted: int) -> np.ndarray:
    """The first `wanted` slots of `order` that match, reading `order` in growing chunks: a page of
    a search matching most documents needs only the start of a million-slot order."""
    found, count, start, step = [], 0, 0, max(4096, 4 * wanted)
    while start < len(order) and count < wanted:
        part = order[start : start + step]
        found.append(part[matching[part]])
        count += len(found[-1])
        start, step = start + step, step * 4
    return np.concatenate(found) if found else order[:0]


def _check_cursor(cursor: list, shape: tuple) -> None:
    if len(cursor) != len(shape) or not all(
        isinstance(v, t) and not isinstance(v, bool) for v, t in zip(cursor, shape)
    ):
        raise InvalidRequest(CURSOR_NOT_VALID)


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
