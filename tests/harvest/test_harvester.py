"""A real harvester, Sickle, over HTTP against the catalogue holding the whole shared open-collections
set (5,000 records of four museums): with 100 records a page it follows about fifty resumption
tokens a list, and what it gathers must be exactly what the catalogue publishes, overall and per
museum set, with the records taken out of the catalogue as deleted ones."""

import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from sickle import Sickle
from werkzeug.serving import make_server

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from tests.ingest.test_lido_import import example_files
from tests.lido.catalogues import lido_schema
from tests.support import make_app, shared_record_count, shared_records_path

PAGE_SIZE = 100
TAKEN_OUT = {"withdraw": 2, "unpublish": 1}  # records of the first museum taken out before harvesting


@contextmanager
def serving(folder: Path, **settings):
    """The catalogue on a free port, served by a real HTTP server in a thread: (app, endpoint). As
    tests/browser/conftest.py's ``serving``, without the browser fixtures that module brings."""
    holder = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    holder["app"] = app = make_app({"DATA_DIR": str(folder), "BASE_URL": address, **settings})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"{address}/oai"
    finally:
        server.shutdown()
        app.extensions["catalogue"].store.dispose()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """(service, endpoint, the ids taken out) of the shared set served over HTTP (SQLite)."""
    path = shared_records_path()  # skips, with the reason, when the shared data set is absent
    folder = tmp_path_factory.mktemp("harvest")
    with serving(folder, INDEX_SYNC=False, OAI_PAGE_SIZE=PAGE_SIZE) as (app, endpoint):
        service = app.extensions["catalogue"]
        with app.app_context():
            report = Importer(service, cli_actor(), register_museums=True).import_file(path)
        assert report.counts["created"] == shared_record_count()[1]
        yield service, endpoint, take_some_out(service)


def take_some_out(service) -> set[str]:
    """Withdraw two records and unpublish one: harvesters must learn that they are gone."""
    museum = sorted(service.published_counts())[0]
    records = service.store.list_records(museum=museum, limit=sum(TAKEN_OUT.values()))
    for record in records[: TAKEN_OUT["withdraw"]]:
        service.withdraw(cli_actor(), museum, record.local_id)
    for record in records[TAKEN_OUT["withdraw"] :]:
        service.change_status(cli_actor(), museum, record.local_id, "draft")
    return {record.id for record in records}


def record_id(identifier: str) -> str:
    scheme, host, record = identifier.split(":")
    assert (scheme, host) == ("oai", "127.0.0.1")
    return record


def test_identify_through_sickle(shared):
    _service, endpoint, _taken_out = shared
    identify = Sickle(endpoint).Identify()
    assert identify.repositoryName == "Virtual Collection of Masterpieces"
    assert identify.baseURL == endpoint
    assert identify.deletedRecord == "persistent"


def test_list_identifiers_gives_every_published_record_and_the_ones_taken_out_as_deleted(shared):
    service, endpoint, taken_out = shared
    headers = list(Sickle(endpoint).ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    shown = [record_id(header.identifier) for header in headers if not header.deleted]
    deleted = {record_id(header.identifier) for header in headers if header.deleted}
    assert len(shown) == len(set(shown)) == sum(service.published_counts().values())
    assert set(shown) == set(service.store.record_ids())
    assert deleted == taken_out


def test_list_records_in_dublin_core_gives_every_published_record_once(shared):
    service, endpoint, _taken_out = shared
    records = list(Sickle(endpoint).ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    ids = [record_id(record.header.identifier) for record in records]
    assert len(ids) == len(set(ids)) == sum(service.published_counts().values())
    assert all(record.metadata.get("title") for record in records)
    assert all(record.metadata["publisher"] for record in records)


def test_each_museum_set_holds_that_museums_records_harvested_by_post(shared):
    service, endpoint, taken_out = shared
    harvester = Sickle(endpoint, http_method="POST")
    museums = [spec for spec in (s.setSpec for s in harvester.ListSets()) if spec.startswith("museum:")]
    published = service.published_counts()
    assert sorted(museums) == sorted(f"museum:{code}" for code in published)
    deleted: set[str] = set()
    for spec in museums:
        headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set=spec, ignore_deleted=False))
        assert all(spec in header.setSpecs for header in headers)
        assert Counter(not header.deleted for header in headers)[True] == published[spec.removeprefix("museum:")]
        deleted |= {record_id(header.identifier) for header in headers if header.deleted}
    assert deleted == taken_out
    assert sum(published.values()) == shared_record_count()[1] - len(taken_out)


@pytest.fixture(scope="module")
def shared_lido(tmp_path_factory):
    """(service, endpoint) of a catalogue holding every importable record of the 73 shared LIDO files."""
    files = example_files()  # skips, with the reason, when the shared LIDO set is absent
    with serving(tmp_path_factory.mktemp("harvest-lido"), INDEX_SYNC=False, OAI_PAGE_SIZE=25) as (app, endpoint):
        service = app.extensions["catalogue"]
        service.register_museum(cli_actor(), {"code": "lido", "names": {"en": ["LIDO examples"]}, "country": "DE"})
        with app.app_context():
            for path in files:
                Importer(service, cli_actor(), museum="lido").import_file(path, "lido")
        yield service, endpoint


def test_the_shared_lido_records_come_back_to_a_harvester_as_valid_lido(shared_lido):
    """What museums sent as LIDO, harvesters get as LIDO 1.1 again: every record, each valid."""
    service, endpoint = shared_lido
    records = list(Sickle(endpoint).ListRecords(metadataPrefix="lido", set="museum:lido"))
    assert len(records) == service.published_counts()["lido"] == 176  # 178 distinct lidoRecIDs, 2 not importable
    schema = lido_schema()
    for record in records:
        (lido,) = record.xml.iter("{http://www.lido-schema.org}lido")
        assert schema.validate(lido), (record.header.identifier, str(schema.error_log)[:300])
