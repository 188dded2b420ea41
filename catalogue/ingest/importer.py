"""Import numbered rows into the catalogue in batches: good rows land, bad rows are reported."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.errors import CatalogueError, ValidationFailed
from catalogue.ingest import shared_format
from catalogue.ingest.readers import ColumnMapping, Row, detect_format, read_csv, read_jsonl
from catalogue.models import Actor
from catalogue.museums import status_for_country
from catalogue.records.schema import WARNINGS_KEY
from catalogue.service import CatalogueService, validate_record
from catalogue.store import StoreUnavailable

BATCH_SIZE = 500


@dataclass
class RowError:
    """Why a row was rejected, or (as a warning) which value of a row that landed was dropped."""

    row: int
    field: str | None
    message: str
    local_id: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" ({self.local_id})" if self.local_id else "")
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
        service: CatalogueService,
        actor: Actor,
        museum: str | None = None,
        dry_run: bool = False,
        register_museums: bool = False,
    ):
        self.service, self.actor, self.museum = service, actor, museum
        self.dry_run, self.register_museums = dry_run, register_museums
        self.report = ImportReport(dry_run=dry_run)
        self._pending: dict[str, list[_Pending]] = {}
        self._seen: dict[tuple[str, str], int] = {}
        self._known_museums: set[str] = {m.code for m in service.museums()}

    def import_file(
        self, path: Path, file_format: str = "auto", mapping_path: Path | None = None, on_row=None
    ) -> ImportReport:
        path = Path(path)
        kind = detect_format(path, file_format)
        if kind == "jsonl":
            rows = read_jsonl(path)
        else:
            mapping = ColumnMapping.load(mapping_path)
            if mapping and mapping.museum and not self.museum:
                self.museum = mapping.museum
            rows = read_csv(path, mapping)
        return self.import_rows(rows, on_row)

    def import_rows(self, rows, on_row=None) -> ImportReport:
        for row in rows:
            self._take(row)
            if on_row:
                on_row(row)
        for museum in list(self._pending):
            self._flush(museum)
        return self.report

    def _take(self, row: Row) -> None:
        if row.error:
            self._reject(row.number, None, row.error)
            return
        data = row.data or {}
        museum = self._museum_for(row.number, data)
        if museum is None:
            return
        payload = (
            shared_format.to_record(data)
            if shared_format.is_shared_record(data)
            else {k: v for k, v in data.items() if k != "museum"}
        )
        try:
            body = validate_record(payload)
        except ValidationFailed as failure:
            local_id = payload.get("local_id") if isinstance(payload.get("local_id"), str) else None
            for error in failure.errors:
                self._reject(row.number, error["field"], error["message"], local_id)
            return
        key = (museum, body["local_id"])
        if key in self._seen:
            self._reject(
                row.number, "local_id", f"Duplicate local id; first seen in row {self._seen[key]}.", body["local_id"]
            )
            return
        self._seen[key] = row.number
        self._pending.setdefault(museum, []).append(_Pending(row.number, body))
        for warning in body.get(WARNINGS_KEY, []):
            self.report.warnings.append(
                RowError(row.number, warning["field"], warning["reason"], body["local_id"], warning["value"])
            )
        if len(self._pending[museum]) >= BATCH_SIZE:
            self._flush(museum)

    def _museum_for(self, number: int, data: dict) -> str | None:
        """The museum a row belongs to: the --museum option, the row's own, or the shared format's."""
        if shared_format.is_shared_record(data):
            code = self.museum or data.get("source_museum_code")
        else:
            code = self.museum or data.get("museum")
        if not isinstance(code, str) or not code:
            self._reject(number, "museum", "No museum: pass --museum CODE or give one in the row.")
            return None
        if code in self._known_museums:
            return code
        if self.register_museums and shared_format.is_shared_record(data):
            return self._register(number, data, code)
        self._reject(number, "museum", f"Unknown museum {code!r}; register it first or use --register-museums.")
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

    def _reject(self, row: int, field_name: str | None, message: str, local_id: str | None = None) -> None:
        self.report.errors.append(RowError(row, field_name, message, local_id))
