"""Derive signed years (``date_begin``/``date_end``, BCE negative) from a museum's display date.

Museums write dates for people: "c. 1782-1783", "2nd half 18th century", "966 AH/AD 1558",
"Edo period (1603-1867), 19th century". The parser turns such text into a year range and
never raises: text it does not understand gives ``None``. Centuries run from year 1 to year
100 (the 19th century is 1801-1900), as the Walters and the period gazetteer count them.
"""

import re
from dataclasses import dataclass
from functools import cache

from catalogue.reference import periods
from catalogue.text import fold

MAX_INPUT = 300
EARLIEST_YEAR = -100_000
LATEST_YEAR = 2100


@dataclass(frozen=True)
class YearRange:
    begin: int | None
    end: int | None
    from_period: bool = False

    def intersect(self, other: "YearRange") -> "YearRange":
        """The overlap of two ranges, or ``self`` when they do not overlap."""
        if self.begin is None or self.end is None or other.begin is None or other.end is None:
            return self
        begin, end = max(self.begin, other.begin), min(self.end, other.end)
        return YearRange(begin, end) if begin <= end else self


UNKNOWN = re.compile(r"^(no date|date not known|not dated|undated|n\.\s?d\.?|unknown|date unknown|s\.d\.)$")
MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?|spring|summer|autumn|fall|winter"
)
MONTH_DAY = re.compile(rf"\b({MONTHS})\.?(\s+\d{{1,2}}(st|nd|rd|th)?)?,?\s+(?=\d{{3,4}})")
DAY_MONTH = re.compile(rf"\b\d{{1,2}}\s+({MONTHS})\.?\s+(?=\d{{3,4}})")
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-\d{2}-\d{2}\b")
LABEL = re.compile(r"^[a-z ]{2,30}:\s*")
WORDY_PARENS = re.compile(r"\([^()]*[a-z][^()]*\)")

ERA = r"(?:b\.?\s?c\.?\s?e?\.?|a\.?\s?d\.?|c\.?e\.?)"
ORDINAL = r"(\d{1,2})\s*(?:st|nd|rd|th)"
QUALIFIER = (
    r"(early|beginning of(?: the)?|mid(?:dle)?|late|end of(?: the)?"
    r"|(?:first|1st|second|2nd) half(?: of)?(?: the)?"
    r"|(?:first|1st|second|2nd|third|3rd|fourth|4th|last) quarter(?: of)?(?: the)?)"
)
MILLENNIUM = re.compile(rf"(?:{QUALIFIER}\s*)?{ORDINAL}\s*millenn?ium\s*({ERA})?")
DECADES = re.compile(r"(?:(early|mid|late)\s*-?\s*)?(\d{3})0'?s(?:\s*-\s*(?:(early|mid|late)\s*-?\s*)?(\d{3})0'?s)?")
YEAR_RANGE = re.compile(
    rf"(?<![\d/])({ERA}\s*)?(\d{{1,4}})\s*({ERA})?\s*(?:-|to|until)\s*({ERA}\s*)?(\d{{1,4}})(?!\d)\s*({ERA})?"
)
YEAR = re.compile(rf"(?<![\d/])({ERA}\s*)?(\d{{1,4}})(?!\d)\s*({ERA})?")
AH_AD = re.compile(r"\ba\.?h\.?\s*/\s*(?:a\.?d|c\.?e)\b\.?")
BEFORE = re.compile(r"\b(before|by|not after|no later than|until)\b")
AFTER = re.compile(r"\b(after|not before|no earlier than|from|since)\b")


def parse_date(text) -> YearRange | None:
    """Parse a display date into a :class:`YearRange`, or ``None`` when it names no date."""
    try:
        parsed = _parse(text)
    except Exception:  # the parser must never break an import; unknown shapes are just undated
        return None
    return parsed if parsed is None or _plausible(parsed) else None


def _plausible(found: YearRange) -> bool:
    """Years the catalogue can store: "30th century" or a misread number is no date at all."""
    ends = [year for year in (found.begin, found.end) if year is not None]
    return bool(ends) and all(EARLIEST_YEAR <= year <= LATEST_YEAR for year in ends)


def _parse(text) -> YearRange | None:
    if not isinstance(text, str) or not text.strip():
        return None
    s = _normalise(text[:MAX_INPUT])
    if not s or UNKNOWN.match(s):
        return None
    segments = [LABEL.sub("", seg.strip()) for seg in s.split(";")]
    parsed = [r for r in (_parse_segment(seg) for seg in segments) if r is not None]
    if not parsed:
        return None
    if len(parsed) > 1 and all(LABEL.match(seg.strip()) for seg in s.split(";") if seg.strip()):
        # "Porcelain: 1675-1725; Mounts: early 18th century": the parts together date the object
        return _union(parsed)
    return parsed[0]


def _parse_segment(segment: str) -> YearRange | None:
    if AH_AD.search(segment):
        segment = _gregorian_side(segment)
    elif re.search(r"\d\s*a\.?h\b|centur(y|ies)\s*a\.?h\b", segment):
        return _hijri_to_gregorian(_parse_parts(re.sub(r"\ba\.?h\b\.?", "", segment)))
    return _parse_parts(segment)


def _union(ranges: list[YearRange]) -> YearRange:
    begins = [r.begin for r in ranges if r.begin is not None]
    ends = [r.end for r in ranges if r.end is not None]
    return YearRange(min(begins) if begins else None, max(ends) if ends else None)


def _normalise(text: str) -> str:
    s = fold(text)
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = s.replace("millenium", "millennium").replace("centuy", "century")
    s = re.sub(r"\(\s*\?\s*\)|\?|\[|\]", " ", s)
    s = NUMERIC_DATE.sub(r"\1", s)
    s = ISO_DATE.sub(r"\1", s)
    s = DAY_MONTH.sub("", s)
    s = MONTH_DAY.sub("", s)
    return " ".join(s.split()).strip(" .,;")


def _gregorian_side(s: str) -> str:
    """Keep the Gregorian half of "mid 10th century AH/AD 16th century", carrying the qualifier;
    also for ranges that give both calendars at each end ("late 11th c. AH/AD 17th c.-early 12th ...")."""
    chunks = [c.strip() for c in AH_AD.split(s)]
    gregorian = []
    for index in range(1, len(chunks)):
        hijri = chunks[index - 1].rsplit("-", 1)[-1].strip() if index > 1 else chunks[0]
        text = chunks[index].rsplit("-", 1)[0] if index < len(chunks) - 1 and "-" in chunks[index] else chunks[index]
        if "centur" in hijri and "centur" not in text:
            text = re.sub(r"(\d\s*(?:st|nd|rd|th))\b", r"\1 century", text)
        qualifier = re.match(QUALIFIER, hijri)
        if qualifier and not re.match(QUALIFIER, text.strip()):
            text = f"{qualifier.group(0)} {text.strip()}"
        gregorian.append(text.strip())
    return " - ".join(gregorian)


def _hijri_to_gregorian(hijri: YearRange | None) -> YearRange | None:
    if hijri is None or hijri.begin is None or hijri.end is None:
        return None

    def start(year: int) -> float:
        return 621.5709 + (year - 1) * 0.970224

    return YearRange(int(start(hijri.begin)), int(start(hijri.end + 1)))


def _parse_parts(segment: str) -> YearRange | None:
    """The first comma part that names a date decides; a named period is refined by a more
    precise date that follows it ("Edo period (1603-1867), 19th century" -> 1801-1867)."""
    parsed = [r for r in (_parse_part(part) for part in _comma_parts(segment)) if r is not None]
    if not parsed:
        return None
    first = parsed[0]
    if first.from_period and len(parsed) > 1:
        return parsed[1].intersect(YearRange(first.begin, first.end))
    return YearRange(first.begin, first.end)


def _comma_parts(segment: str) -> list[str]:
    # "Edo period (1603-1867), 19th century": commas inside parentheses do not split
    return [p.strip() for p in re.split(r",(?![^(]*\))", segment) if p.strip()]


def _parse_part(part: str) -> YearRange | None:
    found = _named_period(part)
    if found:
        return found
    core = WORDY_PARENS.sub(" ", part)
    core = " ".join(core.split())
    for parser in (_millennium, _century, _decades, _year_range, _year):
        found = parser(core)
        if found:
            return _open_ended(core, found)
    return None


def _open_ended(part: str, found: YearRange) -> YearRange:
    """ "before 1915", "1922 or earlier", "no earlier than 1906": one end stays open."""
    if BEFORE.search(part) or "or earlier" in part:
        return YearRange(None, found.end)
    if AFTER.search(part) or "or later" in part:
        return YearRange(found.begin, None)
    return found


@cache
def _period_patterns() -> list[tuple[str, re.Pattern, int, int]]:
    """Each gazetteer name (longest first) with its whole-word pattern, built once, not per name per
    date read (each an escape, a format and a lookup in ``re``'s cache, which evicts when full)."""
    return [
        (name, re.compile(rf"(?<![a-z]){re.escape(name)}(?![a-z])"), begin, end) for name, begin, end, _ in periods()
    ]


def _named_period(part: str) -> YearRange | None:
    hits: list[tuple] = []
    for name, pattern, begin, end in _period_patterns():
        match = pattern.search(part) if name in part else None  # a name not in the text cannot match
        if match and not any(h[0] <= match.start() < h[1] for h in hits):
            hits.append((match.start(), match.end(), begin, end))
    if not hits:
        return None
    explicit = re.search(r"\((\s*-?\d{1,4}\s*(?:bce?|ad|ce)?\s*-\s*\d{1,4}\s*(?:bce?|ad|ce)?\s*)\)", part)
    if explicit:
        years = _year_range(explicit.group(1))
        if years:
            return YearRange(years.begin, years.end, from_period=True)
    hits.sort()
    begin, end = hits[0][2], hits[-1][3]
    qualifier = re.search(r"\b(early|mid|middle|late)\s*-?\s*$", part[: hits[0][0]])
    if qualifier and len(hits) == 1:
        begin, end = _qualify(begin, end, qualifier.group(1))
    elif len(hits) > 1:
        last_qualifier = re.search(r"\b(early|mid|middle|late)\s*-?\s*$", part[hits[0][1] : hits[-1][0]])
        first_qualifier = qualifier
        if first_qualifier:
            begin = _qualify(hits[0][2], hits[0][3], first_qualifier.group(1))[0]
        if last_qualifier:
            end = _qualify(hits[-1][2], hits[-1][3], last_qualifier.group(1))[1]
    return YearRange(min(begin, end), max(begin, end), from_period=True)


def _qualify(begin: int, end: int, qualifier: str | None) -> tuple[int, int]:
    """Narrow a span by "early"/"mid"/"late"/"first half"/"3rd quarter" (thirds, halves, quarters)."""
    if not qualifier:
        return begin, end
    q = qualifier.replace(" of the", "").replace(" of", "").replace(" the", "").strip()
    span = end - begin + 1
    quarter = span // 4
    parts = {  # early = first quarter, mid = the middle half, late = last quarter (as museums date)
        "early": (begin, begin + quarter - 1),
        "beginning": (begin, begin + quarter - 1),
        "mid": (begin + quarter, end - quarter),
        "middle": (begin + quarter, end - quarter),
        "late": (end - quarter + 1, end),
        "end": (end - quarter + 1, end),
        "first half": (begin, begin + span // 2 - 1),
        "1st half": (begin, begin + span // 2 - 1),
        "second half": (begin + span // 2, end),
        "2nd half": (begin + span // 2, end),
    }
    for index, names in enumerate((("first", "1st"), ("second", "2nd"), ("third", "3rd"), ("fourth", "4th", "last"))):
        for name in names:
            parts[f"{name} quarter"] = (begin + index * quarter, begin + (index + 1) * quarter - 1)
    key = "beginning" if q.startswith("beginning") else "end" if q.startswith("end") else q
    return parts.get(key, (begin, end))


def _is_bc(era: str | None) -> bool:
    return bool(era) and (era or "").replace(".", "").replace(" ", "").startswith("b")


def _century_span(number: int, bc: bool) -> tuple[int, int]:
    if bc:
        return -(number * 100), -((number - 1) * 100 + 1)
    return (number - 1) * 100 + 1, number * 100


def _century(s: str) -> YearRange | None:
    match = re.search(
        rf"(?:{QUALIFIER}[\s-]*)?{ORDINAL}\s*(?:century|centuries|c\.)?\s*({ERA})?"
        rf"\s*-\s*(?:{ERA}\s*)?(?:{QUALIFIER}[\s-]*)?{ORDINAL}\s*(?:century|centuries)\s*({ERA})?",
        s,
    )
    if match:
        g = match.groups()
        q1, n1, era1, q2, n2, era2 = g[0], int(g[1]), g[2], g[3], int(g[4]), g[5]
        bc2 = _is_bc(era2)
        bc1 = _is_bc(era1) or (bc2 and not era1)
        begin = _qualify(*_century_span(n1, bc1), q1)[0]
        end = _qualify(*_century_span(n2, bc2), q2)[1]
        return _ordered(begin, end)
    match = re.search(rf"(?:{QUALIFIER}[\s-]*)?{ORDINAL}\s*(?:century|centuries)\s*({ERA})?", s)
    if match:
        g = match.groups()
        begin, end = _qualify(*_century_span(int(g[1]), _is_bc(g[2])), g[0])
        return _ordered(begin, end)
    return None


def _millennium(s: str) -> YearRange | None:
    match = MILLENNIUM.search(s)
    if not match:
        return None
    g = match.groups()
    number, bc = int(g[1]), _is_bc(g[2])
    span = (-(number * 1000), -((number - 1) * 1000 + 1)) if bc else ((number - 1) * 1000 + 1, number * 1000)
    return _ordered(*_qualify(*span, g[0]))


def _decades(s: str) -> YearRange | None:
    match = DECADES.search(s)
    if not match:
        return None
    q1, d1, q2, d2 = match.groups()
    begin, end = _qualify_decade(int(d1) * 10, q1)
    if d2:
        end = _qualify_decade(int(d2) * 10, q2)[1]
    return _ordered(begin, end)


def _qualify_decade(start: int, qualifier: str | None) -> tuple[int, int]:
    return {"early": (start, start + 3), "mid": (start + 3, start + 6), "late": (start + 6, start + 9)}.get(
        qualifier or "", (start, start + 9)
    )


def _year_range(s: str) -> YearRange | None:
    match = YEAR_RANGE.search(s)
    if not match:
        return None
    era1_before, y1, era1_after, era2_before, y2, era2_after = match.groups()
    era1 = era1_before or era1_after
    era2 = era2_before or era2_after
    first, second = int(y1), int(y2)
    if len(y2) < len(y1) and not _is_bc(era2) and not _is_bc(era1):
        second = int(y1[: len(y1) - len(y2)] + y2)
        if second < first:
            second += 10 ** len(y2)
    bc2 = _is_bc(era2)
    bc1 = _is_bc(era1) or (bc2 and not era1)
    begin, end = -first if bc1 else first, -second if bc2 else second
    if not bc1 and not bc2 and (first == 0 or second < first):
        return None
    return _checked(*_ordered_pair(begin, end))


def _year(s: str) -> YearRange | None:
    match = YEAR.search(s)
    if not match:
        return None
    era_before, digits, era_after = match.groups()
    year = int(digits)
    if year == 0:
        return None
    if _is_bc(era_before or era_after):
        year = -year
    elif len(digits) < 3 and not (era_before or era_after):
        return None  # "16" alone is a day or a count, not a year
    return _checked(year, year)


def _ordered_pair(begin: int, end: int) -> tuple[int, int]:
    return (begin, end) if begin <= end else (end, begin)


def _ordered(begin: int, end: int) -> YearRange:
    return YearRange(*_ordered_pair(begin, end))


def _checked(begin: int, end: int) -> YearRange | None:
    if end > LATEST_YEAR or begin < EARLIEST_YEAR:
        return None
    return YearRange(begin, end)
