"""What each query word may match, and how much each kind of match is worth: the one place where
the search's tolerance is decided, so both engines match and rank by the same rules.

Every word of a query must match (as today), but a word now matches in one of five ways, each
with its own index field and weight:

    exact      the word itself in `text`                                   8
    stem       one of its Snowball stems in `stems`                        4
    concept    a vocabulary concept the word names, in `concepts`          3
    romanized  the word in `roman` (romanized CJK: "hokusai" -> 葛飾北斎)  2
    typo       an indexed word one or two edits away, in `text`            1

A document scores the best weight per word, summed over the words, so an exact match always ranks
above a stemmed one, a stemmed above a typo; BM25 on the exact words only breaks ties within a
tier. "Quoted phrases", -exclusions and the word being typed (autocomplete) stay exact.
"""

from dataclasses import dataclass

from catalogue.concepts import vocabulary
from indexer.request import SearchRequest
from indexer.stemming import query_stems
from indexer.typos import IndexTerms

EXACT, STEM, CONCEPT, ROMANIZED, TYPO = 8.0, 4.0, 3.0, 2.0, 1.0
LONGEST_NAME = 4  # query words looked up together as one concept name ("woodblock prints")


@dataclass(frozen=True)
class Alternative:
    field: str  # text, stems, concepts or roman
    tokens: tuple[str, ...]  # any of these tokens (one token with `phrase` = the phrase)
    weight: float
    phrase: bool = False  # the tokens in this order, adjacent
    prefix: bool = False  # the (single) token is the start of a word


@dataclass(frozen=True)
class WordQuery:
    """One required word (or phrase) of the query and the ways it may match."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class TextQuery:
    words: tuple[WordQuery, ...]  # each must match
    exclusions: tuple[tuple[str, ...], ...]  # none may match (exact phrases)
    exact_terms: tuple[str, ...]  # the query's own tokens: BM25 tie-breaks and highlights
    typo_terms: tuple[str, ...]  # the corrections used (highlighted too)
    stems: frozenset[str]  # the query's stems (words with these stems are highlighted)

    @property
    def positive(self) -> bool:
        return bool(self.words)


def text_query(request: SearchRequest, terms: IndexTerms | None) -> TextQuery:
    """The request's free text expanded against the index's words (``terms``; None: no typo
    tolerance, as when the engine's word list cannot be had)."""
    parsed = request.parsed
    groups = parsed.required_groups()
    concepts = _concepts_named(list(parsed.words))
    words: list[WordQuery] = []
    typos: list[str] = []
    stems: set[str] = set()
    for index, group in enumerate(groups):
        typing = request.prefix and index == len(groups) - 1 and len(group) == 1
        if index >= len(parsed.words):  # "quoted": exactly these words
            words.append(WordQuery((Alternative("text", (" ".join(group),), EXACT, phrase=True),)))
            continue
        if typing:  # the word being typed (autocomplete): its start, exactly
            words.append(WordQuery((Alternative("text", group, EXACT, prefix=True),)))
            continue
        alternatives = _alternatives(group) + _concept_alternative(concepts.get(index, ()))
        if len(group) == 1 and terms is not None and not terms.knows(group[0]):
            corrections = terms.corrections(group[0])
            if corrections:
                alternatives.append(Alternative("text", corrections, TYPO))
                typos.extend(corrections)
        for alternative in alternatives:
            if alternative.field == "stems":
                stems.update(alternative.tokens)
        words.append(WordQuery(tuple(alternatives)))
    return TextQuery(
        tuple(words),
        parsed.exclusions,
        tuple(sorted(parsed.terms)),
        tuple(dict.fromkeys(typos)),
        frozenset(stems),
    )


def _alternatives(group: tuple[str, ...]) -> list[Alternative]:
    if len(group) > 1:
        found = [Alternative("text", (" ".join(group),), EXACT, phrase=True)]
        if all(token.isascii() for token in group):  # "Hong-do": also "hongdo" romanized
            found += [
                Alternative("roman", (" ".join(group),), ROMANIZED, phrase=True),
                Alternative("roman", ("".join(group),), ROMANIZED),
            ]
        return found
    token = group[0]
    found = [Alternative("text", group, EXACT)]
    if query_stems(token):
        found.append(Alternative("stems", query_stems(token), STEM))
    if token.isascii():
        found.append(Alternative("roman", group, ROMANIZED))
    return found


def _concept_alternative(concept_tokens: tuple[str, ...]) -> list[Alternative]:
    return [Alternative("concepts", concept_tokens, CONCEPT)] if concept_tokens else []


def _concepts_named(groups: list[tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
    """Query word position -> tokens of the concepts it names, alone or with its neighbours
    ("woodblock prints" names woodcuts through both words)."""
    known = vocabulary()
    named: dict[int, list[str]] = {}
    for start in range(len(groups)):
        for length in range(min(LONGEST_NAME, len(groups) - start), 0, -1):
            span = groups[start : start + length]
            if length > 1 and any(len(g) > 1 for g in span):
                continue
            words = tuple(token for g in span for token in g)
            ids = known.named_by(words)
            for position in range(start, start + length):
                tokens = named.setdefault(position, [])
                tokens += [known.concepts[i].token for i in ids if known.concepts[i].token not in tokens]
    return {position: tuple(tokens) for position, tokens in named.items() if tokens}
