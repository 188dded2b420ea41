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


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"local_id": "A",}', "Not valid JSON: a key must be text in double quotes (column 18)."),
        ('{"local_id" "A"}', "Not valid JSON: a colon is missing after a key (column 13)."),
        ('{"local_id": "A" "title": "B"}', "Not valid JSON: a comma is missing between two values (column 18)."),
        (
            '{"local_id": "A\tB"}',
            "Not valid JSON: a text holds a control character, such as a tab or a line break (column 16).",
        ),
        ('{"local_id": "\\q"}', "Not valid JSON: a backslash starts no valid escape (column 15)."),
        ('{"local_id": "A"} {}', "Not valid JSON: more follows the object on the same line (column 19)."),
        ("local_id: A", "Not valid JSON: a value is expected (column 1)."),
    ],
)
def test_a_broken_line_says_what_is_wrong_in_words_a_curator_reads(tmp_path, line, error):
    """Python's reasons ("Expecting ',' delimiter") become messages the report shows in each language."""
    path = tmp_path / "rows.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    (row,) = read_jsonl(path)
    assert row.data is None and row.error == error
