"""Query-string <-> SearchRequest: one parser for the /search page and the /api/objects API, and
the URL builder the page uses for facet links, chips and pages (every bit of state in the URL)."""

import re
from urllib.parse import urlencode

from catalogue.messages import N_
from catalogue.text import fold
from indexer.request import MAX_SIZE, PAGE_SIZE, InvalidRequest, SearchRequest
from indexer.schema import FACET_NAMES

SORT_ALIASES = {
    "relevance": "relevance",
    "oldest": "date_asc",
    "newest": "date_desc",
    "title": "title",
    "date_asc": "date_asc",
    "date_desc": "date_desc",
}
PAGE_SIZES = (12, 24, 48, 96)
DEFAULT_SIZE = 24
STATE_KEYS = ("q", *FACET_NAMES, "date_from", "date_to", "sort", "size", "lang")
# Visitors write a year as their language does: "500 v. Chr.", "500 av. J.-C.", "紀元前500年",
# "公元前500年", "기원전 500년", "1850年". The era word may come before or after the year.
BEFORE_CHRIST = frozenset(
    {"bce", "bc", "b.c.", "b.c.e.", "v. chr.", "v.chr.", "vor christus", "av. j.-c.", "av. j.c.", "avant j.-c."}
    | {"紀元前", "公元前", "기원전", "前"}
)
ANNO_DOMINI = frozenset(
    {"ce", "ad", "a.d.", "c.e.", "n. chr.", "n.chr.", "nach christus", "ap. j.-c.", "ap. j.c.", "apres j.-c."}
    | {"西暦", "公元", "서기"}
)  # as `fold` leaves them: "après" without its accent
_ERA = "|".join(re.escape(word) for word in sorted(BEFORE_CHRIST | ANNO_DOMINI, key=len, reverse=True))
YEAR = re.compile(f"^(?:(?P<before>{_ERA})\\s*)?(?P<year>-?\\d{{1,6}})\\s*(?:年|년)?\\s*(?P<after>{_ERA})?$")
# a decade: "1850s", "1850er", "1850er jahre", "annees 1850" (as `fold` leaves "années"), "1850年代", "1850년대";
# "from" takes its first year, "to" its last
DECADE = re.compile(r"^(?:annees\s*)?(?P<decade>\d{2,3}0)(?:s|er(?:\s*jahre)?|年代|년대)?$")
# A century, as the interface's languages write it: "19th century", "19. Jahrhundert", "19e siècle",
# "XIXe siècle", "19世紀", "19世纪", "19세기", with an era word before or after ("5th century BCE").
# It counts as the record dates count it (catalogue/records/dates.py): the 19th century is 1801-1900,
# so "from" takes its first year and "to" its last.
CENTURY = re.compile(
    f"^(?:(?P<before>{_ERA})\\s*)?(?P<number>\\d{{1,2}}|[ivxl]{{1,6}})\\s*(?:st|nd|rd|th|eme|er|e|\\.)?\\s*"
    f"(?:century|jahrhundert|jh\\.?|siecle|世紀|世纪|세기)\\s*(?P<after>{_ERA})?$"
)
ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50}
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 1000  # facet values are short record fields (500 characters); Elasticsearch refuses long terms


def parse_year(text: str | None, name: str) -> int | None:
    """Signed years: "-500", "500 BCE", "AD 1200", "1200 CE", and the same in the interface's languages
    ("500 v. Chr.", "紀元前500年", "1850년"); BCE negative."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    folded = " ".join(fold(value).split())
    century = _century(folded, last=name == "date_to")
    if century is not None:
        return century
    decade = DECADE.match(folded)
    if decade and decade["decade"] != folded:  # "1850" alone is a year
        return int(decade["decade"]) + (9 if name == "date_to" else 0)
    match = YEAR.match(folded)
    if not match or (match["before"] and match["after"]):
        raise InvalidRequest(
            N_("“%(value)s” is not a year we can search by. Enter a year such as 1850, -500 or 500 BCE."),
            field=name,
            value=value[:40],
        )
    year = int(match["year"])
    if (match["before"] or match["after"]) in BEFORE_CHRIST:
        year = -abs(year)
    if not -100_000 <= year <= 3000:
        raise InvalidRequest(
            N_("“%(value)s” is outside the years we can search by, from 100000 BCE to 3000."),
            field=name,
            value=value[:40],
        )
    return year


def _century(folded: str, last: bool) -> int | None:
    """The first (or ``last``) year of a century written as words, or None when ``folded`` is none."""
    match = CENTURY.match(folded)
    if not match or (match["before"] and match["after"]):
        return None
    number = int(match["number"]) if match["number"].isdigit() else _roman(match["number"])
    if not 1 <= number <= 30:
        return None
    first, final = (number - 1) * 100 + 1, number * 100
    if (match["before"] or match["after"]) in BEFORE_CHRIST:
        first, final = -final, -first  # the 5th century BCE runs from 500 BCE to 401 BCE
    return final if last else first


def _roman(numeral: str) -> int:
    """A Roman numeral's value (XIX -> 19), as French writes centuries; 0 for a malformed one."""
    values = [ROMAN_DIGITS[digit] for digit in numeral]
    total = sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))
    return total if total > 0 else 0


# Two dates of the search box joined as a span, as the interface's languages join them: "1800-1850",
# "1800 – 1850", "1800 to 1850", "1800 bis 1850", "1800 à 1850", "1800〜1850", "1800至1850"
DATE_SPAN = re.compile(r"\s*(?:[-‐‑‒–—~〜～至]|\s(?:to|bis|a|au)\s)\s*")
# a number alone is a year only with three or four digits: "24" or "100000" in the search box is not one
BARE_YEAR = re.compile(r"^\d{3,4}$")


def dates_in_text(text: str) -> tuple[int, int] | None:
    """The years a search box's whole text names when it is a date, not words: a year ("1850", "500
    BCE", "1850年"), a decade ("1850s", "1850年代"), a century ("19th century", "XIXe siècle",
    "19世紀") or a span of two of them ("1800-1850", "1800 bis 1850"): (first year, last year), else
    None. Visitors type dates there, and a text search for "1850" finds inventory numbers; the page
    offers the date filter instead."""
    folded = " ".join(fold(text).split())
    if not folded or len(folded) > 60:
        return None
    whole = _date_bounds(folded)
    if whole:
        return whole
    for span in DATE_SPAN.finditer(folded):  # "500 av. J.-C. - 200 av. J.-C." joins at its third dash
        first, last = _date_bounds(folded[: span.start()]), _date_bounds(folded[span.end() :])
        if first and last and first[0] <= last[1]:
            return first[0], last[1]
    return None


def _date_bounds(folded: str) -> tuple[int, int] | None:
    """A date as the year boxes take it, as (its first year, its last year), or None: a number
    alone only with three or four digits ("24" in the search box is not a year)."""
    year = YEAR.match(folded)
    if year and not (year["before"] or year["after"] or folded[-1] in "年년" or BARE_YEAR.match(folded)):
        return None
    try:
        first, last = parse_year(folded, "date_from"), parse_year(folded, "date_to")
    except InvalidRequest:
        return None
    return (first, last) if first is not None and last is not None else None


def counting_number(raw: str | None, name: str, most_digits: int = 9) -> int | None:
    """A query parameter that counts from 1 (a page, a width): None when absent or empty; else ASCII
    digits only ("²" is a digit that int() refuses), bounded in length, or a 400."""
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > most_digits or int(raw) < 1:
        raise InvalidRequest(N_("%(name)s must be a whole number from 1."), name=name)
    return int(raw)


def _int(args, name: str, default: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidRequest(N_("%(name)s must be a whole number."), name=name) from None


def request_from_args(args) -> SearchRequest:
    """Build a SearchRequest from a MultiDict of query parameters; bad values raise InvalidRequest."""
    filters = {}
    for name in FACET_NAMES:
        values = [v for v in args.getlist(name) if v.strip()]
        if len(values) > MAX_VALUES_PER_FACET:
            raise InvalidRequest(N_("At most %(most)s values for %(name)s."), most=MAX_VALUES_PER_FACET, name=name)
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise InvalidRequest(
                N_("Each %(name)s value may have at most %(most)s characters."), most=MAX_VALUE_LENGTH, name=name
            )
        if values:
            filters[name] = tuple(values)
    sort = args.get("sort") or "relevance"
    if sort not in SORT_ALIASES:
        raise InvalidRequest(
            N_("There is no sort order %(name)s; sort by relevance, oldest, newest or title."), name=repr(sort[:40])
        )
    size = _int(args, "size", DEFAULT_SIZE)
    if not 1 <= size <= MAX_SIZE:
        raise InvalidRequest(PAGE_SIZE, most=MAX_SIZE)
    return SearchRequest(
        text=(args.get("q") or "")[:500],
        filters=filters,
        date_from=parse_year(args.get("date_from"), "date_from"),
        date_to=parse_year(args.get("date_to"), "date_to"),
        sort=SORT_ALIASES[sort],
        page=_int(args, "page", 1),
        size=size,
        cursor=args.get("cursor") or None,
    )


def state_pairs(args) -> list[tuple[str, str]]:
    """The search state of a query string (no paging), in a stable order."""
    return [(key, value) for key in STATE_KEYS for value in args.getlist(key) if value != ""]


def search_url(args, path: str = "/search", drop: tuple = (), add: tuple = (), remove: tuple = (), **replace) -> str:
    """The URL of this search with changes: ``add``/``remove`` (name, value) pairs, ``drop`` whole
    keys, ``replace`` single keys (page and cursor reset unless given)."""
    pairs = [(k, v) for k, v in state_pairs(args) if k not in drop and k not in replace and (k, v) not in remove]
    pairs += [pair for pair in add if pair not in pairs]
    pairs += [(k, str(v)) for k, v in replace.items() if v not in (None, "")]
    return f"{path}?{urlencode(pairs)}" if pairs else path
