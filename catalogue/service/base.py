"""What every part of the service shares: the store and media it works on, the checks a write
starts with, and what happens after a write has committed."""

import threading
from dataclasses import dataclass

from catalogue.errors import Forbidden, NotFound
from catalogue.image_fetch import FetchPolicy
from catalogue.mail import Mailer
from catalogue.media import MediaStore
from catalogue.messages import N_
from catalogue.models import MUSEUM_CODE, Actor, Museum, ObjectRecord
from catalogue.store import Store

NO_MUSEUM = N_("No museum with code %(code)s.")
NO_OBJECT = N_("No object with id %(id)s.")
NO_LOCAL_OBJECT = N_("No object %(id)s in museum %(code)s.")
MUSEUM_SUSPENDED = N_("The museum %(code)s is suspended; its records cannot be changed.")


@dataclass(frozen=True)
class Outcome:
    """What one upsert did: ``created``, ``updated``, ``unchanged`` or ``withdrawn``."""

    action: str
    record_id: str
    local_id: str
    revision: int
    images_queued: int = 0  # image URLs the record names that were queued for fetching


class ServiceBase:
    def __init__(
        self,
        store: Store,
        media: MediaStore,
        max_image_bytes: int,
        max_image_pixels: int,
        after_write=None,
        image_fetch: FetchPolicy | None = None,
        mailer: Mailer | None = None,
        base_url: str = "http://127.0.0.1:5000",
        password_hash_method: str = "scrypt",
    ):
        self.store = store
        self.image_fetch = image_fetch or FetchPolicy(max_bytes=max_image_bytes)
        self.after_write = after_write or (lambda: None)  # e.g. index right away on one machine
        self.media = media
        self.mailer = mailer or Mailer(server=None)  # no server: mail goes to the log
        self._mail_lock = threading.Lock()
        self.password_hash_method = password_hash_method  # werkzeug's: "scrypt" (its default) in production
        self._dummy_hash: str | None = None
        self.base_url = base_url.rstrip("/")  # links in mail (invitations, password resets)
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels
        self._public_images: dict = {}  # image id -> (expiry, PublicImage | None); see images.py

    def upgrade_schema(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Bring the database to the current schema (``catalogue db upgrade``): (before, after)."""
        return self.store.upgrade_schema(revision)

    def schema_state(self) -> tuple[str | None, bool]:
        """The database's schema revision, and whether it is the newest."""
        return self.store.schema_revision(), self.store.schema_is_current()

    def museum(self, code: str, conn=None) -> Museum:
        """The museum ``code`` names; text that cannot be a code (from a URL or a form) is not even
        looked up, so no odd character reaches the database."""
        museum = self.store.get_museum(code, conn) if isinstance(code, str) and MUSEUM_CODE.fullmatch(code) else None
        if museum is None:
            raise NotFound(NO_MUSEUM, code=repr(code))
        return museum

    def check_may_write(self, actor: Actor, museum_code: str) -> None:
        """Refuse at once an actor who may not write this museum's records: the API asks this before
        it reads the body, so a token of one museum learns nothing about another from its answers."""
        if not actor.may_write(museum_code):
            raise Forbidden(N_("%(name)s may not change records of %(code)s."), name=actor.name, code=repr(museum_code))

    def curated_record(self, actor: Actor, record_id: str) -> ObjectRecord:
        """A record in any status, for the curator pages of its museum (Forbidden to anyone else)."""
        record = self.store.get_record(record_id)
        if record is None:
            raise NotFound(NO_OBJECT, id=repr(record_id))
        self.check_may_write(actor, record.museum)
        return record

    def _writable_museum(self, actor: Actor, code: str, conn) -> Museum:
        museum = self.museum(code, conn)
        self.check_may_write(actor, code)
        if museum.status == "suspended":
            raise Forbidden(MUSEUM_SUSPENDED, code=repr(code))
        self.store.lock_museum(conn, code)
        return museum

    def _existing(self, conn, museum_code: str, local_id: str) -> dict:
        row = self.store.existing_rows(conn, museum_code, [local_id]).get(local_id)
        if row is None:
            raise NotFound(NO_LOCAL_OBJECT, id=repr(local_id), code=repr(museum_code))
        return row

    def _written(self) -> None:
        """After a write has committed: what this process cached may be stale, and on one machine the
        change is indexed now."""
        self._public_images.clear()
        self.after_write()


def audit_entry(actor: Actor, museum: str | None, record_id, action: str, revision, changes: dict) -> dict:
    return {
        "actor": actor.name,
        "museum": museum,
        "record_id": record_id,
        "action": action,
        "revision": revision,
        "changes": changes,
    }
