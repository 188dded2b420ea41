"""Records as export files (JSON Lines, CSV, LIDO), written as a stream of chunks, one record at a
time, so an export of any size never sits whole in memory. Each writer yields bytes, which the
``catalogue export`` command writes to a file and the search page's download streams to the
browser. URLs come from BASE_URL, so the writers run inside the app (or a request) context.

**JSON Lines**: one record per line in the public API's shape (``GET /api/objects/<id>``) less
what only makes sense in an answer to one visitor (``shown``: values in the visitor's language)
and the derived ``manifest`` link. Such a file imports again as it is (``catalogue import
file.jsonl``): each line names its museum, and the read-only keys (id, url, images, revision,
dates) are skipped, so an unchanged record stays ``unchanged``.

**CSV**: one row per record under the fixed header ``CSV_COLUMNS``, for spreadsheets: UTF-8 with a
byte order mark (without one, Excel reads UTF-8 as the local code page and garbles every non-Latin
title), Excel's dialect (comma, CRLF). Lists (makers' names, materials, subjects, countries, image
URLs) are joined with "; "; several values of one language with a line break. ``title`` and
``description`` hold the values in languages without a column of their own (usually the record's
own language: see ``language``); ``title.en`` ... ``description.de`` one each for the interface
languages. ``url``, ``manifest`` and ``image_urls`` are links to our copies: an image's original
when its rights are open for reuse, else its largest IIIF size, as no other original is public (the
JSON Lines' ``images[].url`` is null then, beside the ``iiif`` service).

A cell starting with = + - @ (or a tab or carriage return), which a spreadsheet would run as a
formula (CSV injection), gets a leading apostrophe; a plain number such as -500 (a year BCE) is
left alone, since a spreadsheet reads it as a number.

The CSV imports again with ``catalogue import file.csv --mapping mapping.json`` where
mapping.json is ``{"columns": CSV_IMPORT_MAPPING}`` (add ``"language": "nl"`` to put the plain
``title`` and ``description`` values in that language instead of "none"). It carries a flat view of
a record, not all of it: makers keep only their names; other titles, the source record and the
images are left out; an apostrophe added to a formula-like cell stays. A record that has no more
than the CSV holds re-imports unchanged; use JSON Lines to move whole records.

**LIDO**: one ``lido:lidoWrap`` holding a ``lido:lido`` per record, as ``catalogue.lido.writer``
writes it (the mapping is in ``catalogue/lido/__init__.py``).
"""

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from marshmallow import Schema

from catalogue.lido.names import LIDO_1_1_SCHEMA_LOCATION, NSMAP, XSI_NS, lido
from catalogue.lido.writer import lido_record
from catalogue.models import Museum, ObjectRecord
from catalogue.records.schema import NO_RIGHTS
from catalogue.views.api import image_json
from catalogue.views.shapes import StoredRecordSchema, dump
from catalogue.views.urls import image_link, manifest_url, object_url

FORMATS = ("jsonl", "csv", "lido")
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8", "lido": "application/xml"}
SUFFIXES = {"jsonl": "jsonl", "csv": "csv", "lido": "xml"}

# the public shape less the visitor's language choice and the manifest link (not record fields:
# the import would refuse them)
ExportRecordSchema = Schema.from_dict(
    {name: kind for name, kind in StoredRecordSchema._declared_fields.items() if name not in ("manifest", "shown")},
    name="ExportRecordSchema",
)

COLUMN_LANGUAGES = ("en", "ja", "zh", "ko", "fr", "de")  # the interface languages, fixed here: a file format
LIST_SEPARATOR = "; "
VALUES_SEPARATOR = "\n"  # several titles in one language: a title is one line, so a line break parts them
PARAGRAPHS_SEPARATOR = "\n\n"  # several descriptions in one language (a description has line breaks)
PLAIN_FIELDS = (
    "date_display",
    "date_begin",
    "date_end",
    "object_type",
    "classification",
    "medium",
    "materials",
    "technique",
    "culture",
    "period",
    "dynasty",
    "place_of_origin",
    "place_depicted",
    "country",
    "subjects",
)
CSV_COLUMNS = (
    "museum",
    "local_id",
    "accession_number",
    "status",
    "language",
    "title",
    *(f"title.{lang}" for lang in COLUMN_LANGUAGES),
    "makers",
    *PLAIN_FIELDS,
    "dimensions",
    "description",
    *(f"description.{lang}" for lang in COLUMN_LANGUAGES),
    "inscription",
    "credit_line",
    "department",
    "masterpiece",
    "metadata_license",
    "image_rights",
    "source_url",
    "url",
    "manifest",
    "image_urls",
)
LINKS = ("url", "manifest", "image_urls")  # our own URLs: not record fields, so not imported
CSV_IMPORT_MAPPING: dict = {
    **{column: column for column in CSV_COLUMNS if column not in LINKS},
    **{f"title.{lang}": {"field": f"title.{lang}", "split": VALUES_SEPARATOR} for lang in COLUMN_LANGUAGES},
    "title": {"field": "title", "split": VALUES_SEPARATOR},
    "makers": {"field": "makers", "split": ";"},
    "metadata_license": "rights.metadata_license",
    "image_rights": "rights.image_rights",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"


def export_chunks(
    file_format: str, records: Iterable[ObjectRecord], museums: Mapping[str, Museum], base_url: str
) -> Iterator[bytes]:
    """The export file in ``file_format`` (one of FORMATS), a chunk per record or so."""
    if file_format == "lido":
        return lido_chunks(records, museums, base_url)
    if file_format == "csv":
        return _encoded(csv_chunks(records))
    if file_format == "jsonl":
        return _encoded(jsonl_chunks(records))
    raise ValueError(f"Unknown export format {file_format!r}; use one of {', '.join(FORMATS)}.")


def write_export(chunks: Iterable[bytes], stream) -> None:
    """Write the chunks to a binary stream, or to a text stream (each chunk ends on a record, so
    it decodes whole)."""
    binary = not isinstance(stream, io.TextIOBase)
    for chunk in chunks:
        stream.write(chunk if binary else chunk.decode("utf-8"))


@contextmanager
def output_file(path: Path) -> Iterator[BinaryIO]:
    """A file that appears whole or not at all: written beside ``path`` under a temporary name and
    renamed into place once complete, so a failed export leaves neither a half-written file (that
    looks complete) nor the temporary one behind."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as handle:
            yield handle
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    return (piece.encode("utf-8") for piece in pieces)


# JSON Lines ----------------------------------------------------------------------------------
def export_json(record: ObjectRecord) -> dict:
    """A record in the public API's shape, less ``shown`` and ``manifest`` (see the module)."""
    data = {
        "id": record.id,
        "url": object_url(record.id),
        "museum": record.museum,
        "local_id": record.local_id,
        **record.body,
        "rights": {**NO_RIGHTS, **(record.body.get("rights") or {})},
        "status": record.status,
        "revision": record.revision,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "images": [image_json(image, record.images_open_for_reuse) for image in record.images],
    }
    return dump(ExportRecordSchema, data)


def jsonl_chunks(records: Iterable[ObjectRecord]) -> Iterator[str]:
    for record in records:
        yield json.dumps(export_json(record), ensure_ascii=False, separators=(",", ":")) + "\n"


# CSV -----------------------------------------------------------------------------------------
def csv_chunks(records: Iterable[ObjectRecord]) -> Iterator[str]:
    """The header, then a row per record, each row a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel")
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = csv_row(record)
        writer.writerow([neutralised(row.get(column, "")) for column in CSV_COLUMNS])
        yield _take(buffer)
    yield _take(buffer)  # the header alone when there are no records


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_row(record: ObjectRecord) -> dict[str, str]:
    """A record as CSV cells by column name (before formulas are neutralised)."""
    body = record.body
    rights = body.get("rights") or {}
    row = {
        "museum": record.museum,
        "local_id": record.local_id,
        "accession_number": _text(body.get("accession_number")),
        "status": record.status,
        "language": _text(body.get("language")),
        "makers": LIST_SEPARATOR.join(maker.get("name") or "" for maker in body.get("makers") or []),
        **{name: _text(body.get(name)) for name in PLAIN_FIELDS},
        "dimensions": _text((body.get("dimensions") or {}).get("text")),
        "inscription": _text(body.get("inscription")),
        "credit_line": _text(body.get("credit_line")),
        "department": _text(body.get("department")),
        "masterpiece": "true" if body.get("masterpiece") else "false",
        "metadata_license": _text(rights.get("metadata_license")),
        "image_rights": _text(rights.get("image_rights")),
        "source_url": _text(body.get("source_url")),
        "url": object_url(record.id),
        "manifest": manifest_url(record.id) if record.images else "",
        "image_urls": LIST_SEPARATOR.join(image_link(image, record.images_open_for_reuse) for image in record.images),
    }
    row.update(_language_cells("title", body.get("title"), VALUES_SEPARATOR))
    row.update(_language_cells("description", body.get("description"), PARAGRAPHS_SEPARATOR))
    return row


def _language_cells(name: str, langmap: dict | None, separator: str) -> dict[str, str]:
    """``name.<lang>`` for the column languages; ``name`` for the values of every other language."""
    cells = {f"{name}.{lang}": separator.join((langmap or {}).get(lang, [])) for lang in COLUMN_LANGUAGES}
    others = [value for lang, values in (langmap or {}).items() if lang not in COLUMN_LANGUAGES for value in values]
    cells[name] = separator.join(others)
    return cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP's advice on CSV
    injection: prefix an apostrophe); plain numbers stay numbers."""
    if cell.startswith(FORMULA_START) and not NUMBER.match(cell):
        return "'" + cell
    return cell


# LIDO ----------------------------------------------------------------------------------------
def lido_chunks(records: Iterable[ObjectRecord], museums: Mapping[str, Museum], base_url: str) -> Iterator[bytes]:
    """One lido:lidoWrap, written element by element with lxml's incremental writer."""
    sink = _Sink()
    with etree.xmlfile(sink, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element(lido("lidoWrap"), {SCHEMA_LOCATION: LIDO_1_1_SCHEMA_LOCATION}, nsmap=NSMAP):
            for record in records:
                element = lido_record(record, museums[record.museum], base_url)
                element.attrib.pop(SCHEMA_LOCATION, None)  # the wrap names the schema, once
                xml.write(element)
                xml.flush()
                yield sink.take()
    yield sink.take()


class _Sink:
    """A file lxml writes into, emptied after each record."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def counted(records: Iterable[ObjectRecord], on_record: Callable[[], object]) -> Iterator[ObjectRecord]:
    """The records, calling ``on_record`` as each is taken (a progress bar's step)."""
    for record in records:
        yield record
        on_record()
