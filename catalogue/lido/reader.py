"""Stream LIDO 1.0/1.1 files into rows for the importer: one row per lido:lido element, with memory
flat however large the file (each record is dropped once read).

Records may sit under lido:lidoWrap, be the root themselves, or come inside an OAI-PMH envelope.
The XML is hostile until read: no network, no DTD, no entities. A file with a DOCTYPE is refused
whole before parsing (LIDO never needs one; a DOCTYPE is how a file makes a parser read local files
or expand entities without end). A syntax error ends the file: the records before it are kept,
the error is reported with its line."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from catalogue.errors import ValidationFailed
from catalogue.ingest.readers import Row
from catalogue.lido import NOT_IN_LIDO
from catalogue.lido.names import LIDO_NS, lido
from catalogue.lido.to_record import to_record
from catalogue.messages import N_

HEAD_BYTES = 1 << 16
MAX_PROLOG_BYTES = 1 << 20  # an XML declaration and comments before the root: never near this
PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
DOCTYPE_REFUSED = N_(
    "This file declares a DOCTYPE, which LIDO never needs: a DOCTYPE can make an XML reader open "
    "local files or expand entities without end, so such files are refused whole. Remove the "
    "<!DOCTYPE ...> declaration and import the file again."
)
NOT_XML = N_("This is not an XML file: LIDO files start with an XML element such as <lido:lidoWrap>.")
NO_RECORDS = f"No LIDO record in this file: no lido:lido element in the LIDO namespace ({LIDO_NS})."


class CountingReader:
    """A binary stream that checks the file's start (the prolog) before the parser sees it, and
    counts the bytes the parser has read (a progress bar's measure)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.head = check_prolog(stream)
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
        else:
            data = self.stream.read(size if size and size > 0 else HEAD_BYTES)
        self.position += len(data)
        return data


def check_prolog(stream: IO[bytes]) -> bytes:
    """Read the file's start up to its first element and refuse a DOCTYPE (or anything that is not
    XML markup); returns the bytes read, for the parser."""
    head = b""
    while len(head) < MAX_PROLOG_BYTES:
        chunk = stream.read(HEAD_BYTES)
        head += chunk
        verdict = _prolog_verdict(head, complete=not chunk)
        if verdict == "element":
            return head
        if verdict == "doctype":
            raise ValidationFailed(DOCTYPE_REFUSED, [{"field": "file", "message": DOCTYPE_REFUSED}])
        if verdict == "not xml" or not chunk:
            raise ValidationFailed(NOT_XML, [{"field": "file", "message": NOT_XML}])
    raise ValidationFailed(NOT_XML, [{"field": "file", "message": NOT_XML}])


def _prolog_verdict(head: bytes, complete: bool) -> str:
    """ "element", "doctype", "not xml", or "more" (the prolog goes on past what was read)."""
    text = _decoded(head)
    position = 0
    while found := PROLOG_ITEM.match(text, position):
        position = found.end()
    rest = text[position:]
    unfinished = rest.startswith(("<!--", "<?")) or "<!--".startswith(rest)  # a comment or PI read in part
    if unfinished:
        return "not xml" if complete else "more"
    if rest.startswith("<!"):
        return "doctype"
    return "element" if re.match(r"<[^\W\d]", rest) else "not xml"


def _decoded(head: bytes) -> str:
    """The head as text, well enough to see its markup (an XML declaration may name another
    ASCII-compatible encoding: latin-1 reads those bytes the same)."""
    for mark, codec in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return head[len(mark) :].decode(codec, "ignore")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", "ignore")
    return head.decode("latin-1")


def read_lido(source: Path | str | IO[bytes]) -> Iterator[Row]:
    """Rows of a LIDO file (a path or a binary stream): one per lido:lido element, numbered from 1."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            yield from _rows(handle)
    else:
        yield from _rows(source)


def _rows(stream: IO[bytes]) -> Iterator[Row]:
    counter = CountingReader(stream)
    events = etree.iterparse(
        counter,
        events=("end",),
        tag=lido("lido"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    number = 0
    try:
        for _event, record in events:
            number += 1
            yield _row(number, record, counter.position)
            _forget(record)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else error.lineno
        where = f"at line {line}" if line else "at its start"
        message = f"The file is not well-formed XML {where}: {error.msg}. Reading stopped there."
        yield Row(number + 1, None, message, position=counter.position)
        return
    if number == 0:
        yield Row(1, None, NO_RECORDS, position=counter.position)


def _row(number: int, record, position: int) -> Row:
    """The record's row; one that cannot be imported is named by its lidoRecID (the row's label,
    which reports show), else by its number and line in the file."""
    mapped = to_record(record)
    if mapped.error:
        error = mapped.error if mapped.local_id else f"record {number} (line {record.sourceline}): {mapped.error}"
        return Row(number, None, error, label=mapped.local_id, field=mapped.error_field, position=position)
    return Row(
        number, mapped.data, label=mapped.local_id, warnings=mapped.warnings, position=position, kept=NOT_IN_LIDO
    )


def _forget(record) -> None:
    """Drop a record once read, and what came before it at every level (OAI-PMH headers too), so
    the tree never holds more than the record being read."""
    record.clear(keep_tail=False)
    for node in (record, *record.iterancestors()):
        parent = node.getparent()
        while parent is not None and node.getprevious() is not None:
            del parent[0]
