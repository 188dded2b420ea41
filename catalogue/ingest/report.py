"""An import's report as it is kept and shown: counts, and the row-level lines (errors and
warnings) as plain JSON, capped in number; merged across a run that resumed; as a CSV download."""

import csv
import io
import json
from typing import TYPE_CHECKING

from catalogue.messages import translatable

if TYPE_CHECKING:
    from catalogue.ingest.importer import ImportReport, RowError

COUNTED = ("created", "updated", "unchanged", "rejected", "warned")
KEPT_LINES = 10_000  # per report; beyond, only the counts (which stay exact) and the number of lines
SHOWN_CHARACTERS = 200
COLUMNS = ("kind", "row", "local_id", "field", "message", "value")


def empty_report() -> dict:
    return {"counts": dict.fromkeys(COUNTED, 0), "lines": [], "lines_total": 0}


def report_counts(report: "ImportReport") -> dict:
    return {
        "created": report.counts["created"],
        "updated": report.counts["updated"],
        "unchanged": report.counts["unchanged"],
        "rejected": report.rejected,
        "warned": report.warned,
    }


def report_json(report: "ImportReport") -> dict:
    """Counts and the first KEPT_LINES lines, in row order (a row's errors before its warnings)."""
    lines = [_line("error", error) for error in report.errors]
    lines += [_line("warning", warning) for warning in report.warnings]
    lines.sort(key=lambda line: (line["row"], line["kind"] != "error"))
    return {"counts": report_counts(report), "lines": lines[:KEPT_LINES], "lines_total": len(lines)}


def merged(before: dict, after: dict) -> dict:
    """The report of a run that went on after ``before`` (other rows: the counts add up)."""
    counts = {name: before["counts"].get(name, 0) + after["counts"].get(name, 0) for name in COUNTED}
    lines = (before["lines"] + after["lines"])[:KEPT_LINES]
    return {"counts": counts, "lines": lines, "lines_total": before["lines_total"] + after["lines_total"]}


def report_csv(report: dict, numbered_by: str = "row") -> str:
    """The lines as CSV, for a spreadsheet: cells that a spreadsheet would run as a formula are
    quoted with a leading apostrophe (the values come from the uploaded file). The number's column
    is named by what it counts in the uploaded file: "row", "line" or "record" (see NUMBERED_BY)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([numbered_by if name == "row" else name for name in COLUMNS])
    for line in report.get("lines", []):
        writer.writerow([_cell(line.get(name)) for name in COLUMNS])
    left_out = report.get("lines_total", 0) - len(report.get("lines", []))
    if left_out > 0:
        writer.writerow(["note", "", "", "", f"{left_out} more lines were not kept; the counts include them.", ""])
    return out.getvalue()


def _line(kind: str, error: "RowError") -> dict:
    line: dict = {
        "kind": kind,
        "row": error.row,
        "local_id": _text(error.local_id),
        "field": _text(error.field),
        "message": _text(error.message),
        "value": _text(error.value),
    }
    return {**line, **translatable(error.message)}  # the page shows it in its reader's language


def _text(value) -> str | None:
    """A value as text that any database and page can hold: invalid Unicode escaped, no NUL, short."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    return text[:SHOWN_CHARACTERS] + "…" if len(text) > SHOWN_CHARACTERS else text


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
