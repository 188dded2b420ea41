"""Records: who may read which (drafts and withdrawn records stay private), upserts by (museum,
local id), status changes and reverts, each a new revision written with its audit entry (a field
diff), its kept body (the history) and its index outbox entry in one transaction."""

import hashlib
import json
from dataclasses import replace

import orjson

from catalogue.errors import Conflict, Gone, NotFound, PreconditionFailed, ValidationFailed
from catalogue.messages import N_, Message
from catalogue.models import (
    DRAFT,
    PUBLIC,
    PUBLISHED,
    WITHDRAWN,
    Actor,
    ObjectRecord,
    index_operation,
    is_public,
    public_id,
    record_etag,
)
from catalogue.records.history import HistoryEntry, field_diff, history, revision_row
from catalogue.records.schema import IMAGE_SOURCES_KEY, KEPT_KEY, STATUSES, WARNINGS_KEY, validate_record
from catalogue.service.base import NO_LOCAL_OBJECT, NO_OBJECT, Outcome, audit_entry
from catalogue.service.image_sources import ImageSourceRules
from catalogue.store import now


def content_hash(body: dict) -> str:
    """The digest that tells a changed record from an unchanged one: of the body's JSON with sorted
    keys, written by orjson (a fifth of the time the standard encoder took, and every save hashes its
    body); a body orjson refuses (a huge integer) is written by the standard encoder."""
    try:
        text = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = _standard_json(body)
    return hashlib.sha256(text).hexdigest()


def same_content(body: dict, stored: str, digest: str | None = None) -> bool:
    """Whether ``stored`` (a record's content_hash) is the digest of ``body`` (``digest``, when the
    caller has made it). Records saved before digests were written by orjson keep the standard
    encoder's digest until their content changes; it is made only when the new one differs."""
    return stored == (digest or content_hash(body)) or stored == hashlib.sha256(_standard_json(body)).hexdigest()


def _standard_json(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


class RecordRules(ImageSourceRules):
    def record(self, record_id: str, reader: Actor = PUBLIC) -> ObjectRecord:
        return self._visible(self.store.get_record(record_id), reader, Message(NO_OBJECT, id=repr(record_id)))

    def record_by_local_id(self, museum: str, local_id: str, reader: Actor = PUBLIC) -> ObjectRecord:
        return self._visible(
            self.store.find_record(museum, local_id),
            reader,
            Message(NO_LOCAL_OBJECT, id=repr(local_id), code=repr(museum)),
        )

    @staticmethod
    def _visible(record: ObjectRecord | None, reader: Actor, missing: Message) -> ObjectRecord:
        """The public sees published records; a withdrawn one is gone (410), a draft does not exist.
        The museum's curators and the administrators see everything of theirs."""
        if record is None:
            raise NotFound(missing)
        if is_public(record.status) or reader.may_read_unpublished(record.museum):
            return record
        if record.status == WITHDRAWN:
            raise Gone(N_("This object was withdrawn from the catalogue."), record.id)
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
        """Write validated records in one transaction with their kept revisions, audit and outbox entries.

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
            self.store.add_revisions(conn, plan.revisions)
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
        return self.change_status(actor, museum_code, local_id, WITHDRAWN)

    def change_status(
        self, actor: Actor, museum_code: str, local_id: str, status: str, expected_revision: int | None = None
    ) -> Outcome:
        """Publish, unpublish (back to draft) or withdraw a record: a new revision with only its
        status changed. The outcome's action is ``published``, ``unpublished`` or ``withdrawn``
        (``unchanged`` when it already had that status)."""
        if status not in STATUSES:
            raise ValidationFailed(
                f"Unknown status {status!r}.",
                [{"field": "status", "message": f"One of {', '.join(STATUSES)}."}],
            )
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            _check_preconditions(museum_code, local_id, row, expected_revision, None)
            if row["status"] == status:
                return Outcome("unchanged", row["id"], local_id, row["revision"])
            body = {**row["body"], "status": status}
            revision = self._save_revision(conn, actor, museum_code, row, body, _STATUS_ACTIONS[status])
        self._written()
        return Outcome(_STATUS_OUTCOMES[status], row["id"], local_id, revision)

    def revert(
        self, actor: Actor, museum_code: str, local_id: str, revision: int, expected_revision: int | None = None
    ) -> Outcome:
        """Save revision ``revision``'s content as a new revision (history is never rewritten).

        The status is part of the content: reverting to a revision that was published publishes the
        record again, as reverting to a draft one unpublishes it, so the record is exactly what it
        was then. Images are not part of the content and stay as they are. Reverting to what the
        record holds now is ``unchanged``."""
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            _check_preconditions(museum_code, local_id, row, expected_revision, None)
            kept = self.store.revision(row["id"], revision, conn)
            if kept is None:
                raise NotFound(
                    N_("Object %(id)s has no kept revision %(revision)s."), id=repr(local_id), revision=revision
                )
            if same_content(kept["body"], row["content_hash"]):
                return Outcome("unchanged", row["id"], local_id, row["revision"])
            new = self._save_revision(conn, actor, museum_code, row, kept["body"], "revert", {"reverted_to": revision})
        self._written()
        return Outcome("reverted", row["id"], local_id, new)

    def _save_revision(
        self, conn, actor: Actor, museum_code: str, row: dict, body: dict, action: str, extra: dict | None = None
    ) -> int:
        """Write ``body`` as the record's next revision with its kept copy, audit entry and outbox entry."""
        revision, stamp = row["revision"] + 1, now()
        self.store.update_records(
            conn,
            [
                {
                    "_id": row["id"],
                    "body": body,
                    "content_hash": content_hash(body),
                    "revision": revision,
                    **_columns(body),
                    "updated_at": stamp,
                }
            ],
        )
        self.store.add_revisions(conn, [revision_row(actor, row["id"], revision, body, stamp)])
        changes = {**(extra or {}), "fields": field_diff(row["body"], body)}
        self.store.append_audit(conn, [audit_entry(actor, museum_code, row["id"], action, revision, changes)])
        self.store.enqueue(conn, [(row["id"], revision, index_operation(body["status"]))])
        return revision

    def record_history(self, actor: Actor, museum_code: str, local_id: str) -> list[HistoryEntry]:
        """What happened to a record, newest first: each kept revision with who, when, its status and
        the field diff against the revision before it, and the other events of its audit log
        (images added, removed, reordered, their alt text; image URLs that failed). Only the
        museum's curators and admins and the secretariat may read it."""
        self.check_may_write(actor, museum_code)
        record = self.store.find_record(museum_code, local_id)
        if record is None:
            raise NotFound(NO_LOCAL_OBJECT, id=repr(local_id), code=repr(museum_code))
        return history(self.store.revisions(record.id), self.store.audit_entries(record.id))


_STATUS_ACTIONS = {PUBLISHED: "publish", DRAFT: "unpublish", WITHDRAWN: "withdraw"}
_STATUS_OUTCOMES = {PUBLISHED: "published", DRAFT: "unpublished", WITHDRAWN: "withdrawn"}


class _Plan:
    """The rows one upsert batch writes, worked out before anything touches the database."""

    def __init__(self, actor: Actor, museum: str):
        self.actor, self.museum = actor, museum
        self.inserts: list[dict] = []
        self.updates: list[dict] = []
        self.audit: list[dict] = []
        self.revisions: list[dict] = []
        self.outbox: list[tuple[str, int, str]] = []
        self.outcomes: list[Outcome] = []
        self.warning_updates: list[dict] = []

    def add(self, body: dict, existing: dict | None, expected_revision: int | None, if_match: str | None) -> None:
        local_id = body["local_id"]
        _check_preconditions(self.museum, local_id, existing, expected_revision, if_match)
        warnings = body.get(WARNINGS_KEY, [])
        body = _with_kept_fields(body, existing)
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
            self._done("created", record_id, local_id, 1, body, field_diff(None, body), stamp)
            return
        if same_content(body, existing["content_hash"], digest):
            self.outcomes.append(Outcome("unchanged", existing["id"], local_id, existing["revision"]))
            if warnings != (existing["warnings"] or []):  # the warnings describe the last input
                self.warning_updates.append({"_id": existing["id"], "warnings": warnings})
            return
        revision, stamp = existing["revision"] + 1, now()
        self.updates.append(
            {
                "_id": existing["id"],
                "body": body,
                "content_hash": digest,
                "revision": revision,
                **_columns(body),
                "warnings": warnings,
                "updated_at": stamp,
            }
        )
        action = "withdraw" if body["status"] == WITHDRAWN and existing["status"] != WITHDRAWN else "update"
        self._done(
            "updated", existing["id"], local_id, revision, body, field_diff(existing["body"], body), stamp, action
        )

    def _done(self, outcome, record_id, local_id, revision, body, diff, stamp, action=None) -> None:
        self.outcomes.append(Outcome(outcome, record_id, local_id, revision))
        action = action or ("create" if outcome == "created" else "update")
        self.audit.append(audit_entry(self.actor, self.museum, record_id, action, revision, {"fields": diff}))
        self.revisions.append(revision_row(self.actor, record_id, revision, body, stamp))
        self.outbox.append((record_id, revision, index_operation(body["status"])))


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
        raise Conflict(
            N_("Object %(id)s does not exist (expected revision %(expected)s)."),
            id=repr(local_id),
            expected=expected_revision,
        )
    if existing is not None and expected_revision != existing["revision"]:
        raise Conflict(
            N_("Object %(id)s is at revision %(revision)s, not %(expected)s; reload it and try again."),
            id=repr(local_id),
            revision=existing["revision"],
            expected=expected_revision,
        )


def _with_kept_fields(body: dict, existing: dict | None) -> dict:
    """The body to store: without the keys that travel beside it, and with the stored values of the
    fields its source could not say (``KEPT_KEY``). A LIDO file has no masterpiece flag, so a museum
    that sends its file again must not take its objects out of the masterpieces; a new record
    takes the schema's default."""
    kept = body.get(KEPT_KEY) or ()
    stored = existing["body"] if existing is not None else {}
    body = {key: value for key, value in body.items() if key not in (WARNINGS_KEY, IMAGE_SOURCES_KEY, KEPT_KEY)}
    return {**body, **{name: stored[name] for name in kept if name in stored}}


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
