"""The numbers of a dimensions text: a plain decimal is read with float (fast), a mixed or plain
fraction exactly; both give what an exact reading rounded to a float gives."""

from fractions import Fraction

import pytest

from catalogue.records.dimensions import _number, parse_dimensions


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
