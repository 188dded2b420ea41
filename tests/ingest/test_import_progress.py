"""`catalogue import`'s progress bar: it counts what the reader moves through (JSON Lines lines,
CSV records, LIDO bytes), so it ends full whatever blank lines or multi-line cells the file holds,
and its ETA (time per unit so far, times the units left) has a true length to count down."""

import json
from pathlib import Path

from catalogue.cli import _import_length, _progress
from catalogue.ingest.readers import read_csv, read_jsonl
from catalogue.lido.reader import read_lido
from tests.support import record_payload


class Bar:
    """The part of click's progress bar the import drives."""

    def __init__(self):
        self.pos = 0

    def update(self, steps: int) -> None:
        assert steps > 0
        self.pos += steps


def run_bar(path, kind, rows) -> tuple[int, int]:
    length, _unit = _import_length(path, kind)
    bar = Bar()
    moved = _progress(bar, kind)
    for row in rows:
        moved(row)
    return bar.pos, length


def test_a_json_lines_bar_ends_full_with_blank_and_broken_lines(tmp_path):
    lines = [json.dumps(record_payload(local_id=f"o{i}")) for i in range(3)]
    path = tmp_path / "records.jsonl"
    path.write_text(lines[0] + "\n\n" + lines[1] + "\n{not json\n" + lines[2] + "\n\n", encoding="utf-8")
    position, length = run_bar(path, "jsonl", read_jsonl(path))
    assert length == 6
    assert position == 5  # the trailing blank line yields no row; everything before it was counted


def test_a_csv_bar_counts_records_not_lines(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text('local_id,title,inscription\no1,Wave,"one\nline two\nline three"\n\no2,Pine,\n', encoding="utf-8")
    position, length = run_bar(path, "csv", read_csv(path, None))
    assert length == 4  # header, o1 (three lines), the blank row, o2
    assert position == length


def test_a_semicolon_csv_bar_counts_its_records(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text('local_id;title;inscription\no1;Wave;"one;\nline two"\no2;Pine;\n', encoding="utf-8")
    position, length = run_bar(path, "csv", read_csv(path, None))
    assert length == 3  # header, o1 (two lines, a semicolon quoted), o2
    assert position == length


def test_a_lido_bar_counts_bytes_up_to_the_last_record():
    path = Path(__file__).parent.parent / "lido" / "fixtures" / "asian_masterpieces.xml"
    rows = list(read_lido(path))
    position, length = run_bar(path, "lido", rows)
    assert length == path.stat().st_size
    assert len(rows) > 1
    assert length - 200 < position <= length  # the last record's end: only the closing wrapper is left
