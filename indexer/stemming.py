"""Snowball stemming, so "portraits" finds "Portrait" and "tekeningen" finds "tekening".

The Elasticsearch we run has no stemmer modules, so stems are made here (PyStemmer, the Snowball C
stemmers) and both engines index them as plain tokens in a field of their own. A value is stemmed
in its own language (the language map's key, else the record's language, else English); a query
word's language is unknown, so it is stemmed in every supported language and may match any of them.
Stems rank below exact words (see `indexer/expansion.py`).
"""

import functools

import Stemmer

# language tag -> Snowball algorithm: the network's European languages, and English for the rest
ALGORITHMS = {
    "en": "english",
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
}
ALIASES = {"nb": "no", "nn": "no"}  # Norwegian Bokmål and Nynorsk share one stemmer
# Plurals no suffix rule can find, as museum titles use them; each goes to its singular first.
IRREGULAR = {
    "en": {
        "women": "woman",
        "men": "man",
        "children": "child",
        "leaves": "leaf",
        "wives": "wife",
        "knives": "knife",
        "lives": "life",
        "wolves": "wolf",
        "calves": "calf",
        "shelves": "shelf",
        "feet": "foot",
        "teeth": "tooth",
        "geese": "goose",
        "mice": "mouse",
        "oxen": "ox",
        "people": "person",
        "dice": "die",
    },
    "nl": {
        "schepen": "schip",
        "steden": "stad",
        "smeden": "smid",
        "leden": "lid",
        "goden": "god",
        "kinderen": "kind",
        "koeien": "koe",
        "eieren": "ei",
        "bladeren": "blad",
        "volkeren": "volk",
        "lieden": "man",
        "mannen": "man",
    },
    "de": {"manner": "mann", "frauen": "frau", "kinder": "kind", "baume": "baum"},  # folded: "Männer"
    "fr": {"yeux": "oeil", "chevaux": "cheval", "travaux": "travail"},
}
LANGUAGES = tuple(ALGORITHMS)
DEFAULT_LANGUAGE = "en"
MIN_LENGTH = 3  # shorter words are left alone: stemming "as" or "on" only adds noise


STEMS_KEPT = 200_000  # words remembered per language and process (then forgotten, and learnt again)
_stems_known: dict[str, dict[str, str]] = {}  # language -> word -> its prefixed stem, "" if none


@functools.cache
def stemmer(algorithm: str) -> Stemmer.Stemmer:
    """One Snowball stemmer per algorithm and process."""
    return Stemmer.Stemmer(algorithm)


def language_of(tag: str | None) -> str:
    """The supported language of a tag ("nl-BE" -> "nl"), or the default."""
    primary = (tag or "").split("-")[0].lower()
    primary = ALIASES.get(primary, primary)
    return primary if primary in ALGORITHMS else DEFAULT_LANGUAGE


def _stemmable(token: str) -> bool:
    return len(token) >= MIN_LENGTH and token.isalpha() and token.isascii()


def stem_tokens(tokens: list[str], language: str | None) -> list[str]:
    """The stems of a value's stemmable tokens, each prefixed with its language ("enportrait"), so
    a stem only matches the same language's stem: Dutch "turnen" and English "turned" both stem to
    "turn", but "deturn" is not "enturn". (Codes are two letters, so the prefix is unambiguous.)"""
    return stem_text(tokens, language).split()


def stem_text(tokens: list[str], language: str | None) -> str:
    """`stem_tokens` as the index field's text. This is the document builder's hot path: words recur
    from record to record, so each word's stem is looked up, and only new words go to the Snowball
    C code (all of them in one call)."""
    code = language_of(language)
    known = _stems_known.get(code)
    if known is None or len(known) > STEMS_KEPT:
        known = _stems_known[code] = {}
    try:
        return _joined_stems(known, tokens)  # most records: every word seen before
    except KeyError:
        _learn([t for t in tokens if t not in known], code, known)
        return _joined_stems(known, tokens)


def _joined_stems(known: dict[str, str], tokens: list[str]) -> str:
    return " ".join(filter(None, map(known.__getitem__, tokens)))


def _learn(new: list[str], code: str, known: dict[str, str]) -> None:
    """Remember the prefixed stems of ``new`` words (all of them in one call to Snowball)."""
    stemmable = [t for t in new if _stemmable(t)]
    irregular = IRREGULAR.get(code, {})
    stems = stemmer(ALGORITHMS[code]).stemWords([irregular.get(t, t) for t in stemmable])
    learnt = dict.fromkeys(new, "")
    learnt.update(zip(stemmable, [code + stem for stem in stems]))
    known.update(learnt)  # in one step: a search thread never sees a word without its stem


@functools.lru_cache(maxsize=4096)
def query_stems(token: str) -> tuple[str, ...]:
    """A query word's stems in every supported language, prefixed as `stem_tokens` writes them
    (the word's language is unknown; matching any of them is the point); () when not stemmable."""
    if not _stemmable(token):
        return ()
    return tuple(dict.fromkeys(stem_tokens([token], code)[0] for code in LANGUAGES))
