"""Bulk uploads from the curator pages: upload, column mapping, dry run, then the import in the
background with progress and a report.

An upload is a file (kept in DATA_DIR/imports) and a row of ``imports`` that goes from
``uploaded`` through ``checking`` (the dry run, in the background) to ``checked`` (its report), then
``queued`` (confirmed), ``running``, and ``done`` or ``failed``. Both background jobs are claimed
atomically, so only one process runs each, and keep a heartbeat; a job whose process stopped is
claimed again once its heartbeat is stale. The import saves its progress after every batch of
records (each batch is one transaction) and a resumed one goes on after the last saved batch; a
batch written twice is harmless, as upserts are idempotent."""

import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from catalogue.errors import CatalogueError, Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.ingest import column_choices, upload_file
from catalogue.ingest.readers import NUMBERED_BY, ColumnMapping, read_csv, read_csv_header, read_jsonl, read_lido
from catalogue.ingest.report import empty_report, merged, report_counts, report_json
from catalogue.messages import N_
from catalogue.models import DRAFT, PUBLISHED, Actor
from catalogue.service.accounts import actor_of
from catalogue.service.base import MUSEUM_SUSPENDED, ServiceBase, audit_entry
from catalogue.store import StoreUnavailable, now
from catalogue.store.imports import CHECKED, CHECKING, DONE, FAILED, QUEUED, UPLOADED, BulkUpload

if TYPE_CHECKING:
    from catalogue.ingest.importer import Importer
    from catalogue.service import CatalogueService

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=5)  # a job this long without a heartbeat was left by a stopped process
HEARTBEAT_SECONDS = 1.0  # a job saves its progress at least this often while rows go by
BATCH_ROWS = 500  # records per transaction of an import
SAMPLE_ROWS = 3  # rows the mapping step shows under each column
CHANGEABLE = (UPLOADED, CHECKED)  # states in which the mapping may change and the dry run be made again


@dataclass(frozen=True)
class CsvColumn:
    """A column of an uploaded CSV file, as the mapping step shows it."""

    index: int
    header: str
    samples: list[str]
    field: str  # the field chosen (or guessed from the header); "" to ignore the column


class BulkUploadRules(ServiceBase):
    import_batch_size = BATCH_ROWS

    # the curator's steps --------------------------------------------------------------------
    def upload_import(
        self, actor: Actor, museum_code: str, filename: str | None, stream: IO[bytes], folder: Path, file_format="auto"
    ) -> BulkUpload:
        """Keep an uploaded file in ``folder`` for the steps that follow. Refused whole: an empty
        file, a binary one, and one that is not UTF-8."""
        self._uploading_museum(actor, museum_code)
        if file_format not in ("auto", *upload_file.FORMATS):
            message = N_("Choose CSV, JSON Lines or LIDO XML.")
            raise ValidationFailed(message, [{"field": "format", "message": message}])
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        original = upload_file.original_name(filename)
        temp = upload_file.receive(stream, folder)
        try:
            kind = upload_file.format_of(original, file_format, temp)
            with self.store.transaction() as conn:
                import_id = self.store.add_import(
                    conn,
                    {
                        "museum": museum_code,
                        "user_id": actor.user_id,
                        "actor": actor.name,
                        "format": kind,
                        "filename": original,
                        "file_path": "",
                        "state": UPLOADED,
                    },
                )
                path = folder / f"{import_id}-{upload_file.safe_name(original)}"
                self.store.update_import(conn, import_id, {"file_path": str(path)})
                changes = {"import": import_id, "file": original, "format": kind}
                self.store.append_audit(conn, [audit_entry(actor, museum_code, None, "import_uploaded", None, changes)])
                os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return self.bulk_upload(actor, import_id)

    def bulk_uploads(self, actor: Actor, museum_code: str) -> list[BulkUpload]:
        """A museum's uploads, newest first (without their reports)."""
        self.museum(museum_code)
        if not actor.may_write(museum_code):
            raise Forbidden(f"{actor.name} may not upload records of {museum_code!r}.")
        return self.store.list_imports(museum_code)

    def bulk_upload(self, actor: Actor, import_id: int) -> BulkUpload:
        """One upload, for the curators of its museum and the secretariat: anyone else learns
        nothing of it (its file name and report are the museum's business), as with records."""
        upload = self.store.get_import(import_id)
        if upload is None:
            raise NotFound(N_("No upload %(number)s."), number=import_id)
        if not actor.may_write(upload.museum):
            raise Forbidden("This upload belongs to another museum.")
        return upload

    def csv_columns(self, actor: Actor, import_id: int) -> list[CsvColumn]:
        """The columns of an uploaded CSV file with sample values and the field each maps to: as
        saved, else guessed from the headers."""
        upload = self.bulk_upload(actor, import_id)
        if upload.format != "csv":
            raise NotFound(N_("Only CSV files have columns to map."))
        header, samples = read_csv_header(_file(upload), SAMPLE_ROWS)
        fields = column_choices.chosen(upload.mapping, header) if upload.mapping else column_choices.suggest(header)
        return [
            CsvColumn(index, name, [row[index] if index < len(row) else "" for row in samples], fields.get(index, ""))
            for index, name in enumerate(header)
        ]

    def save_mapping(self, actor: Actor, import_id: int, choices: dict[int, str], language: str | None) -> BulkUpload:
        """Save which record field each CSV column fills (the dry run must then be made again)."""
        upload = self._changeable(actor, import_id)
        header, _samples = read_csv_header(_file(upload), 0)
        mapping = column_choices.build_mapping(header, choices, language)
        values = {"mapping": mapping, "state": UPLOADED, "dry_run_report": None, "total_rows": None, "counts": {}}
        with self.store.transaction() as conn:
            if not self.store.update_import(conn, import_id, values, states=CHANGEABLE):
                raise Conflict(N_("This upload changed meanwhile; reload the page."))
        return self.bulk_upload(actor, import_id)

    def request_check(self, actor: Actor, import_id: int) -> BulkUpload:
        """Ask for the dry run (``run_import`` makes it, in the background): every row through the
        same import as the real one, for this museum only, writing nothing, in the name of ``actor``."""
        upload = self._changeable(actor, import_id)
        if upload.format == "csv" and not upload.mapping:
            message = N_("Choose which record field each CSV column fills first.")
            raise ValidationFailed(message, [{"field": "mapping", "message": message}])
        values: dict = {
            "state": CHECKING,
            "user_id": actor.user_id,
            "actor": actor.name,
            "claimed_by": None,
            "processed_rows": 0,
            "counts": {},
            "dry_run_report": None,
            "error": None,
        }
        with self.store.transaction() as conn:
            if not self.store.update_import(conn, import_id, values, states=CHANGEABLE):
                raise Conflict(N_("This upload changed meanwhile; reload the page."))
        return self.bulk_upload(actor, import_id)

    def confirm_import(self, actor: Actor, import_id: int, default_status: str = PUBLISHED) -> BulkUpload:
        """Queue a checked upload for its import, in the name of ``actor`` (whom the audit log of
        every record it writes names). New records in rows that name no status get
        ``default_status``: published (as the API and the command line do) or draft (to publish
        them later, one by one); records already stored keep theirs."""
        if default_status not in (PUBLISHED, DRAFT):
            message = N_("Choose whether the records are published or kept as drafts.")
            raise ValidationFailed(message, [{"field": "default_status", "message": message}])
        upload = self.bulk_upload(actor, import_id)
        if upload.state != CHECKED:
            raise Conflict(f"Only a checked upload can be imported; this one is {upload.state}.")
        counts = (upload.dry_run_report or {}).get("counts", {})
        if not any(counts.get(name) for name in ("created", "updated", "unchanged")):
            message = N_("No row of this file can be imported; correct the file and upload it again.")
            raise ValidationFailed(message, [{"field": "confirm", "message": message}])
        self._uploading_museum(actor, upload.museum)
        values: dict = {
            "state": QUEUED,
            "default_status": default_status,
            "user_id": actor.user_id,
            "actor": actor.name,
            "claimed_by": None,
            "counts": {},
            "processed_rows": 0,
            "report": None,
            "error": None,
        }
        with self.store.transaction() as conn:
            if not self.store.update_import(conn, import_id, values, states=(CHECKED,)):
                raise Conflict(N_("This upload was confirmed already."))
            changes = {"import": import_id, "file": upload.filename, "rows": upload.total_rows}
            self.store.append_audit(conn, [audit_entry(actor, upload.museum, None, "import_confirmed", None, changes)])
        return self.bulk_upload(actor, import_id)

    def discard_import(self, actor: Actor, import_id: int) -> BulkUpload:
        """Forget an upload that was never imported (a wrong file, an abandoned mapping): its row
        leaves the history and its file is deleted, so a museum keeps no copy of data it chose not
        to import. The audit log keeps who discarded which file. Once confirmed, an upload has
        written records and stays, as the account of what it did."""
        upload = self.bulk_upload(actor, import_id)
        if upload.state not in CHANGEABLE:
            raise Conflict(N_("Only an upload that was not imported can be discarded."))
        with self.store.transaction() as conn:
            if not self.store.delete_import(conn, import_id, states=CHANGEABLE):
                raise Conflict(N_("This upload changed meanwhile; reload the page."))
            changes = {"import": import_id, "file": upload.filename, "rows": upload.total_rows}
            self.store.append_audit(conn, [audit_entry(actor, upload.museum, None, "import_discarded", None, changes)])
        Path(upload.file_path).unlink(missing_ok=True)
        return upload

    # the background jobs --------------------------------------------------------------------
    def run_import_in_background(self, import_id: int) -> None:
        """Start the upload's dry run or import now, in a thread of this process (else the timer of
        whichever process gets there first starts it within BULK_IMPORT_SECONDS)."""
        thread = threading.Thread(target=self._run_logged, args=(import_id,), name=f"bulk-upload-{import_id}")
        thread.daemon = True
        thread.start()

    def run_pending_imports(self) -> None:
        """Run the bulk uploads that wait (or that a stopped process left running)."""
        for import_id in self.store.runnable_imports(now() - STALE_AFTER):
            self.run_import(import_id)

    def run_import(self, import_id: int) -> bool:
        """Claim the upload's waiting dry run or import and run it to the end; False when there was
        nothing to claim (nothing waits, or another thread or process holds it, heartbeat fresh)."""
        claim = secrets.token_hex(16)
        upload = self.store.claim_import(import_id, claim, now() - STALE_AFTER)
        if upload is None:
            return False
        job = _DryRun(self, upload, claim) if upload.state == CHECKING else _Import(self, upload, claim)
        job.run()
        return True

    def _run_logged(self, import_id: int) -> None:
        try:
            self.run_import(import_id)
        except Exception:  # e.g. the database went away before the job could start: the timer retries
            log.exception("bulk upload %s could not start; the timer tries again", import_id)

    # helpers --------------------------------------------------------------------------------
    def _uploading_museum(self, actor: Actor, museum_code: str) -> None:
        museum = self.museum(museum_code)
        if not actor.may_write(museum_code):
            raise Forbidden(f"{actor.name} may not upload records of {museum_code!r}.")
        if museum.status == "suspended":
            raise Forbidden(MUSEUM_SUSPENDED, code=repr(museum_code))

    def _changeable(self, actor: Actor, import_id: int) -> BulkUpload:
        upload = self.bulk_upload(actor, import_id)
        if upload.state not in CHANGEABLE:
            raise Conflict(f"This upload is {upload.state}; it can no longer change.")
        return upload

    def _acting_account(self, upload: BulkUpload) -> Actor:
        """Who a job acts as: the account that asked for it, while it still may."""
        user = self.store.user(upload.user_id) if upload.user_id is not None else None
        if user is None or not user["active"]:
            raise Forbidden("The account that asked for this is no longer active.")
        actor = actor_of(user)
        if not actor.may_write(upload.museum):
            raise Forbidden(f"{actor.name} may no longer change records of {upload.museum!r}.")
        return actor


def _file(upload: BulkUpload) -> Path:
    path = Path(upload.file_path)
    if not path.is_file():
        raise Conflict(N_("The uploaded file is no longer kept; upload it again."))
    return path


def _rows(upload: BulkUpload):
    path = _file(upload)
    if upload.format == "csv":
        mapping = upload.mapping or {}
        return read_csv(path, ColumnMapping(columns=mapping.get("columns", {}), language=mapping.get("language")))
    return read_lido(path) if upload.format == "lido" else read_jsonl(path)


def _whole(rules: BulkUploadRules) -> "CatalogueService":
    """The importer takes the whole service, of which these rules are a part."""
    return cast("CatalogueService", rules)


class _LostClaim(Exception):
    """Another process took the job over (after this one's heartbeat went stale)."""


class _Job:
    """A background job on one upload, holding its claim: every save is refused once another
    process has taken the job over, which stops this one."""

    def __init__(self, service: BulkUploadRules, upload: BulkUpload, claim: str):
        self.service, self.upload, self.claim = service, upload, claim
        self.actor = Actor(name=upload.actor, role="system")  # until the account is looked up
        self.importer: Importer | None = None
        self.processed, self.saved_at = 0, time.monotonic()

    def run(self) -> None:
        try:
            self.actor = self.service._acting_account(self.upload)
            self.work()
        except _LostClaim:
            log.warning("bulk upload %s: another process took the job over", self.upload.id)
        except StoreUnavailable:
            log.warning("bulk upload %s: the database is unavailable; the job resumes later", self.upload.id)
        except Exception as error:
            if not isinstance(error, CatalogueError):
                log.exception("bulk upload %s failed", self.upload.id)
            self.failed(error.message if isinstance(error, CatalogueError) else f"{type(error).__name__}: {error}")

    def work(self) -> None:
        raise NotImplementedError

    def failed(self, message: str) -> None:
        raise NotImplementedError

    def importer_for(self, dry_run: bool, on_batch=None) -> "Importer":
        from catalogue.ingest.importer import Importer  # here, not above: the importer is built on the service

        self.importer = Importer(
            _whole(self.service),
            self.actor,
            museum=self.upload.museum,
            dry_run=dry_run,
            only_museum=True,
            batch_size=self.service.import_batch_size,
            on_batch=on_batch,
            default_status=self.upload.default_status,
        )
        return self.importer

    def heartbeat(self) -> None:
        if time.monotonic() - self.saved_at >= HEARTBEAT_SECONDS:
            self.save({"processed_rows": self.processed, "counts": self.counts()})

    def counts(self) -> dict:
        return report_counts(self.importer.report) if self.importer else {}

    def save(self, values: dict) -> None:
        with self.service.store.transaction() as conn:
            if not self.service.store.update_import(conn, self.upload.id, values, (self.upload.state,), self.claim):
                raise _LostClaim()
        self.saved_at = time.monotonic()

    def end(self, values: dict, audit: tuple[str, dict] | None = None) -> None:
        store = self.service.store
        with store.transaction() as conn:
            ended = store.update_import(
                conn, self.upload.id, {**values, "claimed_by": None}, (self.upload.state,), self.claim
            )
            if not ended:
                log.warning("bulk upload %s: another process took the job over", self.upload.id)
            elif audit:
                entry = audit_entry(self.actor, self.upload.museum, None, audit[0], None, audit[1])
                store.append_audit(conn, [entry])


class _DryRun(_Job):
    """Count the rows, then take every one through the importer without writing: the report."""

    def work(self) -> None:
        total = sum(1 for _row in _rows(self.upload))
        self.save({"total_rows": total, "processed_rows": 0})
        importer = self.importer_for(dry_run=True)
        report = importer.import_rows(self.rows(), lambda row: self.heartbeat(), NUMBERED_BY[self.upload.format])
        summary = report_json(report)
        values = {"state": CHECKED, "dry_run_report": summary, "counts": summary["counts"]}
        self.end({**values, "total_rows": self.processed, "processed_rows": self.processed})

    def rows(self):
        for row in _rows(self.upload):
            self.processed += 1
            yield row

    def failed(self, message: str) -> None:
        """A dry run that cannot read the file (a CSV header the mapping does not fit) sends the
        upload back to its curator with the reason; it wrote nothing."""
        self.end({"state": UPLOADED, "error": message, "dry_run_report": None, "total_rows": None})


class _Import(_Job):
    """The import itself; after each batch its report so far and where it stands are saved, so a
    run that stopped goes on from there (the rows before are only remembered, for duplicates)."""

    def __init__(self, service: BulkUploadRules, upload: BulkUpload, claim: str):
        super().__init__(service, upload, claim)
        saved = upload.report or {}
        self.before = saved if "counts" in saved else empty_report()  # the rows of a stopped run
        self.resume_after = int(saved.get("last_row", 0))
        self.last_row = 0

    def work(self) -> None:
        importer = self.importer_for(dry_run=False, on_batch=lambda report: self.batch_saved())
        importer.import_rows(self.rows(), lambda row: self.heartbeat(), NUMBERED_BY[self.upload.format])
        self.finish(DONE, None)

    def rows(self):
        for row in _rows(self.upload):
            self.processed += 1
            self.last_row = row.number
            if row.number <= self.resume_after:
                assert self.importer is not None
                self.importer.remember(row)
                continue
            yield row

    def report(self) -> dict:
        return merged(self.before, report_json(self.importer.report) if self.importer else empty_report())

    def counts(self) -> dict:
        return merged(self.before, {"counts": super().counts(), "lines": [], "lines_total": 0})["counts"]

    def batch_saved(self) -> None:
        report = {**self.report(), "last_row": self.last_row}
        self.save({"processed_rows": self.processed, "counts": report["counts"], "report": report})

    def failed(self, message: str) -> None:
        """The batches saved before stay (each was one transaction); the report says how far it got."""
        self.finish(FAILED, message[:1000])

    def finish(self, state: str, error: str | None) -> None:
        report = self.report()
        values = {
            "state": state,
            "error": error,
            "report": report,
            "counts": report["counts"],
            "processed_rows": self.processed,
            "finished_at": now(),
        }
        changes = {"import": self.upload.id, "file": self.upload.filename, "counts": report["counts"]}
        self.end(values, ("import_done" if state == DONE else "import_failed", changes | {"error": error}))
