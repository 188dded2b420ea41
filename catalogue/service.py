"""The catalogue's rules: who may write what, upserts with revisions, withdrawal, images, museums.

Every write names an ``Actor`` and a museum, runs in one transaction, and writes its audit entry
and index outbox entry in that same transaction. Views and the CLI call these methods only.
"""
import hashlib
import json
import secrets
from dataclasses import dataclass

from marshmallow import ValidationError

from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.images import check_image
from catalogue.media import MediaStore
from catalogue.models import Actor, Museum, ObjectRecord, StoredImage, public_id
from catalogue.museums import load_museum
from catalogue.records.langmap import LanguageMap
from catalogue.records.schema import field_errors, load_record
from catalogue.store import Store, now


@dataclass(frozen=True)
class Outcome:
    """What one upsert did: ``created``, ``updated``, ``unchanged`` or ``withdrawn``."""
    action: str
    record_id: str
    local_id: str
    revision: int


def content_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def validate_record(payload) -> dict:
    try:
        return load_record(payload)
    except ValidationError as error:
        raise ValidationFailed("The record is not valid.", field_errors(error)) from None


class CatalogueService:
    def __init__(self, store: Store, media: MediaStore, max_image_bytes: int, max_image_pixels: int,
                 after_write=None):
        self.store = store
        self.after_write = after_write or (lambda: None)  # e.g. index right away on one machine
        self.media = media
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels

    # museums -------------------------------------------------------------------------------
    def register_museum(self, actor: Actor, data: dict) -> Museum:
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators register museums.")
        museum = load_museum(data)
        with self.store.transaction() as conn:
            changed = self.store.save_museum(conn, museum)
            if changed:
                self.store.append_audit(conn, [{"actor": actor.name, "museum": museum.code, "record_id": None,
                                                 "action": "museum_saved", "revision": None,
                                                 "changes": museum.to_json()}])
                self.store.enqueue_museum(conn, museum.code)
        if changed:
            self.after_write()
        return museum

    def museum(self, code: str) -> Museum:
        museum = self.store.get_museum(code)
        if museum is None:
            raise NotFound(f"No museum with code {code!r}.")
        return museum

    def _writable_museum(self, actor: Actor, code: str, conn) -> Museum:
        museum = self.store.get_museum(code, conn)
        if museum is None:
            raise NotFound(f"No museum with code {code!r}.")
        if not actor.may_write(code):
            raise Forbidden(f"{actor.name} may not change records of {code!r}.")
        if museum.status == "suspended":
            raise Forbidden(f"The museum {code!r} is suspended; its records cannot be changed.")
        return museum

    # records -------------------------------------------------------------------------------
    def record(self, record_id: str) -> ObjectRecord:
        record = self.store.get_record(record_id)
        if record is None:
            raise NotFound(f"No object with id {record_id!r}.")
        return record

    def record_by_local_id(self, museum: str, local_id: str) -> ObjectRecord:
        record = self.store.find_record(museum, local_id)
        if record is None:
            raise NotFound(f"No object {local_id!r} in museum {museum!r}.")
        return record

    def upsert(self, actor: Actor, museum: str, payload, expected_revision: int | None = None) -> Outcome:
        """Validate and save one record (create or update by local id)."""
        return self.save_records(actor, museum, [validate_record(payload)], expected_revision)[0]

    def upsert_many(self, actor: Actor, museum: str, payloads: list) -> list[Outcome]:
        """All or nothing: every record is validated first; one bad record rejects the request."""
        valid, errors = [], []
        for index, payload in enumerate(payloads):
            try:
                valid.append(validate_record(payload))
            except ValidationFailed as failure:
                errors.extend({"index": index, **error} for error in failure.errors)
        if errors:
            raise ValidationFailed("Some records are not valid; nothing was saved.", errors)
        return self.save_records(actor, museum, valid)

    def save_records(self, actor: Actor, museum_code: str, bodies: list[dict],
                     expected_revision: int | None = None, dry_run: bool = False) -> list[Outcome]:
        """Write validated records in one transaction with their audit and outbox entries.

        With ``dry_run`` the outcomes are worked out against the stored rows and nothing is written.
        """
        seen: dict[str, int] = {}
        for index, body in enumerate(bodies):
            if body["local_id"] in seen:
                raise ValidationFailed("The same local id appears twice.", [
                    {"index": index, "field": "local_id",
                     "message": f"Duplicate of record {seen[body['local_id']]} in this request."}])
            seen[body["local_id"]] = index
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            existing = self.store.existing_rows(conn, museum_code, list(seen))
            plan = _Plan(actor, museum_code)
            for body in bodies:
                plan.add(body, existing.get(body["local_id"]), expected_revision)
            if dry_run:
                return plan.outcomes
            self.store.insert_records(conn, plan.inserts)
            self.store.update_records(conn, plan.updates)
            self.store.append_audit(conn, plan.audit)
            self.store.enqueue(conn, plan.outbox)
        if plan.outbox:
            self.after_write()
        return plan.outcomes

    def withdraw(self, actor: Actor, museum_code: str, local_id: str) -> Outcome:
        """Withdraw a record: it leaves the public catalogue, a tombstone stays for the index."""
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self.store.existing_rows(conn, museum_code, [local_id]).get(local_id)
            if row is None:
                raise NotFound(f"No object {local_id!r} in museum {museum_code!r}.")
            if row["status"] == "withdrawn":
                return Outcome("unchanged", row["id"], local_id, row["revision"])
            revision = row["revision"] + 1
            body = {**row["body"], "status": "withdrawn"}
            self.store.update_records(conn, [{"_id": row["id"], "body": body, "content_hash": content_hash(body),
                                              "revision": revision, "status": "withdrawn", "updated_at": now()}])
            self.store.append_audit(conn, [_audit(actor, museum_code, row["id"], "withdraw", revision,
                                                  {"status": [row["status"], "withdrawn"]})])
            self.store.enqueue(conn, [(row["id"], revision, "delete")])
        self.after_write()
        return Outcome("withdrawn", row["id"], local_id, revision)

    # images --------------------------------------------------------------------------------
    def add_images(self, actor: Actor, museum_code: str, local_id: str, files: list[tuple[bytes, str | None]],
                   alt=None) -> list[StoredImage]:
        """Check every file first (all or nothing), store each once by content, attach them to the
        record and bump its revision once. A file already attached to this record is not added again."""
        alt_map = _alt_text(alt)
        with self.store.reading() as conn:
            self._writable_museum(actor, museum_code, conn)
        if self.store.find_record(museum_code, local_id) is None:
            raise NotFound(f"No object {local_id!r} in museum {museum_code!r}.")
        checked = [(check_image(data, self.max_image_bytes, self.max_image_pixels), name) for data, name in files]
        for image, _name in checked:
            self.media.put_original(image.data, image.sha256, image.extension)
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self.store.existing_rows(conn, museum_code, [local_id]).get(local_id)
            if row is None:
                raise NotFound(f"No object {local_id!r} in museum {museum_code!r}.")
            stored, added = [], []
            for image, name in checked:
                entry = StoredImage(id=public_id(row["id"], image.sha256), record_id=row["id"], sha256=image.sha256,
                                    position=self.store.next_image_position(conn, row["id"]), format=image.format,
                                    width=image.width, height=image.height, bytes=len(image.data), alt=alt_map)
                if self.store.add_image(conn, entry, (name or "")[:500] or None):
                    added.append(entry)
                stored.append(entry)
            if added:
                revision = row["revision"] + 1
                self.store.update_records(conn, [{"_id": row["id"], "revision": revision, "updated_at": now()}])
                self.store.append_audit(conn, [_audit(actor, museum_code, row["id"], "images_added", revision,
                                                      {"images": [i.id for i in added]})])
                op = "upsert" if row["status"] == "published" else "delete"
                self.store.enqueue(conn, [(row["id"], revision, op)])
        if added:
            self.after_write()
        return [self.store.image_by_id(entry.id) or entry for entry in stored]

    # curators ------------------------------------------------------------------------------
    def create_token(self, actor: Actor, museum_code: str, name: str) -> str:
        """A new curator of ``museum_code`` with an API token; only the token's hash is kept."""
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators create curator tokens.")
        self.museum(museum_code)
        token = secrets.token_urlsafe(32)
        with self.store.transaction() as conn:
            user_id = self.store.create_user(conn, name, "curator", museum_code)
            self.store.add_token(conn, user_id, token)
            self.store.append_audit(conn, [_audit(actor, museum_code, None, "token_created", None,
                                                  {"user": user_id, "name": name})])
        return token

    def actor_for_token(self, token: str) -> Actor | None:
        user = self.store.user_for_token(token)
        if user is None:
            return None
        return Actor(name=user["name"], role=user["role"], museum=user["museum"], user_id=user["id"])


class _Plan:
    """The rows one upsert batch writes, worked out before anything touches the database."""

    def __init__(self, actor: Actor, museum: str):
        self.actor, self.museum = actor, museum
        self.inserts, self.updates, self.audit, self.outbox, self.outcomes = [], [], [], [], []

    def add(self, body: dict, existing: dict | None, expected_revision: int | None) -> None:
        local_id, digest, status = body["local_id"], content_hash(body), body["status"]
        op = "upsert" if status == "published" else "delete"
        if existing is None:
            if expected_revision not in (None, 0):
                raise Conflict(f"Object {local_id!r} does not exist (expected revision {expected_revision}).")
            record_id = public_id(self.museum, local_id)
            stamp = now()
            self.inserts.append({"id": record_id, "museum": self.museum, "local_id": local_id, "body": body,
                                 "content_hash": digest, "revision": 1, "status": status,
                                 "masterpiece": body["masterpiece"], "date_begin": body["date_begin"],
                                 "date_end": body["date_end"], "created_at": stamp, "updated_at": stamp})
            self._done("created", record_id, local_id, 1, op, {"fields": sorted(k for k, v in body.items() if v)})
            return
        if expected_revision is not None and expected_revision != existing["revision"]:
            raise Conflict(f"Object {local_id!r} is at revision {existing['revision']}, "
                           f"not {expected_revision}; reload it and try again.")
        if existing["content_hash"] == digest:
            self.outcomes.append(Outcome("unchanged", existing["id"], local_id, existing["revision"]))
            return
        revision = existing["revision"] + 1
        self.updates.append({"_id": existing["id"], "body": body, "content_hash": digest, "revision": revision,
                             "status": status, "masterpiece": body["masterpiece"], "date_begin": body["date_begin"],
                             "date_end": body["date_end"], "updated_at": now()})
        changed = sorted(k for k in set(body) | set(existing["body"]) if body.get(k) != existing["body"].get(k))
        action = "withdraw" if status == "withdrawn" and existing["status"] != "withdrawn" else "update"
        self._done("updated", existing["id"], local_id, revision, op, {"fields": changed}, action)

    def _done(self, outcome, record_id, local_id, revision, op, changes, action=None) -> None:
        self.outcomes.append(Outcome(outcome, record_id, local_id, revision))
        self.audit.append(_audit(self.actor, self.museum, record_id, action or ("create" if outcome == "created"
                                                                                 else "update"), revision, changes))
        self.outbox.append((record_id, revision, op))


def _audit(actor: Actor, museum: str, record_id, action: str, revision, changes: dict) -> dict:
    return {"actor": actor.name, "museum": museum, "record_id": record_id, "action": action,
            "revision": revision, "changes": changes}


def _alt_text(alt) -> dict:
    if alt is None or alt == "":
        return {}
    try:
        return LanguageMap(max_length=2000).deserialize(alt)
    except ValidationError as error:
        raise ValidationFailed("The alt text is not valid.", [{"field": "alt", "message": str(error.messages)}])
