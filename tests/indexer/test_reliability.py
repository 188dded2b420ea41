"""Nothing is lost or doubled when the engine is down, rebuilds never fail a search, stale writes lose."""

import os
import subprocess
import threading
from itertools import islice
from pathlib import Path

import pytest

from catalogue.cli import cli_actor
from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.worker import Indexer
from tests.support import make_app, record_payload, search_document, shared_record_count

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "elasticsearch"


def es_script(command: str) -> str:
    result = subprocess.run([str(SCRIPT), command], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.mark.serial  # it stops the Elasticsearch every other test searches
def test_an_outage_loses_nothing_and_doubles_nothing(tmp_path, elasticsearch_url):
    app = make_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path),
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": elasticsearch_url,
            "ELASTICSEARCH_INDEX": f"outage-{os.getpid()}",
        }
    )
    service, indexer = app.extensions["catalogue"], app.extensions["indexer"]
    service.register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    token = service.create_token(cli_actor(), "tate", "curator")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        es_script("stop")
        statuses = [
            client.put(
                f"/api/museums/tate/objects/R{i}", json=record_payload(f"R{i}", title=f"Record {i}"), headers=headers
            ).status_code
            for i in range(100)
        ]
        assert statuses == [201] * 100
        assert service.store.outbox_size() == 100
    finally:
        assert es_script("start") == elasticsearch_url
    report = indexer.drain()
    assert (report.indexed, report.remaining, report.error) == (100, 0, None)
    indexer.backend.refresh()
    result = indexer.backend.search(SearchRequest(size=100))
    assert result.total == 100 and len({hit.id for hit in result.hits}) == 100
    assert indexer.drain().indexed == 0  # nothing left to send twice
    indexer.backend.drop()


@pytest.fixture(params=["elasticsearch", "embedded"])
def loaded_backend(request, shared_catalogue, tmp_path):
    store = shared_catalogue.extensions["catalogue"].store
    if request.param == "elasticsearch":
        backend = request.getfixturevalue("es_backend")
    else:
        backend = EmbeddedBackend(tmp_path / "embedded")
    Indexer(store, backend).reindex()
    backend.refresh()
    return store, backend


def test_a_rebuild_never_fails_a_search(loaded_backend):
    store, backend = loaded_backend
    failures, searches, done = [], [0], threading.Event()

    def search_continuously():
        while not done.is_set():
            try:
                result = backend.search(SearchRequest(text="turner", filters={"museum": ("tate",)}))
                if result.total == 0:
                    failures.append("empty result")
                searches[0] += 1
            except Exception as error:  # any failure counts
                failures.append(repr(error))

    thread = threading.Thread(target=search_continuously)
    thread.start()
    try:
        assert Indexer(store, backend).reindex() == shared_record_count()[1]
    finally:
        done.set()
        thread.join()
    assert failures == [] and searches[0] > 5


def test_a_stale_revision_never_wins(loaded_backend):
    _store, backend = loaded_backend
    doc = dict(backend.search(SearchRequest(size=1)).hits[0].display)

    def version(revision: int, word: str) -> dict:
        return search_document("staletest", revision=revision, text=word, title_sort="x", display=doc)

    backend.bulk([version(3, "qqnewerqq")])
    result = backend.bulk([version(2, "qqolderqq")])
    assert result.stale == 1
    assert backend.delete([("staletest", 1)]).stale == 1
    backend.refresh()
    assert backend.search(SearchRequest(text="qqnewerqq")).total == 1
    assert backend.search(SearchRequest(text="qqolderqq")).total == 0
    backend.delete([("staletest", 4)])
    assert backend.bulk([version(3, "qqzombieqq")]).stale == 1
    backend.refresh()
    assert backend.search(SearchRequest(text="qqzombieqq")).total == 0


def test_a_failed_rebuild_leaves_the_live_index_alone(loaded_backend):
    store, backend = loaded_backend
    before = backend.search(SearchRequest()).total

    def broken_documents():
        yield from Indexer(store, backend).documents(islice(store.iter_records(chunk=10), 10))
        raise RuntimeError("the store went away mid-rebuild")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken_documents())
    backend.refresh()
    assert backend.search(SearchRequest()).total == before == shared_record_count()[1]
    assert backend.health()["status"] in ("green", "yellow")
    if backend.name == "elasticsearch":
        assert len(backend.client.indices.get(index=f"{backend.alias}-*")) == 1
    else:
        assert len(list(backend.directory.glob("search-*.sqlite3"))) == 1
