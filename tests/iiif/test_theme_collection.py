"""A published curated theme is an IIIF Presentation 3 Collection at
/iiif/themes/<slug>/collection.json: the manifests of its published objects that have images, in the
theme's order, labelled with their titles; the theme's title and introduction are its label and
summary. Every document is checked against the IIIF Presentation 3 JSON Schema."""

from datetime import UTC, datetime

import pytest

from catalogue.cli import cli_actor
from catalogue.themes import Theme, ThemeObject
from iiif.presentation import Links
from iiif.themes import theme_collection, theme_collection_url
from tests.iiif.presentation_fixtures import (
    class_validator,
    collection_problems,
    make_image,
    make_record,
    schema_errors,
)
from tests.support import image_bytes, record_payload

SLUG = "mountains-and-waters"
PATH = f"/iiif/themes/{SLUG}/collection.json"
TITLE = {"en": ["Mountains and Waters"], "zh": ["山水"], "es-419": ["Montañas y aguas"]}
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def validator():
    return class_validator("collection")


def a_theme(**fields) -> Theme:
    values = {"title": TITLE, "introduction": {"en": ["Shanshui."]}, "cover_image": None, "published": True}
    return Theme(SLUG, revision=1, created_at=WHEN, updated_at=WHEN, **{**values, **fields})


def test_a_theme_is_a_valid_collection_of_its_records_manifests_in_order(validator):
    links = Links("http://catalogue.test/")
    records = [
        make_record(record_id="r2", title="Second"),
        make_record(images=[], record_id="r3", title="No images, no manifest"),
        make_record(record_id="r1", title={"en": "First", "ja": "最初"}, images=[make_image(record_id="r1")]),
    ]
    document = theme_collection(a_theme(objects=(ThemeObject("r2"), ThemeObject("r1"))), records, links)
    assert schema_errors(validator, document) == [] and collection_problems(document) == []
    assert document["id"] == theme_collection_url(links, SLUG) == f"http://catalogue.test{PATH}"
    assert document["label"] == {"en": ["Mountains and Waters"], "zh": ["山水"], "es": ["Montañas y aguas"]}
    assert document["summary"] == {"en": ["Shanshui."]}
    assert [item["id"] for item in document["items"]] == [
        "http://catalogue.test/iiif/3/objects/r2/manifest",
        "http://catalogue.test/iiif/3/objects/r1/manifest",
    ]
    assert document["items"][1]["label"] == {"en": ["First"], "ja": ["最初"]}
    assert document["items"][0]["thumbnail"][0]["service"][0]["id"] == "http://catalogue.test/iiif/3/img-r2-0"


def test_an_empty_theme_without_an_introduction_is_still_valid(validator):
    document = theme_collection(a_theme(introduction={}), [], Links("http://catalogue.test"))
    assert schema_errors(validator, document) == [] and collection_problems(document) == []
    assert document["items"] == [] and "summary" not in document


def test_the_collection_over_http_lists_the_published_objects_with_images(client, service, museum, validator):
    ids = {}
    for local_id in ("W1", "W2", "W3", "W4"):
        ids[local_id] = service.upsert(
            cli_actor(), "tate", record_payload(local_id, title=f"Wave {local_id}")
        ).record_id
        if local_id != "W3":
            service.add_images(cli_actor(), "tate", local_id, [(image_bytes(), f"{local_id}.jpg")])
    service.import_theme(
        cli_actor(),
        {
            "slug": SLUG,
            "title": TITLE,
            "published": True,
            "objects": [{"id": ids[n]} for n in ("W4", "W3", "W2", "W1")],
        },
    )
    service.change_status(cli_actor(), "tate", "W2", "draft")

    response = client.get(PATH, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = response.get_json()
    assert schema_errors(validator, document) == [] and collection_problems(document) == []
    assert [item["label"] for item in document["items"]] == [{"en": ["Wave W4"]}, {"en": ["Wave W1"]}]
    assert client.get(PATH, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304

    service.update_theme(cli_actor(), SLUG, {"title": TITLE, "published": False})
    refused = client.get(PATH)
    assert refused.status_code == 404 and refused.is_json
    assert client.get("/iiif/themes/nothing/collection.json").status_code == 404
