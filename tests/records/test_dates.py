"""The date parser reads museum display dates into signed years and never raises."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.records import date_quality
from catalogue.records.dates import EARLIEST_YEAR, LATEST_YEAR, parse_date

REAL_STRINGS = [
    ("1858", 1858, 1858),
    ("c. 1782-1783", 1782, 1783),
    ("c.1815–17", 1815, 1817),
    ("1976–7", 1976, 1977),
    ("1989–90", 1989, 1990),
    ("?1840–5", 1840, 1845),
    ("ca. 1480-90", 1480, 1490),
    ("1920s", 1920, 1929),
    ("c. 1920s", 1920, 1929),
    ("ca. 1850s-1860s", 1850, 1869),
    ("late 1980s", 1986, 1989),
    ("19th century", 1801, 1900),
    ("19th Century (?)", 1801, 1900),
    ("early 20th century", 1901, 1925),
    ("mid 19th century", 1826, 1875),
    ("late 19th century", 1876, 1900),
    ("2nd half 18th century", 1751, 1800),
    ("second half of the 19th century", 1851, 1900),
    ("3rd quarter 15th century", 1451, 1475),
    ("18th-19th century", 1701, 1900),
    ("17th-19th centuries", 1601, 1900),
    ("late 15th-early 16th century", 1476, 1525),
    ("7th century BC", -700, -601),
    ("1st century BC-AD 1st century", -100, 100),
    ("946-712 BC", -946, -712),
    ("100 BC-AD 400", -100, 400),
    ("500 BCE", -500, -500),
    ("AD 1558", 1558, 1558),
    ("3rd millenium BC", -3000, -2001),
    ("966 AH/AD 1558", 1558, 1558),
    ("934-935 AH/AD 1528-1529", 1528, 1529),
    ("10th century AH/AD 16th century", 1501, 1600),
    ("mid 10th century AH/AD 16th century", 1526, 1575),
    ("late 11th century AH/AD 17th century-early 12th century AH/AD 18th century", 1676, 1725),
    ("Edo period (1603-1867), 19th century", 1801, 1867),
    ("Edo period (1603-1867), c. 1790-1830", 1790, 1830),
    ("Meiji period (1868-1912)", 1868, 1912),
    ("Qianlong period (1736-1795)", 1736, 1795),
    ("Edo period", 1603, 1868),
    ("Ming dynasty", 1368, 1644),
    ("Qing", 1644, 1912),
    ("Tang dynasty (618–907)", 618, 907),
    ("Joseon [Choson]", 1392, 1897),
    ("Goryeo dynasty", 918, 1392),
    ("Heian period", 794, 1185),
    ("Mughal", 1526, 1857),
    ("Angkor period", 802, 1431),
    ("Bàyon", 1181, 1243),
    ("Baroque", 1600, 1750),
    ("December 16, 1796", 1796, 1796),
    ("January 1926-June 1927", 1926, 1927),
    ("7/1/1859", 1859, 1859),
    ("1912, cast 1971", 1912, 1912),
    ("1926, printed 1981", 1926, 1926),
    ("exhibited 1903", 1903, 1903),
    ("Porcelain: 1675-1725; Mounts: early 18th century", 1675, 1725),
    ("ca. 1260; miniature additions ca. 1290-1300", 1260, 1260),
    ("before 1915", None, 1915),
    ("1895 or later", 1895, None),
]


@pytest.mark.parametrize("text, begin, end", REAL_STRINGS)
def test_real_display_dates(text, begin, end):
    parsed = parse_date(text)
    assert parsed is not None, text
    assert (parsed.begin, parsed.end) == (begin, end)


@pytest.mark.parametrize(
    "text", ["no date", "date not known", "not dated", "", "   ", "[title not known]", "undated", "unknown"]
)
def test_texts_without_a_date_give_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("value", [None, 1850, ["1850"], {"year": 1850}, b"1850"])
def test_non_strings_give_none(value):
    assert parse_date(value) is None


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_parser_never_raises_and_orders_its_range(text):
    parsed = parse_date(text)
    if parsed is not None and parsed.begin is not None and parsed.end is not None:
        assert parsed.begin <= parsed.end


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"(c\. |ca\. |early |late |mid )?\d{1,4}(st|nd|rd|th)?( century| AH/AD \d{1,4}|s|-\d{1,4})?( BC)?",
        fullmatch=True,
    )
)
def test_date_shaped_text_gives_no_date_or_an_ordered_range_of_plausible_years(text):
    """The contract the record schema relies on: whatever the text, the parser answers "no date" or a
    range of whole years (one end may be open), in order, between EARLIEST_YEAR and LATEST_YEAR."""
    parsed = parse_date(text)
    if parsed is not None:
        ends = [year for year in (parsed.begin, parsed.end) if year is not None]
        assert ends and all(isinstance(year, int) and EARLIEST_YEAR <= year <= LATEST_YEAR for year in ends), text
        assert parsed.begin is None or parsed.end is None or parsed.begin <= parsed.end, (text, parsed)


@given(st.integers(100, LATEST_YEAR), st.sampled_from(["", " BC", " BCE", " AD", "c. "]))
def test_a_plain_year_is_that_year(year, era):
    text = f"{era}{year}" if era == "c. " else f"{year}{era}"
    parsed = parse_date(text)
    signed = -year if "B" in era else year
    assert parsed is not None and parsed.begin <= signed <= parsed.end, (text, parsed)
    if era != "c. ":
        assert (parsed.begin, parsed.end) == (signed, signed), text


@given(st.integers(1, 21), st.sampled_from(["", " BC"]))
def test_a_century_is_its_hundred_years(century, era):
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st"}.get(century, "th")
    parsed = parse_date(f"{century}{suffix} century{era}")
    first, last = (century - 1) * 100 + 1, century * 100
    expected = (-last, -first) if era else (first, last)
    assert parsed is not None and (parsed.begin, parsed.end) == expected


def test_agreement_with_museum_years_is_at_least_90_percent(shared_records_path):
    with open(shared_records_path, encoding="utf-8") as handle:
        result = date_quality.measure(json.loads(line) for line in handle)
    assert result.compared > 3000
    assert result.share >= 0.90, f"{result.share:.1%} agree; first misses: {result.disagreements[:10]}"
