"""Dimensions: keep the museum's text and read height/width/depth in centimetres where it says them."""

import re
from fractions import Fraction

NUMBER = r"(\d+(?:[.,]\d+)?(?:\s+\d+/\d+)?|\d+/\d+)"
LABELLED = re.compile(rf"\b(h|height|w|width|d|depth|diam|diameter|l|length)\.?\s*:?\s*{NUMBER}", re.I)
TRIPLE = re.compile(
    rf"{NUMBER}\s*(?:cm|mm|in\.?)?\s*[x×]\s*{NUMBER}(?:\s*(?:cm|mm|in\.?)?\s*[x×]\s*{NUMBER})?\s*(cm|mm|in\b|inches)",
    re.I,
)
METRIC_IN_BRACKETS = re.compile(r"\(([^()]*\b(?:cm|mm)\b[^()]*)\)", re.I)
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
    return float(total)


def _metric_part(text: str) -> str:
    """Prefer the part of "H: 12 5/8 x W: 8 1/4 in. (32 x 21 cm)" written in centimetres."""
    inside = METRIC_IN_BRACKETS.findall(text)
    return inside[0] if inside else text


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
                result.setdefault(f"{AXES[label.lower()]}_cm", round(_number(value) * factor, 2))
            return result
        triple = TRIPLE.search(part)
        if triple:
            factor = TO_CM[triple.group(4).lower().rstrip(".")]
            for axis, value in zip(("height", "width", "depth"), triple.groups()[:3]):
                if value:
                    result[f"{axis}_cm"] = round(_number(value) * factor, 2)
    except (ValueError, ZeroDivisionError, KeyError):
        pass  # the text stays; numbers are a convenience
    return result
