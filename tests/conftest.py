"""Fixtures: an app on a temporary data dir and a migrated database, its client and CLI runner, and
factories for museums and curator tokens. Everything is real: SQLite or PostgreSQL, media folder,
Pillow. A test folder that must pass on both databases overrides ``database_kind`` (see
tests/store/conftest.py)."""

import os
import secrets
import threading

import pytest
from hypothesis import settings

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.extensions import TIMER_THREAD
from tests.mail_sink import MailSink
from tests.support import (
    FAST_PASSWORD_HASH,
    IN_COPYRIGHT,
    PASSWORD,
    TIMERS_OFF,
    PostgresTemplates,
    SqliteTemplates,
    fresh_database,
    image_of,
    require,
    sign_in,
)

# property tests check behaviour, not speed (the benchmarks do that): a loaded CI machine must not fail them
settings.register_profile("catalogue", deadline=None)
settings.load_profile("catalogue")


def _timer_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name.startswith(TIMER_THREAD)}


@pytest.fixture(autouse=True)
def no_timer_outlives_its_test():
    """A test that starts an app's timer stops it: a timer left running keeps working in the tests
    the same process runs next (a leaked outbox drain once ran in the middle of another test)."""
    before = _timer_threads()
    yield
    left = _timer_threads() - before
    for thread in left:
        thread.join(timeout=2)  # a stopped timer's thread ends at once
    assert not [thread.name for thread in left if thread.is_alive()], "stop the app's timers (app.extensions['timers'])"


@pytest.fixture(scope="session")
def elasticsearch_url():
    url = os.environ.get("CATALOGUE_TEST_ELASTICSEARCH_URL")
    require(bool(url), "CATALOGUE_TEST_ELASTICSEARCH_URL is not set (make test starts Elasticsearch and sets it)")
    return url


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory):
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_templates():
    """A template database on the PostgreSQL server `make test` starts (scripts/postgres)."""
    url = os.environ.get("CATALOGUE_TEST_DATABASE_URL")
    require(bool(url), "CATALOGUE_TEST_DATABASE_URL is not set (make test starts PostgreSQL and sets it)")
    templates = PostgresTemplates(url)
    yield templates
    templates.close()


@pytest.fixture
def database_kind():
    """The database the test runs on; folders that cover both parametrise this."""
    return "sqlite"


@pytest.fixture
def database_url(request, database_kind, tmp_path, sqlite_templates):
    postgres = request.getfixturevalue("postgres_templates") if database_kind == "postgresql" else None
    with fresh_database(database_kind, tmp_path / "data", sqlite_templates, postgres) as url:
        yield url


@pytest.fixture(scope="session")
def mail_sink():
    """An SMTP server the app under test sends to when a test folder's ``app_settings`` include
    ``mail_sink.settings()``; each test reads only the mail to its own addresses."""
    sink = MailSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def app_settings():
    """Extra settings for the app under test; a test folder overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(tmp_path, app_settings, database_url):
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": database_url,
            "BASE_URL": "http://catalogue.test",
            "MAX_IMAGE_BYTES": 2_000_000,
            "MAX_IMAGE_PIXELS": 4_000_000,
            "SEARCH_BACKEND": "embedded",
            **TIMERS_OFF,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
            **app_settings,
        }
    )
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


@pytest.fixture
def make_account(service, app):
    """An account that can sign in at once: make_account("curator", "tate") -> its email."""

    def make(role="curator", museum=None, email=None, name=None, password=PASSWORD):
        email = email or f"{role}-{museum or 'network'}-{secrets.token_hex(3)}@example.org"
        service.create_account(
            cli_actor(), email, name or f"{role.title()} of {museum or 'the network'}", role, museum, password
        )
        return email

    return make


@pytest.fixture
def curator_client(app, museum, make_account):
    """A client signed in as a curator of the ``museum`` fixture."""
    client = app.test_client()
    assert sign_in(client, make_account("curator", museum.code)).status_code == 302
    return client


@pytest.fixture
def shared_records_path():
    from tests.support import shared_records_path as path

    return path()


@pytest.fixture
def open_image(service, museum) -> str:
    """An image in the public domain (the payload's rights): its original is anyone's."""
    return image_of(service, "OPEN")


@pytest.fixture
def restricted_image(service, museum) -> str:
    """An image In Copyright: its original is its museum's curators' and the secretariat's only."""
    return image_of(service, "INC", rights=IN_COPYRIGHT)
