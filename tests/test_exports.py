"""Exports: the JSON Lines, CSV and LIDO writers, the reads behind them, and `catalogue export`."""

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import etree

from catalogue.cli import cli_actor
from catalogue.exports import CSV_COLUMNS, CSV_IMPORT_MAPPING, neutralised
from catalogue.lido.names import LIDO_NS
from tests.support import image_bytes, make_app

LIDO_XSD = Path(__file__).resolve().parents[2] / "shared" / "lido" / "schema" / "lido-v1.1.xsd"
BASE = "http://catalogue.test"

WAVE = {
    "local_id": "T1",
    "language": "en",
    "title": {"en": ["The Great Wave"], "ja": ["神奈川沖浪裏"]},
    "makers": [{"name": "Katsushika Hokusai"}, {"name": "Studio of Hokusai"}],
    "date_display": "c. 1830-32",
    "date_begin": 1830,
    "date_end": 1832,
    "object_type": "print",
    "medium": "woodblock print; ink and colour on paper",
    "materials": ["ink", "paper"],
    "dimensions": "25.7 x 37.9 cm",
    "country": ["JP"],
    "subjects": ["waves", "Mount Fuji"],
    "description": {"en": ["A wave.\n\nMount Fuji behind it."]},
    "credit_line": "Gift of a friend",
    "masterpiece": True,
    "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"},
    "source_url": "https://museum.example/t1",
}
BOWL = {"local_id": "T2", "title": "Untitled (bowl)", "date_display": "5th century BCE", "object_type": "ceramic"}
DRAFT = {"local_id": "T3", "title": "Not yet shown", "status": "draft"}
NIGHT_WATCH = {
    "local_id": "R1",
    "language": "nl",
    "title": {"nl": ["De Nachtwacht"], "en": ["The Night Watch"]},
    "makers": [{"name": "Rembrandt van Rijn"}],
    "date_display": "1642",
}
SCREEN = {
    "local_id": "M1",
    "title": {"en": ["Irises"]},
    "date_display": "18th century",
    "rights": {"metadata_license": "CC0", "image_rights": "In Copyright"},
}  # its image is not open for reuse: no export links its original, which would answer 403
FORMULAS = {
    "local_id": "E1",
    "title": '=HYPERLINK("https://evil.example","open me")',
    "makers": [{"name": "+SUM(1,2)"}],
    "credit_line": "@cmd",
    "accession_number": "-2+3",
    "date_begin": -500,
    "date_end": -400,
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app({"DATA_DIR": str(tmp_path_factory.mktemp("exports")), "BASE_URL": BASE})
    service = app.extensions["catalogue"]
    for code, country in (("tate", "GB"), ("rijks", "NL"), ("mori", "JP"), ("evil", "FR")):
        service.register_museum(
            cli_actor(), {"code": code, "names": {"en": [code.title()]}, "country": country, "status": "member"}
        )
    for museum, payload in (
        ("tate", WAVE),
        ("tate", BOWL),
        ("tate", DRAFT),
        ("rijks", NIGHT_WATCH),
        ("mori", SCREEN),
        ("evil", FORMULAS),
    ):
        service.upsert(cli_actor(), museum, payload)
    service.add_images(cli_actor(), "tate", "T1", [(image_bytes(), "wave.jpg")])
    service.add_images(cli_actor(), "mori", "M1", [(image_bytes(size=(2000, 1000)), "irises.jpg")])
    yield app
    app.extensions["catalogue"].store.dispose()


@pytest.fixture(scope="module")
def service(app):
    return app.extensions["catalogue"]


@pytest.fixture(scope="module")
def runner(app):
    return app.test_cli_runner()


def export(runner, *args: str) -> bytes:
    result = runner.invoke(args=["export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def revisions(service) -> dict[str, int]:
    return {record.id: record.revision for record in service.store.iter_records(status=None)}


# JSON Lines ----------------------------------------------------------------------------------
def test_a_json_lines_export_holds_the_api_shape_of_each_published_record(runner, app):
    lines = export(runner, "--format", "jsonl", "--museum", "tate").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["local_id"] for r in records] == ["T1", "T2"]  # by local id; the draft T3 is not exported
    answer = app.test_client().get(f"/api/objects/{records[0]['id']}").get_json()
    assert records[0] == {key: value for key, value in answer.items() if key not in ("shown", "manifest")}
    assert records[0]["images"][0]["url"].startswith(f"{BASE}/images/")


def test_a_json_lines_export_imports_again_unchanged(runner, service, tmp_path):
    path = tmp_path / "all.jsonl"
    path.write_bytes(export(runner, "--format", "jsonl"))
    before = revisions(service)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, unchanged 5" in result.stdout
    assert revisions(service) == before


def test_unpublished_records_are_exported_only_when_asked_for(runner):
    lines = export(runner, "--format", "jsonl", "--museum", "tate", "--include-unpublished").splitlines()
    assert [(r["local_id"], r["status"]) for r in map(json.loads, lines)] == [
        ("T1", "published"),
        ("T2", "published"),
        ("T3", "draft"),
    ]


# CSV -----------------------------------------------------------------------------------------
def test_a_csv_export_has_the_documented_columns_and_a_byte_order_mark(runner):
    data = export(runner, "--format", "csv", "--museum", "tate")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert list(rows[0]) == list(CSV_COLUMNS)
    wave, bowl = rows
    assert (wave["title.en"], wave["title.ja"], wave["title"]) == ("The Great Wave", "神奈川沖浪裏", "")
    assert wave["makers"] == "Katsushika Hokusai; Studio of Hokusai"
    assert (wave["materials"], wave["country"], wave["subjects"]) == ("ink; paper", "JP", "waves; Mount Fuji")
    assert (wave["date_begin"], wave["date_end"], wave["dimensions"]) == ("1830", "1832", "25.7 x 37.9 cm")
    assert wave["description.en"] == "A wave.\n\nMount Fuji behind it."
    assert wave["metadata_license"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert wave["url"].startswith(f"{BASE}/objects/") and wave["manifest"].startswith(BASE)
    assert wave["image_urls"].startswith(f"{BASE}/images/") and wave["masterpiece"] == "true"
    assert (bowl["title"], bowl["title.en"], bowl["language"]) == ("Untitled (bowl)", "", "none")
    assert (bowl["date_begin"], bowl["manifest"], bowl["image_urls"]) == ("-500", "", "")


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(runner):
    (row,) = csv_rows(export(runner, "--format", "csv", "--museum", "evil"))
    assert row["title"] == """'=HYPERLINK("https://evil.example","open me")"""
    assert (row["makers"], row["credit_line"], row["accession_number"]) == ("'+SUM(1,2)", "'@cmd", "'-2+3")
    assert (row["date_begin"], row["date_end"]) == ("-500", "-400")  # numbers stay numbers


@pytest.mark.parametrize(
    "cell, shown",
    [("=1+1", "'=1+1"), ("\t=1", "'\t=1"), ("\r@x", "'\r@x"), ("-12.5", "-12.5"), ("+44", "+44"), ("a=b", "a=b")],
)
def test_neutralising_a_cell(cell, shown):
    assert neutralised(cell) == shown


@pytest.mark.parametrize("museum, language", [("tate", None), ("rijks", "nl")])
def test_a_csv_export_imports_again_unchanged_through_the_documented_mapping(
    runner, service, tmp_path, museum, language
):
    path, mapping = tmp_path / "export.csv", tmp_path / "mapping.json"
    path.write_bytes(export(runner, "--format", "csv", "--museum", museum))
    mapping.write_text(json.dumps({"columns": CSV_IMPORT_MAPPING, **({"language": language} if language else {})}))
    before = revisions(service)
    result = runner.invoke(args=["import", str(path), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, unchanged" in result.stdout
    assert revisions(service) == before


# LIDO ----------------------------------------------------------------------------------------
def test_a_lido_export_of_a_museum_is_one_lido_wrap_with_a_record_each(runner):
    root = etree.fromstring(export(runner, "--format", "lido", "--museum", "tate"))
    assert root.tag == f"{{{LIDO_NS}}}lidoWrap"
    records = root.findall(f"{{{LIDO_NS}}}lido")
    assert [r.findtext(f"{{{LIDO_NS}}}lidoRecID") for r in records] == ["T1", "T2"]
    if not LIDO_XSD.exists():
        pytest.skip(f"the LIDO schema is not at {LIDO_XSD}")
    schema = etree.XMLSchema(etree.parse(str(LIDO_XSD), etree.XMLParser(no_network=True)))
    assert schema.validate(root), schema.error_log


# images not open for reuse ------------------------------------------------------------------
def test_a_json_lines_export_gives_no_original_of_an_image_not_open_for_reuse(runner):
    """Its original is not public (it would answer 403): the IIIF Image API service shows it."""
    (screen,) = map(json.loads, export(runner, "--format", "jsonl", "--museum", "mori").splitlines())
    (image,) = screen["images"]
    assert image["url"] is None and image["iiif"] == f"{BASE}/iiif/3/{image['id']}"
    (wave, _bowl) = map(json.loads, export(runner, "--format", "jsonl", "--museum", "tate").splitlines())
    assert wave["images"][0]["url"] == f"{BASE}/images/{wave['images'][0]['id']}/original"


def test_a_csv_export_links_an_image_not_open_for_reuse_at_its_largest_iiif_size(runner, app):
    (screen,) = csv_rows(export(runner, "--format", "csv", "--museum", "mori"))
    image_id = app.extensions["catalogue"].record_by_local_id("mori", "M1").images[0].id
    assert screen["image_urls"] == f"{BASE}/iiif/3/{image_id}/full/1600,800/0/default.jpg"
    assert app.test_client().get(screen["image_urls"].removeprefix(BASE)).status_code == 200
    wave = csv_rows(export(runner, "--format", "csv", "--museum", "tate"))[0]
    assert wave["image_urls"].endswith("/original")


@pytest.mark.parametrize("file_format", ["jsonl", "csv", "lido"])
def test_no_export_links_an_original_that_is_not_public(runner, file_format):
    assert b"/original" not in export(runner, "--format", file_format, "--museum", "mori")
    assert b"/original" in export(runner, "--format", file_format, "--museum", "tate")


# the command ---------------------------------------------------------------------------------
def test_the_progress_bar_goes_to_stderr_and_stdout_holds_only_the_export(runner):
    result = runner.invoke(args=["export", "--format", "jsonl"])
    assert result.exit_code == 0
    assert all(json.loads(line)["id"] for line in result.stdout.splitlines())
    assert "Exporting" in result.stderr and "exported 5 records" in result.stderr


def test_an_export_to_a_file(runner, tmp_path):
    path = tmp_path / "rijks.csv"
    result = runner.invoke(args=["export", "--format", "csv", "--museum", "rijks", "--output", str(path)])
    assert result.exit_code == 0 and result.stdout == ""
    assert [row["title"] for row in csv_rows(path.read_bytes())] == ["De Nachtwacht"]


def test_an_unknown_museum_is_refused_and_writes_nothing(runner, tmp_path):
    path = tmp_path / "nowhere.jsonl"
    result = runner.invoke(args=["export", "--format", "jsonl", "--museum", "nowhere", "--output", str(path)])
    assert result.exit_code == 2 and "No museum with code 'nowhere'" in result.stderr
    assert not path.exists()


def test_an_output_that_cannot_be_written_is_refused(runner, tmp_path):
    result = runner.invoke(args=["export", "--format", "csv", "--output", str(tmp_path / "no-such-folder" / "x.csv")])
    assert result.exit_code == 2 and "Cannot write" in result.stderr


def test_a_failed_export_leaves_no_file_behind(runner, tmp_path, monkeypatch):
    def failing(*args):
        yield b"the first record\n"
        raise RuntimeError("the database went away")

    monkeypatch.setattr("catalogue.exports.export_chunks", failing)
    result = runner.invoke(args=["export", "--format", "jsonl", "--output", str(tmp_path / "all.jsonl")])
    assert isinstance(result.exception, RuntimeError)
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_is_refused(runner):
    assert runner.invoke(args=["export", "--format", "xlsx"]).exit_code == 2


# reads ---------------------------------------------------------------------------------------
def test_exported_records_are_read_in_chunks_by_museum_and_local_id(service):
    records = list(service.store.export_records(None, ("published",), chunk=2))
    keys = [(r.museum, r.local_id) for r in records]
    assert keys == [("evil", "E1"), ("mori", "M1"), ("rijks", "R1"), ("tate", "T1"), ("tate", "T2")]
    assert service.export().total == 5 and service.export("tate").total == 2


def test_records_by_id_keep_their_order_and_leave_out_what_is_not_published(service):
    ids = {r.local_id: r.id for r in service.store.iter_records(status=None)}
    wanted = [ids["T2"], ids["T3"], "unknown", ids["R1"], ids["T1"]]
    assert [r.local_id for r in service.published_records(wanted)] == ["T2", "R1", "T1"]


def test_only_those_who_may_read_drafts_export_them(service):
    from catalogue.errors import Forbidden
    from catalogue.models import PUBLIC, Actor

    with pytest.raises(Forbidden):
        service.export("tate", PUBLIC, include_unpublished=True)
    with pytest.raises(Forbidden):
        service.export(None, Actor("curator", "curator", "tate"), include_unpublished=True)
    assert service.export("tate", Actor("curator", "curator", "tate"), include_unpublished=True).total == 3
