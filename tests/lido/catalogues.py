"""What the LIDO tests share: the LIDO 1.1 schema, records built without a database, and catalogues
loaded with the demo data or a slice of the shared open-collections file."""

import itertools
import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.ingest.readers import read_jsonl
from catalogue.lido.names import LIDO_NS
from catalogue.models import Museum, ObjectRecord, StoredImage, public_id
from catalogue.records.fields import WARNINGS_KEY
from catalogue.records.schema import IMAGE_SOURCES_KEY, load_record
from tests.support import REPO, make_app, require, shared_records_path

SHARED_LIDO = Path(os.environ.get("CATALOGUE_SHARED_LIDO", REPO.parent / "shared" / "lido"))
LIDO_XSD = SHARED_LIDO / "schema" / "lido-v1.1.xsd"
DEMO = REPO / "demo"
BASE_URL = "http://catalogue.test"
NS = {"lido": LIDO_NS}
TATE = Museum(
    code="tate",
    names={"en": ["Tate"], "ja": ["テート"]},
    country="GB",
    status="member",
    website="https://www.tate.org.uk/",
)
FULL = {  # every field of a record, filled
    "local_id": "N05/1",
    "accession_number": "1919.1",
    "language": "ja",
    "title": {"ja": ["神奈川沖浪裏"], "en": ["The Great Wave", "Under the Wave"]},
    "other_titles": [{"title": "Kanagawa oki nami ura", "type": "romanized", "lang": "ja-Latn"}, {"title": "Wave"}],
    "description": {"en": ["A wave.\nMount Fuji behind it."], "ja": ["富士山"]},
    "makers": [
        {
            "name": "Katsushika Hokusai",
            "name_sort": "Hokusai, Katsushika",
            "role": "artist",
            "display_dates": "1760–1849",
            "birth_year": 1760,
            "death_year": 1849,
            "nationality": "Japanese",
        },
        {"name": "Nishimuraya Yohachi", "role": "publisher"},
    ],
    "date_display": "c. 1830-32",
    "date_begin": 1830,
    "date_end": 1832,
    "object_type": "print",
    "classification": "Prints",
    "medium": "ink and colour on paper",
    "materials": ["ink", "paper"],
    "technique": "woodblock printing",
    "dimensions": "25.7 x 37.9 cm",
    "culture": "Japanese",
    "period": "Edo period",
    "dynasty": "Tokugawa",
    "place_of_origin": "Edo (Tokyo)",
    "place_depicted": "Kanagawa",
    "country": ["JP", "CN"],
    "subjects": ["waves", "Mount Fuji"],
    "inscription": "Hokusai aratame\nIitsu hitsu",
    "credit_line": "Gift of the artist's friends, 1919",
    "department": "Asian Art",
    "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"},
    "source_url": "https://www.tate.org.uk/art/artworks/N05-1",
    "masterpiece": True,
}
IMAGE = StoredImage(
    id="img-1",
    record_id="",
    sha256="0" * 64,
    position=0,
    format="PNG",
    width=400,
    height=300,
    bytes=1000,
    alt={"en": ["A great wave"], "none": ["波"]},
)
SHARED_EVERY = 15  # every 15th row of the 5,000: 334 records from all four museums


def lido_schema() -> etree.XMLSchema:
    """The LIDO 1.1 schema, loaded from its folder (its imports are relative) and never from the network."""
    require(LIDO_XSD.exists(), f"LIDO 1.1 schema not found at {LIDO_XSD} (set CATALOGUE_SHARED_LIDO)")
    return etree.XMLSchema(etree.parse(str(LIDO_XSD), etree.XMLParser(no_network=True)))


def schema_errors(schema: etree.XMLSchema, document: bytes) -> list[str]:
    """What the schema finds wrong with a document (empty when it is valid)."""
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def record_of(payload: dict, images: tuple[StoredImage, ...] = (), museum: str = "tate") -> ObjectRecord:
    """The record a museum's payload becomes, as the store would give it back (no database)."""
    body = load_record(payload)
    body = {key: value for key, value in body.items() if key not in (WARNINGS_KEY, IMAGE_SOURCES_KEY)}
    record_id = public_id(museum, body["local_id"])
    stamp = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    return ObjectRecord(
        id=record_id,
        museum=museum,
        local_id=body["local_id"],
        body=body,
        revision=1,
        status=body["status"],
        created_at=stamp,
        updated_at=stamp,
        images=[replace(image, record_id=record_id) for image in images],
    )


def catalogue_app(folder: Path):
    return make_app({"DATA_DIR": str(folder), "BASE_URL": BASE_URL, "SEARCH_BACKEND": "embedded"})


def load_demo(app, images: int = 1) -> None:
    """The demo museums and records, and the first ``images`` demo images (each builds a pyramid)."""
    service = app.extensions["catalogue"]
    for museum in json.loads((DEMO / "museums.json").read_text()):
        service.register_museum(cli_actor(), museum)
    for name in ("records.jsonl", "image_records.jsonl"):
        report = Importer(service, cli_actor()).import_file(DEMO / name)
        assert report.rejected == 0, report.summary()
    for line in (DEMO / "images.jsonl").read_text().splitlines()[:images]:
        row = json.loads(line)
        files = [((DEMO / row["file"]).read_bytes(), row["file"])]
        service.add_images(cli_actor(), row["museum"], row["local_id"], files, alt=row.get("alt"))


def load_shared(app) -> None:
    """A slice of the shared open-collections file, through the JSON Lines importer."""
    rows = itertools.islice(read_jsonl(shared_records_path()), 0, None, SHARED_EVERY)
    report = Importer(app.extensions["catalogue"], cli_actor(), register_museums=True).import_rows(rows)
    assert report.rejected == 0, report.summary()


def every_record(app) -> list[ObjectRecord]:
    return list(app.extensions["catalogue"].store.iter_records(status=None))


def museums_of(app) -> dict[str, Museum]:
    return {museum.code: museum for museum in app.extensions["catalogue"].museums()}
