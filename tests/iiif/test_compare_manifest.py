"""The comparison of two objects as a IIIF Presentation 3 manifest: schema-valid, two canvases (each
object's first image) labelled and described as their objects, a label that names both titles in
their languages, readable by other portals, and only for published objects with images."""

from dataclasses import replace

import pytest

from catalogue.cli import cli_actor
from iiif.presentation import Links
from iiif.presentation_views import comparison
from tests.iiif.presentation_fixtures import (
    class_validator,
    make_image,
    make_museum,
    make_record,
    manifest_problems,
    schema_errors,
    synthetic_images,
)
from tests.support import image_bytes, record_payload

BASE = "http://catalogue.test"
PAGE = "https://catalogue.test/compare?a=a1&b=b1"
MANIFEST = "https://catalogue.test/iiif/compare/a1/b1/manifest.json"


@pytest.fixture(scope="module")
def validator():
    return class_validator("manifest")


def pair(record_id: str, museum: str = "tate", images=None, **payload):
    record = make_record(images, record_id=record_id, museum=museum, **payload)
    names = {"tate": {"en": ["Tate"]}, "tnm": {"en": ["Tokyo National Museum"], "ja": ["東京国立博物館"]}}
    return record, make_museum(museum, names=names.get(museum, {"none": [museum]}))


def test_two_canvases_labelled_and_described_as_their_objects(validator):
    wave = pair("a1", "tnm", title={"en": "The Great Wave", "ja": "神奈川沖浪裏"}, credit_line="Gift of X")
    sunflowers = pair("b1", "tate", language="nl", title={"nl": "Zonnebloemen", "en": "Sunflowers"})
    document = comparison([wave, sunflowers], MANIFEST, PAGE, Links("https://catalogue.test"))
    assert schema_errors(validator, document) == [] and manifest_problems(document) == []
    assert document["id"] == MANIFEST and document["behavior"] == ["individuals"]
    assert document["label"] == {
        "en": ["The Great Wave / Sunflowers"],
        "ja": ["神奈川沖浪裏 / Sunflowers"],
        "nl": ["The Great Wave / Zonnebloemen"],
    }
    first, second = document["items"]
    assert [first["id"], second["id"]] == [f"{MANIFEST}/canvas/1", f"{MANIFEST}/canvas/2"]
    assert first["label"] == {"en": ["The Great Wave"], "ja": ["神奈川沖浪裏"]}
    assert second["label"] == {"nl": ["Zonnebloemen"], "en": ["Sunflowers"]}
    assert first["homepage"][0]["id"] == "https://catalogue.test/objects/a1"
    maker = next(pair for pair in first["metadata"] if pair["label"]["en"] == ["Maker"])
    assert maker["value"] == {"en": ["Katsushika Hokusai (artist; 1760–1849)"]}
    assert first["requiredStatement"]["value"] == {"en": ["Gift of X"]}
    assert second["requiredStatement"]["value"] == {"en": ["Tate"]}
    assert first["provider"][0]["id"] == "https://catalogue.test/museums/tnm"
    body = first["items"][0]["items"][0]["body"]
    assert body["service"][0]["id"] == "https://catalogue.test/iiif/3/img-a1-0"
    # both credits at the manifest's level, in every language either has
    assert document["requiredStatement"]["value"] == {"en": ["Gift of X", "Tate"]}
    assert {p["id"] for p in document["provider"]} == {
        "https://catalogue.test/museums/tnm",
        "https://catalogue.test/museums/tate",
    }
    assert document["homepage"][0]["id"] == PAGE


def test_rights_are_per_canvas_and_on_the_manifest_only_when_both_agree(validator):
    links = Links("https://catalogue.test")
    open_ = pair("a1", rights={"image_rights": "CC BY 4.0"})
    other = pair("b1", rights={"image_rights": "CC0"})
    mixed = comparison([open_, other], MANIFEST, PAGE, links)
    assert schema_errors(validator, mixed) == []
    assert "rights" not in mixed
    assert [canvas["rights"] for canvas in mixed["items"]] == [
        "http://creativecommons.org/licenses/by/4.0/",
        "http://creativecommons.org/publicdomain/zero/1.0/",
    ]
    same = comparison([open_, pair("b1", rights={"image_rights": "CC BY 4.0"})], MANIFEST, PAGE, links)
    assert same["rights"] == "http://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize("seed", range(12))
def test_odd_titles_images_and_languages_stay_valid(validator, seed):
    """Images of every shape and alt map, titles in CJK, regional and no-language tags."""
    titles = [{"en": "Wave"}, {"ja": "浪", "es-419": "Ola"}, {"none": "Untitled"}, {"zh-Hant": "山水"}]
    records = []
    for n, record_id in enumerate((f"x{seed}", f"y{seed}")):
        record, museum = pair(record_id, title=titles[(seed + n) % len(titles)])
        records.append((record, museum))
    records = [(replace(record, images=synthetic_images(record)), museum) for record, museum in records]
    document = comparison(records, MANIFEST, PAGE, Links("https://catalogue.test"))
    assert schema_errors(validator, document) == [] and manifest_problems(document) == []
    assert len(document["items"]) == 2
    for tag, texts in document["label"].items():
        assert len(texts) == 1 and " / " in texts[0], (tag, texts)


def test_the_same_object_twice_is_still_a_valid_manifest(validator):
    wave = pair("a1", images=[make_image(0, 400, 300, record_id="a1")])
    document = comparison([wave, wave], MANIFEST, PAGE, Links("https://catalogue.test"))
    assert schema_errors(validator, document) == [] and manifest_problems(document) == []


# over HTTP -----------------------------------------------------------------------------------
@pytest.fixture
def published(service, make_museum):
    make_museum("tnm", country="JP", names={"en": ["Tokyo National Museum"]})
    make_museum("rijks", country="NL", names={"nl": ["Rijksmuseum"]})

    def add(museum, local_id, images=1, **fields):
        outcome = service.upsert(cli_actor(), museum, record_payload(local_id, **fields))
        for n in range(images):
            service.add_images(cli_actor(), museum, local_id, [(image_bytes(size=(60 + n, 40)), f"{n}.jpg")])
        return outcome.record_id

    ids = {
        "wave": add("tnm", "W", images=2, title={"en": "Wave", "ja": "浪"}),
        "sun": add("rijks", "S", language="nl", title={"nl": "Zonnebloemen"}),
        "bare": add("rijks", "B", images=0),
        "draft": add("rijks", "D", status="draft"),
        "gone": add("rijks", "G"),
    }
    service.withdraw(cli_actor(), "rijks", "G")
    return ids


def test_the_manifest_over_http_is_valid_and_for_other_portals(client, published, validator):
    path = f"/iiif/compare/{published['wave']}/{published['sun']}/manifest.json"
    response = client.get(path, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = response.get_json()
    assert schema_errors(validator, document) == [] and manifest_problems(document) == []
    assert document["id"] == f"{BASE}{path}"
    assert document["label"] == {
        "en": ["Wave / Zonnebloemen"],
        "ja": ["浪 / Zonnebloemen"],
        "nl": ["Wave / Zonnebloemen"],
    }
    assert len(document["items"]) == 2  # the first image of each, though the wave has two
    assert document["homepage"][0]["id"] == f"{BASE}/compare?a={published['wave']}&b={published['sun']}"
    assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("name", ["bare", "draft", "gone", "unknown"])
def test_only_published_objects_with_images_are_compared(client, published, name):
    other = published.get(name, "abcdefghijklmnop")
    for first, second in ((published["wave"], other), (other, published["wave"])):
        response = client.get(f"/iiif/compare/{first}/{second}/manifest.json")
        assert response.status_code == 404 and response.get_json()["status"] == 404
