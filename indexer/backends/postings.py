"""Recently read FTS5 match lists of the embedded index, kept in memory for the next searches.

SQLite hands FTS5's matches back one row at a time: about 0.1 microseconds a row for a match list,
2.7 for a BM25 score. A common word has a third of a million matches at a million records, so
each of its tiers costs tens of milliseconds, every time. The lists of common words are few and
asked for again and again, so the long ones are kept here, by FTS5 expression, until the index
changes (any commit: the key holds the file and its change counter) or they are the least
recently used past the memory budget.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

SHORTEST_KEPT = 2_000  # shorter lists are read again: SQLite gives them in well under a millisecond
BUDGET_BYTES = 96 * 1024 * 1024  # about 12 million rowids (and scores) at a time


class MatchCache:
    """Match lists (tuples of read-only numpy arrays) by (file, change counter, what was asked)."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES, shortest: int = SHORTEST_KEPT):
        self.budget = budget_bytes
        self.shortest = shortest
        self.used = 0
        self._lists: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path, seq: int, asked: str, read: Callable[[], tuple[np.ndarray, ...]]):
        """The arrays `read` returns for `asked` on this file at this change, read once while kept."""
        key = (path, seq, asked)
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                return found
        arrays = read()
        size = sum(a.nbytes for a in arrays)
        if len(arrays[0]) < self.shortest or size > self.budget // 4:
            return arrays
        for array in arrays:
            array.flags.writeable = False  # shared by searches in every thread
        with self._lock:
            if key not in self._lists:
                self._drop_other_versions(path, seq)
                self._lists[key] = arrays
                self.used += size
                while self.used > self.budget:
                    _, dropped = self._lists.popitem(last=False)
                    self.used -= sum(a.nbytes for a in dropped)
        return arrays

    def _drop_other_versions(self, path: Path, seq: int) -> None:
        """Lists of older changes (or other files) are never asked for again once a newer one is."""
        for key in [k for k in self._lists if k[0] != path or k[1] < seq]:
            self.used -= sum(a.nbytes for a in self._lists.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()
            self.used = 0
