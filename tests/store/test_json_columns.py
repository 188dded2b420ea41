"""JSON columns: written by orjson (UTF-8, compact), by the standard encoder for what orjson refuses,
and read back as written on both databases, including rows the standard encoder wrote before."""

import json

import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.store import tables as t
from catalogue.store.store import encoded
from tests.support import record_payload, write_body_as_before_orjson


def test_json_is_written_compact_with_letters_of_every_script_as_they_are():
    value = {"title": {"ja": ["神奈川沖浪裏"], "fr": ["Étude"]}, "year": 1831, "ok": True, "none": None}
    assert encoded(value) == '{"title":{"ja":["神奈川沖浪裏"],"fr":["Étude"]},"year":1831,"ok":true,"none":null}'
    assert json.loads(encoded(value)) == value


def test_what_orjson_refuses_is_written_by_the_standard_encoder():
    assert encoded({1: "counted by number"}) == json.dumps({1: "counted by number"}) == '{"1": "counted by number"}'
    assert encoded([2**70]) == "[1180591620717411303424]"


def test_a_record_is_stored_in_utf8_and_read_back_as_saved_on_both_databases(service, museum, database_kind):
    title = {"ja": ["神奈川沖浪裏"], "en": ['A "quoted" \\ title']}
    outcome = service.upsert(cli_actor(), museum.code, record_payload("W-1", title=title))
    with service.store.reading() as conn:
        stored = conn.execute(sa.select(sa.cast(t.records.c.body, sa.Text))).scalar_one()
    assert "神奈川沖浪裏" in stored and "\\u" not in stored
    assert service.record(outcome.record_id).body["title"] == title
    assert service.store.audit_entries(outcome.record_id)[0]["action"] == "create"


def test_a_body_the_standard_encoder_wrote_before_is_read_back_the_same(service, museum, database_kind):
    outcome = service.upsert(cli_actor(), museum.code, record_payload("W-2"))
    body = {**service.record(outcome.record_id).body, "title": {"ja": ["北斎"], "fr": ["Étude"]}}
    assert "\\u5317" in write_body_as_before_orjson(service.store, museum.code, "W-2", body)
    assert service.record(outcome.record_id).body == body
