"""Every report names a bad row by a number the curator finds in the file: a CSV file's row as a
spreadsheet numbers it (the header is row 1, a quoted cell holding line breaks is still one row),
a JSON Lines file's line (blank lines count), whether one process or several read the file."""

import json

from catalogue.cli import cli_actor
from catalogue.ingest import importer as importer_module
from catalogue.ingest.importer import Importer
from catalogue.ingest.readers import read_csv
from tests.support import record_payload

# spreadsheet rows: 1 header; 2 T1 (a cell over two lines of the file); 3 T2 (no title); 4 blank;
# 5 T3; 6 T4 (no title); 7 T1 again
CSV = 'local_id,title,inscription\nT1,Wave,"line one\nline two"\nT2,,\n\nT3,Pine,\nT4,,\nT1,Again,\n'


def test_csv_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path):
    path = tmp_path / "objects.csv"
    path.write_text(CSV, encoding="utf-8")
    assert [(row.number, row.data["local_id"]) for row in read_csv(path, None)] == [
        (2, "T1"),
        (3, "T2"),
        (5, "T3"),
        (6, "T4"),
        (7, "T1"),
    ]


def test_the_command_names_csv_rows_by_their_spreadsheet_row(runner, museum, tmp_path):
    path = tmp_path / "objects.csv"
    path.write_text(CSV, encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--museum", "tate"])
    rejected = [line for line in result.output.splitlines() if line.startswith("rejected")]
    assert rejected == [
        "rejected row 3 (T2): title: Required: fill this in.",
        "rejected row 6 (T4): title: Required: fill this in.",
        "rejected row 7 (T1): local_id: Duplicate local id; first seen in row 2.",
    ], result.output


def jsonl_with_blank_lines(tmp_path, records: int = 300):
    """``records`` good lines with blank lines among them, a broken line at 5 and one without a
    title at 251: what a reader numbers by line must count the blank ones."""
    lines = [json.dumps({**record_payload(f"J{n}"), "museum": "tate"}) for n in range(records)]
    for at in (2, 120, 200):
        lines.insert(at, "")
    lines.insert(4, "{not json")
    lines.insert(250, json.dumps({**record_payload("NOTITLE", title=""), "museum": "tate"}))
    path = tmp_path / "objects.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


def test_json_lines_are_named_by_their_line_with_blank_lines_counted(runner, museum, tmp_path):
    path, lines = jsonl_with_blank_lines(tmp_path, records=10)
    result = runner.invoke(args=["import", str(path), "--workers", "1"])
    assert "rejected line 5: Not valid JSON" in result.output
    assert lines[4] == "{not json"


def test_json_lines_keep_their_line_numbers_when_workers_read_them(service, museum, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "WORKERS_AFTER_ROWS", 100)
    monkeypatch.setattr(importer_module, "VALIDATION_CHUNK", 50)
    monkeypatch.setattr(importer_module, "_started", lambda ready: ready is not None and ready.result())
    path, lines = jsonl_with_blank_lines(tmp_path)
    with_workers = Importer(service, cli_actor(), dry_run=True, workers=2).import_file(path)
    alone = Importer(service, cli_actor(), dry_run=True, workers=1).import_file(path)
    assert [str(error) for error in with_workers.errors] == [str(error) for error in alone.errors]
    assert [(error.row, error.local_id) for error in with_workers.errors] == [(5, None), (251, "NOTITLE")]
    assert "NOTITLE" in lines[250] and str(with_workers.errors[1]).startswith("line 251 (NOTITLE): title:")
