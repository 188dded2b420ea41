"""The outbox worker and the index commands: changes reach the index, refusals stay visible."""

import json
import sqlite3
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.store import tables as t
from indexer.backends.elasticsearch import ElasticsearchBackend, _encoded_action
from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.worker import Indexer
from tests.support import TIMERS_OFF, gunicorn_settings, make_app, record_payload


@pytest.fixture
def app_settings():
    return {"INDEX_SYNC": False}


def search(app, **params):
    return app.extensions["search"].search(SearchRequest(**params))


def test_drain_indexes_changes_and_deletes_withdrawn_records(app, service, museum):
    indexer = app.extensions["indexer"]
    service.upsert(cli_actor(), "tate", record_payload("a", title="Rain, Steam and Speed"))
    service.upsert(cli_actor(), "tate", record_payload("b", title="Norham Castle"))
    assert search(app).total == 0
    report = indexer.drain()
    assert (report.indexed, report.remaining) == (2, 0)
    assert search(app, text="steam").total == 1
    service.withdraw(cli_actor(), "tate", "a")
    assert indexer.drain().deleted == 1
    assert search(app, text="steam").total == 0 and search(app).total == 1


def test_museum_changes_reach_every_document_of_the_museum(app, service, make_museum):
    make_museum("tate")
    service.upsert(cli_actor(), "tate", record_payload("a"))
    app.extensions["indexer"].drain()
    make_museum("tate", names={"en": ["Tate Britain"]})
    app.extensions["indexer"].drain()
    assert search(app, text="britain").total == 1


def test_search_highlights_the_original_text(app, service, museum):
    service.upsert(cli_actor(), "tate", record_payload("a", title="Dürer's <Rhinoceros>"))
    app.extensions["indexer"].drain()
    hit = search(app, text="durer").hits[0]
    assert hit.highlights["title"] == "<mark>Dürer</mark>&#39;s &lt;Rhinoceros&gt;"


def test_a_document_the_engine_refuses_is_kept_as_a_dead_letter(app, service, museum, elasticsearch_url, runner):
    from indexer.backends.elasticsearch import ElasticsearchBackend
    from indexer.worker import Indexer

    good = service.upsert(cli_actor(), "tate", record_payload("good"))
    bad = service.upsert(cli_actor(), "tate", record_payload("bad"))
    with service.store.transaction() as conn:  # a record written by an older version, with a broken year
        row = conn.execute(sa.select(t.records.c.body).where(t.records.c.id == bad.record_id)).scalar_one()
        conn.execute(
            t.records.update()
            .where(t.records.c.id == bad.record_id)
            .values(body={**row, "date_begin": "eighteen hundred"})
        )
    backend = ElasticsearchBackend(elasticsearch_url, alias=f"dead-{good.record_id}")
    try:
        report = Indexer(service.store, backend).drain()
        assert (report.indexed, report.dead, report.remaining) == (1, 1, 0)
        letters = service.store.dead_letters()
        assert [(d["record_id"], d["backend"]) for d in letters] == [(bad.record_id, "elasticsearch")]
        assert "date_begin" in letters[0]["reason"]
        output = runner.invoke(args=["index", "--dead-letters"]).output
        assert bad.record_id in output
    finally:
        backend.drop()


def test_index_and_reindex_commands(app, runner, service, museum):
    service.upsert(cli_actor(), "tate", record_payload("a"))
    result = runner.invoke(args=["index", "--once"])
    assert result.exit_code == 0 and "indexed 1" in result.output
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "reindexed 1 records into embedded" in result.output
    assert search(app).total == 1


def test_the_default_setup_indexes_writes_right_away(tmp_path, museum_free_app):
    app = museum_free_app
    service = app.extensions["catalogue"]
    service.register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    service.upsert(cli_actor(), "tate", record_payload("a", title="Fighting Temeraire"))
    assert search(app, text="temeraire").total == 1


@pytest.fixture
def museum_free_app(tmp_path):
    return make_app({"TESTING": True, "DATA_DIR": str(tmp_path / "default")})


def test_a_new_server_worker_loads_the_search_index_before_its_first_visitor(app, service, museum):
    service.upsert(cli_actor(), "tate", record_payload("a", title="Fighting Temeraire"))
    app.extensions["indexer"].drain()
    backend = app.extensions["search"].backend
    assert backend._columns is None
    gunicorn_settings()["post_worker_init"](SimpleNamespace(wsgi=app))
    assert backend._columns is not None and backend._columns[1].size == 1
    assert app.extensions["search"].warm_up() == 1


def leave_an_index_of_an_older_release(search_dir) -> None:
    with sqlite3.connect(search_dir / "search-old.sqlite3") as conn:
        conn.execute("CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT)")
    (search_dir / "CURRENT").write_text("search-old.sqlite3")


def test_an_embedded_index_of_an_older_format_is_rebuilt_when_the_app_starts(tmp_path, museum_free_app):
    app = museum_free_app
    app.extensions["catalogue"].register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    app.extensions["catalogue"].upsert(cli_actor(), "tate", record_payload("a", title="Fighting Temeraire"))
    search_dir = tmp_path / "default" / "search"
    leave_an_index_of_an_older_release(search_dir)
    restarted = make_app({"TESTING": True, "DATA_DIR": str(tmp_path / "default")})
    assert search(restarted, text="temeraire").total == 1
    assert not (search_dir / "search-old.sqlite3").exists()


def test_server_workers_starting_together_rebuild_an_outdated_index_once(tmp_path, museum_free_app, monkeypatch):
    store = museum_free_app.extensions["catalogue"].store
    search_dir = tmp_path / "default" / "search"
    leave_an_index_of_an_older_release(search_dir)
    rebuilds, original = [], Indexer.reindex
    monkeypatch.setattr(Indexer, "reindex", lambda self: rebuilds.append(1) or original(self))
    workers = [
        threading.Thread(target=Indexer(store, EmbeddedBackend(search_dir)).rebuild_if_outdated) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(rebuilds) == 1 and not EmbeddedBackend(search_dir).outdated()


@pytest.fixture(params=["embedded", "elasticsearch"])
def one_record_indexed(request, tmp_path, museum_free_app):
    """(the store, a backend) holding one record, "Fighting Temeraire", indexed by this release."""
    store = museum_free_app.extensions["catalogue"].store
    museum_free_app.extensions["catalogue"].register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    museum_free_app.extensions["catalogue"].upsert(cli_actor(), "tate", record_payload("a", title="Fighting Temeraire"))
    if request.param == "embedded":
        backend = EmbeddedBackend(tmp_path / "index")
    else:
        backend = request.getfixturevalue("es_backend")
    Indexer(store, backend).reindex()
    return store, backend


def test_an_index_built_from_other_data_files_is_rebuilt_at_start(one_record_indexed, monkeypatch):
    """A release whose vocabulary or makers' authority changed gets documents built with them."""
    store, backend = one_record_indexed
    assert not backend.outdated()
    monkeypatch.setattr("indexer.schema.DOCUMENTS_DIGEST", "a later release's data")
    assert backend.outdated()
    assert Indexer(store, backend).rebuild_if_outdated() is True
    backend.refresh()
    assert not backend.outdated() and backend.search(SearchRequest(text="temeraire")).total == 1


def leave_changes_in_the_outbox(data_dir) -> None:
    """What a killed import leaves: committed records whose outbox entries nobody drained."""
    writer = make_app({"DATA_DIR": str(data_dir), "INDEX_SYNC": False})
    writer.extensions["catalogue"].register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    writer.extensions["catalogue"].upsert(cli_actor(), "tate", record_payload("a", title="Fighting Temeraire"))
    assert writer.extensions["catalogue"].store.outbox_size() > 0
    writer.extensions["catalogue"].store.dispose()


def test_a_single_machine_app_indexes_what_a_killed_import_left_when_it_starts(tmp_path):
    leave_changes_in_the_outbox(tmp_path)
    app = make_app({"DATA_DIR": str(tmp_path)})
    assert app.extensions["catalogue"].store.outbox_size() == 0
    assert search(app, text="temeraire").total == 1


def test_a_single_machine_app_drains_the_outbox_on_a_timer(tmp_path):
    app = make_app({"DATA_DIR": str(tmp_path), "INDEX_DRAIN_SECONDS": 0.2})
    try:
        app.test_client().get("/api/museums")  # the first request starts the timer
        leave_changes_in_the_outbox(tmp_path)  # another process writes and does not index
        deadline = time.monotonic() + 10
        while app.extensions["catalogue"].store.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.extensions["catalogue"].store.outbox_size() == 0
        assert search(app, text="temeraire").total == 1
    finally:  # a timer left running would drain in the tests that this process runs next
        app.extensions["timers"]["outbox-drain"].stop()


def test_with_an_index_worker_the_app_leaves_the_outbox_alone(tmp_path):
    leave_changes_in_the_outbox(tmp_path)
    app = make_app({"DATA_DIR": str(tmp_path), "INDEX_SYNC": False, "INDEX_DRAIN_SECONDS": 0.1})
    assert "outbox-drain" not in app.extensions["timers"]
    app.test_client().get("/api/museums")
    time.sleep(0.3)
    assert app.extensions["catalogue"].store.outbox_size() > 0


def test_an_app_started_before_the_upgrade_starts_up_at_its_first_request_after_it(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), **TIMERS_OFF})
    assert app.test_client().get("/api/museums").status_code == 503
    leave_changes_in_the_outbox(tmp_path)  # another process runs `catalogue db upgrade` and imports
    assert app.test_client().get("/api/museums").status_code == 200
    assert app.extensions["catalogue"].store.outbox_size() == 0
    assert search(app, text="temeraire").total == 1


def test_a_rebuild_sends_each_document_as_two_ready_json_lines():
    """The builder processes encode; the lines reach Elasticsearch as bytes, ids and text escaped."""
    document = {"id": 'tate:a"b\\c', "revision": 7, "text": "hokusai 北斎 \u2028"}
    doc_id, revision, source = ElasticsearchBackend.encode(document)
    head, body = _encoded_action("catalogue-objects-1")((doc_id, revision, source))
    assert json.loads(head) == {
        "index": {"_index": "catalogue-objects-1", "_id": 'tate:a"b\\c', "version": 7, "version_type": "external_gte"}
    }
    assert json.loads(body) == document and b"\n" not in head + body
