"""JSON columns are written and read with orjson for speed, and hold exactly what ``json`` held:
the same values back, non-string keys as strings, integers beyond 64 bits whole, non-ASCII text
whole, on SQLite and PostgreSQL alike."""

import pytest

from catalogue.cli import cli_actor
from catalogue.store.store import _json_text, _json_value
from tests.support import record_payload


@pytest.mark.parametrize(
    "value",
    [
        {"title": {"ja": ["神奈川沖浪裏"]}, "begin": -206, "ratio": 0.1, "kept": [True, None]},
        {"year": 2**70, "nested": [{"id": -(2**64)}]},
        {"accession": "1234567890123456789012345"},
        [],
        "Hokusai",
    ],
    ids=["record", "huge-integers", "long-digit-text", "empty-list", "text"],
)
def test_a_value_comes_back_as_it_went_in(value):
    assert _json_value(_json_text(value)) == value
    assert _json_value(_json_text(value).encode("utf-8")) == value  # psycopg hands JSON over as bytes


def test_keys_that_are_not_text_are_written_as_text_as_json_wrote_them():
    assert _json_value(_json_text({1: "a", 2.5: "b"})) == {"1": "a", "2.5": "b"}


def test_text_json_wrote_that_orjson_refuses_is_still_read():
    assert _json_value('{"x": NaN}')["x"] != 0  # nan: a value written before is not lost
    assert _json_value('{"x": 123456789012345678901234567890}') == {"x": 123456789012345678901234567890}


def test_a_lone_surrogate_is_still_written_as_json_wrote_it():
    assert _json_text({"s": "\ud800"}) == '{"s": "\\ud800"}'


def test_a_record_round_trips_through_the_database(service, museum):
    payload = record_payload(local_id="J1", title={"ja": ["富嶽三十六景"], "en": ["Thirty-six Views"]}, date_begin=-500)
    outcome = service.upsert(cli_actor(), "tate", payload)
    stored = service.store.get_record(outcome.record_id)
    assert stored.body["title"] == {"ja": ["富嶽三十六景"], "en": ["Thirty-six Views"]}
    assert stored.body["date_begin"] == -500
    (entry,) = service.store.audit_entries(outcome.record_id)
    assert entry["changes"]["fields"]["title"] == [None, stored.body["title"]]
