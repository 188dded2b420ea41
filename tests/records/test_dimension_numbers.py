"""The numbers of a dimensions text: a plain decimal is read with float (fast), a mixed or plain
fraction exactly; both give what an exact reading rounded to a float gives. A number no float holds
is dropped, and no text, however hostile, takes long to read."""

import time
from fractions import Fraction

import pytest

from catalogue.records.dimensions import _number, parse_dimensions
from catalogue.records.fields import MEDIUM


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32", 32.0), ("32.5", 32.5), ("0,1", 0.1), ("12 5/8", 12.625), ("5/8", 0.625), ("1234567.123456789", None)],
)
def test_numbers_read_as_an_exact_reading_rounds_them(text, expected):
    exact = float(Fraction(text.replace(",", ".")) if " " not in text else sum(map(Fraction, text.split())))
    assert _number(text) == exact
    if expected is not None:
        assert _number(text) == expected


def test_a_text_with_inches_and_centimetres_is_read_from_the_centimetres():
    assert parse_dimensions("H: 12 5/8 x W: 8 1/4 in. (32,5 x 21 cm)") == {
        "text": "H: 12 5/8 x W: 8 1/4 in. (32,5 x 21 cm)",
        "height_cm": 32.5,
        "width_cm": 21.0,
    }


def test_a_text_in_inches_only_is_converted_exactly():
    read = parse_dimensions("12 5/8 x 8 1/4 in.")
    assert read == {"text": "12 5/8 x 8 1/4 in.", "height_cm": 32.07, "width_cm": 20.96}


HUGE = "9" * 400  # a decimal beyond a float's range (infinity), or with a fraction an OverflowError


@pytest.mark.parametrize("text", [f"H: {HUGE} cm", f"H: {HUGE} 1/2 cm", f"{HUGE} x 3 cm", f"H: {'9' * 308} in."])
def test_a_size_no_float_holds_keeps_its_text_and_gives_no_number(text):
    assert parse_dimensions(text) == {"text": text}


def test_a_number_is_read_from_where_it_starts_never_from_inside_another():
    assert parse_dimensions("1.5.3 x 2 cm") == {"text": "1.5.3 x 2 cm"}
    assert parse_dimensions("No12 x 3 cm") == {"text": "No12 x 3 cm", "height_cm": 12.0, "width_cm": 3.0}


@pytest.mark.parametrize(
    "text",
    ["9" * 5000, "h:" + "9" * 4998, "(" + "cm " * 1666, "1 x " * 1250, "12 5/8 x " * 555, "1,1" * 1666],
    ids=["digits", "labelled digits", "open bracket of units", "crosses", "fractions", "commas"],
)
def test_a_hostile_text_as_long_as_a_dimensions_text_is_read_at_once(text):
    """The longest text a record's dimensions hold (MEDIUM), made to make the patterns backtrack:
    a run of 5,000 digits took 2.6 s to read (every start inside the run matched it afresh), so a
    bulk upload of such rows held the server for hours. Now about 10 ms; the bound is generous."""
    assert len(text) <= MEDIUM
    started = time.perf_counter()
    parse_dimensions(text)
    assert time.perf_counter() - started < 1.0
