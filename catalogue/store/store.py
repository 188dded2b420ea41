"""The only code that touches the database: museums, records, images, users, audit, outbox (and, in
``image_sources.py``, the queue of images named by URL)."""

import json
import threading
import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.models import PUBLISHED, Museum, ObjectRecord, StoredImage
from catalogue.store import migrate
from catalogue.store import tables as t
from catalogue.store.accounts import AccountQueries
from catalogue.store.activity import ActivityQueries
from catalogue.store.clock import aware, now
from catalogue.store.curation import CurationQueries
from catalogue.store.exports import ExportQueries
from catalogue.store.image_sources import ImageSourceQueries
from catalogue.store.imports import ImportQueries
from catalogue.store.membership import MembershipQueries
from catalogue.store.oai import OaiQueries
from catalogue.store.queries import HAS_IMAGE
from catalogue.store.revisions import RevisionQueries
from catalogue.store.sitemaps import SitemapQueries
from catalogue.store.themes import ThemeQueries

MUSEUM_CACHE_SECONDS = 10.0
WRITE_OPTION = "catalogue_writes"


def _sqlite_setup(engine: sa.Engine) -> None:
    """WAL so readers never wait for a writer. Write transactions begin IMMEDIATE (they take the
    write lock at once, so read-then-write upserts never deadlock); reads begin DEFERRED and take
    no lock at all."""

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection):
        writes = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN DEFERRED")


class Store(
    AccountQueries,
    ImageSourceQueries,
    CurationQueries,
    MembershipQueries,
    ImportQueries,
    RevisionQueries,
    ThemeQueries,
    OaiQueries,
    ActivityQueries,
    SitemapQueries,
    ExportQueries,
):
    def __init__(self, url: str):
        self.url = url
        options: dict = {}
        if url.startswith("postgresql"):
            # a worker's threads each hold a connection while they read or write
            options = {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True}
        self.engine = sa.create_engine(url, json_serializer=encoded, **options)
        self.dialect = self.engine.dialect.name
        self._museum_cache: tuple[float, dict[str, Museum]] | None = None
        self._writer: AbstractContextManager = nullcontext()
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
            # SQLite admits one writer at a time and makes the others poll with ever longer sleeps
            # (up to 100 ms), which is unfair: under steady load one thread's write waited seconds.
            # This process's writers queue on a lock instead; busy_timeout only serves other processes.
            self._writer = threading.RLock()

    def dispose(self) -> None:
        self.engine.dispose()

    # schema --------------------------------------------------------------------------------
    def upgrade_schema(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Run the migrations up to ``revision``; returns the revisions before and after."""
        with self._migrating() as conn:
            return migrate.upgrade(conn, revision)

    def downgrade_schema(self, revision: str) -> tuple[str | None, str | None]:
        """Run the migrations back to ``revision``; returns the revisions before and after."""
        with self._migrating() as conn:
            return migrate.downgrade(conn, revision)

    @contextmanager
    def _migrating(self):
        """The write transaction a migration runs in. SQLite alters a table by rebuilding it (copy,
        drop, rename), and with foreign keys enforced, dropping a table that other rows refer to
        fails; the pragma that turns them off is ignored inside a transaction. So, as SQLite's manual
        prescribes, they are off during the migration and checked before it commits."""
        if self.dialect != "sqlite":
            with self.transaction() as conn:
                yield conn
            return
        with self._writer, self.engine.connect() as conn:
            sqlite = conn.connection.driver_connection
            sqlite.execute("PRAGMA foreign_keys=OFF")
            try:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise RuntimeError(f"the migration broke a foreign key: {tuple(broken)}")
            finally:
                sqlite.execute("PRAGMA foreign_keys=ON")

    def schema_revision(self) -> str | None:
        with self.reading() as conn:
            return migrate.current_revision(conn)

    def schema_is_current(self) -> bool:
        return self.schema_revision() == migrate.head_revision()

    def shared_by_processes(self) -> bool:
        """False for a private in-memory database, which other processes cannot open."""
        return self.engine.url.database not in (None, "", ":memory:") or self.dialect != "sqlite"

    # transactions --------------------------------------------------------------------------
    @contextmanager
    def transaction(self):
        """One unit of work: everything inside commits together or not at all."""
        with self._writer, self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self):
        """Reads that see one consistent snapshot and never wait for, or block, a writer.

        On PostgreSQL that takes REPEATABLE READ: under its default, READ COMMITTED, every statement
        sees its own snapshot, so a record and its images (two statements) could come from two
        different revisions. SQLite's read transaction is one snapshot already (WAL)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    def lock_museum(self, conn: Connection, code: str) -> None:
        """Serialise writes to one museum's records until the transaction ends. SQLite already
        serialises every write transaction; PostgreSQL needs this so that two concurrent upserts of
        the same record cannot both read revision N and both write N + 1."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:code, 0))"), {"code": code})

    # museums -------------------------------------------------------------------------------
    def get_museum(self, code: str, conn: Connection | None = None) -> Museum | None:
        with self._conn(conn) as c:
            row = c.execute(sa.select(t.museums).where(t.museums.c.code == code)).mappings().first()
        return _museum(row) if row else None

    def list_museums(self) -> list[Museum]:
        with self.reading() as c:
            rows = c.execute(sa.select(t.museums).order_by(t.museums.c.code)).mappings().all()
        return [_museum(row) for row in rows]

    def museums_by_code(self) -> dict[str, Museum]:
        """Every museum by code, kept for a few seconds: search responses label each hit and facet
        value with museum names, and reading them per request cost more than the rest of our work
        around an Elasticsearch search. This process's museum writes clear it at once; another
        process's show within MUSEUM_CACHE_SECONDS."""
        cached = self._museum_cache
        if cached is None or cached[0] < time.monotonic():
            cached = (time.monotonic() + MUSEUM_CACHE_SECONDS, {m.code: m for m in self.list_museums()})
            self._museum_cache = cached
        return cached[1]

    def save_museum(self, conn: Connection, museum: Museum) -> bool:
        """Insert or update; returns True when something changed."""
        self._museum_cache = None
        values = {k: v for k, v in museum.to_json().items() if k != "region"}
        existing = conn.execute(sa.select(t.museums).where(t.museums.c.code == museum.code)).mappings().first()
        if existing is None:
            conn.execute(t.museums.insert().values(**values, created_at=now(), updated_at=now()))
            return True
        if all(existing[k] == v for k, v in values.items()):
            return False
        conn.execute(t.museums.update().where(t.museums.c.code == museum.code).values(**values, updated_at=now()))
        return True

    def record_counts(self, status: str = PUBLISHED) -> dict[str, int]:
        query = (
            sa.select(t.records.c.museum, sa.func.count())
            .where(t.records.c.status == status)
            .group_by(t.records.c.museum)
        )
        with self.reading() as c:
            return dict(c.execute(query).all())

    # records -------------------------------------------------------------------------------
    def get_record(self, record_id: str) -> ObjectRecord | None:
        found = self.get_records([record_id])
        return found[0] if found else None

    def get_records(self, record_ids: list[str]) -> list[ObjectRecord]:
        with self.reading() as c:
            rows = c.execute(sa.select(t.records).where(t.records.c.id.in_(record_ids))).mappings().all()
            return self._with_images(c, rows)

    def records_to_index(self, record_ids: list[str]) -> list[ObjectRecord]:
        """`get_records` for the index builder, where reading is a fifth of a rebuild: plain rows
        instead of mappings, and JSON decoded by orjson, twice as fast as the standard decoder.
        Stored bodies passed the record schema (numbers are bounded years and measures), so both
        read them alike; what orjson refuses (NaN, say) is read by the standard decoder."""
        r = t.records.c
        plain = [r.id, r.museum, r.local_id, r.revision, r.status, r.created_at, r.updated_at]
        query = sa.select(*plain, sa.cast(r.body, sa.Text), sa.cast(r.warnings, sa.Text))
        names = [column.name for column in plain] + ["body", "warnings"]
        with self.reading() as c:
            rows = [dict(zip(names, row)) for row in c.execute(query.where(r.id.in_(record_ids)))]
            images = self._images_of(c, [row["id"] for row in rows])
        for row in rows:
            row["body"], row["warnings"] = _decoded(row["body"]), _decoded(row["warnings"])
        return [_record(row, images.get(row["id"], [])) for row in rows]

    def find_record(self, museum: str, local_id: str) -> ObjectRecord | None:
        query = sa.select(t.records).where(t.records.c.museum == museum, t.records.c.local_id == local_id)
        with self.reading() as c:
            rows = c.execute(query).mappings().all()
            found = self._with_images(c, rows)
        return found[0] if found else None

    def list_records(
        self,
        museum: str | None = None,
        status: str | None = PUBLISHED,
        masterpiece: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ObjectRecord]:
        query = _records_where(sa.select(t.records), museum, status, masterpiece)
        query = query.order_by(t.records.c.museum, t.records.c.local_id).limit(limit).offset(offset)
        with self.reading() as c:
            return self._with_images(c, c.execute(query).mappings().all())

    def records_with_images(
        self,
        museum: str | None = None,
        country: str | None = None,
        masterpiece: bool | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[ObjectRecord], int]:
        """One page of the published records that have an image (those with an IIIF manifest),
        by museum, the museum's country or masterpiece; and how many there are in all."""
        query = _records_where(sa.select(t.records), museum, PUBLISHED, masterpiece).where(HAS_IMAGE)
        if country:
            in_country = sa.select(t.museums.c.code).where(t.museums.c.country == country)
            query = query.where(t.records.c.museum.in_(in_country))
        total_query = sa.select(sa.func.count()).select_from(query.subquery())
        page = query.order_by(t.records.c.museum, t.records.c.local_id).limit(limit).offset(offset)
        with self.reading() as c:
            return self._with_images(c, c.execute(page).mappings().all()), c.execute(total_query).scalar_one()

    def museums_with_images(self) -> dict[str, int]:
        """Museum code -> its published records with an image (its manifests)."""
        query = (
            sa.select(t.records.c.museum, sa.func.count())
            .where(t.records.c.status == PUBLISHED, HAS_IMAGE)
            .group_by(t.records.c.museum)
        )
        with self.reading() as c:
            return dict(c.execute(query).all())

    def countries_with_images(self) -> dict[str, int]:
        """Museum country -> published records with an image there."""
        query = (
            sa.select(t.museums.c.country, sa.func.count())
            .join(t.records, t.records.c.museum == t.museums.c.code)
            .where(t.records.c.status == PUBLISHED, HAS_IMAGE, t.museums.c.country.is_not(None))
            .group_by(t.museums.c.country)
        )
        with self.reading() as c:
            return dict(c.execute(query).all())

    def count_records(self, museum: str | None = None, status: str | None = PUBLISHED) -> int:
        query = _records_where(sa.select(sa.func.count()).select_from(t.records), museum, status)
        with self.reading() as c:
            return c.execute(query).scalar_one()

    def existing_rows(self, conn: Connection, museum: str, local_ids: list[str]) -> dict[str, dict]:
        """local id -> {id, content_hash, revision, status, created_at} for an upsert batch."""
        cols = (
            t.records.c.id,
            t.records.c.local_id,
            t.records.c.content_hash,
            t.records.c.revision,
            t.records.c.status,
            t.records.c.body,
            t.records.c.warnings,
        )
        found = {}
        for start in range(0, len(local_ids), 500):
            chunk = local_ids[start : start + 500]
            query = sa.select(*cols).where(t.records.c.museum == museum, t.records.c.local_id.in_(chunk))
            for row in conn.execute(query).mappings():
                found[row["local_id"]] = dict(row)
        return found

    def insert_records(self, conn: Connection, rows: list[dict]) -> None:
        if rows:
            conn.execute(t.records.insert(), rows)

    def update_records(self, conn: Connection, rows: list[dict]) -> None:
        if not rows:
            return
        statement = (
            t.records.update()
            .where(t.records.c.id == sa.bindparam("_id"))
            .values({k: sa.bindparam(k) for k in rows[0] if k != "_id"})
        )
        conn.execute(statement, rows)

    def _with_images(self, conn: Connection, rows) -> list[ObjectRecord]:
        by_record = self._images_of(conn, [row["id"] for row in rows])
        return [_record(row, by_record.get(row["id"], [])) for row in rows]

    def _images_of(self, conn: Connection, record_ids: list[str]) -> dict[str, list[StoredImage]]:
        by_record: dict[str, list[StoredImage]] = {}
        if record_ids:
            query = sa.select(t.images).where(t.images.c.record_id.in_(record_ids)).order_by(t.images.c.position)
            for image in conn.execute(query).mappings():
                by_record.setdefault(image["record_id"], []).append(_image(image))
        return by_record

    # images --------------------------------------------------------------------------------
    def add_image(self, conn: Connection, image: StoredImage, original_name: str | None) -> bool:
        """Attach an image; returns False when this record already has these exact bytes."""
        exists = conn.execute(
            sa.select(t.images.c.id).where(t.images.c.record_id == image.record_id, t.images.c.sha256 == image.sha256)
        ).first()
        if exists:
            return False
        values = {**image.__dict__, "original_name": original_name, "created_at": now()}
        conn.execute(t.images.insert().values(**values))
        return True

    def next_image_position(self, conn: Connection, record_id: str) -> int:
        query = sa.select(sa.func.max(t.images.c.position)).where(t.images.c.record_id == record_id)
        current = conn.execute(query).scalar()
        return 0 if current is None else current + 1

    def image_by_id(self, image_id: str) -> StoredImage | None:
        with self.reading() as c:
            row = c.execute(sa.select(t.images).where(t.images.c.id == image_id)).mappings().first()
        return _image(row) if row else None

    def image_with_record(self, image_id: str) -> tuple[StoredImage, str, str | None] | None:
        """An image with its record's status and image rights, in one query: the public image routes
        and the IIIF Image API ask this for every request they have not cached."""
        query = (
            sa.select(t.images, t.records.c.status.label("record_status"), t.records.c.body.label("record_body"))
            .join(t.records, t.records.c.id == t.images.c.record_id)
            .where(t.images.c.id == image_id)
        )
        with self.reading() as c:
            row = c.execute(query).mappings().first()
        if row is None:
            return None
        rights = (row["record_body"].get("rights") or {}).get("image_rights")
        return _image(row), row["record_status"], rights

    def image_museum(self, image_id: str) -> tuple[StoredImage, str] | None:
        """An image with its record's museum: whose curators may see it before it is public."""
        query = (
            sa.select(t.images, t.records.c.museum.label("record_museum"))
            .join(t.records, t.records.c.id == t.images.c.record_id)
            .where(t.images.c.id == image_id)
        )
        with self.reading() as c:
            row = c.execute(query).mappings().first()
        return (_image(row), row["record_museum"]) if row else None

    def record_images(self, record_id: str, conn: Connection | None = None) -> list[tuple[StoredImage, str | None]]:
        """A record's images in order, each with the name of the file it was uploaded as. Pass
        ``conn`` to read inside a write transaction."""
        query = (
            sa.select(t.images).where(t.images.c.record_id == record_id).order_by(t.images.c.position, t.images.c.id)
        )
        with self._conn(conn) as c:
            return [(_image(row), row["original_name"]) for row in c.execute(query).mappings()]

    def update_images(self, conn: Connection, rows: list[dict]) -> None:
        """Rows of {"_id", and the columns to set (all rows the same ones)}: positions, alt text."""
        if not rows:
            return
        statement = (
            t.images.update()
            .where(t.images.c.id == sa.bindparam("_id"))
            .values({k: sa.bindparam(k) for k in rows[0] if k != "_id"})
        )
        conn.execute(statement, rows)

    def remove_image(self, conn: Connection, image_id: str) -> None:
        """Detach an image from its record. Its files stay in the media store: they are stored once by
        content and another record may hold the same bytes. An image source that fetched it keeps
        its state (the URL is not fetched again) but no longer names it."""
        conn.execute(t.image_sources.update().where(t.image_sources.c.image_id == image_id).values(image_id=None))
        conn.execute(t.images.delete().where(t.images.c.id == image_id))

    def all_images(self, chunk: int = 1000):
        """Every stored image, in id order, read in chunks."""
        last = ""
        while True:
            query = sa.select(t.images).where(t.images.c.id > last).order_by(t.images.c.id).limit(chunk)
            with self.reading() as c:
                batch = [_image(row) for row in c.execute(query).mappings()]
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    # audit and outbox ----------------------------------------------------------------------
    def append_audit(self, conn: Connection, entries: list[dict]) -> None:
        if entries:
            conn.execute(t.audit_log.insert(), [{"at": now(), **entry} for entry in entries])

    def audit_entries(self, record_id: str | None = None) -> list[dict]:
        query = sa.select(t.audit_log).order_by(t.audit_log.c.id)
        if record_id:
            query = query.where(t.audit_log.c.record_id == record_id)
        with self.reading() as c:
            return [dict(row) for row in c.execute(query).mappings()]

    def enqueue(self, conn: Connection, items: list[tuple[str, int, str]]) -> None:
        """Queue (record id, revision, "upsert"|"delete") for the indexer, inside the write's transaction."""
        if items:
            rows = [{"record_id": r, "revision": rev, "op": op, "enqueued_at": now()} for r, rev, op in items]
            conn.execute(t.index_outbox.insert(), rows)

    def enqueue_museum(self, conn: Connection, museum: str) -> None:
        """Queue every record of a museum (its name, country or region is part of each document).
        The op says only "look again": the indexer applies the publishing rule to what it reads."""
        query = sa.select(t.records.c.id, t.records.c.revision, sa.literal("refresh"), sa.literal(now())).where(
            t.records.c.museum == museum
        )
        conn.execute(t.index_outbox.insert().from_select(["record_id", "revision", "op", "enqueued_at"], query))

    def enqueue_records(self, conn: Connection, record_ids: list[str]) -> None:
        """Queue these records at their current revisions to be looked at again (a theme that holds
        them was published, withdrawn or changed its list: the ``theme`` field of their documents)."""
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), 500):
            query = sa.select(t.records.c.id, t.records.c.revision, sa.literal("refresh"), sa.literal(now())).where(
                t.records.c.id.in_(ids[start : start + 500])
            )
            conn.execute(t.index_outbox.insert().from_select(["record_id", "revision", "op", "enqueued_at"], query))

    def pending_outbox(self, limit: int = 500) -> list[dict]:
        query = sa.select(t.index_outbox).order_by(t.index_outbox.c.id).limit(limit)
        with self.reading() as c:
            return [dict(row) for row in c.execute(query).mappings()]

    def ack_outbox(self, entry_ids: list[int]) -> None:
        with self.transaction() as c:
            c.execute(t.index_outbox.delete().where(t.index_outbox.c.id.in_(entry_ids)))

    def add_dead_letters(self, backend: str, failures: list[tuple[str, int | None, str]]) -> None:
        if failures:
            rows = [
                {"record_id": r, "revision": rev, "backend": backend, "reason": reason, "at": now()}
                for r, rev, reason in failures
            ]
            with self.transaction() as c:
                c.execute(t.index_dead_letters.insert(), rows)

    def dead_letters(self) -> list[dict]:
        with self.reading() as c:
            return [
                dict(row)
                for row in c.execute(sa.select(t.index_dead_letters).order_by(t.index_dead_letters.c.id)).mappings()
            ]

    def outbox_size(self) -> int:
        with self.reading() as c:
            return c.execute(sa.select(sa.func.count()).select_from(t.index_outbox)).scalar_one()

    def record_ids(self, status: str = PUBLISHED) -> list[str]:
        query = sa.select(t.records.c.id).where(t.records.c.status == status).order_by(t.records.c.id)
        with self.reading() as c:
            return list(c.execute(query).scalars())

    def iter_records(self, status: str | None = PUBLISHED, updated_since: datetime | None = None, chunk: int = 1000):
        """Every record in id order, in chunks (for rebuilds), optionally only recent changes."""
        last = ""
        while True:
            query = sa.select(t.records).where(t.records.c.id > last).order_by(t.records.c.id).limit(chunk)
            if status:
                query = query.where(t.records.c.status == status)
            if updated_since is not None:
                query = query.where(t.records.c.updated_at >= updated_since)
            with self.reading() as c:
                batch = self._with_images(c, c.execute(query).mappings().all())
            if not batch:
                return
            yield from batch
            last = batch[-1].id


def _records_where(query: sa.Select, museum: str | None, status: str | None, masterpiece: bool | None = None):
    """``query`` narrowed to one museum, one status and masterpieces or not (None: any)."""
    if museum:
        query = query.where(t.records.c.museum == museum)
    if status:
        query = query.where(t.records.c.status == status)
    if masterpiece is not None:
        query = query.where(t.records.c.masterpiece == masterpiece)
    return query


def _museum(row) -> Museum:
    return Museum(
        code=row["code"],
        names=row["names"],
        country=row["country"],
        status=row["status"],
        city=row["city"],
        website=row["website"],
        logo=row["logo"],
    )


def _image(row) -> StoredImage:
    return StoredImage(
        id=row["id"],
        record_id=row["record_id"],
        sha256=row["sha256"],
        position=row["position"],
        format=row["format"],
        width=row["width"],
        height=row["height"],
        bytes=row["bytes"],
        alt=row["alt"],
    )


def encoded(value) -> str:
    """JSON for the database's JSON columns: orjson's, five times faster than the standard encoder
    (a record's body is written two or three times with each save: the record, its kept revision,
    its audit diff), and UTF-8 where the standard encoder wrote \\u escapes. What orjson refuses (a
    dict with keys that are not strings, an integer beyond 64 bits) goes to the standard encoder. A
    NaN or an infinity becomes null (the standard encoder wrote NaN, which PostgreSQL's json
    refuses); records never hold one, since validation drops such numbers with a warning."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def _decoded(body):
    if not isinstance(body, str):  # a driver that decodes JSON itself
        return body
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _record(row, images: list[StoredImage]) -> ObjectRecord:
    return ObjectRecord(
        id=row["id"],
        museum=row["museum"],
        local_id=row["local_id"],
        body=row["body"],
        revision=row["revision"],
        status=row["status"],
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
        images=images,
        warnings=row["warnings"] or [],
    )
