"""The catalogue's rules: who may read and write what, upserts with revisions, withdrawal, images,
museums and curator tokens.

Every write names an ``Actor`` and a museum, runs in one transaction, and writes its audit entry
and index outbox entry in that same transaction. Every read names who is reading, so drafts and
withdrawn records stay private. Views, the CLI and the importer call these methods only; nothing
above this module touches the store or the media folder.
"""

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from marshmallow import ValidationError

from catalogue.errors import CatalogueError, Conflict, Forbidden, Gone, NotFound, PreconditionFailed, ValidationFailed
from catalogue.image_fetch import FetchFailed, FetchPolicy, FetchReport, SourceFailure, download
from catalogue.images import ALLOWED, check_image
from catalogue.media import MediaStore
from catalogue.models import (
    PUBLIC,
    WITHDRAWN,
    Actor,
    Museum,
    ObjectRecord,
    StoredImage,
    index_operation,
    is_public,
    public_id,
    record_etag,
)
from catalogue.museums import load_museum
from catalogue.records.langmap import LanguageMap
from catalogue.records.schema import IMAGE_SOURCES_KEY, WARNINGS_KEY, field_errors, load_record
from catalogue.store import FAILED, FETCHED, PENDING, ImageSource, Store, now
from iiif.pyramid import UnreadableImage


@dataclass(frozen=True)
class Outcome:
    """What one upsert did: ``created``, ``updated``, ``unchanged`` or ``withdrawn``."""

    action: str
    record_id: str
    local_id: str
    revision: int
    images_queued: int = 0  # image URLs the record names that were queued for fetching


@dataclass(frozen=True)
class MuseumPage:
    museum: Museum
    records: list[ObjectRecord]
    page: int
    pages: int
    total: int


IMAGE_FETCHER = Actor(name="image fetcher", role="system")  # stores the images records name by URL
FETCH_LEASE = timedelta(minutes=10)  # a source being fetched is not due elsewhere for this long
PUBLIC_IMAGE_SECONDS = 10.0  # a record withdrawn stops serving new tiles after at most this long
PUBLIC_IMAGE_CACHE = 10_000


@dataclass(frozen=True)
class PublicImage:
    pyramid_dir: Path
    rights: str | None


@dataclass(frozen=True)
class ImageFile:
    path: Path
    mime: str
    etag: str


def content_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def validate_record(payload) -> dict:
    try:
        return load_record(payload)
    except ValidationError as error:
        raise ValidationFailed("The record is not valid.", field_errors(error)) from None


class CatalogueService:
    def __init__(
        self,
        store: Store,
        media: MediaStore,
        max_image_bytes: int,
        max_image_pixels: int,
        after_write=None,
        image_fetch: FetchPolicy | None = None,
    ):
        self.store = store
        self.image_fetch = image_fetch or FetchPolicy(max_bytes=max_image_bytes)
        self.after_write = after_write or (lambda: None)  # e.g. index right away on one machine
        self.media = media
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels
        self._public_images: dict[str, tuple[float, PublicImage | None]] = {}

    # the database schema -------------------------------------------------------------------
    def upgrade_schema(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Bring the database to the current schema (``catalogue db upgrade``): (before, after)."""
        return self.store.upgrade_schema(revision)

    def schema_state(self) -> tuple[str | None, bool]:
        """The database's schema revision, and whether it is the newest."""
        return self.store.schema_revision(), self.store.schema_is_current()

    # museums -------------------------------------------------------------------------------
    def register_museum(self, actor: Actor, data: dict) -> Museum:
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators register museums.")
        museum = load_museum(data)
        with self.store.transaction() as conn:
            self.store.lock_museum(conn, museum.code)
            changed = self.store.save_museum(conn, museum)
            if changed:
                self.store.append_audit(
                    conn, [_audit(actor, museum.code, None, "museum_saved", None, museum.to_json())]
                )
                self.store.enqueue_museum(conn, museum.code)
        if changed:
            self._written()
        return museum

    def museum(self, code: str) -> Museum:
        museum = self.store.get_museum(code)
        if museum is None:
            raise NotFound(f"No museum with code {code!r}.")
        return museum

    def museums(self) -> list[Museum]:
        return self.store.list_museums()

    def museum_labels(self) -> dict[str, Museum]:
        """Every museum by code, cached for a few seconds (search results label each hit with them)."""
        return self.store.museums_by_code()

    def published_counts(self) -> dict[str, int]:
        """Published records per museum code."""
        return self.store.record_counts()

    def museum_page(self, code: str, page: int, size: int) -> MuseumPage:
        """One page of a museum's published records; a page past the last is not found."""
        museum = self.museum(code)
        total = self.store.count_records(code)
        pages = max(1, -(-total // size))
        if not 1 <= page <= pages:
            raise NotFound(f"There is no page {page}; this museum's records fill {pages} page(s).")
        records = self.store.list_records(museum=code, limit=size, offset=(page - 1) * size)
        return MuseumPage(museum, records, page, pages, total)

    def masterpieces(self, limit: int = 12) -> list[ObjectRecord]:
        return self.store.list_records(masterpiece=True, limit=limit)

    def records_with_images(
        self,
        page: int,
        size: int,
        museum: str | None = None,
        country: str | None = None,
        masterpiece: bool | None = None,
    ) -> tuple[list[ObjectRecord], int]:
        """A page of the published records that have images (the ones IIIF collections list)."""
        return self.store.records_with_images(museum, country, masterpiece, limit=size, offset=(page - 1) * size)

    def countries_with_images(self) -> dict[str, int]:
        return self.store.countries_with_images()

    # records -------------------------------------------------------------------------------
    def record(self, record_id: str, reader: Actor = PUBLIC) -> ObjectRecord:
        return self._visible(self.store.get_record(record_id), reader, f"No object with id {record_id!r}.")

    def record_by_local_id(self, museum: str, local_id: str, reader: Actor = PUBLIC) -> ObjectRecord:
        return self._visible(
            self.store.find_record(museum, local_id), reader, f"No object {local_id!r} in museum {museum!r}."
        )

    @staticmethod
    def _visible(record: ObjectRecord | None, reader: Actor, missing: str) -> ObjectRecord:
        """The public sees published records; a withdrawn one is gone (410), a draft does not exist.
        The museum's curators and the administrators see everything of theirs."""
        if record is None:
            raise NotFound(missing)
        if is_public(record.status) or reader.may_read_unpublished(record.museum):
            return record
        if record.status == WITHDRAWN:
            raise Gone("This object was withdrawn from the catalogue.", record.id)
        raise NotFound(missing)

    def audit_entries(self, record_id: str | None = None) -> list[dict]:
        return self.store.audit_entries(record_id)

    def upsert(
        self, actor: Actor, museum: str, payload, expected_revision: int | None = None, if_match: str | None = None
    ) -> Outcome:
        """Validate and save one record (create or update by local id)."""
        return self.save_records(actor, museum, [validate_record(payload)], expected_revision, if_match=if_match)[0]

    def upsert_many(self, actor: Actor, museum: str, payloads: list) -> list[Outcome]:
        """All or nothing: every record is validated first; one bad record rejects the request."""
        valid: list[dict] = []
        errors: list[dict] = []
        for index, payload in enumerate(payloads):
            try:
                valid.append(validate_record(payload))
            except ValidationFailed as failure:
                errors.extend({"index": index, **error} for error in failure.errors)
        if errors:
            raise ValidationFailed("Some records are not valid; nothing was saved.", errors)
        return self.save_records(actor, museum, valid)

    def save_records(
        self,
        actor: Actor,
        museum_code: str,
        bodies: list[dict],
        expected_revision: int | None = None,
        dry_run: bool = False,
        if_match: str | None = None,
    ) -> list[Outcome]:
        """Write validated records in one transaction with their audit and outbox entries.

        With ``dry_run`` the outcomes are worked out against the stored rows and nothing is written.
        """
        _refuse_duplicates(bodies)
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            existing = self.store.existing_rows(conn, museum_code, [body["local_id"] for body in bodies])
            plan = _Plan(actor, museum_code)
            for body in bodies:
                plan.add(body, existing.get(body["local_id"]), expected_revision, if_match)
            if dry_run:
                return plan.outcomes
            self.store.insert_records(conn, plan.inserts)
            self.store.update_records(conn, plan.updates)
            self.store.update_records(conn, plan.warning_updates)
            self.store.append_audit(conn, plan.audit)
            self.store.enqueue(conn, plan.outbox)
            queued = self._queue_image_sources(conn, actor, museum_code, bodies, plan.outcomes)
        if plan.outbox:
            self._written()
        return [
            replace(o, images_queued=len(queued[o.record_id])) if o.record_id in queued else o for o in plan.outcomes
        ]

    def withdraw(self, actor: Actor, museum_code: str, local_id: str) -> Outcome:
        """Withdraw a record: it leaves the public catalogue, a tombstone stays for the index."""
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            if row["status"] == WITHDRAWN:
                return Outcome("unchanged", row["id"], local_id, row["revision"])
            revision = row["revision"] + 1
            body = {**row["body"], "status": WITHDRAWN}
            self.store.update_records(
                conn,
                [
                    {
                        "_id": row["id"],
                        "body": body,
                        "content_hash": content_hash(body),
                        "revision": revision,
                        "status": WITHDRAWN,
                        "updated_at": now(),
                    }
                ],
            )
            self.store.append_audit(
                conn,
                [_audit(actor, museum_code, row["id"], "withdraw", revision, {"status": [row["status"], WITHDRAWN]})],
            )
            self.store.enqueue(conn, [(row["id"], revision, index_operation(WITHDRAWN))])
        self._written()
        return Outcome("withdrawn", row["id"], local_id, revision)

    def _writable_museum(self, actor: Actor, code: str, conn) -> Museum:
        museum = self.store.get_museum(code, conn)
        if museum is None:
            raise NotFound(f"No museum with code {code!r}.")
        if not actor.may_write(code):
            raise Forbidden(f"{actor.name} may not change records of {code!r}.")
        if museum.status == "suspended":
            raise Forbidden(f"The museum {code!r} is suspended; its records cannot be changed.")
        self.store.lock_museum(conn, code)
        return museum

    def _existing(self, conn, museum_code: str, local_id: str) -> dict:
        row = self.store.existing_rows(conn, museum_code, [local_id]).get(local_id)
        if row is None:
            raise NotFound(f"No object {local_id!r} in museum {museum_code!r}.")
        return row

    # images --------------------------------------------------------------------------------
    def add_images(
        self, actor: Actor, museum_code: str, local_id: str, files: list[tuple[bytes, str | None]], alt=None
    ) -> list[StoredImage]:
        """Check every file first (all or nothing), store each once by content with its derivatives,
        attach them to the record and bump its revision once. A file already attached to this record
        is not added again."""
        alt_map = _alt_text(alt)
        with self.store.reading() as conn:
            self._writable_museum(actor, museum_code, conn)
            self._existing(conn, museum_code, local_id)
        checked = [(check_image(data, self.max_image_bytes, self.max_image_pixels), name) for data, name in files]
        for image, _name in checked:
            path = self.media.put_original(image.data, image.sha256, image.extension)
            self._derive(image.sha256, path)
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            stored, added = [], []
            for image, name in checked:
                entry = StoredImage(
                    id=public_id(row["id"], image.sha256),
                    record_id=row["id"],
                    sha256=image.sha256,
                    position=self.store.next_image_position(conn, row["id"]),
                    format=image.format,
                    width=image.width,
                    height=image.height,
                    bytes=len(image.data),
                    alt=alt_map,
                )
                if self.store.add_image(conn, entry, (name or "")[:500] or None):
                    added.append(entry)
                stored.append(entry)
            if added:
                revision = row["revision"] + 1
                self.store.update_records(conn, [{"_id": row["id"], "revision": revision, "updated_at": now()}])
                self.store.append_audit(
                    conn,
                    [
                        _audit(
                            actor, museum_code, row["id"], "images_added", revision, {"images": [i.id for i in added]}
                        )
                    ],
                )
                self.store.enqueue(conn, [(row["id"], revision, index_operation(row["status"]))])
        if added:
            self._written()
        return [self.store.image_by_id(entry.id) or entry for entry in stored]

    def image_file(self, image_id: str, variant: str) -> ImageFile:
        """The stored file of a public image: ``original`` or ``thumbnail``. Images of unpublished
        records are not found, exactly like unknown ones. Nothing is decoded here: derivatives
        were made at upload (or by ``catalogue derive``)."""
        found = self.store.image_and_record_status(image_id)
        if found is None or not is_public(found[1]):
            raise NotFound(f"No image with id {image_id!r}.")
        image = found[0]
        extension, mime = ALLOWED[image.format]
        if variant == "original":
            return ImageFile(self.media.original_path(image.sha256, extension), mime, image.sha256)
        path = self.media.fixed_size_path(image.sha256)
        if path is None or not path.exists():
            raise NotFound("This image's thumbnail has not been made yet (`catalogue derive` makes it).")
        return ImageFile(path, "image/jpeg", f"{image.sha256}-thumb")

    def public_image(self, image_id: str) -> PublicImage | None:
        """Where the IIIF Image API finds a public image's pyramid, and its rights; None for unknown
        images and images of unpublished records (the Image API answers 404 for both). A viewer asks
        for dozens of tiles of one image at once, so answers are kept for PUBLIC_IMAGE_SECONDS."""
        now_ = time.monotonic()
        cached = self._public_images.get(image_id)
        if cached is not None and cached[0] > now_:
            return cached[1]
        found = self.store.image_and_record(image_id)
        answer = None
        if found is not None and is_public(found[1].status):
            rights = (found[1].body.get("rights") or {}).get("image_rights")
            answer = PublicImage(self.media.pyramid_dir(found[0].sha256), rights)
        if len(self._public_images) >= PUBLIC_IMAGE_CACHE:
            self._public_images.clear()
        self._public_images[image_id] = (now_ + PUBLIC_IMAGE_SECONDS, answer)
        return answer

    def derive_missing(self, on_image=None) -> tuple[int, int]:
        """Make the derivatives of every stored image that lacks them; returns (made, failed)."""
        made = failed = 0
        for image in self.store.all_images():
            extension = ALLOWED[image.format][0]
            if not self.media.has_derivatives(image.sha256):
                try:
                    self._derive(image.sha256, self.media.original_path(image.sha256, extension))
                    made += 1
                except (OSError, ValidationFailed):
                    failed += 1
            if on_image:
                on_image(image)
        return made, failed

    def _written(self) -> None:
        """After a write has committed: what this process cached may be stale, and on one machine the
        change is indexed now."""
        self._public_images.clear()
        self.after_write()

    def _derive(self, sha256: str, original: Path) -> None:
        try:
            self.media.derive(sha256, original, self.max_image_pixels)
        except UnreadableImage as error:
            raise ValidationFailed(f"The image could not be prepared for viewing: {error}") from None

    # images by URL -------------------------------------------------------------------------
    def _queue_image_sources(
        self, conn, actor: Actor, museum_code: str, bodies: list[dict], outcomes: list[Outcome]
    ) -> dict[str, list[str]]:
        """Queue the image URLs the records name, in the records' own transaction and audited with
        them; a URL the record named before (fetched, failed or pending) is not queued again."""
        wanted = [
            {"record_id": outcome.record_id, "position": position, **source}
            for body, outcome in zip(bodies, outcomes)
            for position, source in enumerate(body.get(IMAGE_SOURCES_KEY, []))
        ]
        queued: dict[str, list[str]] = {}
        for record_id, url in self.store.queue_image_sources(conn, wanted, now()):
            queued.setdefault(record_id, []).append(url)
        revisions = {outcome.record_id: outcome.revision for outcome in outcomes}
        self.store.append_audit(
            conn,
            [
                _audit(actor, museum_code, record_id, "image_urls_queued", revisions[record_id], {"urls": urls})
                for record_id, urls in queued.items()
            ],
        )
        return queued

    def image_sources(self, record_id: str) -> list[ImageSource]:
        """The images a record names by URL and how fetching them went (shown to its curators)."""
        with self.store.reading() as conn:
            return self.store.image_sources_of(conn, record_id)

    def fetch_images(
        self,
        museum: str | None = None,
        limit: int | None = None,
        retry_failed: bool = False,
        at: datetime | None = None,
    ) -> FetchReport:
        """Fetch the image sources that are due (``catalogue fetch-images``, and the app's timer).
        Each download passes the address guard and its bytes the upload path, as IMAGE_FETCHER; a
        failure is kept on its source, tried again later when that may help, and never stops the
        others. ``at`` is the time to act at: tests move it instead of sleeping."""
        at = at or now()
        if museum:
            self.museum(museum)
        if retry_failed:
            with self.store.transaction() as conn:
                self.store.retry_failed_image_sources(conn, at, museum)
        with self.store.reading() as conn:
            due = self.store.due_image_sources(conn, at, museum, limit)
        report = FetchReport()
        for source in due:
            with self.store.transaction() as conn:
                claimed = self.store.claim_image_source(conn, source, at + FETCH_LEASE, at)
            if claimed:  # else another process is fetching it
                self._fetch_source(source, at, report)
        with self.store.reading() as conn:
            report.waiting = self.store.count_pending_image_sources(conn, museum)
        return report

    def _fetch_source(self, source: ImageSource, at: datetime, report: FetchReport) -> None:
        try:
            data = download(source.url, self.image_fetch)
            files: list[tuple[bytes, str | None]] = [(data, source.url[:500])]  # the URL names the original
            (image,) = self.add_images(IMAGE_FETCHER, source.museum, source.local_id, files, source.alt)
        except FetchFailed as failure:
            self._source_failed(source, at, failure.reason, failure.retry, report)
        except CatalogueError as refused:  # not an image, too large, a suspended museum...
            self._source_failed(source, at, refused.message, False, report)
        else:
            with self.store.transaction() as conn:
                self.store.finish_image_source(conn, source.id, at, FETCHED, image_id=image.id)
            report.fetched += 1

    def _source_failed(self, source: ImageSource, at: datetime, reason: str, retry: bool, report: FetchReport) -> None:
        """Try again after a growing delay while attempts remain; else the source has failed."""
        attempts = source.attempts + 1
        again = retry and attempts < self.image_fetch.attempts
        if retry and not again:
            reason = f"{reason} (gave up after {attempts} attempts)"
        next_at = at + self.image_fetch.retry_delay(attempts) if again else None
        with self.store.transaction() as conn:
            self.store.finish_image_source(
                conn, source.id, at, PENDING if again else FAILED, error=reason, next_attempt_at=next_at
            )
            if not again:
                changes = {"url": source.url, "reason": reason}
                self.store.append_audit(
                    conn, [_audit(IMAGE_FETCHER, source.museum, source.record_id, "image_url_failed", None, changes)]
                )
        report.failures.append(SourceFailure(source.museum, source.local_id, source.url, reason, next_at))

    # curators ------------------------------------------------------------------------------
    def create_token(self, actor: Actor, museum_code: str, name: str, expires_in: timedelta | None = None) -> str:
        """A new curator of ``museum_code`` with an API token; only the token's hash is kept."""
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators create curator tokens.")
        self.museum(museum_code)
        token = secrets.token_urlsafe(32)
        expires_at = now() + expires_in if expires_in else None
        with self.store.transaction() as conn:
            user_id = self.store.create_user(conn, name, "curator", museum_code)
            self.store.add_token(conn, user_id, token, expires_at)
            self.store.append_audit(
                conn, [_audit(actor, museum_code, None, "token_created", None, {"user": user_id, "name": name})]
            )
        return token

    def tokens(self, actor: Actor, museum_code: str | None = None) -> list[dict]:
        """The tokens an administrator may see: id (a prefix of the hash), user, museum, dates."""
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators list tokens.")
        return self.store.list_tokens(museum_code)

    def revoke_token(self, actor: Actor, token_id: str) -> dict:
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators revoke tokens.")
        with self.store.transaction() as conn:
            token = self.store.revoke_token(conn, token_id)
            if token is None:
                raise NotFound(f"No active token with id {token_id!r}.")
            self.store.append_audit(
                conn,
                [
                    _audit(
                        actor,
                        token["museum"],
                        None,
                        "token_revoked",
                        None,
                        {"token": token["id"], "user": token["user_id"]},
                    )
                ],
            )
        return token

    def actor_for_token(self, token: str) -> Actor | None:
        user = self.store.user_for_token(token, now())
        if user is None:
            return None
        return Actor(name=user["name"], role=user["role"], museum=user["museum"], user_id=user["id"])


class _Plan:
    """The rows one upsert batch writes, worked out before anything touches the database."""

    def __init__(self, actor: Actor, museum: str):
        self.actor, self.museum = actor, museum
        self.inserts: list[dict] = []
        self.updates: list[dict] = []
        self.audit: list[dict] = []
        self.outbox: list[tuple[str, int, str]] = []
        self.outcomes: list[Outcome] = []
        self.warning_updates: list[dict] = []

    def add(self, body: dict, existing: dict | None, expected_revision: int | None, if_match: str | None) -> None:
        local_id = body["local_id"]
        _check_preconditions(self.museum, local_id, existing, expected_revision, if_match)
        warnings = body.get(WARNINGS_KEY, [])
        body = {key: value for key, value in body.items() if key not in (WARNINGS_KEY, IMAGE_SOURCES_KEY)}
        digest = content_hash(body)
        if existing is None:
            record_id, stamp = public_id(self.museum, local_id), now()
            self.inserts.append(
                {
                    "id": record_id,
                    "museum": self.museum,
                    "local_id": local_id,
                    "body": body,
                    "content_hash": digest,
                    "revision": 1,
                    **_columns(body),
                    "warnings": warnings,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            self._done(
                "created", record_id, local_id, 1, body["status"], {"fields": sorted(k for k, v in body.items() if v)}
            )
            return
        if existing["content_hash"] == digest:
            self.outcomes.append(Outcome("unchanged", existing["id"], local_id, existing["revision"]))
            if warnings != (existing["warnings"] or []):  # the warnings describe the last input
                self.warning_updates.append({"_id": existing["id"], "warnings": warnings})
            return
        revision = existing["revision"] + 1
        self.updates.append(
            {
                "_id": existing["id"],
                "body": body,
                "content_hash": digest,
                "revision": revision,
                **_columns(body),
                "warnings": warnings,
                "updated_at": now(),
            }
        )
        changed = sorted(k for k in set(body) | set(existing["body"]) if body.get(k) != existing["body"].get(k))
        action = "withdraw" if body["status"] == WITHDRAWN and existing["status"] != WITHDRAWN else "update"
        self._done("updated", existing["id"], local_id, revision, body["status"], {"fields": changed}, action)

    def _done(self, outcome, record_id, local_id, revision, status, changes, action=None) -> None:
        self.outcomes.append(Outcome(outcome, record_id, local_id, revision))
        self.audit.append(
            _audit(
                self.actor,
                self.museum,
                record_id,
                action or ("create" if outcome == "created" else "update"),
                revision,
                changes,
            )
        )
        self.outbox.append((record_id, revision, index_operation(status)))


def _check_preconditions(
    museum: str, local_id: str, existing: dict | None, expected_revision: int | None, if_match: str | None
) -> None:
    """Optimistic locking: a ``revision`` in the body (409 when stale) or an ``If-Match`` ETag, which
    must name this very record at its current revision (412 otherwise, as HTTP says)."""
    if if_match is not None:
        current = record_etag(existing["id"], existing["revision"]) if existing else None
        if current is None or (if_match != "*" and if_match != current):
            raise PreconditionFailed(
                f"If-Match {if_match} does not match object {local_id!r} "
                f"(its ETag is {current or 'none: it does not exist'}); reload it and try again."
            )
    if expected_revision is None:
        return
    if existing is None and expected_revision != 0:
        raise Conflict(f"Object {local_id!r} does not exist (expected revision {expected_revision}).")
    if existing is not None and expected_revision != existing["revision"]:
        raise Conflict(
            f"Object {local_id!r} is at revision {existing['revision']}, "
            f"not {expected_revision}; reload it and try again."
        )


def _columns(body: dict) -> dict:
    """The record fields the database keeps in columns of their own, for queries."""
    return {
        "status": body["status"],
        "masterpiece": body["masterpiece"],
        "date_begin": body["date_begin"],
        "date_end": body["date_end"],
    }


def _refuse_duplicates(bodies: list[dict]) -> None:
    seen: dict[str, int] = {}
    for index, body in enumerate(bodies):
        if body["local_id"] in seen:
            raise ValidationFailed(
                "The same local id appears twice.",
                [
                    {
                        "index": index,
                        "field": "local_id",
                        "message": f"Duplicate of record {seen[body['local_id']]} in this request.",
                    }
                ],
            )
        seen[body["local_id"]] = index


def _audit(actor: Actor, museum: str | None, record_id, action: str, revision, changes: dict) -> dict:
    return {
        "actor": actor.name,
        "museum": museum,
        "record_id": record_id,
        "action": action,
        "revision": revision,
        "changes": changes,
    }


def _alt_text(alt) -> dict:
    if alt is None or alt == "":
        return {}
    try:
        return LanguageMap(max_length=2000).deserialize(alt)
    except ValidationError as error:
        raise ValidationFailed(
            "The alt text is not valid.", [{"field": "alt", "message": str(error.messages)}]
        ) from None
