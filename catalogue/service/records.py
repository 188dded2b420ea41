"""Records: who may read which (drafts and withdrawn records stay private), and upserts by (museum,
local id) with revisions, optimistic locking, audit and index outbox entries in one transaction."""

import hashlib
import json
from dataclasses import replace

from marshmallow import ValidationError

from catalogue.errors import Conflict, Gone, NotFound, PreconditionFailed, ValidationFailed
from catalogue.models import PUBLIC, WITHDRAWN, Actor, ObjectRecord, index_operation, is_public, public_id, record_etag
from catalogue.records.schema import IMAGE_SOURCES_KEY, WARNINGS_KEY, field_errors, load_record
from catalogue.service.base import Outcome, audit_entry
from catalogue.service.image_sources import ImageSourceRules
from catalogue.store import now


def content_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def validate_record(payload) -> dict:
    try:
        return load_record(payload)
    except ValidationError as error:
        raise ValidationFailed("The record is not valid.", field_errors(error)) from None


class RecordRules(ImageSourceRules):
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
                [
                    audit_entry(
                        actor, museum_code, row["id"], "withdraw", revision, {"status": [row["status"], WITHDRAWN]}
                    )
                ],
            )
            self.store.enqueue(conn, [(row["id"], revision, index_operation(WITHDRAWN))])
        self._written()
        return Outcome("withdrawn", row["id"], local_id, revision)


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
            audit_entry(
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
