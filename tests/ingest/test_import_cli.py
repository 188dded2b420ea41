"""`catalogue import`: the shared file imports whole; bad rows are reported by row and field and
never stop good rows; --dry-run writes nothing; the exit code says whether any row was rejected."""

import json

import pytest

from tests.support import record_payload, shared_record_count


def write_jsonl(path, rows):
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def run_import(runner, *args):
    return runner.invoke(args=["import", *map(str, args)])


@pytest.mark.slow
def test_the_full_shared_file_imports_whole_with_museums_registered(app, runner, service, shared_records_path):
    lines, distinct = shared_record_count()
    result = run_import(runner, shared_records_path, "--register-museums")
    summary = result.output.strip().splitlines()[-1]
    # two rows carry contradictory years in the source: date_end 7195 for "July 7, 1959", and a maker
    # who died (1912) before being born (1936); both land, with the bad values dropped and a warning
    assert summary == f"created {distinct}, updated 0, unchanged 0, warned 2, rejected 0", result.output
    assert "warning line 500 (1e0a0343-f338-4572-af84-3b0a3fec108a): date_end:" in result.output
    assert "warning line 831" in result.output and "makers.0.death_year" in result.output
    assert result.exit_code == 0
    assert {m.code: m.status for m in service.museums()} == {
        "cmoa": "guest",
        "rijksmuseum": "guest",
        "tate": "guest",
        "walters": "guest",
    }
    assert service.store.count_records() == distinct == lines
    assert service.store.outbox_size() == 0  # on one machine imports are indexed right away
    assert app.extensions["indexer"].backend.count() == distinct
    july = service.record_by_local_id("cmoa", "1e0a0343-f338-4572-af84-3b0a3fec108a")
    assert (july.body["date_begin"], july.body["date_end"]) == (1959, 1959)
    [warning] = july.warnings
    assert (warning["field"], warning["value"]) == ("date_end", 7195)
    assert warning["reason"] == "Not a year between -100000 and 2100. The value was dropped."
    again = run_import(runner, shared_records_path)
    assert again.output.strip().splitlines()[-1] == f"created 0, updated 0, unchanged {distinct}, warned 2, rejected 0"


def test_registered_museums_from_partner_countries_keep_their_membership(
    runner, service, make_museum, shared_records_path, tmp_path
):
    make_museum("tate", country="GB", status="member")
    with open(shared_records_path, encoding="utf-8") as handle:
        first_lines = [line for line, _ in zip(handle, range(200))]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(first_lines), encoding="utf-8")
    result = run_import(runner, sample, "--register-museums")
    assert result.exit_code == 0, result.output
    statuses = {m.code: m.status for m in service.museums()}
    assert statuses["tate"] == "member" and statuses["rijksmuseum"] == "guest"


def test_dry_run_writes_nothing(runner, service, museum, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [record_payload("a"), record_payload("b", title=None)])
    result = run_import(runner, path, "--museum", "tate", "--dry-run")
    assert "dry run, nothing written: created 1, updated 0, unchanged 0, warned 0, rejected 1" in result.output
    assert result.exit_code == 1
    assert service.store.count_records(status=None) == 0 and service.store.pending_outbox() == []


def test_dry_run_with_register_museums_registers_nothing(runner, service, shared_records_path, tmp_path):
    sample = tmp_path / "s.jsonl"
    with open(shared_records_path, encoding="utf-8") as handle:
        sample.write_text(handle.readline(), encoding="utf-8")
    result = run_import(runner, sample, "--register-museums", "--dry-run")
    assert "created 1" in result.output and service.museums() == []


def test_unknown_museums_are_rejected_without_register(runner, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{**record_payload(), "museum": "nowhere"}])
    result = run_import(runner, path)
    assert "line 1 (T00001): museum: Unknown museum 'nowhere'" in result.output and result.exit_code == 1


def test_rows_can_name_their_museum(runner, service, make_museum, tmp_path):
    make_museum("tate")
    make_museum("rijksmuseum", country="NL")
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [{**record_payload("1"), "museum": "tate"}, {**record_payload("1"), "museum": "rijksmuseum"}],
    )
    assert run_import(runner, path).exit_code == 0
    assert service.store.record_counts() == {"tate": 1, "rijksmuseum": 1}


class TestMalformedFiles:
    """Every broken row is reported with its number; the good rows around it still land."""

    def test_truncated_json_line(self, runner, service, museum, tmp_path):
        good = json.dumps(record_payload("good"))
        path = tmp_path / "cut.jsonl"
        path.write_text(good + "\n" + good.replace('"good"', '"cut"')[:40], encoding="utf-8")
        result = run_import(runner, path, "--museum", "tate")
        assert "line 2: Not valid JSON" in result.output
        assert "created 1, updated 0, unchanged 0, warned 0, rejected 1" in result.output
        assert result.exit_code == 1

    def test_wrong_encoding(self, runner, service, museum, tmp_path):
        path = tmp_path / "latin1.jsonl"
        path.write_bytes(
            json.dumps(record_payload("ok")).encode()
            + b"\n"
            + json.dumps(record_payload("bad", title="Caf\u00e9"), ensure_ascii=False).encode("latin-1")
            + b"\n"
        )
        result = run_import(runner, path, "--museum", "tate")
        assert "line 2: Not valid UTF-8 (byte 0xe9" in result.output
        assert service.store.find_record("tate", "ok") is not None

    def test_a_line_that_is_not_an_object(self, runner, museum, tmp_path):
        path = write_jsonl(tmp_path / "r.jsonl", ['["a", "list"]', "42", record_payload()])
        result = run_import(runner, path, "--museum", "tate")
        assert "line 1: Each line must be one JSON object." in result.output
        assert "created 1, updated 0, unchanged 0, warned 0, rejected 2" in result.output

    def test_duplicate_local_ids(self, runner, service, museum, tmp_path):
        path = write_jsonl(
            tmp_path / "r.jsonl", [record_payload("x"), record_payload("y"), record_payload("x", title="second x")]
        )
        result = run_import(runner, path, "--museum", "tate")
        assert "line 3 (x): local_id: Duplicate local id; first seen in line 1." in result.output
        assert service.record_by_local_id("tate", "x").body["title"] == {"en": ["The Great Wave"]}

    def test_a_year_with_a_fraction_rejects_its_row_instead_of_being_cut(self, runner, service, museum, tmp_path):
        path = write_jsonl(
            tmp_path / "r.jsonl", [record_payload("whole", date_begin=1850.0), record_payload("F1", date_begin=1850.5)]
        )
        result = run_import(runner, path, "--museum", "tate")
        assert (
            "rejected line 2 (F1): date_begin: Must be a whole number (a year such as 1830). 1850.5 is not one."
            in result.output
        )
        assert service.record_by_local_id("tate", "whole").body["date_begin"] == 1850
        assert service.store.find_record("tate", "F1") is None

    def test_a_10_mb_field(self, runner, service, museum, tmp_path):
        path = write_jsonl(
            tmp_path / "r.jsonl", [record_payload("huge", description="x" * 10_000_000), record_payload("fine")]
        )
        result = run_import(runner, path, "--museum", "tate")
        assert "line 1 (huge): description: Longer than 50000 characters." in result.output
        assert service.store.find_record("tate", "fine") is not None

    def test_a_size_no_float_holds_lands_with_its_text_and_the_rows_after_it_too(
        self, runner, service, museum, tmp_path
    ):
        text = "H: " + "9" * 400 + " 1/2 cm"  # raised OverflowError out of validation: the import stopped
        path = write_jsonl(tmp_path / "r.jsonl", [record_payload("big", dimensions=text), record_payload("after")])
        result = run_import(runner, path, "--museum", "tate")
        assert result.exit_code == 0, result.output
        assert service.record_by_local_id("tate", "big").body["dimensions"] == {"text": text}
        assert service.store.find_record("tate", "after") is not None

    def test_html_and_javascript_in_every_text_field_are_stored_as_text(
        self, runner, service, museum, tmp_path, client
    ):
        attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        payload = record_payload(
            "xss",
            title=attack,
            description=attack,
            date_display=attack,
            object_type=attack,
            classification=attack,
            medium=attack,
            technique=attack,
            dimensions=attack,
            culture=attack,
            period=attack,
            dynasty=attack,
            place_of_origin=attack,
            place_depicted=attack,
            inscription=attack,
            credit_line=attack,
            department=attack,
            accession_number=attack,
            subjects=[attack],
            makers=[{"name": attack, "role": attack, "nationality": attack}],
        )
        result = run_import(runner, write_jsonl(tmp_path / "r.jsonl", [payload]), "--museum", "tate")
        assert result.exit_code == 0, result.output
        record = service.record_by_local_id("tate", "xss")
        page = client.get(f"/objects/{record.id}").get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page

    def test_an_empty_file_imports_nothing(self, runner, museum, tmp_path):
        path = tmp_path / "empty.jsonl"
        path.write_text("", encoding="utf-8")
        result = run_import(runner, path, "--museum", "tate")
        assert result.exit_code == 0 and "created 0" in result.output


class TestCsv:
    def test_csv_with_a_column_mapping(self, runner, service, museum, tmp_path):
        (tmp_path / "map.json").write_text(
            json.dumps(
                {
                    "language": "en",
                    "columns": {
                        "Object number": "local_id",
                        "Title": "title",
                        "Titel": "title.nl",
                        "Artist": {"field": "makers", "split": ";"},
                        "Date": "date_display",
                        "Materials": {"field": "materials", "split": "|"},
                        "Image rights": "rights.image_rights",
                        "Masterpiece": "masterpiece",
                    },
                }
            ),
            encoding="utf-8",
        )
        (tmp_path / "r.csv").write_text(
            "Object number,Title,Titel,Artist,Date,Materials,Image rights,Masterpiece,Ignored\n"
            'N01,"Sunset, late",Zonsondergang,Turner; Girtin,c. 1830-5,oil|canvas,CC0,yes,zzz\n'
            "N02,Dawn,,,19th century,,,no,\n",
            encoding="utf-8",
        )
        result = run_import(runner, tmp_path / "r.csv", "--museum", "tate", "--mapping", tmp_path / "map.json")
        assert result.exit_code == 0, result.output
        record = service.record_by_local_id("tate", "N01").body
        assert record["title"] == {"en": ["Sunset, late"], "nl": ["Zonsondergang"]}
        assert [m["name"] for m in record["makers"]] == ["Turner", "Girtin"]
        assert (record["date_begin"], record["date_end"], record["materials"]) == (1830, 1835, ["oil", "canvas"])
        assert record["masterpiece"] is True
        assert service.record_by_local_id("tate", "N02").body["date_begin"] == 1801

    def test_a_semicolon_csv_with_a_column_mapping_imports_by_its_columns(self, runner, service, museum, tmp_path):
        (tmp_path / "map.json").write_text(
            json.dumps(
                {
                    "language": "nl",
                    "columns": {"Objectnummer": "local_id", "Titel": "title", "Datering": "date_display"},
                }
            ),
            encoding="utf-8",
        )
        (tmp_path / "r.csv").write_text(
            "Objectnummer;Titel;Datering\nSK-A-1;Stilleven, bloemen;ca. 1650\n", encoding="utf-8"
        )
        result = run_import(runner, tmp_path / "r.csv", "--museum", "tate", "--mapping", tmp_path / "map.json")
        assert result.exit_code == 0, result.output
        record = service.record_by_local_id("tate", "SK-A-1").body
        assert record["title"] == {"nl": ["Stilleven, bloemen"]} and record["date_begin"] == 1650

    def test_csv_with_field_names_as_headers_needs_no_mapping(self, runner, service, museum, tmp_path):
        (tmp_path / "r.csv").write_text("local_id,title,date_display\nA1,Vase,Ming dynasty\n", encoding="utf-8")
        assert run_import(runner, tmp_path / "r.csv", "--museum", "tate").exit_code == 0
        assert service.record_by_local_id("tate", "A1").body["date_begin"] == 1368

    def test_csv_missing_required_columns_is_refused_whole(self, runner, service, museum, tmp_path):
        (tmp_path / "r.csv").write_text("local_id,date_display\nA1,1850\n", encoding="utf-8")
        result = run_import(runner, tmp_path / "r.csv", "--museum", "tate")
        assert result.exit_code == 2 and "no column for required fields: title" in result.output
        assert service.store.count_records() == 0

    def test_csv_mapping_naming_absent_columns_is_refused(self, runner, museum, tmp_path):
        (tmp_path / "map.json").write_text(json.dumps({"columns": {"Id": "local_id", "Name": "title"}}))
        (tmp_path / "r.csv").write_text("Id,Title\n1,x\n", encoding="utf-8")
        result = run_import(runner, tmp_path / "r.csv", "--museum", "tate", "--mapping", tmp_path / "map.json")
        assert result.exit_code == 2 and "not in the file: Name" in result.output

    def test_csv_rows_with_missing_cells_and_bad_bytes_are_rejected_alone(self, runner, service, museum, tmp_path):
        (tmp_path / "r.csv").write_bytes(
            b"local_id,title,date_display\n"
            + b"A1,Vase\n"
            + "A2,Caf\u00e9,1850\n".encode("latin-1")
            + b"A3,Bowl,1850\n"
        )
        result = run_import(runner, tmp_path / "r.csv", "--museum", "tate")
        assert "rejected row 2: Row has 2 cells; the header has 3." in result.output
        assert "rejected row 3: Not valid UTF-8" in result.output
        assert "created 1, updated 0, unchanged 0, warned 0, rejected 2" in result.output

    def test_an_unknown_extension_needs_format(self, runner, museum, tmp_path):
        (tmp_path / "r.txt").write_text("local_id,title\n1,x\n", encoding="utf-8")
        assert run_import(runner, tmp_path / "r.txt", "--museum", "tate").exit_code == 2
        assert run_import(runner, tmp_path / "r.txt", "--museum", "tate", "--format", "csv").exit_code == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_sent_again_leaves_the_status_of_records_it_names_none_for(app, service, museum, tmp_path, workers):
    """A museum's nightly file names no status: it must not bring back what a curator withdrew nor
    publish a draft. A new record takes the import's default, and a row that names a status sets it."""
    from catalogue.cli import cli_actor
    from catalogue.ingest.importer import Importer

    def send(rows, **options):
        path = write_jsonl(tmp_path / "nightly.jsonl", [{**row, "museum": museum.code} for row in rows])
        with app.app_context():
            return Importer(service, cli_actor(), workers=workers, **options).import_file(path)

    send([record_payload("W1"), record_payload("D1")], default_status="draft")
    service.upsert(cli_actor(), museum.code, {**record_payload("W1"), "status": "published"})
    service.withdraw(cli_actor(), museum.code, "W1")
    again = send([record_payload("W1"), record_payload("D1"), record_payload("N1")])
    assert (again.counts["unchanged"], again.counts["created"]) == (2, 1)
    statuses = {local_id: service.store.find_record(museum.code, local_id).status for local_id in ("W1", "D1", "N1")}
    assert statuses == {"W1": "withdrawn", "D1": "draft", "N1": "published"}
    send([{**record_payload("W1"), "status": "published"}])
    assert service.store.find_record(museum.code, "W1").status == "published"
