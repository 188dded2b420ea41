"""How often the date parser agrees with a museum's own structured years (the ground truth).

Agreement is judged within the precision the text states: each end may differ by a tenth of the
span (at least one year), and by up to 12 years for "c."/"ca."/"circa", which museums widen by
different amounts (Tate keeps "c.1815-17" as 1815-1817, the Walters widens "ca. 1380" to 1368-1392).
"""

import re
from dataclasses import dataclass, field

from catalogue.records.dates import parse_date

CIRCA = re.compile(r"\b(c\.|ca\.?|circa|about)", re.I)
CIRCA_TOLERANCE = 12


@dataclass
class Agreement:
    compared: int = 0
    agreed: int = 0
    disagreements: list = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.agreed / self.compared if self.compared else 0.0


def agrees(display: str, begin: int, end: int | None) -> bool:
    end = begin if end is None else end
    parsed = parse_date(display)
    if parsed is None:
        return False
    ours_begin = parsed.begin if parsed.begin is not None else begin
    ours_end = parsed.end if parsed.end is not None else end
    span = max(end - begin, ours_end - ours_begin)
    tolerance = max(1, span // 10)
    if CIRCA.search(display):
        tolerance = max(tolerance, CIRCA_TOLERANCE)
    return abs(ours_begin - begin) <= tolerance and abs(ours_end - end) <= tolerance


def measure(records) -> Agreement:
    """Compare every record that has both a display date and the museum's own begin year."""
    result = Agreement()
    for record in records:
        display, begin = record.get("date_display"), record.get("date_begin")
        if not display or begin is None:
            continue
        result.compared += 1
        if agrees(display, begin, record.get("date_end")):
            result.agreed += 1
        else:
            result.disagreements.append((display, begin, record.get("date_end")))
    return result
