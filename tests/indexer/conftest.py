"""Indexer fixtures: the real Elasticsearch node that `make test` starts, and a catalogue holding
the 5,000 shared records, loaded once per module into both backends."""
import secrets

import pytest

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.ingest import Importer
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.worker import Indexer
from tests.conftest import SHARED_DATA


@pytest.fixture
def es_backend(elasticsearch_url):
    backend = ElasticsearchBackend(elasticsearch_url, alias=f"test-{secrets.token_hex(4)}")
    yield backend
    backend.drop()


@pytest.fixture(scope="module")
def shared_catalogue(tmp_path_factory):
    """An app whose store holds the shared records (indexing left to each test)."""
    path = SHARED_DATA / "records.jsonl"
    if not path.exists():
        pytest.skip(f"shared data set not found at {path}")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path_factory.mktemp("shared")), "INDEX_SYNC": False})
    with app.app_context():
        report = Importer(app.extensions["catalogue"], cli_actor(), register_museums=True).import_file(path)
    assert sum(report.counts.values()) == 4998
    yield app
    app.extensions["catalogue"].store.dispose()


@pytest.fixture(scope="module")
def both_backends(shared_catalogue, elasticsearch_url, tmp_path_factory):
    """The shared records rebuilt into a fresh Elasticsearch index and a fresh embedded index."""
    store = shared_catalogue.extensions["catalogue"].store
    es = ElasticsearchBackend(elasticsearch_url, alias=f"conformance-{secrets.token_hex(4)}")
    embedded = EmbeddedBackend(tmp_path_factory.mktemp("embedded"))
    for backend in (es, embedded):
        assert Indexer(store, backend).reindex() == 4998
    es.refresh()
    yield es, embedded
    es.drop()
