"""Periods and dynasties by their names in every language: the period gazetteer for search.

Why: museums write a period in English ("Edo", "late Edo", "Edo period", "Qing [Ch'ing] Dynasty",
"Edo-Meiji"), and a visitor in Tokyo types 江戸時代, one in Berlin Edo-Zeit, one in Seoul 에도 시대.
The gazetteer (``catalogue/data/periods.json``) names each period in de, fr, ja, ko and zh
(``labels``) and lists the other forms visitors type (``variants``: 江戸, 清代, traditional Chinese
forms, single characters such as 清). A record whose period, dynasty or culture value names a period
gets every name of it in its search text (``period_names``, in ``schema.build_document``, which both
backends share), as a culture's records get every name of the culture; the culture facet, which
holds period and dynasty values too, names a period in the page's language (``period_facet_label``):
"late Edo" as 江戸時代後期 or "époque d'Edo (fin)", "Edo-Meiji" as 江戸時代〜明治時代. The words around
the names (the qualifier, the dash) are the interface's message catalogues', for translators to
change; English keeps the museum's words.

Labels and variants are search names only: the date parser (``catalogue/records/dates.py``) reads
the names and aliases alone, for a variant such as 明 or 金 is an ordinary word in running text. A
variant names a period only as a whole value ("清" as a record's dynasty), never inside other text.
"""

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from catalogue.catalogues import translated
from catalogue.concepts import label_in
from catalogue.messages import N_
from catalogue.reference import gazetteer
from catalogue.text import fold

BRACKETS = re.compile(r"\[[^\]]*\]")  # "Qing [Ch'ing] Dynasty": the bracket is another romanization
PARENTHESES = re.compile(r"\([^)]*\)")  # "Safavid (?)", "Edo period (1603-1868)"
PARTS = re.compile(r"[;,/、・]")  # "Edo; Meiji", "Mughal Dynasty, Safavid Dynasty", "Edo/Meiji"
DASHES = re.compile(r"\s*[-\u2010-\u2015]\s*")  # "Edo-Meiji", "Ming Dynasty–Qing Dynasty"
GENERIC = re.compile(r"\s+(?:period|dynasty|era)$")  # "Edo period", "Qing Dynasty", "Heian era"
QUALIFIER = re.compile(r"^(early|middle|mid|late)\b[\s-]*")  # "late Edo", "mid-Edo"
# 江戸時代後期, 清代中期, 조선 후기: "late Edo" and the like as Japanese, Chinese and Korean museums write it
CJK_QUALIFIER = re.compile(r"\s*(?:前期|中期|後期|后期|末期|初期|晚期|전기|중기|후기|말기|초기)$")
# a qualified period in the page's language, a pattern any period's name fits ("époque d'Edo (fin)",
# not "fin de l'époque d'Edo", which each name would inflect and elide its own way)
PART_OF = {
    "early": N_("%(period)s (early)"),
    "mid": N_("%(period)s (middle)"),
    "middle": N_("%(period)s (middle)"),
    "late": N_("%(period)s (late)"),
}
JOINED = N_("%(first)s – %(last)s")  # two periods, "Edo-Meiji", with the dash of the page's language


@cache
def _entries() -> dict[str, dict]:
    """The gazetteer's entries by name."""
    return {entry["name"]: entry for entry in gazetteer()}


def _names(entry: dict) -> list[str]:
    names = [entry["name"], *entry["aliases"], *entry.get("labels", {}).values(), *entry.get("variants", [])]
    return list(dict.fromkeys(names))


@cache
def _lookup() -> dict[str, str]:
    """Every folded name of every period (name, aliases, labels, variants) -> the period's name."""
    return {fold(name): entry["name"] for entry in _entries().values() for name in _names(entry)}


def _named(text: str, qualified: bool = True) -> str | None:
    """The period ``text`` names as a whole: a name, or one with "period"/"dynasty"/"era" after it,
    and (``qualified``) with early/middle/late before it ("late Edo period" -> "Edo")."""
    lookup = _lookup()
    text = text.strip()
    candidates = [text, GENERIC.sub("", text)]
    if qualified:
        unqualified = CJK_QUALIFIER.sub("", QUALIFIER.sub("", text))
        candidates += [unqualified, GENERIC.sub("", unqualified)]
    return next((lookup[c] for c in candidates if c in lookup), None)


def periods_named(value: str) -> list[str]:
    """The periods a period, dynasty or culture value names, by their gazetteer name: "late Edo",
    "Edo period" and "江戸時代" name Edo; "Edo-Meiji" and "Ming [Ming] Dynasty-Qing [Ch'ing] Dynasty"
    two periods; "Tlatilco" and "18th Dynasty" none. A value that is one name with a hyphen
    ("Azuchi-Momoyama") is that name; otherwise each run of its hyphenated parts that names a period,
    the longest first ("Late Period-Greco-Roman": Late Period and Roman)."""
    text = PARENTHESES.sub(" ", BRACKETS.sub(" ", fold(value)))
    found: list[str] = []
    for part in PARTS.split(text):
        pieces = [piece for piece in DASHES.split(" ".join(part.split())) if piece]
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                name = _named("-".join(pieces[start:end])) or _named(" ".join(pieces[start:end]))
                if name:
                    found.append(name)
                    start = end
                    break
            else:
                start += 1
    return list(dict.fromkeys(found))


@lru_cache(maxsize=16_384)
def period_names(value: str) -> tuple[str, ...]:
    """Every name of every period ``value`` names (Edo-Zeit, époque d'Edo, 江戸時代, 에도 시대, 江户时代,
    江戸, Tokugawa for "late Edo"), for its record's search text. Empty when it names none. Kept per
    value: a museum writes the same few hundred periods on all its records, and reading one costs
    15-30 µs, a tenth of what a reindex spends on a whole document."""
    entries = _entries()
    return tuple(dict.fromkeys(name for period in periods_named(value) for name in _names(entries[period])))


def period_facet_label(value: str, languages: Sequence[str]) -> tuple[str, str] | None:
    """The period's name in the page's language (the first of ``languages``) when ``value`` names one
    period as a whole, or two joined by a dash, each maybe qualified: on a Japanese page 江戸時代
    for "Edo" or "Edo period", 江戸時代後期 for "late Edo", 江戸時代後期〜明治時代 for "late Edo-Meiji".
    None, and the page keeps the museum's words rather than translate half of them, for a value
    uncertain ("Safavid (?)"), listing periods ("Edo; Meiji") or with a part that is no period
    ("Greco-Roman"), and for a language the gazetteer has no name in (English among them)."""
    labels = []
    for name, qualifier in _periods_joined(value):
        label = _part_label(name, qualifier, languages[:1])
        if label is None:
            return None
        labels.append(label)
    if not labels:
        return None
    language = languages[0]
    if len(labels) == 1:
        return labels[0], language
    return translated(language, JOINED, first=labels[0], last=labels[1]), language


@lru_cache(maxsize=4096)
def _periods_joined(value: str) -> tuple[tuple[str, str | None], ...]:
    """The period ``value`` names as a whole, or the two it joins with a dash, each with its
    qualifier: (("Edo", "late"), ("Meiji", None)) for "late Edo-Meiji". Empty unless every word is
    understood. Kept per value, as `period_names`: a facet labels the same values on every page."""
    text = " ".join(BRACKETS.sub(" ", fold(value)).split())
    whole = _qualified_period(text)
    if whole:
        return (whole,)
    pieces = [piece for piece in DASHES.split(text) if piece]
    for cut in range(1, len(pieces)):
        first, last = _qualified_period("-".join(pieces[:cut])), _qualified_period("-".join(pieces[cut:]))
        if first and last:
            return first, last
    return ()


def _qualified_period(text: str) -> tuple[str, str | None] | None:
    """("Edo", "late") for "late Edo" or "late Edo period", ("Edo", None) for "Edo". A name that
    starts with such a word stays that name ("Late Period", "Middle Kingdom"); one whose rest names
    the same period is read as qualified ("Early Byzantine", an alias of Byzantine)."""
    name = _named(text, qualified=False)
    match = QUALIFIER.match(text)
    rest = _named(text[match.end() :], qualified=False) if match else None
    if match and rest and name in (None, rest):
        return rest, match.group(1)
    return (name, None) if name else None


def _part_label(name: str, qualifier: str | None, languages: Sequence[str]) -> str | None:
    """One period's name in the first of ``languages``, with its qualifier in that language's words."""
    labelled = label_in(_entries()[name].get("labels", {}), languages)
    if not labelled:
        return None
    label, language = labelled
    return translated(language, PART_OF[qualifier], period=label) if qualifier else label
