"""JSON Lines rows read exactly as the standard library reads them: an integer beyond 64 bits stays
an integer, and NaN or a lone surrogate escape is still read (a faster parser that changes either
must not slip in: orjson reads big integers as floats)."""

import json

import pytest

from catalogue.ingest.readers import read_jsonl

LINES = [
    '{"local_id": "A", "n": 123456789012345678901234567890}',
    '{"local_id": "B", "n": -9223372036854775809, "m": 9223372036854775807}',
    '{"local_id": "C", "n": NaN, "m": 1e400}',
    '{"local_id": "D", "title": "\\ud800 half a pair"}',
    '{"local_id": "E", "title": {"ja": ["北斎"]}, "x": [1.1, -0.0, 3, true, null]}',
    '{"local_id": "F", "accession": "0000000000000000000001"}',
]


@pytest.mark.parametrize("line", LINES)
def test_a_line_reads_as_the_standard_library_reads_it(tmp_path, line):
    path = tmp_path / "rows.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    (row,) = read_jsonl(path)
    assert row.error is None
    assert repr(row.data) == repr(json.loads(line))


def test_a_broken_line_gets_the_standard_librarys_message(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"local_id": "A",}\n', encoding="utf-8")
    (row,) = read_jsonl(path)
    assert row.data is None and row.error.startswith("Not valid JSON: Expecting property name")
