"""One vocabulary across languages: object types, materials and techniques as concepts with Getty
AAT identifiers, labels in the network's languages and the museums' own words as aliases.

The concepts are data (`data/vocabulary.json`), so the vocabulary grows with the collections
without a release (`catalogue vocabulary unmapped` lists what is not mapped yet, most frequent
first). Records keep their museum's words; the search index adds the concepts, so the facets show
one value per concept in the visitor's language, and a query word that names a concept in any
language finds that concept's records in every language.

Matching is on the search analysis's tokens (folded, CJK as bigrams), so "Gemälde", "gemalde" and
"GEMÄLDE" are one key. A value's part (values are lists written "a; b") maps when it is a label or
alias as a whole; otherwise the longest runs of its words that are labels or aliases, left to
right ("color woodcuts" through "woodcuts").
"""

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import tokens
from indexer.stemming import ALGORITHMS, stemmer

PATH = Path(__file__).parent / "data" / "vocabulary.json"
KINDS = ("object_type", "material", "technique")
LONGEST_ALIAS = 6  # words; longer runs are never looked up
FALLBACK = "en"
FOUND_KEPT = 100_000  # values remembered per process


@dataclass(frozen=True)
class Concept:
    id: str  # "aat:300033618"
    kind: str  # one of KINDS
    labels: dict  # language -> label
    aliases: tuple[str, ...]

    @functools.cached_property
    def token(self) -> str:
        """The concept as one search token ("aat300033618"), the same on both engines."""
        return "".join(ch for ch in self.id.lower() if ch.isalnum())

    def label(self, languages: Iterable[str] = ()) -> str:
        """The label in the first of the visitor's languages that has one, else English."""
        return self.label_with_language(languages)[0]

    def label_with_language(self, languages: Iterable[str] = ()) -> tuple[str, str | None]:
        """`label` and the language it is in (pages mark a label in another language than theirs)."""
        found = label_in(self.labels, [*languages, FALLBACK])
        if found:
            return found
        for language, text in self.labels.items():
            return text, language
        return self.id, None

    def names(self) -> list[str]:
        return [*self.labels.values(), *self.aliases]


def label_in(labels: Mapping[str, str], languages: Iterable[str]) -> tuple[str, str] | None:
    """The label in the first of ``languages`` that has one, with that language; None when none has.
    Concepts, makers and cultures are all labelled per language so, each with its own fallback."""
    for language in languages:
        if language in labels:
            return labels[language], language
    return None


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict  # id -> Concept
    by_key: dict  # (kind, token key) -> tuple of concept ids
    by_stem: dict  # (language, stemmed key) -> tuple of concept ids (any kind), for query words
    # values repeat across a museum's records ("foto", "oil on canvas"): each is read once
    _found: dict = field(default_factory=dict, compare=False, repr=False)

    def concept(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def map_value(self, value: str | None, *kinds: str) -> tuple[list[str], list[str]]:
        """(concept ids, parts that map to none) for a value such as "prent; bladzijde"."""
        key = (";", value, kinds)
        if key not in self._found:
            if len(self._found) > FOUND_KEPT:
                self._found.clear()
            self._found[key] = self._map_value(value, kinds)
        found, unmapped = self._found[key]
        return list(found), list(unmapped)

    def _map_value(self, value: str | None, kinds: tuple[str, ...]) -> tuple[list[str], list[str]]:
        found: list[str] = []
        unmapped: list[str] = []
        for part in (value or "").split(";"):
            part = " ".join(part.split())
            if not part:
                continue
            ids = self._find_in(part, kinds)
            if ids:
                found.extend(i for i in ids if i not in found)
            else:
                unmapped.append(part)
        return found, unmapped

    def find_in(self, text: str, *kinds: str) -> list[str]:
        """Concept ids of these kinds named in ``text``: the whole text, else its longest word runs
        left to right. Scanning materials with techniques keeps "wood engraving" a technique
        instead of the material wood."""
        key = (text, kinds)
        if key not in self._found:
            if len(self._found) > FOUND_KEPT:
                self._found.clear()
            self._found[key] = self._find_in(text, kinds)
        return list(self._found[key])

    def _find_in(self, text: str, kinds: tuple[str, ...]) -> list[str]:
        words = tokens(text)
        whole = self._ids(kinds, " ".join(words))
        if whole:
            return whole
        found: list[str] = []
        start = 0
        while start < len(words):
            for length in range(min(LONGEST_ALIAS, len(words) - start), 0, -1):
                ids = self._ids(kinds, " ".join(words[start : start + length]))
                if ids:
                    found.extend(i for i in ids if i not in found)
                    start += length
                    break
            else:
                start += 1
        return found

    def _ids(self, kinds: tuple[str, ...], key: str) -> list[str]:
        return [i for kind in kinds for i in self.by_key.get((kind, key), ())]

    def named_by(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Concept ids (any kind) that the query words name: as they are, or in any language's
        stem ("tekeningen" -> the drawings concept through Dutch "tekening")."""
        key = " ".join(words)
        found = [i for kind in KINDS for i in self.by_key.get((kind, key), ())]
        if not found and len(words) == 1:
            for language, stem in _stems_by_language(words[0]):
                found.extend(self.by_stem.get((language, stem), ()))
        return tuple(dict.fromkeys(found))


def _stems_by_language(word: str) -> list[tuple[str, str]]:
    if not (word.isascii() and word.isalpha() and len(word) >= 4):
        return []
    return [(language, stemmer(algorithm).stemWord(word)) for language, algorithm in _LANGUAGES.items()]


_LANGUAGES = {language: algorithm for language, algorithm in ALGORITHMS.items() if language in ("en", "nl", "fr", "de")}


def build(entries: list[dict]) -> Vocabulary:
    concepts: dict[str, Concept] = {}
    by_key: dict[tuple[str, str], list[str]] = {}
    by_stem: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        concept = Concept(entry["id"], entry["kind"], dict(entry["labels"]), tuple(entry.get("aliases", ())))
        concepts[concept.id] = concept
        for name in concept.names():
            words = tokens(name)
            if not words:
                continue
            _add(by_key, (concept.kind, " ".join(words)), concept.id)
            if len(words) == 1:
                for language_stem in _stems_by_language(words[0]):
                    _add(by_stem, language_stem, concept.id)
    return Vocabulary(
        concepts,
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in by_stem.items()},
    )


def _add(table: dict, key, concept_id: str) -> None:
    ids = table.setdefault(key, [])
    if concept_id not in ids:
        ids.append(concept_id)


@functools.cache
def vocabulary() -> Vocabulary:
    """The catalogue's vocabulary, read once per process."""
    with open(PATH, encoding="utf-8") as handle:
        return build(json.load(handle)["concepts"])
