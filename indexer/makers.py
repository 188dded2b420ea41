"""Makers reconciled: one facet value per person, whichever museum wrote the name and however.

Why: the four museums write one person four ways ("Joseph Mallord William Turner", "J.M.W. Turner",
"Turner, Joseph Mallord William", "Sadanobu I (Japanese, 1809-1879)" with the dates in the name),
and they put in the maker field what is no person at all ("Japanese", "unknown Chinese, Jiangxi
province", "anoniem"). A maker facet that lists every spelling splits an artist's works, and one
full of nationalities hides the people. ``reconcile`` turns each maker into one of three kinds:

- ``person`` (people, firms, workshops, named schools): the facet value is the name in one form,
  "Given names Surname", without qualifiers ("Attributed to", "After"), honorifics ("Sir"),
  post-nominals ("OM, CH"), or the dates and nationality Walters appends. People known under forms
  the rules cannot join ("Hiroshige Andō" / "Utagawa Hiroshige" / 歌川広重) are listed in the
  authority file ``catalogue/data/makers.json``: a match gives the authority's label as value and
  its other forms as aliases, so a search for any form finds the works under every form.
- ``culture``: a nationality or culture given as maker ("Japanese", "unknown Chinese, Jiangxi
  province", "British (?) School", "Anonymous (Japanese)"); the value is the culture's usual English
  adjective, for the culture facet. A culture is kept even when the name also says "unknown": it
  tells the visitor more than "anonymous" does.
- ``anonymous``: no person and no culture ("anoniem", "onbekend", "unknown", "unidentified").

The museum's diacritics and case stay in the labels; only matching is folded. ``reconcile`` runs for
every maker of every record at index time, so it is dictionary look-ups and a few regular
expressions, cached per distinct maker. ``merge_candidates`` is for the report that grows the
authority file: different labels that look like one person.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from catalogue.concepts import label_in
from catalogue.text import fold
from indexer.analysis import tokens
from indexer.periods import period_facet_label

AUTHORITY_FILE = Path(__file__).parent.parent / "catalogue" / "data" / "makers.json"
PERSON, CULTURE, ANONYMOUS = "person", "culture", "anonymous"
HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}  # ぁ..ゖ -> ァ..ヶ
NAME_YEARS_TOLERANCE = 5  # a name match stands unless a known year differs by more (calendars, sources)

# "Attributed to X", "After X", "Workshop of X" name X: the qualifier is the museum's role, kept on
# the record; the facet files the work under X, as the museums that give it as a role already do.
QUALIFIER = re.compile(
    r"^(?:attributed to|(?:painting )?copy after|after|follower of|style of|workshop of|studio of|circle of"
    r"|manner of|school of|imitator of|designed by|from a model by|metal fittings by|firm of"
    r"|possibly by|probably by|possibly|probably)\s+",
    re.IGNORECASE,
)
PART_PREFIX = re.compile(r"^[A-Z][a-z]+:\s*")  # "Pin: American", "Base: Thai", "Coin: Greek"
TRAILING_GROUP = re.compile(r"\s*\(([^()]*)\)\s*$")
UNCERTAIN = re.compile(r"\s*\(\?\)")
POST_NOMINAL = re.compile(r"[\s,]+(?:OM|O\.\s?M\.|CH|RA|R\.\s?A\.|PRA|P\.R\.A\.|CBE|KBE|OBE|MBE|Bt|Bart\.?)$")
HONORIFIC = re.compile(r"^(?:Sir|Dame|Rev\.|Revd\.?|jonkheer|Jonkheer)\s+")
JUNIOR = re.compile(r"\s*,\s*(Jr|Sr)\.?$")
INITIALS = re.compile(r"(?<![^\s.])([A-Z])\.(?=[A-Z])")  # "J.M.W. Turner" -> "J. M. W. Turner"
ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
YEAR = re.compile(r"\d{1,4}")
SCHOOL = re.compile(r"\s+School(?:\s+\d+(?:st|nd|rd|th) century)?$", re.IGNORECASE)
LEADING_UNKNOWN = re.compile(r"^(?:unknown|unidentified|anonymous|possibly|probably|copy after|after)\s+", re.I)

# words that make a name a firm (never reordered at its comma): "Buffa en Zonen, Frans" is a firm
FIRM_WORDS = re.compile(
    r"&|\b(?:and|en|et|co|company|ltd|inc|incorporated|corporation|zoon|zonen|zn|gebroeders|firma|press|n\.v|nv"
    r"|b\.v|bv|a/s|s\.c|architects?|associates|manufactory|factory|studios?|works|society|club|uitgeverij|sons?"
    r"|brothers|bros)\b|drukkerij|fabriek|fabrik|maatschappij",
    re.IGNORECASE,
)
PARTICLES = {"van", "de", "der", "den", "von", "da", "di", "du", "del", "della", "des", "le", "la", "ten", "ter"}
PARTICLES |= {"d'", "v.d.", "'t", "van't"}
TITLES = {"lord", "lady", "bishop", "archbishop", "marchioness", "earl", "count", "countess", "duke", "baron"}
TITLES |= {"fourth", "maulana", "son", "daughter", "prinze", "prins", "prinses", "caliph", "jr", "sr"}
GENERATIONS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "jr", "sr", "the", "elder", "younger"}
NOTES = {"firma", "firm", "pm"}  # parenthetical notes that are no other name
BIOGRAPHY_WORDS = re.compile(
    r"\b(?:active|died|born|b\.|ca\.|fl\.|flourished|century|founded|est\.|present)", re.IGNORECASE
)
ACTIVITY = re.compile(r"\b(?:active|fl\.|flourished|founded|est\.)|century")
BORN = re.compile(r"\b(?:born|b\.)")
DIED = re.compile(r"\bdied\b")
COMPASS = re.compile(r"^(?:central|northern|southern|eastern|western|north|south|east|west|ancient)\s+", re.I)


@dataclass(frozen=True)
class ReconciledMaker:
    kind: str  # "person" (people, firms, workshops, named schools), "culture", "anonymous"
    value: str  # facet value: the person's label; the culture's label ("Japanese"); "anonymous"
    aliases: tuple[str, ...] = ()  # other names to index as search text (the authority's variants)


@dataclass(frozen=True)
class Person:
    """A person's name in the one form (``label``), the years read from the maker, other names given."""

    label: str
    birth: int | None = None
    death: int | None = None
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One person of the authority file."""

    label: str
    born: int | None
    died: int | None
    variants: tuple[str, ...]
    # language -> the person's standard name there ("ja": "葛飾北斎"), where it is not the label
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    kana: tuple[str, ...] = ()  # a Japanese name's reading as visitors type it (`kana_forms`)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.label, *self.labels.values(), *self.variants, *self.kana)))


def reconcile(maker: dict) -> ReconciledMaker:
    """The facet value (and search aliases) of one catalogue maker
    ``{"name", "birth_year", "death_year", "display_dates", "nationality", ...}``."""
    return _reconcile(
        maker.get("name") or "",
        maker.get("birth_year"),
        maker.get("death_year"),
        maker.get("display_dates") or maker.get("dates"),
        maker.get("nationality"),
    )


@lru_cache(maxsize=65536)
def _reconcile(
    name: str, birth: int | None, death: int | None, dates: str | None, nationality: str | None
) -> ReconciledMaker:
    text = " ".join(name.split())
    kind, label = _not_a_person(text, nationality)
    if kind:
        return ReconciledMaker(kind, label)
    person = person_of(text, birth, death, dates)
    entry = authority().match(person)
    if entry is None:
        return ReconciledMaker(PERSON, person.label, person.other_names)
    return ReconciledMaker(PERSON, entry.label, tuple(n for n in entry.names if n != text))


# -- cultures and anonymity ----------------------------------------------------------------------


def _not_a_person(text: str, nationality: str | None) -> tuple[str | None, str]:
    """(CULTURE, label) or (ANONYMOUS, "anonymous") when the name names no person, else (None, "")."""
    plain, notes, bare = _descriptor(text)
    culture = culture_label(bare)
    if culture:
        return CULTURE, culture
    if not bare or fold(plain) in anonymous_forms() or fold(bare) in anonymous_forms():
        # "Anonymous (Japanese)", "unknown" of nationality Japanese: the culture is known, say it
        for note in [*notes, nationality or ""]:
            culture = culture_label(note.split(",")[0])
            if culture:
                return CULTURE, culture
        return ANONYMOUS, ANONYMOUS
    if " or " in bare and all(culture_label(part) for part in bare.split(" or ")):
        return ANONYMOUS, ANONYMOUS  # "Italian or German (?) School": no one culture can be named
    return None, ""


def _descriptor(text: str) -> tuple[str, list[str], str]:
    """The name without its parenthetical notes (and the notes), then the bare words a culture would
    be: without a part prefix ("Pin:"), "unknown"/"possibly"/"Copy after", a ", place" tail and a
    trailing "School" ("unknown Chinese, Jiangxi province" -> "Chinese"). A comma before given names
    is no place tail: "French, Daniel Chester" is a person."""
    text = UNCERTAIN.sub("", text)
    notes = []
    while match := TRAILING_GROUP.search(text):
        notes.append(match.group(1).strip())
        text = text[: match.start()]
    plain = text.strip(" ?")
    text = PART_PREFIX.sub("", plain)
    unknown = False
    while match := LEADING_UNKNOWN.match(text):
        text, unknown = text[match.end() :], True
    if unknown or _turned_round(text) == text:
        text = text.split(",")[0]
    text = SCHOOL.sub("", text)
    return plain, notes, text.strip(" ?")


def culture_label(text: str) -> str | None:
    """The culture's label for an adjective in any case or accent ("chavin" -> "Chavín"), also with a
    region or "Ancient" before it ("Central Indian" -> "Indian"), else None."""
    key = fold(text.strip())
    lookup = _culture_lookup()
    return lookup.get(key) or lookup.get(COMPASS.sub("", key))


@cache
def _culture_lookup() -> dict[str, str]:
    lookup = {}
    for culture in _cultures().values():
        for form in _culture_names(culture):
            lookup[fold(form)] = culture["label"]
    return lookup


@cache
def _cultures() -> dict[str, dict]:
    """The authority's cultures by label, the culture facet's value."""
    return {culture["label"]: culture for culture in _authority_data()["cultures"]}


def _culture_names(culture: dict) -> list[str]:
    return [culture["label"], *culture.get("labels", {}).values(), *culture.get("variants", [])]


def culture_names(value: str) -> tuple[str, ...]:
    """Every name of the culture a culture facet value names ("japonais", "日本", "일본" for
    "Japanese"), for its records' search text: visitors find a culture's works in their own
    language, as they find a person's by any of their names. Empty when it names none ("Edo period")."""
    label = culture_label(value)
    return tuple(_culture_names(_cultures()[label])) if label else ()


def culture_facet_label(value: str, languages: Sequence[str]) -> tuple[str, str] | None:
    """A culture facet value's name in the page's language (the first of ``languages``): the
    culture's (日本 for "Japanese" on a Japanese page), else the period's, for the facet holds
    period and dynasty values too (江戸時代 for "Edo" or "Edo period", 江戸時代後期 for "late Edo",
    `period_facet_label`). None for a value that is neither ("Tlatilco"), that it understands only
    in part ("Greco-Roman"), or a language with no name for it, where the value stands as indexed;
    the filter is the indexed value either way."""
    culture = _cultures().get(value)
    if culture:
        return label_in(culture.get("labels", {}), languages[:1])
    return period_facet_label(value, languages)


@cache
def anonymous_forms() -> frozenset[str]:
    return frozenset(fold(form) for form in _authority_data()["anonymous"])


# -- people ---------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def person_of(name: str, birth: int | None = None, death: int | None = None, dates: str | None = None) -> Person:
    """The one form of a person's name: qualifiers, parenthetical dates and nationality, honorifics
    and post-nominals dropped; initials spaced alike; "Surname, Given names" turned round when it is
    clearly that. Years missing on the maker are read from the dates in the name or in ``dates``."""
    text = UNCERTAIN.sub("", " ".join(name.split()))
    if QUALIFIER.match(text):
        while match := QUALIFIER.match(text):
            text = text[match.end() :]
        text = re.sub(r"^the ", "", text)  # "Attributed to the Walters Painter"
    others, numeral = [], ""
    while match := TRAILING_GROUP.search(text):
        note = match.group(1).strip()
        text = text[: match.start()]
        if _is_biography(note):
            birth, death = _years(note, birth, death)
        elif ROMAN.match(note):
            numeral = note
        elif len(note) >= 3 and note.lower() not in NOTES:
            others.append(_other_name(note))
    if dates and (birth is None or death is None):
        birth, death = _years(dates, birth, death)
    text = text.rstrip(" )")  # an unbalanced closing bracket left by the source
    while match := POST_NOMINAL.search(text):
        text = text[: match.start()]
    firm = bool(FIRM_WORDS.search(text))
    if not firm:
        text = JUNIOR.sub(r" \1.", text)
        text = _turned_round(text)
        text = INITIALS.sub(r"\1. ", text)
    text = HONORIFIC.sub("", text)
    label = f"{text} {numeral}" if numeral else text
    return Person(label or name.strip(), birth, death, tuple(others))


def _is_biography(note: str) -> bool:
    """Dates and/or nationality ("Japanese, 1809-1879", "died 605 AH/AD 1209"), not another name."""
    if YEAR.search(note) or BIOGRAPHY_WORDS.search(note):
        return True
    first = note.split(",")[0]
    return any(culture_label(part) for part in re.split(r"\s+(?:and|or)\s+|\s+", first))


def _years(note: str, birth: int | None, death: int | None) -> tuple[int | None, int | None]:
    """Birth and death years from "(Japanese, 1809-1879)", "ca. 1203-1283", "died 605 AH/AD 1209",
    "born 1690-1696, died after 1749", "70-19 BC", keeping the years already known. Dates of
    activity ("active ca. 1846", "19th century", "founded 1825") are no life dates."""
    lowered = note.lower()
    if ACTIVITY.search(lowered):
        return birth, death
    sign = -1 if re.search(r"\bBC", note) else 1
    born, died = _year_after(lowered, BORN), _year_after(lowered, DIED)
    if born is None and died is None:
        parts = re.split(r"(?<=\d)\s*[-–]\s*", _common_era(lowered), maxsplit=1)  # not "Anglo-Dutch"
        if len(parts) == 2:
            born, died = _first_year(parts[0]), _first_year(parts[1])
    return (
        birth if birth is not None or born is None else sign * born,
        death if death is not None or died is None else sign * died,
    )


def _year_after(text: str, keyword: re.Pattern) -> int | None:
    match = keyword.search(text)
    return _first_year(_common_era(text[match.end() :])) if match else None


def _common_era(text: str) -> str:
    """The Common Era part of a Hijri and Common Era date: "605 ah/ad 1209" -> "1209"."""
    return re.split(r"\bad\s*(?=\d)", text, maxsplit=1)[-1]


def _first_year(text: str) -> int | None:
    """The first year in ``text``, or None when it is a bound ("after 1518") or there is none."""
    text = text.strip(" ,;")
    if text.startswith(("after", "before")):
        return None
    match = re.search(r"\d{2,4}", text)
    return int(match.group()) if match else None


def _other_name(note: str) -> str:
    """Another name given in brackets: "called Tintoretto" -> "Tintoretto", "née X" -> "X"."""
    note = re.sub(r"^(?:called|or|née|nee|born)\s+", "", note)
    return note.strip("`'\" ")


def _turned_round(text: str) -> str:
    """ "Doijer, Hendrik" -> "Hendrik Doijer", "Lelyveld, Théodore van" -> "Théodore van Lelyveld",
    when the part after the one comma is clearly given names (not "Lord Leighton", not "familie")."""
    if text.count(",") != 1:
        return text
    surname, given = (part.strip() for part in text.split(","))
    words = given.split()
    if not surname or not words or len(words) > 5 or len(surname.split()) > 4 or YEAR.search(text):
        return text
    if words[0].lower() in TITLES or not all(_is_given_word(word) for word in words):
        return text
    return f"{given}{surname}" if given.endswith("'") else f"{given} {surname}"


def _is_given_word(word: str) -> bool:
    lowered = word.lower()
    return word[0].isupper() or lowered in PARTICLES or lowered == "jonkheer" or bool(re.match(r"^(?:[a-z]\.)+$", word))


# -- the authority --------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The folded form names are matched on: the search tokens of the name in its one form."""
    return " ".join(tokens(person_of(name).label))


def _surname_and_given(key: str) -> tuple[str, list[str]]:
    """("turner", ["joseph", "mallord", "william"]) from a name key: the last word that is no
    generation ("II", "the Younger"), and the given names before it without particles."""
    words = key.split()
    while len(words) > 1 and words[-1] in GENERATIONS:
        words.pop()
    if not words:
        return "", []
    return words[-1], [word for word in words[:-1] if word not in PARTICLES and word not in GENERATIONS]


def given_names_agree(shorter: list[str], longer: list[str]) -> bool:
    """Each given name of the shorter form equals, or is the initial of, the one in the same place in
    the longer form: "j m w" and "joseph mallord william", "john h" and "john hamilton"."""
    if len(shorter) > len(longer):
        shorter, longer = longer, shorter
    return all(
        a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
        for a, b in zip(shorter, longer, strict=False)
    )


class Authority:
    """The people of ``makers.json``, looked up by any of their names or by surname and life years."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_label = {entry.label: entry for entry in entries}
        self.by_key: dict[str, Entry] = {}
        self.by_years: dict[tuple[str, int, int], list[tuple[list[str], Entry]]] = defaultdict(list)
        for entry in entries:
            for name in entry.names:
                key = name_key(name)
                if self.by_key.setdefault(key, entry) is not entry:
                    raise ValueError(f"{name!r} names two people of the makers authority")
                if entry.born is not None and entry.died is not None and key.isascii():
                    surname, given = _surname_and_given(key)
                    self.by_years[(surname, entry.born, entry.died)].append((given, entry))

    def match(self, person: Person) -> Entry | None:
        """The entry ``person`` is: one of its names (unless a known year disagrees), or the same
        surname and both life years with given names that agree ("John H." and "John Hamilton")."""
        for name in (person.label, *person.other_names):
            entry = self.by_key.get(" ".join(tokens(name)))
            if entry and _years_agree(person, entry):
                return entry
        if person.birth is None or person.death is None:
            return None
        surname, given = _surname_and_given(" ".join(tokens(person.label)))
        for entry_given, entry in self.by_years.get((surname, person.birth, person.death), []):
            if given_names_agree(given, entry_given):
                return entry
        return None


def _years_agree(person: Person, entry: Entry) -> bool:
    pairs = [(person.birth, entry.born), (person.death, entry.died)]
    return all(a is None or b is None or abs(a - b) <= NAME_YEARS_TOLERANCE for a, b in pairs)


@cache
def _authority_data() -> dict:
    with open(AUTHORITY_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def authority() -> Authority:
    """The authority file, read and indexed once per process."""
    return Authority([_entry(person) for person in _authority_data()["people"]])


def _entry(person: dict) -> Entry:
    names = tuple(person.get("variants", [])), dict(person.get("labels", {})), kana_forms(person.get("kana"))
    return Entry(person["label"], person.get("born"), person.get("died"), *names)


def kana_forms(reading: str | None) -> tuple[str, ...]:
    """A Japanese name's reading ("かつしか ほくさい") as visitors type it when they do not know the
    kanji: in hiragana and in katakana, run together, so that ほくさい, ホクサイ and かつしかほくさい
    all find it (the search matches kana as bigrams: ほくさい is a phrase within かつしかほくさい)."""
    if not reading:
        return ()
    hiragana = "".join(reading.split())
    return hiragana, hiragana.translate(HIRAGANA_TO_KATAKANA)


def maker_label(value: str, languages: Sequence[str]) -> tuple[str, str] | None:
    """The name a maker facet value goes by in the page's language (the first of ``languages``),
    where the authority gives one: 葛飾北斎 for "Katsushika Hokusai" on a Japanese page. None when
    it gives none, and the value stands: it is the name in languages that write it as English does
    (a visitor's second language would put レンブラント on a German page, where Rembrandt is right)."""
    entry = authority().by_label.get(value)
    return label_in(entry.labels, languages[:1]) if entry else None


def maker_names(value: str) -> tuple[str, ...]:
    """Every name a maker facet value goes by: its label, its names per language, its variants and
    kana readings (autocomplete matches what a visitor types in any script against them); the
    value alone when the authority does not know it."""
    entry = authority().by_label.get(value)
    return entry.names if entry else (value,)


# -- the report -----------------------------------------------------------------------------------


def merge_candidates(makers: Iterable[dict]) -> list[tuple[str, list[str]]]:
    """Groups of different person labels that look like one person, for growing the authority file:
    the same folded name (in any word order), or the same surname and life years, or given names that
    differ only where one form has an initial ("John H. Mortimer", "John Hamilton Mortimer"). Returns
    ``[(suggested label, [other labels])]``, the most frequent group first; the suggestion is the
    authority's label when one is in the group, else the most frequent label."""
    counts: Counter[str] = Counter()
    years: dict[str, Counter] = defaultdict(Counter)
    for maker in makers:
        reconciled = reconcile(maker)
        if reconciled.kind != PERSON:
            continue
        counts[reconciled.value] += 1
        person = person_of(
            " ".join((maker.get("name") or "").split()),
            maker.get("birth_year"),
            maker.get("death_year"),
            maker.get("display_dates") or maker.get("dates"),
        )
        years[reconciled.value][(person.birth, person.death)] += 1
    groups = _group(list(counts), {label: years[label].most_common(1)[0][0] for label in counts})
    labels = {entry.label for entry in authority().entries}
    result = []
    for group in groups:
        ranked = sorted(group, key=lambda label: (label not in labels, -counts[label], -len(label), label))
        result.append((ranked[0], sorted(ranked[1:], key=lambda label: (-counts[label], label))))
    result.sort(key=lambda item: (-sum(counts[label] for label in [item[0], *item[1]]), item[0]))
    return result


def _group(labels: list[str], life: dict[str, tuple]) -> list[list[str]]:
    """Labels joined (union-find) when they look like one person; groups of two or more."""
    parent = {label: label for label in labels}

    def root(label: str) -> str:
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    by_surname: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    first_with: dict[object, str] = {}
    for label in labels:
        key = " ".join(tokens(label))
        surname, given = _surname_and_given(key)
        birth, death = life[label]
        buckets = [("name", key), ("order", *sorted(key.split()))]  # "Utagawa Kuniyoshi", "Kuniyoshi Utagawa"
        if birth and death:
            buckets.append(("years", surname, birth, death))
        for bucket in buckets:
            if surname:
                join(label, first_with.setdefault(bucket, label))
        by_surname[surname].append((label, given))
    for people in by_surname.values():
        for i, (a, given_a) in enumerate(people):
            for b, given_b in people[i + 1 :]:
                if _initials_apart(given_a, given_b) and _lives_agree(life[a], life[b]):
                    join(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for label in labels:
        groups[root(label)].append(label)
    return [group for group in groups.values() if len(group) > 1]


def _initials_apart(a: list[str], b: list[str]) -> bool:
    """As many given names, agreeing, and differing only where one of them is an initial."""
    return len(a) == len(b) > 0 and a != b and given_names_agree(a, b)


def _lives_agree(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))
