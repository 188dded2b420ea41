"""Helpers for the Presentation tests: record and image factories, the IIIF schema validators, the
checks for what the schema lets through, and synthetic images for the shared records."""

import hashlib
import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft7Validator

from catalogue.models import Museum, ObjectRecord, StoredImage
from catalogue.records.schema import load_record
from iiif.image_request import ImageLimits
from iiif.presentation import largest_size
from tests.support import REPO, record_payload, require

SCHEMA_PATH = Path(
    os.environ.get("CATALOGUE_IIIF_SCHEMA", REPO.parent / "shared" / "iiif" / "presentation-3.0.schema.json")
)
BASE = "https://catalogue.test"
WHEN = datetime(2024, 5, 1, tzinfo=UTC)
# Every `type` our documents may carry. The schema anchors some patterns only at the start
# ("^Manifest" accepts "Manifesto"), so exact values are checked here.
KNOWN_TYPES = {
    "Manifest",
    "Collection",
    "Canvas",
    "AnnotationPage",
    "Annotation",
    "Image",
    "ImageService3",
    "Agent",
    "Text",
    "Dataset",
}


def load_schema() -> dict:
    require(SCHEMA_PATH.exists(), f"IIIF Presentation schema not found at {SCHEMA_PATH}")
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def plain_class_validator(name: str) -> Draft7Validator:
    """A validator for one class of the schema ("manifest", "collection"), the schema as published.
    The top-level oneOf gives useless messages; the class gives clear ones."""
    schema = load_schema()
    schema.pop("oneOf", None)
    schema["$ref"] = f"#/classes/{name}"  # resolved inside the same document, next to "classes"/"types"
    return Draft7Validator(schema)


def class_validator(name: str) -> Draft7Validator:
    """The same validation, twice as fast: every local ``$ref`` replaced by the subschema it names,
    once, instead of being looked up on every use. Draft 7 ignores the siblings of a ``$ref``, so
    the replacement means the same; the schema's only ``$id`` is its root and every ref is local."""
    schema = load_schema()

    def target(ref: str) -> dict:
        node = schema
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node

    def inline(node, done: set) -> None:
        if id(node) in done or not isinstance(node, (dict, list)):
            return
        done.add(id(node))
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in list(children):
            while isinstance(child, dict) and "$ref" in child:  # a ref may name another ref
                child = node[key] = target(child["$ref"])
            inline(child, done)

    inline(schema, set())
    return Draft7Validator(target(f"#/classes/{name}"))


def schema_errors(validator: Draft7Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def make_image(
    position: int = 0, width: int = 3000, height: int = 2000, alt: dict | None = None, record_id: str = "rec1"
) -> StoredImage:
    return StoredImage(
        id=f"img-{record_id}-{position}",
        record_id=record_id,
        sha256=f"{position:064x}",
        position=position,
        format="JPEG",
        width=width,
        height=height,
        bytes=1000,
        alt=alt or {},
    )


def make_record(
    images: list[StoredImage] | None = None, record_id: str = "rec1", museum: str = "tate", **payload
) -> ObjectRecord:
    """A record as the store returns it: the body went through the record schema."""
    body = load_record(record_payload(**payload))
    images = [make_image(record_id=record_id)] if images is None else images
    return ObjectRecord(
        id=record_id,
        museum=museum,
        local_id=body["local_id"],
        body=body,
        revision=1,
        status="published",
        created_at=WHEN,
        updated_at=WHEN,
        images=images,
    )


def make_museum(code: str = "tate", **extra) -> Museum:
    values = {
        "names": {"en": ["Tate"]},
        "country": "GB",
        "status": "member",
        "website": "https://www.tate.org.uk/",
        **extra,
    }
    return Museum(code=code, **values)


def walk(node, path: str = ""):
    """Every (path, dict) in a JSON document."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def general_problems(document: dict) -> list[str]:
    """Exact types, and every id an absolute http(s) URL that is not a placeholder."""
    problems = []
    for path, node in walk(document):
        if "type" in node and node["type"] not in KNOWN_TYPES:
            problems.append(f"{path}: unexpected type {node['type']!r}")
        if "id" in node:
            url = urlsplit(str(node["id"]))
            if url.scheme not in ("http", "https") or not url.netloc or "example.org" in url.netloc:
                problems.append(f"{path}: id {node['id']!r} is not an absolute URL of ours")
    return problems


def manifest_problems(document: dict) -> list[str]:
    """What the schema accepts but a Manifest must not be: see the schema's README."""
    problems = general_problems(document)
    if document.get("type") != "Manifest":
        problems.append(f"type is {document.get('type')!r}")
    if not document.get("items"):
        problems.append("a manifest needs at least one canvas")
    ids = [document.get("id")]
    for canvas in document.get("items") or []:
        ids.append(canvas["id"])
        problems += canvas_problems(canvas)
        ids += [page["id"] for page in canvas.get("items", [])]
        ids += [anno["id"] for page in canvas.get("items", []) for anno in page.get("items", [])]
    if len(ids) != len(set(ids)):
        problems.append("manifest, canvas, page and annotation ids repeat")
    return problems


def canvas_problems(canvas: dict) -> list[str]:
    problems = []
    pages = canvas.get("items") or []
    if len(pages) != 1 or len(pages[0].get("items") or []) != 1:
        problems.append(f"{canvas['id']}: expected one annotation page with one painting annotation")
        return problems
    annotation = pages[0]["items"][0]
    body = annotation.get("body", {})
    if annotation.get("motivation") != "painting":
        problems.append(f"{canvas['id']}: motivation {annotation.get('motivation')!r}")
    if annotation.get("target") != canvas["id"]:
        problems.append(f"{canvas['id']}: the painting targets {annotation.get('target')!r}")
    if not all(isinstance(canvas.get(side), int) and canvas[side] > 0 for side in ("width", "height")):
        problems.append(f"{canvas['id']}: width and height must be positive integers")
        return problems
    # the painted full/max is the canvas's size, or smaller beyond the Image API's (default) limits
    if (body.get("width"), body.get("height")) != largest_size(canvas["width"], canvas["height"], ImageLimits()):
        problems.append(f"{canvas['id']}: the image is not the size full/max is served at")
    return problems


def collection_problems(document: dict) -> list[str]:
    problems = general_problems(document)
    if document.get("type") != "Collection":
        problems.append(f"type is {document.get('type')!r}")
    if not isinstance(document.get("items"), list):
        problems.append("a collection needs its items list")
    for item in document.get("items") or []:
        if item.get("type") not in ("Manifest", "Collection") or not item.get("label"):
            problems.append(f"{item.get('id')}: items are labelled Manifest or Collection references")
        if "items" in item:
            problems.append(f"{item.get('id')}: items are listed by reference, not embedded")
    return problems


# synthetic images and titles for the shared records ------------------------------------------
SIZES = [(6000, 4000), (3024, 4032), (400, 400), (401, 399), (120, 80), (1, 1), (20000, 900), (800, 3000)]
ALTS = [
    {},
    {"en": ["Front view"]},
    {"nl": ["Vooraanzicht"], "en": ["Front view"]},
    {"ja": ["正面から見た作品"]},
    {"zh-Hant": ["正面"]},
    {"none": ["Recto"]},
    {"es-419": ["Vista frontal"]},
    {"ko": ["앞면"], "fr": ["Recto"]},
]
EXTRA_TITLES = [{}, {}, {}, {"ja": ["神奈川沖浪裏"]}, {"zh-Hans": ["清明上河图"]}, {"ko": ["월하정인"]}]


def _seed(record_id: str) -> int:
    return int.from_bytes(hashlib.sha256(record_id.encode("utf-8")).digest()[:8], "big")


def synthetic_images(record: ObjectRecord) -> list[StoredImage]:
    """One to three images with varied sizes and alt maps, stored out of order (the shared records
    carry none). Chosen by a hash of the record id, so every run builds the same manifests."""
    seed = _seed(record.id)
    count = 1 + seed % 3
    images = []
    for n in range(count):
        width, height = SIZES[(seed >> (4 + n * 3)) % len(SIZES)]
        alt = ALTS[(seed >> (16 + n * 3)) % len(ALTS)]
        images.append(
            StoredImage(
                id=f"{record.id}-{n}",
                record_id=record.id,
                sha256=f"{seed + n:064x}",
                position=count - 1 - n,
                format="JPEG",
                width=width,
                height=height,
                bytes=width * height // 4,
                alt=alt,
            )
        )
    return images


def with_synthetic_images(record: ObjectRecord) -> ObjectRecord:
    """The record with synthetic images and, for some, a title in a CJK language as well (the
    shared data set has no CJK titles; curators add them through the API)."""
    extra = EXTRA_TITLES[(_seed(record.id) >> 32) % len(EXTRA_TITLES)]
    body = {**record.body, "title": {**record.body["title"], **extra}} if extra else record.body
    return replace(record, body=body, images=synthetic_images(record))
