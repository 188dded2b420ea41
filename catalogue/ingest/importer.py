"""Import numbered rows into the catalogue in batches: good rows land, bad rows are reported."""

import os
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.errors import CatalogueError, ValidationFailed
from catalogue.ingest import shared_format
from catalogue.ingest.readers import (
    NUMBERED_BY,
    ColumnMapping,
    Line,
    Row,
    detect_format,
    jsonl_lines,
    read_csv,
    read_jsonl,
    read_lido,
    row_of,
)
from catalogue.ingest.validation import Validated, prepared_chunk, row_payload, validated, worker_ready
from catalogue.messages import N_, Message, translatable
from catalogue.models import Actor
from catalogue.museums import status_for_country
from catalogue.processes import process_pool
from catalogue.records.schema import KEPT_KEY, WARNINGS_KEY, validate_record
from catalogue.store import StoreUnavailable

if TYPE_CHECKING:  # the package imports the service's bulk uploads, which use this importer
    from catalogue.service import CatalogueService

BATCH_SIZE = 500
IMPORT_WORKERS = min(2, os.cpu_count() or 1)  # validating processes of `catalogue import` (2 cores: both)
# a shorter file is validated here: on two cores, workers (ready in about 0.5 s) gained nothing at 5,000 rows
WORKERS_AFTER_ROWS = 10_000
# a local id met twice, by what the file is numbered in (NUMBERED_BY); the English is as it was
DUPLICATE = {
    "row": N_("Duplicate local id; first seen in row %(first)s."),
    "line": N_("Duplicate local id; first seen in line %(first)s."),
    "record": N_("Duplicate local id; first seen in record %(first)s."),
}
VALIDATION_CHUNK = 200  # rows sent to a worker at once
VALIDATION_WINDOW = 4  # chunks being validated while this process saves


@dataclass
class RowError:
    """Why a row was rejected, or (as a warning) which value of a row that landed was dropped.
    ``row`` is the reader's number, which counts what ``numbered_by`` names (see NUMBERED_BY)."""

    row: int
    field: str | None
    message: str
    local_id: str | None = None
    value: object = None
    numbered_by: str = "row"

    def __str__(self) -> str:
        where = f"{self.numbered_by} {self.row}" + (f" ({self.local_id})" if self.local_id else "")
        shown = f" (value {self.value!r})" if self.value is not None else ""
        text = f"{where}: {self.field + ': ' if self.field else ''}{self.message}{shown}"
        return text.encode("utf-8", "backslashreplace").decode("utf-8")  # invalid Unicode stays printable


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    museums_registered: list[str] = field(default_factory=list)
    dry_run: bool = False
    images_queued: int = 0  # image URLs queued for fetching (`catalogue fetch-images`)

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def warned(self) -> int:
        """Rows that landed with a value dropped or re-derived."""
        return len({warning.row for warning in self.warnings})

    def summary(self) -> str:
        prefix = "dry run, nothing written: " if self.dry_run else ""
        return (
            f"{prefix}created {self.counts['created']}, updated {self.counts['updated']}, "
            f"unchanged {self.counts['unchanged']}, warned {self.warned}, rejected {self.rejected}"
        )


@dataclass
class _Pending:
    row: int
    body: dict


class Importer:
    """Reads a file, validates each row, and saves valid rows per museum in batched transactions."""

    def __init__(
        self,
        service: "CatalogueService",
        actor: Actor,
        museum: str | None = None,
        dry_run: bool = False,
        register_museums: bool = False,
        only_museum: bool = False,
        batch_size: int = BATCH_SIZE,
        on_batch=None,
        default_status: str | None = None,
        workers: int = 1,
    ):
        """``only_museum``: every row is for ``museum``, and a row naming another museum is rejected
        (an upload from the curator pages), where otherwise ``museum`` overrides the rows' own.
        ``on_batch(report)`` is called after each batch is saved, for progress that survives a stop.
        ``default_status``: the status of rows that name none (else the schema's: published).
        ``workers``: processes validating rows beside this one (1: none, all here)."""
        self.service, self.actor, self.museum = service, actor, museum
        self.dry_run, self.register_museums = dry_run, register_museums
        self.only_museum, self.batch_size, self.on_batch = only_museum, batch_size, on_batch
        self.default_status, self.workers = default_status, workers
        self.report = ImportReport(dry_run=dry_run)
        self.numbered_by = "row"  # what the rows' numbers count: import_rows is told
        self._pending: dict[str, list[_Pending]] = {}
        self._seen: dict[tuple[str, str], int] = {}
        self._known_museums: set[str] = {m.code for m in service.museums()}

    def import_file(
        self, path: Path, file_format: str = "auto", mapping_path: Path | None = None, on_row=None
    ) -> ImportReport:
        path = Path(path)
        kind = detect_format(path, file_format)
        if kind == "jsonl" and self.workers > 1:
            rows = jsonl_lines(path)  # the workers parse the lines
        elif kind == "jsonl":
            rows = read_jsonl(path)
        elif kind == "lido":
            rows = read_lido(path)
        else:
            mapping = ColumnMapping.load(mapping_path)
            if mapping and mapping.museum and not self.museum:
                self.museum = mapping.museum
            rows = read_csv(path, mapping)
        return self.import_rows(rows, on_row, NUMBERED_BY[kind])

    def import_rows(self, rows, on_row=None, numbered_by: str = "row") -> ImportReport:
        """``rows``: the reader's rows; with workers, a JSON Lines file's lines may come unread.
        ``numbered_by``: what their numbers count, as the report names it ("row", "line", "record")."""
        self.numbered_by = numbered_by
        if self.workers > 1:
            self._import_with_workers(rows, on_row)
        else:
            for row in rows:
                self._take(row)
                if on_row:
                    on_row(row)
        for museum in list(self._pending):
            self._flush(museum)
        self.report.errors.sort(key=lambda error: error.row)  # workers answer later than the reader rejects
        return self.report

    def _import_with_workers(self, items, on_row) -> None:
        """Rows are read and validated in worker processes, chunk by chunk, while this process
        saves the validated ones, in their order. Validation (marshmallow) costs more than the rest
        together, and parsing a JSON line about a fifth of it, so on two cores the two overlap.
        Workers take about half a second to start: they are started once a file proves long, and
        rows are validated here until then."""
        pool, ready = None, None
        waiting: deque = deque()  # the futures of chunks being prepared, in the file's order
        chunk: list[Row | Line] = []
        try:
            for read, item in enumerate(items, 1):
                if not waiting and not chunk and not _started(ready):
                    row = row_of(item)
                    if row is not None:
                        self._take(row)
                else:
                    chunk.append(item)
                if on_row:
                    on_row(item if isinstance(item, Row) else Row(item[0], None))
                if pool is None and read >= WORKERS_AFTER_ROWS:
                    pool = process_pool(self.workers)
                    ready = pool.submit(worker_ready)
                if pool is not None and len(chunk) >= VALIDATION_CHUNK:
                    waiting.append(pool.submit(prepared_chunk, chunk, self.default_status))
                    chunk = []
                if len(waiting) > VALIDATION_WINDOW:
                    self._accept_prepared(waiting.popleft().result())
            if chunk:
                assert pool is not None  # rows go into chunks only once the pool is up
                waiting.append(pool.submit(prepared_chunk, chunk, self.default_status))
            while waiting:
                self._accept_prepared(waiting.popleft().result())
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _accept_prepared(self, prepared: list[tuple[Row, Validated | None]]) -> None:
        for row, outcome in prepared:
            museum = self._museum_of(row)
            if museum is not None and outcome is not None:
                self._accept(row, museum, outcome)

    def _take(self, row: Row) -> None:
        museum = self._museum_of(row)
        if museum is not None:
            self._accept(row, museum, validated(row.data or {}, self.default_status))

    def _museum_of(self, row: Row) -> str | None:
        """The museum of a row that can be validated (None, and reported, for one that cannot)."""
        if row.error:
            self._reject(row.number, row.field, row.error, row.label)
            return None
        return self._museum_for(row.number, row.data or {})

    def _accept(self, row: Row, museum: str, outcome: Validated) -> None:
        """A validated row joins its museum's next batch; a refused one is reported."""
        if outcome.body is None:
            for field_name, message, value in outcome.errors:
                self._reject(row.number, field_name, message, outcome.local_id, value)
            return
        body = outcome.body
        key = (museum, body["local_id"])
        if key in self._seen:
            duplicate = Message(DUPLICATE.get(self.numbered_by, DUPLICATE["row"]), first=self._seen[key])
            self._reject(row.number, "local_id", duplicate, body["local_id"])
            return
        self._seen[key] = row.number
        kept = (*row.kept, *outcome.kept)  # the format cannot say these, or the row does not
        if kept:  # the service keeps their stored values
            body[KEPT_KEY] = list(kept)
        if row.warnings:  # values the reader dropped are kept with the record, as the schema's are
            read = [{**warning, **translatable(warning["reason"])} for warning in row.warnings]
            body[WARNINGS_KEY] = [*read, *body.get(WARNINGS_KEY, [])]
        self._pending.setdefault(museum, []).append(_Pending(row.number, body))
        for warning in body.get(WARNINGS_KEY, []):
            self.report.warnings.append(
                RowError(
                    row.number,
                    warning["field"],
                    warning["reason"],
                    body["local_id"],
                    warning["value"],
                    self.numbered_by,
                )
            )
        if len(self._pending[museum]) >= self.batch_size:
            self._flush(museum)

    def remember(self, row: Row) -> None:
        """A row that an earlier, stopped run of the same file already took: nothing is saved or
        reported again, but its local id is known, so a later row repeating it is still refused."""
        data = row.data or {}
        if row.error or (self.only_museum and _own_museum(data) not in (None, "", self.museum)):
            return
        museum = self.museum or _own_museum(data)
        try:
            body = validate_record(row_payload(data))
        except ValidationFailed:
            return
        if isinstance(museum, str):
            self._seen.setdefault((museum, body["local_id"]), row.number)

    def _museum_for(self, number: int, data: dict) -> str | None:
        """The museum a row belongs to: the --museum option, the row's own, or the shared format's."""
        own, local_id = _own_museum(data), _own_local_id(data)
        if self.only_museum and own not in (None, "", self.museum):
            other = N_("This row is for museum %(own)s; this upload is for %(museum)s.")
            self._reject(number, "museum", Message(other, own=repr(own), museum=repr(self.museum)), local_id)
            return None
        code = self.museum or own
        if not isinstance(code, str) or not code:
            self._reject(number, "museum", "No museum: pass --museum CODE or give one in the row.", local_id)
            return None
        if code in self._known_museums:
            return code
        if self.register_museums and shared_format.is_shared_record(data):
            return self._register(number, data, code)
        unknown = f"Unknown museum {code!r}; register it first or use --register-museums."
        self._reject(number, "museum", unknown, local_id)
        return None

    def _register(self, number: int, data: dict, code: str) -> str | None:
        details = shared_format.museum_of(data)
        details["code"] = code
        details["status"] = status_for_country(details.get("country"))
        try:
            if not self.dry_run:
                self.service.register_museum(self.actor, details)
        except CatalogueError as error:
            self._reject(number, "museum", f"Cannot register museum {code!r}: {error.message}")
            return None
        self._known_museums.add(code)
        self.report.museums_registered.append(code)
        return code

    def _flush(self, museum: str) -> None:
        batch = self._pending.pop(museum, [])
        if not batch:
            return
        if self.dry_run and museum in self.report.museums_registered:
            self.report.counts["created"] += len(batch)  # the museum is new, so is every record
            return
        try:
            outcomes = self.service.save_records(self.actor, museum, [p.body for p in batch], dry_run=self.dry_run)
        except CatalogueError as error:
            for pending in batch:
                self._reject(pending.row, None, error.message, pending.body["local_id"])
            return
        except StoreUnavailable:
            raise  # the database is down: stop, nothing is half-written
        except Exception:
            self._save_one_by_one(museum, batch)  # find the row the database refuses; keep the others
            return
        self.report.counts.update(outcome.action for outcome in outcomes)
        self.report.images_queued += sum(outcome.images_queued for outcome in outcomes)
        self._batch_done()

    def _batch_done(self) -> None:
        if self.on_batch:
            self.on_batch(self.report)

    def _save_one_by_one(self, museum: str, batch: list[_Pending]) -> None:
        for pending in batch:
            try:
                (outcome,) = self.service.save_records(self.actor, museum, [pending.body], dry_run=self.dry_run)
            except StoreUnavailable:
                raise
            except Exception as error:  # reported against its row; the good rows of the batch still land
                message = error.message if isinstance(error, CatalogueError) else f"Could not be saved ({error})."
                self._reject(pending.row, None, message, pending.body["local_id"])
                continue
            self.report.counts[outcome.action] += 1
            self.report.images_queued += outcome.images_queued
        self._batch_done()

    def _reject(
        self, row: int, field_name: str | None, message: str, local_id: str | None = None, value: object = None
    ) -> None:
        self.report.errors.append(RowError(row, field_name, message, local_id, value, self.numbered_by))


def _started(ready) -> bool:
    """Whether the workers answered their first task (a pool that cannot start is never used)."""
    return ready is not None and ready.done() and ready.exception() is None


def _own_museum(data: dict):
    """The museum a row names itself (None when it names none)."""
    return data.get("source_museum_code") if shared_format.is_shared_record(data) else data.get("museum")


def _own_local_id(data: dict) -> str | None:
    """The local id a row names, read before the row is validated, for a line that refuses the row
    as a whole (another museum's): the report names it as it names every other refused row."""
    local_id = data.get("source_id") if shared_format.is_shared_record(data) else data.get("local_id")
    return local_id if isinstance(local_id, str) and local_id else None
