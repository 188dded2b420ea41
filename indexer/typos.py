"""Typo tolerance from the index's own vocabulary, the same on both engines.

Each backend lists the words its index holds (`IndexTerms`: the embedded index from its FTS5
vocabulary table, Elasticsearch from a keyword field of each document's words); the corrections
are computed here, so both engines widen a query word to the same terms. As Meilisearch does by
default, a word of 5 to 8 letters may differ from an indexed word by one edit, a word of 9 or more
by two (an edit: a letter added, dropped, changed, or two neighbours swapped); the first letter is
fixed, which is how people mistype and keeps the candidates few. A word the index knows as it is
is not widened: fuzziness only where it helps.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_TERM = 4  # shortest indexed word worth correcting to (a 5-letter word minus one)
MAX_EXPANSIONS = 10  # corrections per query word, the closest and most frequent first


def eligible(term: str) -> bool:
    """Words that typos are corrected to: letters only (no numbers, no CJK bigrams), 4+ long."""
    return len(term) >= MIN_TERM and term.isalpha()


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
