"""Fixtures: an app on a temporary data dir, its client and CLI runner, and factories for museums,
curator tokens and records. Everything is real: SQLite store, media folder, Pillow."""
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from catalogue import create_app
from catalogue.cli import cli_actor

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CATALOGUE_SHARED_DATA", REPO.parent / "shared" / "data" / "open-collections"))


@pytest.fixture(scope="session")
def elasticsearch_url():
    url = os.environ.get("CATALOGUE_TEST_ELASTICSEARCH_URL")
    if not url:
        message = "CATALOGUE_TEST_ELASTICSEARCH_URL is not set (make test starts Elasticsearch and sets it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def app_settings():
    """Extra settings for the app under test; a test folder overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(tmp_path, app_settings):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": None,
                      "BASE_URL": "http://catalogue.test", "MAX_IMAGE_BYTES": 2_000_000,
                      "MAX_IMAGE_PIXELS": 4_000_000, "SEARCH_BACKEND": "embedded", **app_settings})
    yield app
    app.extensions["catalogue"].store.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def service(app):
    return app.extensions["catalogue"]


@pytest.fixture
def make_museum(service):
    def make(code="tate", country="GB", status="member", **extra):
        data = {"code": code, "names": {"en": [code.title()]}, "country": country, "status": status, **extra}
        return service.register_museum(cli_actor(), data)
    return make


@pytest.fixture
def museum(make_museum):
    return make_museum()


@pytest.fixture
def token(service, museum):
    return service.create_token(cli_actor(), museum.code, "Test Curator")


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


def record_payload(local_id="T00001", **overrides) -> dict:
    """A valid record as a curator would send it."""
    payload = {"local_id": local_id, "language": "en", "title": "The Great Wave",
               "makers": [{"name": "Katsushika Hokusai", "role": "artist", "birth_year": 1760, "death_year": 1849}],
               "date_display": "c. 1830-32", "object_type": "print", "medium": "woodblock print; ink and colour on paper",
               "country": "JP", "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"}}
    payload.update(overrides)
    return payload


@pytest.fixture
def shared_records_path():
    path = SHARED_DATA / "records.jsonl"
    if not path.exists():
        pytest.skip(f"shared data set not found at {path} (set CATALOGUE_SHARED_DATA)")
    return path


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
