"""Helpers the tests share: paths, valid payloads, images, and databases that are already migrated
(SQLite files or PostgreSQL databases copied from a template migrated once per run)."""

import html
import io
import json
import os
import re
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.store import Store
from catalogue.store import tables as t

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CATALOGUE_SHARED_DATA", REPO.parent / "shared" / "data" / "open-collections"))
SHARED_RECORDS = SHARED_DATA / "records.jsonl"


def record_payload(local_id="T00001", **overrides) -> dict:
    """A valid record as a curator would send it."""
    payload = {
        "local_id": local_id,
        "language": "en",
        "title": "The Great Wave",
        "makers": [{"name": "Katsushika Hokusai", "role": "artist", "birth_year": 1760, "death_year": 1849}],
        "date_display": "c. 1830-32",
        "object_type": "print",
        "medium": "woodblock print; ink and colour on paper",
        "country": "JP",
        "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"},
    }
    payload.update(overrides)
    return payload


def write_body_as_before_orjson(store: Store, museum: str, local_id: str, body: dict) -> str:
    """Store a record's body as the standard JSON encoder wrote it before the store used orjson
    (non-ASCII letters as \\u escapes, spaces after separators); returns the text written."""
    text = json.dumps(body)
    value = sa.literal(text) if store.dialect == "sqlite" else sa.cast(sa.literal(text), sa.JSON)
    with store.transaction() as conn:
        conn.execute(
            t.records.update().where(t.records.c.museum == museum, t.records.c.local_id == local_id).values(body=value)
        )
    return text


def image_bytes(fmt="JPEG", size=(40, 30), color=(200, 40, 40), exif_orientation=None) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def search_document(doc_id: str, museum: str = "tate", text: str = "wave", revision: int = 1, **fields) -> dict:
    """A search document as indexer/schema.py builds one, for tests that feed a backend directly."""
    document = {
        "id": doc_id,
        "revision": revision,
        "museum": museum,
        "country": ["GB"],
        "region": ["europe"],
        "object_type": [],
        "maker": [],
        "material": [],
        "culture": [],
        "rights": "open",
        "has_image": "false",
        "masterpiece": "false",
        "theme": [],
        "date_begin": 1800,
        "date_end": 1800,
        "title_sort": doc_id,
        "title_text": text,
        "text": text,
        "stems": "",
        "concepts": "",
        "roman": "",
        "words": [],
        "display": {"title": {"en": [doc_id]}},
    }
    return {**document, **fields}


PASSWORD = "correct horse battery staple"
# scrypt (the production hash) takes 0.1 s a hash; the tests sign in hundreds of times
FAST_PASSWORD_HASH = "pbkdf2:sha256:1000"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, page: str) -> str:
    """The CSRF token of the form on ``page``, as a browser would send it back."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    found = _CSRF.search(response.get_data(as_text=True))
    assert found, f"no CSRF token on {page}"
    return html.unescape(found.group(1))


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """Send a form as a browser does: read the CSRF token from ``page`` (default: ``url``), then POST."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, page or url)}, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign ``client`` in through the sign-in form; returns the response (a redirect when it worked)."""
    return post_form(client, "/account/sign-in", {"email": email, "password": password})


def gunicorn_settings() -> dict:
    """The production server's settings, as gunicorn reads them from gunicorn.conf.py."""
    settings: dict = {}
    exec((REPO / "gunicorn.conf.py").read_text(), settings)
    return settings


def require(condition: bool, message: str) -> None:
    """Skip when something the test needs is missing; under CI that is a failure, never a skip."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def shared_records_path() -> Path:
    require(SHARED_RECORDS.exists(), f"shared data set not found at {SHARED_RECORDS} (set CATALOGUE_SHARED_DATA)")
    return SHARED_RECORDS


def shared_record_count() -> tuple[int, int]:
    """(lines, distinct museum + local id pairs) of the shared file: what an import must account for."""
    import json

    lines, keys = 0, set()
    with open(shared_records_path(), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                lines += 1
                keys.add((data["source_museum_code"], data["source_id"]))
    return lines, len(keys)


# an app's timers, off: tests drain the outbox, fetch images by URL, retry mail and run pending bulk
# uploads themselves when they mean to; a test that turns a timer on stops it (tests/conftest.py checks)
TIMERS_OFF = {"INDEX_DRAIN_SECONDS": 0, "IMAGE_FETCH_SECONDS": 0, "MAIL_SEND_SECONDS": 0, "BULK_IMPORT_SECONDS": 0}


def make_app(settings: dict):
    """An app on a migrated database: the given DATABASE_URL, else SQLite in DATA_DIR (as
    `make run` does it: `catalogue db upgrade`, then the app)."""
    settings = {"TESTING": True, **TIMERS_OFF, **settings}
    url = settings.get("DATABASE_URL") or f"sqlite:///{Path(settings['DATA_DIR']) / 'catalogue.sqlite3'}"
    Path(settings["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    store = Store(url)
    store.upgrade_schema()
    store.dispose()
    return create_app({**settings, "DATABASE_URL": url})


# databases ----------------------------------------------------------------------------------
class SqliteTemplates:
    """A migrated SQLite file made once; each test gets a copy (a file copy, not a migration)."""

    def __init__(self, folder: Path):
        self.template = folder / "template.sqlite3"
        store = Store(f"sqlite:///{self.template}")
        store.upgrade_schema()
        store.dispose()

    def new_database(self, folder: Path) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "catalogue.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"


class PostgresTemplates:
    """A migrated PostgreSQL template database; each test gets a fresh copy (CREATE DATABASE ...
    TEMPLATE), dropped afterwards."""

    def __init__(self, server_url: str):
        self.server = sa.make_url(server_url)
        self.admin = sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.template = f"catalogue_template_{secrets.token_hex(4)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        store = Store(self.url_of(self.template))
        store.upgrade_schema()
        store.dispose()

    def url_of(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def new_database(self) -> str:
        name = f"catalogue_test_{secrets.token_hex(6)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.url_of(name)

    def drop(self, url: str) -> None:
        for attempt in range(5):  # a backend ending its session can still hold the database a moment
            try:
                with self.admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')
                return
            except sa.exc.OperationalError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def close(self) -> None:
        self.drop(self.url_of(self.template))
        self.admin.dispose()


@contextmanager
def fresh_database(kind: str, folder: Path, sqlite: SqliteTemplates, postgres: "PostgresTemplates | None"):
    """A migrated, empty database of ``kind`` ("sqlite" or "postgresql") for one test."""
    if kind == "sqlite":
        yield sqlite.new_database(folder)
        return
    assert postgres is not None
    url = postgres.new_database()
    try:
        yield url
    finally:
        postgres.drop(url)


def page_text(response) -> str:
    """A page's text with its entities decoded, as a reader sees it."""
    return html.unescape(response.get_data(as_text=True))


def report_page_text(response) -> str:
    """An upload's page without its report cells' data-label (what a phone shows before each value),
    so a report line reads as its cells: <td>3</td><td>T2</td>."""
    return re.sub(r' data-label="[^"]*"', "", page_text(response))


def wait_for(client, import_id: int, states=("done", "failed"), seconds: float = 30) -> dict:
    """A bulk upload's progress once its background job has reached one of ``states``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = client.get(f"/curate/imports/{import_id}/progress.json").get_json()
        if progress["state"] in states:
            return progress
        time.sleep(0.05)
    raise AssertionError(f"upload {import_id} is still {progress}")


IN_COPYRIGHT = {"metadata_license": "CC0", "image_rights": "In Copyright"}


def image_of(service, local_id: str, **payload) -> str:
    """A Tate record with one uploaded image; the image's id."""
    service.upsert(cli_actor(), "tate", record_payload(local_id, **payload))
    return service.add_images(cli_actor(), "tate", local_id, [(image_bytes(), f"{local_id}.jpg")])[0].id
