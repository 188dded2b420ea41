"""Query strings become SearchRequests, and the page builds its links from the same state."""

import pytest
from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict

from catalogue.messages import N_
from catalogue.search_params import dates_in_text, parse_year, request_from_args, search_url
from indexer.request import InvalidRequest


@pytest.mark.parametrize(
    "text, year",
    [
        ("1850", 1850),
        ("-500", -500),
        ("500 BCE", -500),
        ("500 bc", -500),
        ("AD 1200", 1200),
        ("1200 CE", 1200),
        (" 44 B.C. ", -44),
        ("", None),
    ],
)
def test_years(text, year):
    assert parse_year(text, "date_from") == year


@pytest.mark.parametrize(
    "text, year",
    [
        ("1850年", 1850),
        ("１８５０", 1850),
        ("1850년", 1850),
        ("500 v. Chr.", -500),
        ("1200 n. Chr.", 1200),
        ("500 av. J.-C.", -500),
        ("1200 après J.-C.", 1200),
        ("紀元前500年", -500),
        ("公元前500年", -500),
        ("기원전 500년", -500),
        ("西暦1200年", 1200),
    ],
)
def test_years_as_each_interface_language_writes_them(text, year):
    """A visitor types the year in the date box as their language writes it."""
    assert parse_year(text, "date_from") == year


@pytest.mark.parametrize("language", ["en", "de", "fr", "ja", "zh", "ko"])
def test_a_year_bce_as_the_page_writes_it_can_be_typed_back(app, language):
    """The century rows and chips write 500 BCE in the page's language; typed back, it is the same year."""
    with app.test_request_context("/search"), force_locale(language):
        shown = gettext(N_("%(year)s BCE"), year=500)
    assert parse_year(shown, "date_from") == -500


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("19th century", 1801, 1900),
        ("19. Jahrhundert", 1801, 1900),
        ("19. Jh.", 1801, 1900),
        ("19e siècle", 1801, 1900),
        ("XIXe siècle", 1801, 1900),  # as French writes centuries
        ("1er siècle", 1, 100),
        ("19世紀", 1801, 1900),
        ("19世纪", 1801, 1900),
        ("19세기", 1801, 1900),
        ("5th century BCE", -500, -401),
        ("5e siècle av. J.-C.", -500, -401),
        ("紀元前5世紀", -500, -401),
        ("기원전 5세기", -500, -401),
    ],
)
def test_a_century_is_its_first_year_from_and_its_last_to(text, first, last):
    """As the record dates count it (the 19th century is 1801-1900): "from the 19th century to the
    19th century" finds what the century holds."""
    assert (parse_year(text, "date_from"), parse_year(text, "date_to")) == (first, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1850s", 1850, 1859),
        ("1850er", 1850, 1859),
        ("années 1850", 1850, 1859),
        ("1850年代", 1850, 1859),
        ("850s", 850, 859),
    ],
)
def test_a_decade_is_its_first_year_from_and_its_last_to(text, first, last):
    assert (parse_year(text, "date_from"), parse_year(text, "date_to")) == (first, last)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("1850", (1850, 1850)),
        ("1850年", (1850, 1850)),
        ("500 BCE", (-500, -500)),
        ("1850s", (1850, 1859)),
        ("1850년대", (1850, 1859)),
        ("19th century", (1801, 1900)),
        ("XIXe siècle", (1801, 1900)),
        ("19世紀", (1801, 1900)),
        ("1800-1850", (1800, 1850)),
        ("1800 – 1850", (1800, 1850)),
        ("1800 to 1850", (1800, 1850)),
        ("1800 bis 1850", (1800, 1850)),
        ("1800 à 1850", (1800, 1850)),
        ("1800〜1850", (1800, 1850)),
        ("1800至1850", (1800, 1850)),
        ("500 BCE - 200 BCE", (-500, -200)),
        ("500 av. J.-C. - 200 av. J.-C.", (-500, -200)),
        ("18e siècle - 19e siècle", (1701, 1900)),
    ],
)
def test_a_search_box_holding_only_a_date_names_its_first_and_last_year(text, dates):
    assert dates_in_text(text) == dates


@pytest.mark.parametrize(
    "text",
    ["hokusai 1850", "oil on canvas", "24", "100000", "-500", "1900-1800", "1850 bis 1800", "1850 s", "the 1850s", ""],
)
def test_words_short_or_long_numbers_exclusions_and_backward_spans_are_no_date(text):
    """ "24" is a count or a number in a title, "-500" leaves out what holds 500, and "1900-1800"
    is no span: the search box keeps them as text."""
    assert dates_in_text(text) is None


@pytest.mark.parametrize("text", ["soon", "5e3", "99999999", "AD 1200 BC", "31st century", "0th century"])
def test_bad_years(text):
    with pytest.raises(InvalidRequest):
        parse_year(text, "date_from")


def test_every_parameter_reaches_the_request():
    args = MultiDict(
        [
            ("q", "wave"),
            ("museum", "tate"),
            ("museum", "walters"),
            ("region", "asia"),
            ("date_from", "500 BCE"),
            ("date_to", "1900"),
            ("sort", "oldest"),
            ("page", "2"),
            ("size", "48"),
            ("has_image", "true"),
        ]
    )
    request = request_from_args(args)
    assert request.text == "wave" and request.filters == {
        "museum": ("tate", "walters"),
        "region": ("asia",),
        "has_image": ("true",),
    }
    assert (request.date_from, request.date_to, request.sort, request.page, request.size) == (
        -500,
        1900,
        "date_asc",
        2,
        48,
    )


@pytest.mark.parametrize(
    "args, message",
    [
        ([("sort", "random")], "sort"),
        ([("size", "1000")], "from 1 to 100 results"),
        ([("page", "x")], "page"),
        ([("date_from", "yesterday")], "“yesterday” is not a year"),
        ([("museum", str(i)) for i in range(51)], "At most"),
        ([("page", "500"), ("size", "96")], "first 10000 results"),
        ([("date_from", "1900"), ("date_to", "1800")], "later than"),
    ],
)
def test_invalid_parameters(args, message):
    with pytest.raises(InvalidRequest, match=message):
        request_from_args(MultiDict(args))


def test_links_keep_the_state_and_reset_the_page():
    args = MultiDict([("q", "wave"), ("museum", "tate"), ("museum", "walters"), ("page", "3"), ("cursor", "x")])
    assert search_url(args) == "/search?q=wave&museum=tate&museum=walters"
    assert search_url(args, remove=(("museum", "tate"),)) == "/search?q=wave&museum=walters"
    assert search_url(args, add=(("region", "asia"),)) == "/search?q=wave&museum=tate&museum=walters&region=asia"
    assert search_url(args, page=4) == "/search?q=wave&museum=tate&museum=walters&page=4"
    assert search_url(args, drop=("museum",), q="sea") == "/search?q=sea"
    assert search_url(MultiDict()) == "/search"
