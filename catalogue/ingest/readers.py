"""Readers turn a file into numbered rows of plain dicts; a broken row becomes an error, not a crash."""

import csv
import io
import json
import sys
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import islice
from pathlib import Path
from typing import IO

from catalogue.errors import ValidationFailed
from catalogue.messages import N_, Message

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # oversized fields are refused by the schema, with a message


# What a row's number counts, as reports name it, so a curator finds the row in the file: a CSV
# file's row as a spreadsheet numbers it (the header is row 1; a quoted cell may hold line breaks,
# so rows are records, not lines), a JSON Lines file's line (blank lines count), a LIDO file's
# record (the reports also give its lidoRecID, and the reader the line a record without one is at).
NUMBERED_BY = {"csv": "row", "jsonl": "line", "lido": "record"}


@dataclass
class Row:
    number: int  # see NUMBERED_BY: the spreadsheet row (CSV), the line (JSON Lines), the record (LIDO)
    data: dict | None
    error: str | None = None
    label: str | None = None  # the record's own id where the reader knows it (a LIDO lidoRecID)
    field: str | None = None  # the field an error is about, where the reader knows it
    warnings: list[dict] = dataclass_field(default_factory=list)  # values the reader dropped, as the schema's
    position: int | None = None  # bytes of the file read so far (a progress measure for XML)
    kept: tuple[str, ...] = ()  # fields the format cannot say: an update keeps the stored values


def detect_format(path: Path, requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".xml":
        return "lido"
    raise ValidationFailed(f"Cannot tell the format of {path.name}; pass --format jsonl, csv or lido.")


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Decode UTF-8 strictly per row, so one badly encoded row does not spoil the file."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        template = N_("Not valid UTF-8 (byte 0x%(byte)s at position %(position)s); save the file as UTF-8.")
        return "", Message(template, byte=f"{raw[error.start]:02x}", position=error.start)


Line = tuple[int, bytes]  # a JSON Lines file's line as read: its number and its bytes


def read_jsonl(path: Path):
    for number, raw in jsonl_lines(path):
        row = jsonl_row(number, raw)
        if row is not None:
            yield row


def jsonl_lines(path: Path):
    """The file's lines, numbered, as bytes: ``jsonl_row`` makes each a row, here or in an import
    worker (a line is far cheaper to send to a worker than the dict it becomes)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            yield number, raw


# Python's reasons for refusing JSON, each said in words a curator reads in their own language
JSON_REASONS = (
    ("Expecting value", N_("Not valid JSON: a value is expected (column %(column)s).")),
    ("Expecting property name", N_("Not valid JSON: a key must be text in double quotes (column %(column)s).")),
    ("Expecting ':'", N_("Not valid JSON: a colon is missing after a key (column %(column)s).")),
    ("Expecting ','", N_("Not valid JSON: a comma is missing between two values (column %(column)s).")),
    ("Unterminated string", N_("Not valid JSON: a text has no closing double quote (column %(column)s).")),
    (
        "Invalid control character",
        N_("Not valid JSON: a text holds a control character, such as a tab or a line break (column %(column)s)."),
    ),
    ("Invalid \\", N_("Not valid JSON: a backslash starts no valid escape (column %(column)s).")),
    ("Extra data", N_("Not valid JSON: more follows the object on the same line (column %(column)s).")),
    (
        "Illegal trailing comma",
        N_("Not valid JSON: a comma before the end of an object or a list (column %(column)s)."),
    ),
)


def not_json(bad: json.JSONDecodeError) -> Message:
    """Why a line is no JSON, in the reader's language where Python's reason is one we know (all
    of them today); any other reason is Python's, in English."""
    for start, template in JSON_REASONS:
        if bad.msg.startswith(start):
            return Message(template, column=bad.colno)
    return Message(N_("Not valid JSON: %(reason)s (column %(column)s)."), reason=bad.msg, column=bad.colno)


def jsonl_row(number: int, raw: bytes) -> Row | None:
    """One line as a row, or None for a blank line (blank lines are not rows)."""
    text, error = _decode(raw)
    if error:
        return Row(number, None, error)
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as bad:
        return Row(number, None, not_json(bad))
    except RecursionError:  # the parser recurses once per level: thousands of [[[ exhaust it
        return Row(number, None, N_("Not valid JSON: nested too deeply."))
    except ValueError:  # not a JSONDecodeError: Python refuses to read an integer this long
        too_long = N_("Not valid JSON: a number has more than %(digits)s digits.")
        return Row(number, None, Message(too_long, digits=sys.get_int_max_str_digits()))
    if not isinstance(data, dict):
        return Row(number, None, N_("Each line must be one JSON object."))
    return Row(number, data)


def row_of(item: Row | Line) -> Row | None:
    """A row as a reader gave it, or a JSON Lines line read now (None for a blank line)."""
    return item if isinstance(item, Row) else jsonl_row(*item)


def read_lido(path: Path):
    """LIDO XML: a row per lido:lido element (catalogue/lido/reader.py streams and maps them)."""
    from catalogue.lido.reader import read_lido as read_records  # here: that module builds on these rows

    return read_records(path)


@dataclass
class ColumnMapping:
    """How CSV columns become record fields: {"Title": "title", "Artist": {"field": "makers", "split": ";"}}."""

    columns: dict
    language: str | None = None
    museum: str | None = None

    @classmethod
    def load(cls, path: Path | None) -> "ColumnMapping | None":
        if path is None:
            return None
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:  # RecursionError: JSON nested thousands deep
            raise ValidationFailed(f"Cannot read the column mapping {path}: {error}") from None
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise ValidationFailed('A column mapping is a JSON object with "columns": {"CSV column": "field"}.')
        return cls(columns=data["columns"], language=data.get("language"), museum=data.get("museum"))

    def spec(self, column: str) -> dict | None:
        target = self.columns.get(column)
        if target is None:
            return None
        return {"field": target} if isinstance(target, str) else target


REQUIRED_FIELDS = ("local_id", "title")


# What spreadsheets separate cells with: a comma; a semicolon where the decimal mark is a comma
# (Excel in the Netherlands, Germany, France...); a tab (Excel's "Unicode text", .tsv files).
SEPARATORS = (",", ";", "\t")
SEPARATOR_SAMPLE = 20  # rows after the header that tell which separator the file uses


def csv_separator(path: Path) -> str:
    """The separator of a CSV file, told from its header (see ``separator_of``)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        return separator_of(handle, _default_separator(path))


def separator_of(handle: IO[str], default: str = ",") -> str:
    """The separator the file's header line uses, for the whole file: the one of SEPARATORS that
    splits the header into columns (quoting as spreadsheets write it: a separator in a quoted name
    separates nothing). When the header holds two of them ("Titel;Datierung, ca."), the one that
    gives more columns the rows after it agree with wins: each is scored by the cells of the rows
    (the header one of them) that have as many cells as the header has, and the rows that do not
    count for nothing. A header with one column and no separator keeps ``default``."""
    best, best_score = default, 1
    for separator in SEPARATORS:
        handle.seek(0)
        rows = list(islice(csv.reader(handle, dialect="excel", delimiter=separator), SEPARATOR_SAMPLE + 1))
        width = len(rows[0]) if rows else 0
        score = sum(width for cells in rows if len(cells) == width)
        if width > 1 and score > best_score:
            best, best_score = separator, score
    handle.seek(0)
    return best


def _default_separator(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def read_csv_header(path: Path, samples: int = 3) -> tuple[list[str], list[list[str]]]:
    """The header of a CSV file and its first ``samples`` non-empty rows, as the column mapping
    step shows them."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        separator = separator_of(handle, _default_separator(path))
        reader = csv.reader(handle, dialect="excel", delimiter=separator)
        header = next(reader, None)
        if header is None:
            raise ValidationFailed("The CSV file is empty.")
        rows: list[list[str]] = []
        for cells in reader:
            if len(rows) >= samples:
                break
            if any(cell.strip() for cell in cells):
                rows.append(cells)
    return header, rows


def read_csv(path: Path, mapping: ColumnMapping | None):
    with open(path, "rb") as handle:
        raw = handle.read()
    text = io.StringIO(raw.decode("utf-8-sig", errors="surrogateescape"), newline="")
    reader = csv.reader(text, dialect="excel", delimiter=separator_of(text, _default_separator(path)))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationFailed("The CSV file is empty.") from None
    mapping = mapping or ColumnMapping(columns={name: name for name in header})
    _check_header(header, mapping)
    for number, cells in enumerate(reader, start=2):  # the header is row 1, as in a spreadsheet
        if not any(cell.strip() for cell in cells):
            continue
        if any("\udc80" <= ch <= "\udcff" for cell in cells for ch in cell):
            yield Row(number, None, N_("Not valid UTF-8; save the file as UTF-8."))
        elif len(cells) != len(header):
            cells_message = N_("Row has %(cells)s cells; the header has %(header)s.")
            yield Row(number, None, Message(cells_message, cells=len(cells), header=len(header)))
        else:
            yield Row(number, _row_to_record(header, cells, mapping))


def _check_header(header: list[str], mapping: ColumnMapping) -> None:
    mapped = {(mapping.spec(c) or {}).get("field", "").split(".")[0] for c in header if mapping.spec(c)}
    missing_fields = [f for f in REQUIRED_FIELDS if f not in mapped]
    missing_columns = [c for c in mapping.columns if c not in header]
    if missing_fields or missing_columns:
        parts = []
        if missing_columns:
            parts.append("columns in the mapping but not in the file: " + ", ".join(missing_columns))
        if missing_fields:
            parts.append("no column for required fields: " + ", ".join(missing_fields))
        raise ValidationFailed("The CSV header does not fit: " + "; ".join(parts) + ".")


def _row_to_record(header: list[str], cells: list[str], mapping: ColumnMapping) -> dict:
    record: dict = {"language": mapping.language} if mapping.language else {}
    for column, cell in zip(header, cells):
        spec = mapping.spec(column)
        text = cell.strip()
        if spec is None or text == "":
            continue
        value: str | list[str] = text
        if spec.get("split"):
            value = [part.strip() for part in text.split(spec["split"]) if part.strip()]
        _assign(record, spec["field"], value, mapping.language)
    return record


def _assign(record: dict, field: str, value, language: str | None) -> None:
    """Put a cell at a field path: "title", "title.ja" (a language), "rights.image_rights", "makers"."""
    head, _, rest = field.partition(".")
    if head in ("title", "description"):
        values = value if isinstance(value, list) else [value]
        record.setdefault(head, {}).setdefault(rest or language or "none", []).extend(values)
    elif head == "makers":
        names = value if isinstance(value, list) else [value]
        record.setdefault("makers", []).extend({"name": name} for name in names)
    elif rest:
        record.setdefault(head, {})[rest] = value
    else:
        record[head] = value
