"""The ``theme`` facet on both engines: a record's document names the published themes that hold it,
and every way a document is (re)built passes them: the outbox drain after a theme changes, the
catch-up after a rebuild, and the full rebuild, whose documents are built in worker processes."""

import pytest

from catalogue.cli import cli_actor
from indexer import worker
from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.schema import build_document
from indexer.worker import Indexer
from tests.support import record_payload


@pytest.fixture
def app_settings():
    return {"INDEX_SYNC": False}


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request, tmp_path):
    if request.param == "elasticsearch":
        return request.getfixturevalue("es_backend")
    return EmbeddedBackend(tmp_path / "embedded")


@pytest.fixture
def ids(service, museum) -> list[str]:
    return [service.upsert(cli_actor(), "tate", record_payload(f"R{n}", title=f"View {n}")).record_id for n in range(6)]


def theme_counts(backend, **params) -> tuple[int, dict[str, int]]:
    if hasattr(backend, "refresh"):
        backend.refresh()
    result = backend.search(SearchRequest(**params))
    return result.total, {value.value: value.count for value in result.facets["theme"]}


def make_theme(service, slug: str, record_ids: list[str], published: bool = True) -> None:
    service.create_theme(cli_actor(), {"slug": slug, "title": {"en": [slug]}, "published": published})
    service.set_theme_objects(cli_actor(), slug, [{"record_id": record_id} for record_id in record_ids])


def test_a_document_carries_the_themes_it_is_given_sorted():
    from tests.indexer.test_schema import TATE, record

    assert build_document(record(), TATE)["theme"] == []
    assert build_document(record(), TATE, ["waters", "faces", "waters"])["theme"] == ["faces", "waters"]


def test_theme_changes_reach_the_index_through_the_outbox(service, ids, backend):
    indexer = Indexer(service.store, backend)
    indexer.drain()
    make_theme(service, "faces", ids[:3])
    make_theme(service, "hidden", ids[2:5], published=False)
    indexer.drain()
    assert theme_counts(backend) == (6, {"faces": 3})
    assert theme_counts(backend, filters={"theme": ("faces",)})[0] == 3
    assert theme_counts(backend, filters={"theme": ("hidden",)})[0] == 0

    service.update_theme(cli_actor(), "hidden", {"title": {"en": ["hidden"]}, "published": True})
    service.remove_theme_object(cli_actor(), "faces", ids[0])
    indexer.drain()
    assert theme_counts(backend)[1] == {"faces": 2, "hidden": 3}
    assert theme_counts(backend, filters={"theme": ("faces", "hidden")})[0] == 4  # ids[2] is in both

    service.delete_theme(cli_actor(), "hidden")
    service.withdraw(cli_actor(), "tate", "R1")
    indexer.drain()
    assert theme_counts(backend) == (5, {"faces": 1})


def test_a_full_rebuild_in_worker_processes_passes_each_record_its_themes(service, ids, backend, monkeypatch):
    make_theme(service, "faces", ids[:4])
    make_theme(service, "waters", ids[3:])
    monkeypatch.setattr(worker, "BUILD_CHUNK", 2)  # three chunks: the process pool builds them
    assert service.store.shared_by_processes()
    assert Indexer(service.store, backend).reindex() == 6
    assert theme_counts(backend) == (6, {"faces": 4, "waters": 3})
    assert theme_counts(backend, filters={"theme": ("waters",)}, sort="title")[0] == 3
