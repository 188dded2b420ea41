"""Dimensions: keep the museum's text and read height/width/depth in centimetres where it says them."""

import math
import re
from fractions import Fraction

NUMBER = r"(\d+(?:[.,]\d+)?(?:\s+\d+/\d+)?|\d+/\d+)"
LABELLED = re.compile(rf"\b(h|height|w|width|d|depth|diam|diameter|l|length)\.?\s*:?\s*{NUMBER}", re.I)
# A triple starts where a number starts: not inside a run of digits, where every start would match
# the run's digits afresh (5,000 of them took seconds).
TRIPLE = re.compile(
    rf"(?<![\d.,/]){NUMBER}\s*(?:cm|mm|in\.?)?\s*[x×]\s*{NUMBER}(?:\s*(?:cm|mm|in\.?)?\s*[x×]\s*{NUMBER})?"
    r"\s*(cm|mm|in\b|inches)",
    re.I,
)
BRACKETS = re.compile(r"\(([^()]*)\)")
METRIC_UNIT = re.compile(r"\b(?:cm|mm)\b", re.I)
SINGLE_UNIT = re.compile(r"\b(cm|mm|in\b|inches|inch)", re.I)
AXES = {
    "h": "height",
    "height": "height",
    "w": "width",
    "width": "width",
    "d": "depth",
    "depth": "depth",
    "diam": "diameter",
    "diameter": "diameter",
    "l": "length",
    "length": "length",
}
TO_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "inches": 2.54, "inch": 2.54}


def _number(text: str) -> float:
    """ "32,5" or "12 5/8" (the regexes' NUMBER) as a float."""
    pieces = text.replace(",", ".").split()
    if len(pieces) == 1 and "/" not in pieces[0]:  # a decimal: float rounds it as Fraction does, 10x faster
        return float(pieces[0])
    total = Fraction(0)
    for piece in pieces:
        total += Fraction(piece)
    return float(total)  # OverflowError beyond a float's range


def _centimetres(number: str, factor: float) -> float:
    """A NUMBER in centimetres; a ValueError for one no float holds (400 nines: infinity, which
    JSON cannot carry and PostgreSQL's json refuses)."""
    value = round(_number(number) * factor, 2)
    if not math.isfinite(value):
        raise ValueError(f"Not a finite size: {number[:20]}...")
    return value


def _metric_part(text: str) -> str:
    """Prefer the part of "H: 12 5/8 x W: 8 1/4 in. (32 x 21 cm)" written in centimetres."""
    inside = (part for part in BRACKETS.findall(text) if METRIC_UNIT.search(part))  # one pass: linear
    return next(inside, text)


def parse_dimensions(text: str | None) -> dict:
    """{"text": ..., "height_cm": 32.0, "width_cm": 21.0} with only the numbers it could read."""
    if not text:
        return {}
    result: dict = {"text": text}
    try:
        part = _metric_part(text)
        unit_match = SINGLE_UNIT.search(part)
        factor = TO_CM[unit_match.group(1).lower().rstrip(".")] if unit_match else None
        labelled = LABELLED.findall(part)
        if labelled and factor:
            for label, value in labelled:
                result.setdefault(f"{AXES[label.lower()]}_cm", _centimetres(value, factor))
            return result
        triple = TRIPLE.search(part)
        if triple:
            factor = TO_CM[triple.group(4).lower().rstrip(".")]
            for axis, value in zip(("height", "width", "depth"), triple.groups()[:3]):
                if value:
                    result[f"{axis}_cm"] = _centimetres(value, factor)
    except (ValueError, ZeroDivisionError, OverflowError, KeyError):
        pass  # the text stays; numbers are a convenience
    return result
