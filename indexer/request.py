"""What a search asks (`SearchRequest`) and what it answers (`SearchResult`), backend-neutral."""

import base64
import json
import math
import re
from dataclasses import dataclass, field

from catalogue.messages import N_, Message
from indexer.analysis import tokens
from indexer.schema import FACET_NAMES

SORTS = ("relevance", "date_asc", "date_desc", "title")
MAX_SIZE = 100
MAX_WINDOW = 10_000  # page * size beyond this needs the cursor (as Elasticsearch's window)
MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


class InvalidRequest(ValueError):
    """A search request that cannot be answered; the message says why (a 400 for the API), and
    ``field`` names the parameter at fault when there is one (the page marks that input). As the
    catalogue's errors, the message is an `N_`-marked template and its variables, English as a str
    and translated where it is shown (`catalogue.messages`)."""

    def __init__(self, message: str, field: str | None = None, **variables):
        self.message = Message(message, **variables)
        super().__init__(self.message)
        self.field = field


# the labels of the search form's year boxes (templates/search/results.html), which messages name
FROM_YEAR, TO_YEAR = Message(N_("From year")), Message(N_("To year"))
PAGE_SIZE = N_("A page shows from 1 to %(most)s results.")
CURSOR_NOT_VALID = N_(
    "This page of results cannot be found: its cursor is not valid for this search. Start again from the first page."
)


@dataclass(frozen=True)
class ParsedText:
    words: tuple[tuple[str, ...], ...] = ()  # each must match (a multi-token word, "saint-remy", as a phrase)
    phrases: tuple[tuple[str, ...], ...] = ()  # "quoted": each must match exactly, as adjacent tokens
    exclusions: tuple[tuple[str, ...], ...] = ()  # none may match (as phrases)

    @property
    def positive(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def terms(self) -> set[str]:
        """Every token a hit may be highlighted with."""
        return {t for group in (*self.words, *self.phrases) for t in group}

    def required_groups(self) -> list[tuple[str, ...]]:
        """Single tokens to match as terms, longer groups as phrases, in query order."""
        return [*self.words, *self.phrases]


def parse_text(text: str) -> ParsedText:
    """Words, "quoted phrases" and -exclusions, each run through the shared analyzer."""
    words, phrases, exclusions = [], [], []
    for match in QUERY_PART.finditer(text[:MAX_QUERY_LENGTH]):
        negated = (match.group(1) or match.group(3)) == "-"
        quoted = match.group(2) is not None
        group = tuple(tokens(match.group(2) if quoted else match.group(4)))
        if not group:
            continue
        if negated:
            exclusions.append(group)
        elif quoted:
            phrases.append(group)
        else:
            words.append(group)
    if len(words) + len(phrases) + len(exclusions) > MAX_TERMS:
        raise InvalidRequest(N_("A search may have at most %(most)s words and phrases."), most=MAX_TERMS)
    return ParsedText(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(exclusions)))


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> tuple of values (OR within, AND across)
    date_from: int | None = None
    date_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = 24
    cursor: str | None = None
    facet_size: int = 10
    prefix: bool = False  # the last word is the start of a word (autocomplete)

    def __post_init__(self):
        unknown = set(self.filters) - set(FACET_NAMES)
        if unknown:
            raise InvalidRequest(f"Unknown facet {sorted(unknown)[0]!r}.")  # search_params checks the visitor's
        if self.sort not in SORTS:
            raise InvalidRequest(f"Unknown sort {self.sort!r}; use one of {', '.join(SORTS)}.")  # as facets
        if not 1 <= self.size <= MAX_SIZE:
            raise InvalidRequest(PAGE_SIZE, most=MAX_SIZE)
        if self.page < 1:
            raise InvalidRequest(N_("Pages are numbered from 1."))
        # with a cursor the page number is only echoed back, but it must still be one (and fit in JSON)
        if self.page > MAX_WINDOW or (self.cursor is None and self.page * self.size > MAX_WINDOW):
            raise InvalidRequest(
                N_(
                    "Page numbers reach only the first %(most)s results. To see more, use “Next” from the last "
                    "numbered page, or narrow the search."
                ),
                most=MAX_WINDOW,
            )
        if self.date_from is not None and self.date_to is not None and self.date_from > self.date_to:
            raise InvalidRequest(
                N_("“%(start)s” is later than “%(end)s”: give the earlier year first."),
                field="date_from",
                start=FROM_YEAR,
                end=TO_YEAR,
            )
        if not 1 <= self.facet_size <= 200:
            raise InvalidRequest("facet_size must be between 1 and 200.")  # not a visitor's parameter
        object.__setattr__(self, "filters", {k: tuple(dict.fromkeys(v)) for k, v in self.filters.items() if v})

    @property
    def parsed(self) -> ParsedText:
        return parse_text(self.text or "")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def has_date_range(self) -> bool:
        return self.date_from is not None or self.date_to is not None


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: str
    score: float
    display: dict
    highlights: dict = field(default_factory=dict)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    centuries: list[tuple[int, int]]  # (first year of the century bucket, count), date filter not applied
    next_cursor: str | None = None


def encode_cursor(backend: str, sort: str, values: list) -> str:
    raw = json.dumps({"b": backend, "s": sort, "v": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The sort values Elasticsearch writes per sort (queries.ES_SORTS: score, masterpiece as a keyword,
# year, title, id); it answers anything else with an error. The embedded backend checks its own
# shapes, which depend on whether the search has text (backends/columns.py CURSOR_SHAPES).
CURSOR_SHAPES: dict[str, dict[str, tuple]] = {
    "elasticsearch": {
        "relevance": ((int, float), str, str),
        "date_asc": (int, str),
        "date_desc": (int, str),
        "title": (str, str),
    }
}
LONGEST = 2**63  # engines keep sort values as 64-bit numbers


def decode_cursor(cursor: str, backend: str, sort: str) -> list:
    """The sort values of a cursor this backend wrote for this sort. Visitors send cursors back, so
    a forged one (JSON nested thousands deep, numbers beyond 64 bits, NaN, values of the wrong kind)
    is refused here, before an engine fails on it and looks as if it were down."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, RecursionError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise InvalidRequest(CURSOR_NOT_VALID) from None
    if not isinstance(data, dict) or (data.get("b"), data.get("s")) != (backend, sort):
        raise InvalidRequest(CURSOR_NOT_VALID)
    values = data.get("v")
    if not isinstance(values, list) or not _are_sort_values(values, CURSOR_SHAPES.get(backend, {}).get(sort)):
        raise InvalidRequest(CURSOR_NOT_VALID)
    return values


def _are_sort_values(values: list, shape: tuple | None) -> bool:
    if not 1 <= len(values) <= 3 or not all(map(_is_sort_value, values)):
        return False
    return shape is None or (len(values) == len(shape) and all(isinstance(v, t) for v, t in zip(values, shape)))


def _is_sort_value(value) -> bool:
    """Text that is valid Unicode, a 64-bit whole number, or a finite float."""
    if isinstance(value, str):
        return not any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -LONGEST <= value < LONGEST
    return isinstance(value, float) and math.isfinite(value)


def merge_facet_values(
    top: list[tuple[str, int]], selected_counts: dict[str, int], selected: tuple[str, ...]
) -> list[FacetValue]:
    """Top values by count, then any selected value that did not make the top (with its count)."""
    values = [FacetValue(value, count, value in selected) for value, count in top]
    shown = {v.value for v in values}
    values += [FacetValue(v, selected_counts.get(v, 0), True) for v in selected if v not in shown]
    return values
