"""The bulk upload pages: upload a file, map a CSV's columns, read the dry run's report in the page
(and as CSV), confirm, and follow the run's progress; files that are not UTF-8 text are refused
with a message, oversized ones with a 413; another museum's curators see none of it."""

import csv
import io
import json

import pytest

from tests.support import (
    PASSWORD,
    csrf_token,
    image_bytes,
    page_text,
    post_form,
    record_payload,
    report_page_text,
    sign_in,
    wait_for,
)

MAX_REQUEST_BYTES = 50_000


@pytest.fixture
def app_settings():
    return {"MAX_REQUEST_BYTES": MAX_REQUEST_BYTES}


CSV = (
    "Object number,Title,Artist,Date\n"
    "T1,The Great Wave,Katsushika Hokusai,c. 1830\n"
    "T2,,Nobody,1900\n"
    'T3,"Fuji, red",Hokusai; Hiroshige,1831\n'
)


def send_file(client, content: bytes, name: str = "objects.csv", file_format: str = "auto", query: str = ""):
    return post_form(
        client,
        f"/curate/imports{query}",
        {"file": (io.BytesIO(content), name), "format": file_format},
        page=f"/curate/imports{query}",
    )


def import_id_of(response) -> int:
    return int(response.headers["Location"].split("/curate/imports/")[1].split("/")[0])


def test_a_csv_goes_from_upload_through_mapping_and_dry_run_to_the_imported_records(curator_client, client):
    page = curator_client.get("/curate/imports")
    assert page.status_code == 200 and 'type="file"' in page_text(page) and "No uploads yet." in page_text(page)

    sent = send_file(curator_client, CSV.encode())
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/mapping")
    import_id = import_id_of(sent)

    mapping = page_text(curator_client.get(f"/curate/imports/{import_id}/mapping"))
    assert "Object number" in mapping and "Katsushika Hokusai" in mapping and "Hokusai; Hiroshige" in mapping
    assert '<option value="local_id" selected>' in mapping and '<option value="makers" selected>' in mapping

    choices = {"column-0": "local_id", "column-1": "title", "column-2": "makers", "column-3": "", "language": "en"}
    saved = post_form(curator_client, f"/curate/imports/{import_id}/mapping", choices)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/curate/imports/{import_id}")
    assert wait_for(curator_client, import_id, ("checked",))["total"] == 3

    dry_run = page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "Dry run" in dry_run and "Nothing has been written yet" in dry_run
    assert 'name="default_status" value="published" checked' in dry_run and 'value="draft"' in dry_run
    assert '<dd data-count="created">2</dd>' in dry_run and '<dd data-count="rejected">1</dd>' in dry_run
    assert "Required: fill this in." in dry_run
    assert client.get("/api/museums/tate/objects/T1").status_code == 404

    report = curator_client.get(f"/curate/imports/{import_id}/report.csv")
    assert report.mimetype == "text/csv" and "attachment" in report.headers["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(report.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(line["kind"], line["row"], line["local_id"], line["field"]) for line in lines] == [
        ("error", "3", "T2", "title")
    ]

    confirmed = post_form(curator_client, f"/curate/imports/{import_id}/run", page=f"/curate/imports/{import_id}")
    assert confirmed.status_code == 302
    progress = wait_for(curator_client, import_id)
    assert progress == {
        "state": "done",
        "processed": 3,
        "total": 3,
        "counts": {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "warned": 0},
    }
    finished = page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "Report" in finished and "Required: fill this in." in finished and 'http-equiv="refresh"' not in finished
    wave = client.get("/api/museums/tate/objects/T1").get_json()
    assert wave["title"] == {"en": ["The Great Wave"]} and [m["name"] for m in wave["makers"]] == ["Katsushika Hokusai"]
    assert client.get("/api/museums/tate/objects/T3").status_code == 200

    history = page_text(curator_client.get("/curate/imports"))
    assert "objects.csv" in history and "done" in history and "created 2, updated 0, unchanged 0, rejected 1" in history


def test_a_semicolon_csv_from_a_european_excel_offers_its_own_columns_for_mapping(curator_client, client):
    semicolons = "Objectnummer;Titel;Vervaardiger;Datering\nSK-A-1;Stilleven, bloemen;Jan Davidsz. de Heem;ca. 1650\n"
    import_id = import_id_of(send_file(curator_client, ("\ufeff" + semicolons).encode(), name="export.csv"))
    mapping = page_text(curator_client.get(f"/curate/imports/{import_id}/mapping"))
    for index, header in enumerate(["Objectnummer", "Titel", "Vervaardiger", "Datering"]):
        assert f'<label for="column-{index}">{header}</label>' in mapping
    assert 'for="column-4"' not in mapping and "<li>Stilleven, bloemen</li>" in mapping
    assert '<select id="column-1" name="column-1"' in mapping and '<option value="title" selected>' in mapping

    choices = {"column-0": "local_id", "column-1": "title", "column-2": "makers", "column-3": "date_display"}
    post_form(curator_client, f"/curate/imports/{import_id}/mapping", {**choices, "language": "nl"})
    assert wait_for(curator_client, import_id, ("checked",))["counts"]["created"] == 1
    post_form(curator_client, f"/curate/imports/{import_id}/run", page=f"/curate/imports/{import_id}")
    assert wait_for(curator_client, import_id)["state"] == "done"
    record = client.get("/api/museums/tate/objects/SK-A-1").get_json()
    assert record["title"] == {"nl": ["Stilleven, bloemen"]} and record["date_begin"] == 1650


def test_json_lines_go_straight_to_the_dry_run(curator_client):
    lines = "".join(json.dumps(record_payload(f"J{n}")) + "\n" for n in range(3))
    sent = send_file(curator_client, lines.encode(), name="objects.ndjson")
    assert sent.status_code == 302 and not sent.headers["Location"].endswith("/mapping")
    wait_for(curator_client, import_id_of(sent), ("checked",))
    page = page_text(curator_client.get(sent.headers["Location"]))
    assert '<dd data-count="created">3</dd>' in page and "No row has an error or a warning." in page


def report_rows(client, import_id: int) -> tuple[list[str], list[list[str]]]:
    """The report download's header and rows."""
    text = client.get(f"/curate/imports/{import_id}/report.csv").get_data(as_text=True).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def test_a_bad_csv_row_has_one_number_on_the_page_in_the_download_and_from_the_command(
    curator_client, runner, tmp_path
):
    """T2 is the spreadsheet's row 3 (the header is row 1), and every report says so."""
    import_id = import_id_of(send_file(curator_client, CSV.encode()))
    choices = {"column-0": "local_id", "column-1": "title", "column-2": "makers", "column-3": "date_display"}
    post_form(curator_client, f"/curate/imports/{import_id}/mapping", choices)
    wait_for(curator_client, import_id, ("checked",))
    page = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert '<th scope="col">Row</th>' in page and "<td>3</td><td>T2</td>" in page
    header, rows = report_rows(curator_client, import_id)
    assert header[:3] == ["kind", "row", "local_id"] and [row[:3] for row in rows] == [["error", "3", "T2"]]

    (tmp_path / "objects.csv").write_text(CSV, encoding="utf-8")
    columns = {"Object number": "local_id", "Title": "title", "Artist": "makers", "Date": "date_display"}
    (tmp_path / "columns.json").write_text(json.dumps({"columns": columns}), encoding="utf-8")
    command = ["import", str(tmp_path / "objects.csv"), "--museum", "tate", "--mapping", str(tmp_path / "columns.json")]
    assert "rejected row 3 (T2): title:" in runner.invoke(args=[*command, "--dry-run"]).output


def test_a_json_lines_report_names_each_bad_line_by_its_line_in_the_file(curator_client):
    lines = [json.dumps(record_payload("J1")), "", json.dumps(record_payload("J2", title="")), "{not json"]
    import_id = import_id_of(send_file(curator_client, "\n".join(lines).encode(), name="objects.jsonl"))
    wait_for(curator_client, import_id, ("checked",))
    page = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert '<th scope="col">Line</th>' in page and "<td>3</td><td>J2</td>" in page and "<td>4</td><td></td>" in page
    header, rows = report_rows(curator_client, import_id)
    assert header[:3] == ["kind", "line", "local_id"] and [row[:3] for row in rows] == [
        ["error", "3", "J2"],
        ["error", "4", ""],
    ]


def test_a_report_line_with_a_value_is_shown_in_the_language_of_whoever_reads_it(curator_client):
    """The report is kept once, in no language: a message keeps its template and values."""
    lines = [
        json.dumps({**record_payload("Y1"), "date_begin": 1850.5}),  # refused: a year with a fraction
        json.dumps({**record_payload("C1"), "country": "Atlantis"}),  # lands without its country
    ]
    import_id = import_id_of(send_file(curator_client, "\n".join(lines).encode(), name="objects.jsonl"))
    wait_for(curator_client, import_id, ("checked",))
    german = report_page_text(curator_client.get(f"/de/curate/imports/{import_id}"))
    assert "<td>Muss eine ganze Zahl sein (ein Jahr wie 1830). 1850.5 ist keine.</td>" in german
    assert "<td>Unbekanntes Land: verwenden Sie einen ISO-3166-1-Alpha-2-Code oder einen englischen Namen." in german
    english = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "<td>Must be a whole number (a year such as 1830). 1850.5 is not one.</td>" in english
    _, rows = report_rows(curator_client, import_id)  # the download is a data file: English
    assert rows[0][4] == "Must be a whole number (a year such as 1830). 1850.5 is not one."


def test_lines_that_cannot_be_read_are_reported_in_the_pages_language(curator_client):
    lines = [
        json.dumps(record_payload("L1")),
        "not json",
        "[1, 2]",
        json.dumps(record_payload("L1")),
        json.dumps(record_payload("L2", museum="rijks")),
    ]
    import_id = import_id_of(send_file(curator_client, "\n".join(lines).encode(), name="objects.jsonl"))
    wait_for(curator_client, import_id, ("checked",))
    japanese = report_page_text(curator_client.get(f"/ja/curate/imports/{import_id}"))
    assert "<td>有効な JSON ではありません：値が必要です（1 文字目）。</td>" in japanese
    assert "<td>各行は 1 つの JSON オブジェクトでなければなりません。</td>" in japanese
    assert "<td>ローカルIDが重複しています。最初に現れたのは 1 行目です。</td>" in japanese
    assert "<td>この行は館 'rijks' のものですが、このアップロードは館 'tate' のものです。</td>" in japanese
    assert "Not valid" not in japanese and "Duplicate" not in japanese and "This row" not in japanese
    english = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "<td>Duplicate local id; first seen in line 1.</td>" in english
    assert "<td>Not valid JSON: a value is expected (column 1).</td>" in english


def test_a_row_for_another_museum_is_reported_with_its_local_id(curator_client):
    """The row has a local id: its line names it, as every other rejected row's does."""
    lines = [json.dumps(record_payload("L1")), json.dumps(record_payload("L2", museum="rijks"))]
    import_id = import_id_of(send_file(curator_client, "\n".join(lines).encode(), name="objects.jsonl"))
    wait_for(curator_client, import_id, ("checked",))
    page = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "<td>2</td><td>L2</td>" in page
    _, rows = report_rows(curator_client, import_id)
    assert [row[:3] for row in rows] == [["error", "2", "L2"]]


def test_a_csv_row_with_too_many_cells_is_reported_in_the_pages_language(curator_client):
    content = b"Object number,Title\nR1,Wave,extra\n"
    import_id = import_id_of(send_file(curator_client, content))
    choices = {"column-0": "local_id", "column-1": "title", "language": "en"}
    assert post_form(curator_client, f"/curate/imports/{import_id}/mapping", choices).status_code == 302
    wait_for(curator_client, import_id, ("checked",))
    german = report_page_text(curator_client.get(f"/de/curate/imports/{import_id}"))
    assert "<td>Die Zeile hat 3 Zellen, die Kopfzeile 2.</td>" in german


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("local_id,title\nA1,Café\n".encode("cp1252"), "The file is not UTF-8 text"),
        (image_bytes("PNG"), "This is not a text file"),
        (b"", "The file is empty."),
    ],
    ids=["windows-1252", "binary", "empty"],
)
def test_files_that_are_not_utf8_text_are_refused_with_a_message(curator_client, content, message):
    refused = send_file(curator_client, content)
    assert refused.status_code == 400
    page = page_text(refused)
    assert message in page and 'id="file-error"' in page and 'aria-invalid="true"' in page
    assert "No uploads yet." in page


def test_a_refused_file_is_explained_in_the_pages_language(curator_client):
    french = post_form(
        curator_client,
        "/fr/curate/imports",
        {"file": (io.BytesIO(b""), "objects.csv"), "format": "auto"},
        page="/fr/curate/imports",
    )
    page = page_text(french)
    assert french.status_code == 400
    assert 'role="alert" id="upload-error">Le fichier est vide.</p>' in page and "The file is empty." not in page


def test_a_form_without_a_file_keeps_the_chosen_format(curator_client):
    refused = post_form(curator_client, "/curate/imports", {"format": "jsonl"}, page="/curate/imports")
    assert refused.status_code == 400
    assert "Choose a file to upload." in page_text(refused)
    assert '<option value="jsonl" selected>' in page_text(refused)


def test_an_oversized_file_is_refused_with_413(curator_client):
    oversized = b"local_id,title\n" + b"A1,x\n" * (MAX_REQUEST_BYTES // 5)
    token = csrf_token(curator_client, "/curate/imports")
    refused = curator_client.post(
        "/curate/imports", data={"file": (io.BytesIO(oversized), "big.csv"), "csrf_token": token}
    )
    assert refused.status_code == 413
    assert "No uploads yet." in page_text(curator_client.get("/curate/imports"))


def test_uploads_need_the_forms_csrf_token_and_a_signed_in_curator(curator_client, client):
    forged = curator_client.post("/curate/imports", data={"file": (io.BytesIO(CSV.encode()), "objects.csv")})
    assert forged.status_code == 400 and "reload the page" in page_text(forged)
    assert client.get("/curate/imports").status_code == 302


def test_a_mapping_that_cannot_work_is_shown_again_with_the_choices_kept(curator_client):
    import_id = import_id_of(send_file(curator_client, CSV.encode()))
    choices = {"column-0": "local_id", "column-1": "", "column-2": "local_id", "column-3": "date_display"}
    refused = post_form(curator_client, f"/curate/imports/{import_id}/mapping", choices)
    assert refused.status_code == 400
    page = page_text(refused)
    assert "Column 1 already fills this field." in page and 'id="column-2-error"' in page
    assert "Choose a column for: title." in page
    assert page.count('<option value="local_id" selected>') == 2 and '<option value="date_display" selected>' in page


def test_without_javascript_the_page_refreshes_itself_while_a_job_waits(app, curator_client, service):
    lines = json.dumps(record_payload("W1")) + "\n"
    import_id = import_id_of(send_file(curator_client, lines.encode(), name="one.jsonl"))
    wait_for(curator_client, import_id, ("checked",))
    assert 'http-equiv="refresh"' not in page_text(curator_client.get(f"/curate/imports/{import_id}"))
    curator = service.store.list_users("tate")[0]
    actor = service.actor_for_session(curator["id"], curator["session_version"])

    service.request_check(actor, import_id)  # asked for, not started: the timers are off in tests
    page = page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Dry run: 0 of 1 rows checked" in page and 'role="status"' in page

    service.run_import(import_id)
    service.confirm_import(actor, import_id)
    page = page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "<progress" in page and "Waiting to start" in page
    assert curator_client.get(f"/curate/imports/{import_id}/progress.json").get_json()["state"] == "queued"


def test_another_museums_curator_cannot_see_or_run_an_upload(app, curator_client, make_museum, make_account):
    import_id = import_id_of(send_file(curator_client, CSV.encode(), name="secret-list.csv"))
    make_museum("rijksmuseum", country="NL")
    other = app.test_client()
    assert sign_in(other, make_account("curator", "rijksmuseum"), PASSWORD).status_code == 302
    for path in ("", "/mapping", "/progress.json", "/report.csv"):
        seen = other.get(f"/curate/imports/{import_id}{path}")
        assert seen.status_code == 403 and "secret-list" not in page_text(seen)
    for step in ("run", "check", "mapping", "discard"):
        token = csrf_token(other, "/curate/imports")
        refused = other.post(f"/curate/imports/{import_id}/{step}", data={"csrf_token": token})
        assert refused.status_code == 403 and "secret-list" not in page_text(refused)
    assert curator_client.get(f"/curate/imports/{import_id}").status_code == 200
    assert curator_client.get(f"/curate/imports/{import_id + 1}").status_code == 404
    assert other.get("/curate/imports?museum=tate").status_code == 403
    assert "secret-list" not in page_text(other.get("/curate/imports"))


def test_the_secretariat_picks_the_museum(app, museum, make_account):
    admin = app.test_client()
    assert sign_in(admin, make_account("admin")).status_code == 302
    picker = page_text(admin.get("/curate/imports"))
    assert '<select id="museum" name="museum"' in picker and '<option value="tate">' in picker
    sent = send_file(admin, CSV.encode(), query="?museum=tate")
    assert sent.status_code == 302
    assert "objects.csv" in page_text(admin.get("/curate/imports?museum=tate"))
    for unknown in ("nowhere", "tate\x00", "x" * 500, "Tate"):
        assert admin.get("/curate/imports", query_string={"museum": unknown}).status_code == 404


def test_the_curator_may_keep_the_imported_records_as_drafts(curator_client, client, service):
    import_id = import_id_of(send_file(curator_client, CSV.encode()))
    choices = {"column-0": "local_id", "column-1": "title", "column-2": "makers", "column-3": "", "language": "en"}
    post_form(curator_client, f"/curate/imports/{import_id}/mapping", choices)
    wait_for(curator_client, import_id, ("checked",))
    page = f"/curate/imports/{import_id}"
    assert post_form(curator_client, f"{page}/run", {"default_status": "draft"}, page=page).status_code == 302
    assert wait_for(curator_client, import_id)["state"] == "done"
    assert client.get("/api/museums/tate/objects/T1").status_code == 404  # a draft: not public
    assert service.store.find_record("tate", "T1").status == "draft"


def test_a_curator_discards_an_upload_before_importing_it(curator_client):
    import_id = import_id_of(send_file(curator_client, CSV.encode(), name="wrong-file.csv"))
    page = page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert 'id="discard-upload"' in page
    forged = curator_client.post(f"/curate/imports/{import_id}/discard")
    assert forged.status_code == 400 and curator_client.get(f"/curate/imports/{import_id}").status_code == 200

    discarded = post_form(
        curator_client, f"/curate/imports/{import_id}/discard", {}, page=f"/curate/imports/{import_id}"
    )
    assert discarded.status_code == 303 and discarded.headers["Location"].endswith("/curate/imports?museum=tate")
    history = page_text(curator_client.get(discarded.headers["Location"]))
    assert "The upload of wrong-file.csv was discarded" in history and "No uploads yet." in history
    assert curator_client.get(f"/curate/imports/{import_id}").status_code == 404
