"""Files written to break `catalogue import`: JSON nested thousands deep (the parser recurses once
per level) is reported like any other bad row or bad mapping, and never stops the command."""

import json

from tests.support import record_payload

DEEP_ARRAYS = "[" * 10_000 + "]" * 10_000
DEEP_OBJECTS = '{"a":' * 10_000 + "1" + "}" * 10_000


def test_deeply_nested_lines_are_rejected_by_row_and_good_rows_land(runner, service, museum, tmp_path):
    good = [json.dumps({**record_payload(f"G{n}"), "museum": "tate"}) for n in range(2)]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([good[0], DEEP_ARRAYS, DEEP_OBJECTS, good[1]]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert "rejected line 2: Not valid JSON: nested too deeply." in result.output
    assert "rejected line 3: Not valid JSON: nested too deeply." in result.output
    assert result.output.strip().splitlines()[-1] == "created 2, updated 0, unchanged 0, warned 0, rejected 2"


def test_a_deeply_nested_column_mapping_is_refused_with_a_message(runner, museum, tmp_path):
    mapping = tmp_path / "columns.json"
    mapping.write_text(DEEP_ARRAYS, encoding="utf-8")
    table = tmp_path / "objects.csv"
    table.write_text("local_id,title\nT1,Wave\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(table), "--museum", "tate", "--mapping", str(mapping)])
    assert result.exit_code == 2, result.output
    assert "Cannot read the column mapping" in result.output


def test_a_number_too_long_to_read_rejects_its_line_and_good_rows_land(runner, service, museum, tmp_path):
    """Python reads integers of at most 4,300 digits: a longer one raised a ValueError that is not a
    JSONDecodeError, which stopped the whole import (and left a bulk upload's dry run failed)."""
    good = [json.dumps({**record_payload(f"G{n}"), "museum": "tate"}) for n in range(2)]
    long_number = '{"local_id": "L1", "museum": "tate", "title": "Wave", "date_begin": ' + "9" * 5_000 + "}"
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([good[0], long_number, good[1]]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert "rejected line 2: Not valid JSON: a number has more than 4300 digits." in result.output
    assert result.output.strip().splitlines()[-1] == "created 2, updated 0, unchanged 0, warned 0, rejected 1"
