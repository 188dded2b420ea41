"""Recently read FTS5 match lists of the embedded index, kept in memory for the next searches.

SQLite hands FTS5's matches back one row at a time: about 0.1 microseconds a row for a match list,
2.7 for a BM25 score. A common word has a third of a million matches at a million records, so
each of its tiers costs tens of milliseconds, every time. The lists of common words are few and
asked for again and again, so the long ones (and the short ones that were slow to read, as a
title's few matches of a common word) are kept here, by FTS5 expression and the index's
change counter, until they are the least recently used past the memory budget. A commit makes
them stale: a match list is then carried over, by the documents the commit removed and those it
added (read alone, by rowid), while a BM25 list, whose every score the commit moved, is read anew.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

SHORTEST_KEPT = 2_000  # shorter lists are read again: SQLite gives them in well under a millisecond ...
SLOWEST_REREAD = 0.001  # ... unless reading one took longer than this (seconds): a title's few
# matches of a common word cost as much as the word's whole list (30 ms for 200 of 335,000 "paper")
BUDGET_BYTES = 96 * 1024 * 1024  # about 12 million rowids (and scores) at a time


class MatchCache:
    """Match lists (tuples of read-only numpy arrays) by (file, change counter, what was asked)."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES, shortest: int = SHORTEST_KEPT, clock=time.perf_counter):
        self.budget = budget_bytes
        self.shortest = shortest
        self.clock = clock
        self.used = 0
        self._lists: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._carried: dict[tuple, bool] = {}  # whether a kept list can be carried to a later change
        self._lock = threading.Lock()

    def get(
        self,
        path: Path,
        seq: int,
        asked: str,
        read: Callable[[], tuple[np.ndarray, ...]],
        carry: Callable[[tuple[np.ndarray, ...], int], tuple[np.ndarray, ...] | None] | None = None,
    ):
        """The arrays `read` returns for `asked` on this file at this change, read once while kept.
        `carry(arrays, older)`, for lists a write changes only where it added or removed documents
        (not BM25 scores: every write moves them all), brings the arrays kept from the `older`
        change up to this one, or returns None when it cannot (then `read` reads them)."""
        key = (path, seq, asked)
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                return found
            older = self._older(path, seq, asked) if carry else None
        started = self.clock()
        arrays = carry(older[1], older[0]) if carry and older else None
        carried = arrays is not None  # from a list kept before: worth keeping still
        if arrays is None:
            arrays = read()
        worth_keeping = carried or len(arrays[0]) >= self.shortest or self.clock() - started >= SLOWEST_REREAD
        size = sum(a.nbytes for a in arrays)
        if not worth_keeping or size > self.budget // 4:
            return arrays
        for array in arrays:
            array.flags.writeable = False  # shared by searches in every thread
        with self._lock:
            if key not in self._lists:
                self._drop_other_versions(path, seq, asked)
                self._lists[key] = arrays
                self._carried[key] = carry is not None
                self.used += size
                while self.used > self.budget:
                    dropped_key, dropped = self._lists.popitem(last=False)
                    self._carried.pop(dropped_key, None)
                    self.used -= sum(a.nbytes for a in dropped)
        return arrays

    def _older(self, path: Path, seq: int, asked: str) -> tuple[int, tuple[np.ndarray, ...]] | None:
        """(change, arrays) of the latest list kept for `asked` before this change, if any."""
        versions = [
            (k[1], arrays) for k, arrays in self._lists.items() if k[0] == path and k[2] == asked and k[1] < seq
        ]
        return max(versions, key=lambda version: version[0]) if versions else None

    def _drop_other_versions(self, path: Path, seq: int, asked: str) -> None:
        """Lists of other files, and of older changes that can never serve again: the same list's
        (this one replaces it) and those that cannot be carried (read anew when asked)."""
        for key in [
            k for k in self._lists if k[0] != path or (k[1] < seq and (k[2] == asked or not self._carried.get(k)))
        ]:
            self._carried.pop(key, None)
            self.used -= sum(a.nbytes for a in self._lists.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()
            self._carried.clear()
            self.used = 0
