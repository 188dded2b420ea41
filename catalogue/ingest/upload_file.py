"""An uploaded file on its way in: kept under a safe name, refused whole when it is not UTF-8 text,
and its format told (CSV, JSON Lines or LIDO XML) from the curator's choice, its name or its first
character. A LIDO file with a DOCTYPE is refused here already (see catalogue/lido/reader.py)."""

import codecs
import os
import tempfile
from pathlib import Path, PurePath
from typing import IO

from werkzeug.utils import secure_filename

from catalogue.errors import ValidationFailed
from catalogue.messages import N_, Message

FORMATS = ("csv", "jsonl", "lido")
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".xml": "lido"}
CHUNK_BYTES = 1 << 16
NOT_TEXT = N_(
    "This is not a text file: upload CSV, JSON Lines or LIDO XML saved as UTF-8 "
    "(from a spreadsheet, save as “CSV UTF-8”; a UTF-16 file needs saving as UTF-8 too)."
)


def refused(message: str, **variables) -> ValidationFailed:
    """The file refused whole: the message is the form's and the file field's."""
    return ValidationFailed(message, [{"field": "file", "message": Message(message, **variables)}], **variables)


def original_name(filename: str | None) -> str:
    """The name the curator's file had (no folders, no control characters), for the history."""
    name = PurePath(str(filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).encode("utf-8", "replace").decode("utf-8")
    return name.strip()[:200] or "upload"


def safe_name(original: str) -> str:
    """A name for the kept file: ASCII letters, digits, dots, dashes and underscores, suffix kept."""
    stem, suffix = os.path.splitext(secure_filename(original) or "upload")
    return (stem[:80] or "upload") + suffix[:10]


def receive(stream: IO[bytes], folder: Path) -> Path:
    """Write an upload to a temporary file in ``folder`` as it arrives, refusing (and removing) an
    empty file, a binary one, and one that is not UTF-8: row errors would only hide that."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temp = Path(name)
    decoder = codecs.getincrementaldecoder("utf-8")()
    received, has_text = 0, False
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                if b"\x00" in chunk:  # never in UTF-8 text; always in images, workbooks and UTF-16
                    raise refused(NOT_TEXT)
                has_text = has_text or bool(_decoded(decoder, chunk, received).strip("\ufeff \t\r\n"))
                received += len(chunk)
                out.write(chunk)
            _decoded(decoder, b"", received, final=True)
        if not has_text:
            raise refused(N_("The file is empty."))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _decoded(decoder, chunk: bytes, offset: int, final: bool = False) -> str:
    try:
        return decoder.decode(chunk, final)
    except UnicodeDecodeError as error:
        raise refused(
            N_(
                "The file is not UTF-8 text (byte %(byte)s cannot be read). "
                "Save it as UTF-8 (from a spreadsheet: “CSV UTF-8”) and upload it again."
            ),
            byte=offset + error.start + 1,
        ) from None


def format_of(name: str, requested: str, path: Path) -> str:
    """CSV, JSON Lines or LIDO XML: as the curator chose, else by the file's suffix, else by its
    first character ("{" JSON Lines, "<" XML)."""
    with open(path, "rb") as handle:
        start = handle.read(4096).decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")[:1]
    kind = requested if requested in FORMATS else SUFFIXES.get(PurePath(name).suffix.lower())
    kind = kind or {"{": "jsonl", "<": "lido"}.get(start, "csv")
    if kind == "jsonl" and start == "[":
        raise refused(N_("This file is one JSON array; JSON Lines has one JSON object per line. Save it that way."))
    if kind == "lido":
        _check_xml_start(path)
    return kind


def _check_xml_start(path: Path) -> None:
    """Refuse, at upload, an XML file with a DOCTYPE or one that does not start as XML."""
    from catalogue.lido.reader import check_prolog  # here: the LIDO reader builds on the ingest rows

    with open(path, "rb") as handle:
        try:
            check_prolog(handle)
        except ValidationFailed as failure:
            raise refused(failure.message) from None
