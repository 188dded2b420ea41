"""Indexer fixtures: the real Elasticsearch node that `make test` starts, and a catalogue holding
the 5,000 shared records (and curated themes over some of them), loaded once per module into both
backends."""

import secrets

import pytest

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.text import fold
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.worker import Indexer
from tests.support import make_app, shared_record_count, shared_records_path

# (slug, a word of the titles it holds, published): see add_themes
CONFORMANCE_THEMES = (("portraits", "portrait", True), ("landscapes", "landscape", True), ("hidden", "view", False))


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
    add_themes(app.extensions["catalogue"])
    yield app
    app.extensions["catalogue"].store.dispose()
    if postgres:
        postgres.drop(settings["DATABASE_URL"])


def add_themes(service) -> None:
    """Curated themes over the shared records, for the theme facet: two published ones that share a
    few records, and an unpublished one whose slug must never reach a search document."""
    titles = [(record.id, fold(record.title())) for record in service.store.iter_records()]
    chosen = {slug: [i for i, title in titles if word in title][:60] for slug, word, _ in CONFORMANCE_THEMES}
    chosen["landscapes"] = list(dict.fromkeys(chosen["landscapes"][:55] + chosen["portraits"][:5]))
    for slug, _word, published in CONFORMANCE_THEMES:
        service.create_theme(cli_actor(), {"slug": slug, "title": {"en": [slug.title()]}, "published": published})
        service.set_theme_objects(cli_actor(), slug, [{"record_id": record_id} for record_id in chosen[slug]])


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
