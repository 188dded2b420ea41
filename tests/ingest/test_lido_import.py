"""LIDO imports end to end: all 73 real LIDO files of /work/shared/lido (LIDO 1.0 and 1.1, valid
and invalid, in a lidoWrap, bare and in an OAI-PMH envelope) through the Importer, each record
accounted for; `catalogue import --format lido`; and a LIDO file through the curators' bulk upload
page, from its dry run's report to the imported records."""

import io
import os
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.lido.writer import lido_document
from tests.support import image_bytes, page_text, post_form, record_payload, report_page_text, require, wait_for

SHARED_LIDO = Path(os.environ.get("CATALOGUE_SHARED_LIDO", Path(__file__).parents[3] / "shared" / "lido"))
EXAMPLES = SHARED_LIDO / "examples"
FIXTURES = Path(__file__).parents[1] / "lido" / "fixtures"
LIDO = "{http://www.lido-schema.org}"
# the two records of the set that cannot be imported, and why
NOT_IMPORTABLE = {
    "DDB_LIDO_record_2.xml": "No lidoRecID",  # manipulated on purpose: its lidoRecID was removed
    "310000022.xml": "No title in any language",  # valid against the XSD, but its only title is empty
}


def example_files() -> list[Path]:
    require(EXAMPLES.is_dir(), f"the shared LIDO examples are not at {EXAMPLES} (set CATALOGUE_SHARED_LIDO)")
    return sorted(EXAMPLES.rglob("*.xml"))


def lido_elements(path: Path) -> list:
    """The file's lido:lido elements, counted by lxml alone (not by the reader under test)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return list(etree.parse(str(path), parser).iter(f"{LIDO}lido"))


def record_ids(path: Path) -> list[str]:
    return [(found.text or "").strip() for record in lido_elements(path) for found in record.iter(f"{LIDO}lidoRecID")]


@pytest.fixture(scope="module")
def files():
    return example_files()


def test_every_record_of_the_73_example_files_is_accounted_for(app, service, museum, files):
    assert len(files) == 73
    totals: Counter = Counter()
    for path in files:
        with app.app_context():
            report = Importer(service, cli_actor(), museum=museum.code).import_file(path)
        counts = {name: report.counts[name] for name in ("created", "updated", "unchanged")}
        counts["rejected"] = report.rejected
        assert sum(counts.values()) == len(lido_elements(path)), (path.name, counts, report.errors)
        reason = NOT_IMPORTABLE.get(path.name)
        if reason:  # each of these files holds just the one record
            assert counts["rejected"] == 1 and [reason in error.message for error in report.errors] == [True]
        else:
            assert counts["rejected"] == 0, (path.name, [str(error) for error in report.errors])
        totals.update(counts)
        totals["warned"] += report.warned
    elements = sum(len(lido_elements(path)) for path in files)
    distinct_ids = {recid for path in files for recid in record_ids(path)}
    assert (elements, len(distinct_ids)) == (201, 178)
    # 178 lidoRecIDs, less the second of the manipulated record that has two (the first is its local
    # id) and that of the record without a title: 176 records. The other 23 importable elements are
    # the same objects again: the 20 KENOM coins (lidoWrap, then OAI-PMH), the MKG cabinet (1.0, 1.1
    # and manipulated) and the Primavera (1.0, 1.1); they differ as received, so they are updates.
    # 39 name image rights outside the catalogue's list (DDB's rv-fz, Europeana's rr-r, CC BY 3.0 DE):
    # imported without rights, with a warning (the statement stays in source_record)
    assert dict(totals) == {"created": 176, "updated": 23, "unchanged": 0, "rejected": 2, "warned": 39}
    assert service.store.count_records(status=None) == 176


def test_an_imported_record_keeps_its_lido_source_and_reads_like_the_museums_record(app, service, museum, files):
    path = EXAMPLES / "nfdi4objects-lido-rdf-converter" / "defaultLido.xml"
    with app.app_context():
        report = Importer(service, cli_actor(), museum=museum.code).import_file(path, "lido")
    assert report.counts["created"] == 1
    record = service.record_by_local_id(museum.code, "DE-MUS-059918/dc00018494")
    body = record.body
    assert body["title"] == {"de": ["Kabinettschrank, Inv. Nr.: 1977.20"]} and body["accession_number"] == "1977.20"
    assert [maker["name"] for maker in body["makers"]] == [
        "Fiammingo, Giacomo",
        "Curtis, Giovanni Battista de",
        "Picicaro, Januarius",
    ]
    assert (body["date_begin"], body["date_end"], body["place_of_origin"]) == (1596, 1605, "Neapel")
    assert body["rights"]["metadata_license"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert body["dimensions"]["height_cm"] == 106.0
    source = body["source_record"]
    assert source["format"] == "lido" and source["xml"].startswith("<lido:lido ")
    assert (
        "descriptiveMetadata/objectClassificationWrap/objectWorkTypeWrap/objectWorkType/skos:Concept/skos:exactMatch"
        in (source["unmapped"])
    )
    assert report.images_queued == 3


def test_our_own_export_imported_back_fetches_none_of_our_images_again(app, service, museum, tmp_path):
    """An export names the record's images by our URLs; importing it back into the museum (a
    museum's round trip through its own system) must not fetch and store each image twice."""
    outcome = service.upsert(cli_actor(), museum.code, record_payload("W1"))
    service.add_images(cli_actor(), museum.code, "W1", [(image_bytes(), "wave.jpg")])
    record = service.record(outcome.record_id)
    exported = tmp_path / "export.xml"
    exported.write_bytes(lido_document(record, museum, service.base_url))
    assert f"{service.base_url}/images/".encode() in exported.read_bytes()
    with app.app_context():
        report = Importer(service, cli_actor(), museum=museum.code).import_file(exported, "lido")
    assert report.images_queued == 0 and service.image_sources(outcome.record_id) == []
    assert len(service.record(outcome.record_id).images) == 1


def test_a_museums_lido_file_sent_again_keeps_its_masterpieces(app, service, museum, tmp_path):
    """LIDO has no masterpiece flag (the writer leaves it out): an update from LIDO keeps the stored
    one, else a museum sending its file again takes its objects out of the masterpieces (the IIIF
    collection and the OAI-PMH set) without a word. A record new to the catalogue is none."""
    outcome = service.upsert(cli_actor(), museum.code, record_payload("W1", title="Revised", masterpiece=True))
    exported = tmp_path / "export.xml"
    exported.write_bytes(lido_document(service.record(outcome.record_id), museum, service.base_url))
    service.upsert(cli_actor(), museum.code, record_payload("W1", masterpiece=True))  # the old title again
    with app.app_context():
        importer = Importer(service, cli_actor(), museum=museum.code)
        report = importer.import_file(exported, "lido")
        new = Importer(service, cli_actor(), museum=museum.code).import_file(FIXTURES / "asian_masterpieces.xml")
    assert report.counts["updated"] == 1
    record = service.record(outcome.record_id)
    assert record.body["title"] == {"en": ["Revised"]} and record.body["masterpiece"] is True
    assert [found.local_id for found in service.masterpieces()] == ["W1"] and new.counts["created"] == 3


def run_import(runner, *args):
    return runner.invoke(args=["import", *map(str, args)])


def test_the_import_command_reads_lido(runner, service, museum, files):
    kenom = EXAMPLES / "nfdi4objects-lido-rdf-converter" / "example2.xml"  # 20 records in an OAI-PMH response
    result = run_import(runner, kenom, "--format", "lido", "--museum", museum.code)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "created 20, updated 0, unchanged 0, warned 0, rejected 0"

    broken = EXAMPLES / "nfdi4objects-lido-examples" / "AQinDa_manipulated_records" / "DDB_LIDO_record_2.xml"
    result = run_import(runner, broken, "--museum", museum.code)  # .xml: LIDO without --format
    assert result.exit_code == 1
    assert "rejected record 1: local_id: record 1 (line 2): No lidoRecID" in result.output
    assert result.output.strip().splitlines()[-1] == "created 0, updated 0, unchanged 0, warned 0, rejected 1"
    assert service.store.count_records(status=None) == 20


def test_the_import_command_refuses_a_file_with_a_doctype(runner, museum, tmp_path):
    hostile = tmp_path / "records.xml"
    hostile.write_text('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', encoding="utf-8")
    result = run_import(runner, hostile, "--museum", museum.code)
    assert result.exit_code == 2 and "DOCTYPE" in result.output and "root:" not in result.output


# the bulk upload page ----------------------------------------------------------------------------


def send_file(client, content: bytes, name: str, file_format: str = "auto"):
    return post_form(
        client, "/curate/imports", {"file": (io.BytesIO(content), name), "format": file_format}, page="/curate/imports"
    )


def test_a_lido_file_goes_through_the_bulk_upload_page(curator_client, service, museum):
    page = page_text(curator_client.get("/curate/imports"))
    assert '<option value="lido">LIDO XML</option>' in page and ".xml" in page

    untitled = b"<lido:lido><lido:lidoRecID>asem-test/untitled</lido:lidoRecID></lido:lido></lido:lidoWrap>"
    content = (FIXTURES / "asian_masterpieces.xml").read_bytes().replace(b"</lido:lidoWrap>", untitled)
    sent = send_file(curator_client, content, "masterpieces.xml")
    assert sent.status_code == 302 and not sent.headers["Location"].endswith("/mapping")  # no mapping step
    import_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    assert wait_for(curator_client, import_id, ("checked",))["total"] == 4

    dry_run = report_page_text(curator_client.get(f"/curate/imports/{import_id}"))
    assert "<dd>LIDO XML</dd>" in dry_run and "Nothing has been written yet" in dry_run
    assert '<dd data-count="created">3</dd>' in dry_run and '<dd data-count="rejected">1</dd>' in dry_run
    assert "asem-test/untitled" in dry_run and "No title in any language" in dry_run
    # the fourth record, named by its lidoRecID too
    assert '<th scope="col">Record</th>' in dry_run and "<td>4</td><td>asem-test/untitled</td>" in dry_run
    assert service.store.count_records(status=None) == 0

    confirmed = post_form(curator_client, f"/curate/imports/{import_id}/run", page=f"/curate/imports/{import_id}")
    assert confirmed.status_code == 302
    progress = wait_for(curator_client, import_id, ("done", "failed"))
    assert progress["state"] == "done" and progress["counts"]["created"] == 3 and progress["counts"]["rejected"] == 1
    wave = service.record_by_local_id(museum.code, "asem-test/ja-0001")
    assert wave.body["title"]["ja"] == ["冨嶽三十六景 神奈川沖浪裏"] and wave.body["source_record"]["format"] == "lido"
    assert service.record_by_local_id(museum.code, "asem-test/ko-0001").body["dynasty"] == "조선"


def test_the_upload_tells_lido_by_its_first_character_and_refuses_a_doctype(curator_client):
    sent = send_file(curator_client, (FIXTURES / "asian_masterpieces.xml").read_bytes(), "export")  # no suffix
    assert sent.status_code == 302
    assert "<dd>LIDO XML</dd>" in page_text(curator_client.get(sent.headers["Location"]))

    hostile = b'<?xml version="1.0"?><!DOCTYPE lido [<!ENTITY e SYSTEM "file:///etc/passwd">]><lido/>'
    refused = send_file(curator_client, hostile, "records.xml", file_format="lido")
    assert refused.status_code == 400
    page = page_text(refused)
    assert "declares a DOCTYPE" in page and 'id="file-error"' in page and "root:" not in page


def test_a_lido_readers_warning_is_kept_translatable_with_the_record(app, service, museum, tmp_path):
    """The reader's warnings (an xml:lang that is no language code) are kept as the schema's are:
    the English text for the API, and the template and values for the curator's own language."""
    from catalogue.i18n import gettext
    from catalogue.messages import kept_message
    from tests.lido.test_reader import record_xml, wrapped

    title = '<lido:appellationValue xml:lang="deutsch">Holzmaske</lido:appellationValue>'
    document = wrapped(record_xml().replace("<lido:appellationValue>A title</lido:appellationValue>", title))
    path = tmp_path / "masks.xml"
    path.write_text(document, encoding="utf-8")
    with app.app_context():
        Importer(service, cli_actor(), museum=museum.code).import_file(path, "lido")
    [warning] = service.store.find_record(museum.code, "T-1").warnings
    assert warning["reason"] == "xml:lang 'deutsch' is not a language code; its values were taken as 'en'."
    with app.test_request_context("/?lang=fr"):
        shown = gettext(kept_message(warning, "reason"))
    assert shown == "xml:lang 'deutsch' n’est pas un code de langue\u00a0; ses valeurs ont été prises comme 'en'."
