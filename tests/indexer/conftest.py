"""Indexer fixtures: the real Elasticsearch node that `make test` starts, and a catalogue holding
the 5,000 shared records, loaded once per module into both backends."""

import secrets

import pytest

from catalogue.cli import cli_actor
from catalogue.ingest import Importer
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.worker import Indexer
from tests.support import make_app, shared_record_count, shared_records_path


@pytest.fixture
def es_backend(elasticsearch_url):
    backend = ElasticsearchBackend(elasticsearch_url, alias=f"test-{secrets.token_hex(4)}")
    yield backend
    backend.drop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_catalogue(request, tmp_path_factory):
    """An app whose store (SQLite, then PostgreSQL) holds every shared record (indexing left to each
    test). Every record of the file must land: messy values are warnings, not rejections."""
    path = shared_records_path()
    settings = {"DATA_DIR": str(tmp_path_factory.mktemp(f"shared-{request.param}")), "INDEX_SYNC": False}
    postgres = request.getfixturevalue("postgres_templates") if request.param == "postgresql" else None
    if postgres:
        settings["DATABASE_URL"] = postgres.new_database()
    app = make_app(settings)
    with app.app_context():
        report = Importer(app.extensions["catalogue"], cli_actor(), register_museums=True).import_file(path)
    assert report.counts["created"] == shared_record_count()[1] and report.rejected == 0
    yield app
    app.extensions["catalogue"].store.dispose()
    if postgres:
        postgres.drop(settings["DATABASE_URL"])


@pytest.fixture(scope="module")
def both_backends(shared_catalogue, elasticsearch_url, tmp_path_factory):
    """The shared records rebuilt into a fresh Elasticsearch index and a fresh embedded index."""
    store = shared_catalogue.extensions["catalogue"].store
    es = ElasticsearchBackend(elasticsearch_url, alias=f"conformance-{secrets.token_hex(4)}")
    embedded = EmbeddedBackend(tmp_path_factory.mktemp("embedded"))
    published = shared_record_count()[1]
    for backend in (es, embedded):
        assert Indexer(store, backend).reindex() == published
    es.refresh()
    yield es, embedded
    es.drop()
