"""Typo tolerance from the index's own vocabulary, the same on both engines.

Each backend lists the words its index holds (`IndexTerms`: the embedded index from its FTS5
vocabulary table, Elasticsearch from a keyword field of each document's words); the corrections
are computed here, so both engines widen a query word to the same terms. As Meilisearch does by
default, a word of 5 to 8 letters may differ from an indexed word by one edit, a word of 9 or more
by two (an edit: a letter added, dropped, changed, or two neighbours swapped); the first letter is
fixed, which is how people mistype and keeps the candidates few. A word the index knows as it is
is not widened: fuzziness only where it helps.
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

log = logging.getLogger(__name__)
MIN_TERM = 4  # shortest indexed word worth correcting to (a 5-letter word minus one)
MAX_EXPANSIONS = 10  # corrections per query word, the closest and most frequent first


def eligible(term: str) -> bool:
    """Words that typos are corrected to: letters only (no numbers, no CJK bigrams), 4+ long."""
    return len(term) >= MIN_TERM and term.isalpha()


def eligible_words(words: list[str]) -> list[str]:
    """The `eligible` ones of ``words`` (the document builder's form: no call per word)."""
    return [word for word in words if len(word) >= MIN_TERM and word.isalpha()]


def allowed_edits(word: str) -> int:
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 5 else 0


@dataclass
class IndexTerms:
    """The index's words with the number of documents holding each."""

    frequency: dict[str, int]
    loaded_at: float = field(default_factory=time.monotonic)
    _buckets: dict | None = None

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> "IndexTerms":
        return cls({term: docs for term, docs in pairs if eligible(term)})

    def age(self) -> float:
        return time.monotonic() - self.loaded_at

    def knows(self, word: str) -> bool:
        return word in self.frequency

    def corrections(self, word: str, edits: int | None = None, limit: int = MAX_EXPANSIONS) -> tuple[str, ...]:
        """Indexed words within the allowed edits of ``word`` (not the word itself): closest first,
        then the most frequent, then alphabetical, so every process picks the same ones."""
        edits = allowed_edits(word) if edits is None else edits
        if not edits or not word.isalpha():
            return ()
        candidates = [
            term for length in range(len(word) - edits, len(word) + edits + 1) for term in self._bucket(word[0], length)
        ]
        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=None)
        ranked = sorted(
            ((distance, -self.frequency[term], term) for term, distance, _ in found if term != word),
        )
        return tuple(term for _, _, term in ranked[:limit])

    def closest(self, word: str) -> str | None:
        """The best correction for "did you mean" (a little more lenient: 4-letter words too)."""
        edits = allowed_edits(word) or (1 if len(word) == 4 else 0)
        found = self.corrections(word, edits=edits, limit=1)
        return found[0] if found else None

    def _bucket(self, first: str, length: int) -> list[str]:
        if self._buckets is None:
            buckets: dict = defaultdict(list)
            for term in sorted(self.frequency):
                buckets[(term[0], len(term))].append(term)
            self._buckets = dict(buckets)
        return self._buckets.get((first, length), [])


class TermsCache:
    """One backend's word list, kept between searches. Reading it is a scan of the engine's whole
    vocabulary (a second or more at 100,000 records), so it is read at once only for a new index
    (another file, a rebuild, a refresh); otherwise, once it is ``seconds`` old, a background
    thread asks the engine whether anything changed (a cheap counter) and reads the list again if
    so, while searches go on with the list they have."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._held: tuple[Hashable, Hashable, IndexTerms] | None = None  # (index, its version, words)
        self._checking = False

    def get(self, source: Hashable, version: Callable[[], Hashable], read: Callable[[], IndexTerms]) -> IndexTerms:
        """The words of the index ``source``; ``version`` is its change counter, ``read`` reads it."""
        held = self._held
        if held is None or held[0] != source:
            seen, terms = version(), read()
            self._held = (source, seen, terms)
            return terms
        if held[2].age() >= self.seconds:
            self._check_later(held, version, read)
        return held[2]

    def clear(self) -> None:
        self._held = None

    def _check_later(self, held: tuple, version: Callable[[], Hashable], read: Callable[[], IndexTerms]) -> None:
        with self._lock:
            if self._checking:
                return
            self._checking = True
        source, seen, terms = held

        def run():
            try:
                now = version()
                if now == seen:
                    terms.loaded_at = time.monotonic()  # unchanged: good for another while
                elif self._held is held:
                    self._held = (source, now, read())
            except Exception as error:  # the next search tries again; searching goes on meanwhile
                log.warning("could not read the index's word list: %s", error)
            finally:
                self._checking = False

        threading.Thread(target=run, name="index-terms", daemon=True).start()
