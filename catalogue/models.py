"""Domain objects passed between store, service and views: Museum, ObjectRecord, StoredImage, Actor."""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from catalogue import reference
from catalogue.records.langmap import pick

MUSEUM_STATUSES = ("applicant", "member", "suspended", "guest")
MUSEUM_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")  # 2-40 lower-case letters, digits and hyphens
PUBLISHED, DRAFT, WITHDRAWN = "published", "draft", "withdrawn"


def is_public(status: str) -> bool:
    """The publishing rule, in one place: only published records are shown to the public and kept
    in the search index; drafts and withdrawn records are not."""
    return status == PUBLISHED


def index_operation(status: str) -> str:
    """What the index does with a record in this status (the outbox entry's ``op``)."""
    return "upsert" if is_public(status) else "delete"


def public_id(museum: str, local_id: str) -> str:
    """A stable, URL-safe id derived from (museum, local id): the same record keeps its id
    across re-imports and fresh databases, and the museum's own id may hold any characters."""
    digest = hashlib.sha256(f"{museum}\x1f{local_id}".encode()).digest()
    return base64.b32encode(digest[:10]).decode("ascii").lower()


def record_etag(record_id: str, revision: int) -> str:
    """The HTTP ETag of one revision of one record (strong, quoted)."""
    return f'"{record_id}-{revision}"'


@dataclass
class Museum:
    code: str
    names: dict
    country: str | None
    status: str
    city: str | None = None
    website: str | None = None
    logo: str | None = None

    @property
    def region(self) -> str | None:
        return reference.region_of(self.country)

    def name(self, languages=("en",)) -> str:
        return pick(self.names, languages) or self.code

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "names": self.names,
            "country": self.country,
            "region": self.region,
            "city": self.city,
            "website": self.website,
            "logo": self.logo,
            "status": self.status,
        }


@dataclass
class StoredImage:
    id: str
    record_id: str
    sha256: str
    position: int
    format: str
    width: int
    height: int
    bytes: int
    alt: dict

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "alt": self.alt,
        }


@dataclass
class ObjectRecord:
    id: str
    museum: str
    local_id: str
    body: dict
    revision: int
    status: str
    created_at: datetime
    updated_at: datetime
    images: list[StoredImage] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return record_etag(self.id, self.revision)

    @property
    def image_rights(self) -> str | None:
        return (self.body.get("rights") or {}).get("image_rights")

    @property
    def images_open_for_reuse(self) -> bool:
        """Whether the museum opened this record's images for reuse (`reference.open_for_reuse`):
        only then may anyone have their original files."""
        return reference.open_for_reuse(self.image_rights)

    def title(self, languages=("en",)) -> str:
        return pick(self.body.get("title"), languages) or self.local_id

    def to_json(self, url: str) -> dict:
        """The public JSON shape: identity first, then the schema's fields by their names."""
        body = {k: v for k, v in self.body.items() if k not in ("local_id", "status")}
        return {
            "id": self.id,
            "url": url,
            "museum": self.museum,
            "local_id": self.local_id,
            **body,
            "images": [image.to_json() for image in self.images],
            "status": self.status,
            "revision": self.revision,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


ADMIN, MUSEUM_ADMIN, CURATOR = "admin", "museum_admin", "curator"
ROLES = (ADMIN, MUSEUM_ADMIN, CURATOR)  # "admin" is the network's secretariat


@dataclass(frozen=True)
class Actor:
    """Who is acting: every write names one, so audit history and per-museum rights have a seam.

    Roles: the secretariat's ``admin`` (every museum, membership), a ``museum_admin`` (one museum's
    records and curators), a ``curator`` (one museum's records); ``system`` for the command line and
    background jobs, ``public`` for an anonymous visitor."""

    name: str
    role: str
    museum: str | None = None
    user_id: int | None = None
    email: str | None = None

    def may_write(self, museum_code: str) -> bool:
        return self.role in (ADMIN, "system") or (self.role in (CURATOR, MUSEUM_ADMIN) and self.museum == museum_code)

    def may_read_unpublished(self, museum_code: str) -> bool:
        """A museum's own curators and the administrators see its drafts and withdrawn records."""
        return self.may_write(museum_code)

    def may_manage_users(self, museum_code: str | None) -> bool:
        """The secretariat manages every account; a museum admin, the accounts of their museum."""
        return self.role in (ADMIN, "system") or (self.role == MUSEUM_ADMIN and self.museum == museum_code)

    @property
    def is_secretariat(self) -> bool:
        return self.role in (ADMIN, "system")


SYSTEM = Actor(name="system", role="system")
PUBLIC = Actor(name="public", role="public")  # an anonymous visitor: reads published records only
