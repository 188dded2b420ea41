"""Manifests and collections over HTTP: public objects with images only, valid documents, paged
sets, and what other portals need to embed them (CORS, JSON-LD, revalidation)."""

import io

import pytest
from PIL import Image

from catalogue.cli import cli_actor
from iiif.collections import PAGE_SIZE
from tests.iiif.presentation_fixtures import class_validator, collection_problems, general_problems, schema_errors
from tests.support import image_bytes, record_payload

OBJECTS = "/api/museums/tate/objects"
PRESENTATION_JSON_LD = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


@pytest.fixture(scope="module")
def validators():
    return class_validator("manifest"), class_validator("collection")


def add_record(client, auth, local_id: str, images: int = 1, **fields) -> str:
    payload = record_payload(local_id, title=f"Wave {local_id}", **fields)
    record_id = client.put(f"{OBJECTS}/{local_id}", json=payload, headers=auth).get_json()["id"]
    for n in range(images):
        upload = {"file": [(io.BytesIO(image_bytes(size=(60 + n, 40), color=(n * 40, 90, 20))), f"{n}.jpg")]}
        client.post(f"{OBJECTS}/{local_id}/images", headers=auth, data=upload, content_type="multipart/form-data")
    return record_id


def get_document(client, path, validator=None):
    response = client.get(path)
    assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    document = response.get_json()
    if validator is not None:
        assert schema_errors(validator, document) == [], path
    return document


def test_an_object_with_images_has_a_valid_manifest(client, auth, museum, validators):
    record_id = add_record(client, auth, "A1", images=2)
    document = get_document(client, f"/iiif/3/objects/{record_id}/manifest", validators[0])
    assert document["id"] == f"http://catalogue.test/iiif/3/objects/{record_id}/manifest"
    assert document["label"] == {"en": ["Wave A1"]} and len(document["items"]) == 2
    assert general_problems(document) == []


@pytest.mark.parametrize("app_settings", [{"IIIF_MAX_AREA": 600}])
def test_the_painted_image_has_the_size_its_url_is_served_at(client, auth, museum):
    """The body's full/max is held to the service's limits (maxArea here), so the body gives the size
    that URL answers with, while the canvas keeps the image's own size."""
    record_id = add_record(client, auth, "A2")  # a 60x40 picture: 2,400 pixels, above maxArea
    (canvas,) = get_document(client, f"/iiif/3/objects/{record_id}/manifest")["items"]
    body = canvas["items"][0]["items"][0]["body"]
    served = Image.open(io.BytesIO(client.get(body["id"].replace("http://catalogue.test", "")).data))
    assert (body["width"], body["height"]) == served.size == (30, 20)
    assert (canvas["width"], canvas["height"]) == (60, 40)


@pytest.mark.parametrize("image_rights", ["Public Domain Mark", "In Copyright"])
def test_a_manifest_shows_its_images_through_the_image_api_and_names_no_original(client, auth, museum, image_rights):
    """No original, even one open for reuse: the one of an image that is not would answer 403."""
    record_id = add_record(client, auth, "R1", rights={"metadata_license": "CC0", "image_rights": image_rights})
    response = client.get(f"/iiif/3/objects/{record_id}/manifest")
    assert response.status_code == 200 and "/original" not in response.get_data(as_text=True)
    (canvas,) = response.get_json()["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert client.get(body["id"].removeprefix("http://catalogue.test")).status_code == 200


def test_objects_without_images_drafts_and_withdrawn_ones_have_no_manifest(client, auth, museum):
    bare = add_record(client, auth, "B1", images=0)
    response = client.get(f"/iiif/3/objects/{bare}/manifest")
    assert response.status_code == 404 and "no images" in response.get_json()["message"]
    draft = add_record(client, auth, "B2", status="draft")
    assert client.get(f"/iiif/3/objects/{draft}/manifest").status_code == 404
    gone = add_record(client, auth, "B3")
    client.delete(f"{OBJECTS}/B3", headers=auth)
    assert client.get(f"/iiif/3/objects/{gone}/manifest").status_code == 410


def test_a_missing_manifest_is_asked_for_again_once_it_may_exist(client, auth, museum):
    bare = add_record(client, auth, "B4", images=0)
    for path in (
        f"/iiif/3/objects/{bare}/manifest",
        "/iiif/3/collections/countries/ZZ",
        "/iiif/compare/a/b/manifest.json",
    ):
        missing = client.get(path)
        assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-cache", path
        assert missing.headers["Access-Control-Allow-Origin"] == "*", path
    add_record(client, auth, "B4", images=1)
    assert client.get(f"/iiif/3/objects/{bare}/manifest").status_code == 200


def test_manifests_are_for_other_portals_cors_json_ld_and_etags(client, auth, museum):
    path = f"/iiif/3/objects/{add_record(client, auth, 'C1')}/manifest"
    response = client.get(path, headers={"Accept": "application/ld+json"})
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert 'profile="http://iiif.io/api/presentation/3/context.json"' in response.headers["Content-Type"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(path).headers["Content-Type"] == PRESENTATION_JSON_LD  # no Accept header: spec 6.3
    assert client.get(path, headers={"Accept": "application/json"}).headers["Content-Type"] == "application/json"
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_json_ld_and_plain_json_each_revalidate_by_their_own_etag(client, auth, museum):
    manifest = f"/iiif/3/objects/{add_record(client, auth, 'E1')}/manifest"
    for path in (manifest, "/iiif/3/collections", "/iiif/3/collections/museums/tate?page=1"):
        json_ld = client.get(path)
        plain = client.get(path, headers={"Accept": "application/json"})
        assert json_ld.status_code == plain.status_code == 200, path
        assert json_ld.data == plain.data and json_ld.headers["ETag"] != plain.headers["ETag"], path
        assert "Accept" in json_ld.headers["Vary"] and "Accept" in plain.headers["Vary"], path
        for answer, other in ((json_ld, plain), (plain, json_ld)):
            accept = {"Accept": answer.headers["Content-Type"]}
            mine = client.get(path, headers={**accept, "If-None-Match": answer.headers["ETag"]})
            assert mine.status_code == 304 and "Accept" in mine.headers["Vary"], path
            theirs = client.get(path, headers={**accept, "If-None-Match": other.headers["ETag"]})
            assert theirs.status_code == 200 and theirs.headers["Content-Type"] == answer.headers["Content-Type"]


def test_iiif_answers_are_the_same_in_every_language_so_they_do_not_vary_by_it(client, auth, museum):
    """Images have no words and IIIF documents carry every language in their maps: an answer that
    varied by Accept-Language would be cached once per browser language (and not at all by CDNs that
    only cache Vary: Accept-Encoding). Only errors, whose messages are translated, vary."""
    record_id = add_record(client, auth, "L1")
    image = client.get(f"/api/objects/{record_id}").get_json()["images"][0]["iiif"].split("/iiif/3/")[1]
    for path in (
        f"/iiif/3/objects/{record_id}/manifest",
        "/iiif/3/collections",
        "/iiif/discovery/activity/page/0",
        f"/iiif/3/{image}/info.json",
        f"/iiif/3/{image}/full/max/0/default.jpg",
    ):
        german, japanese = (client.get(path, headers={"Accept-Language": lang}) for lang in ("de", "ja"))
        assert german.status_code == 200 and german.data == japanese.data, path
        revalidated = client.get(path, headers={"Accept-Language": "de", "If-None-Match": german.headers["ETag"]})
        assert revalidated.status_code == 304, path
        for answer in (german, revalidated):
            assert "Accept-Language" not in answer.headers.get("Vary", "") and "Content-Language" not in answer.headers
    missing = client.get("/iiif/3/objects/nothing/manifest", headers={"Accept-Language": "de"})
    assert missing.status_code == 404 and "Accept-Language" in missing.headers["Vary"]


@pytest.mark.parametrize(
    "accept, expected",
    [
        (PRESENTATION_JSON_LD, PRESENTATION_JSON_LD),
        (f"{PRESENTATION_JSON_LD}, application/json;q=0.5", PRESENTATION_JSON_LD),
        ("*/*", PRESENTATION_JSON_LD),
        ("application/ld+json;q=0, application/json", "application/json"),
        ("application/json, application/ld+json;q=0.5", "application/json"),
    ],
)
def test_manifests_and_collections_follow_content_negotiation(client, auth, museum, accept, expected):
    manifest = f"/iiif/3/objects/{add_record(client, auth, 'N1')}/manifest"
    for path in (manifest, "/iiif/3/collections"):
        assert client.get(path, headers={"Accept": accept}).headers["Content-Type"] == expected, path


def test_the_top_collection_leads_to_masterpieces_museums_and_countries(client, auth, museum, validators):
    add_record(client, auth, "M1", masterpiece=True)
    add_record(client, auth, "M2")
    top = get_document(client, "/iiif/3/collections", validators[1])
    assert [item["label"]["en"][0] for item in top["items"]] == ["Masterpieces", "Museums", "Countries"]
    masterpieces = get_document(client, "/iiif/3/collections/masterpieces", validators[1])
    assert [item["label"] for item in masterpieces["items"]] == [{"en": ["Wave M1"]}]
    museums = get_document(client, "/iiif/3/collections/museums", validators[1])
    assert museums["items"][0]["id"] == "http://catalogue.test/iiif/3/collections/museums/tate"
    tate = get_document(client, "/iiif/3/collections/museums/tate", validators[1])
    assert len(tate["items"]) == 2 and collection_problems(tate) == []
    countries = get_document(client, "/iiif/3/collections/countries", validators[1])
    assert [item["label"] for item in countries["items"]] == [{"en": ["United Kingdom"]}]
    assert len(get_document(client, "/iiif/3/collections/countries/GB", validators[1])["items"]) == 2
    assert client.get("/iiif/3/collections/countries/JP").status_code == 404
    assert client.get("/iiif/3/collections/museums/nowhere").status_code == 404


def test_the_museums_collection_lists_only_museums_with_a_manifest(client, auth, service, make_museum, museum):
    make_museum("rijks", country="NL")
    service.upsert(cli_actor(), "rijks", record_payload("R1"))  # published, but no image: no manifest
    add_record(client, auth, "T1")
    museums = get_document(client, "/iiif/3/collections/museums")
    assert [item["id"].rsplit("/", 1)[1] for item in museums["items"]] == ["tate"]
    assert [item["label"] for item in get_document(client, "/iiif/3/collections/countries")["items"]] == [
        {"en": ["United Kingdom"]}
    ]


def test_large_sets_are_paged(client, auth, service, museum, validators):
    for n in range(PAGE_SIZE + 5):
        service.upsert(cli_actor(), "tate", record_payload(f"P{n:03}", title=f"Print {n}"))
    service.add_images(cli_actor(), "tate", "P000", [(image_bytes(), "a.jpg")])
    first = service.record_by_local_id("tate", "P000").images[0]
    for n in range(1, PAGE_SIZE + 5):  # the same picture: stored once, attached to every record
        service.add_images(cli_actor(), "tate", f"P{n:03}", [(image_bytes(), "a.jpg")])
    assert first.sha256
    top = get_document(client, "/iiif/3/collections/museums/tate", validators[1])
    assert [item["type"] for item in top["items"]] == ["Collection", "Collection"]
    pages = [
        get_document(client, item["id"].replace("http://catalogue.test", ""), validators[1]) for item in top["items"]
    ]
    assert [len(page["items"]) for page in pages] == [PAGE_SIZE, 5]
    assert pages[1]["partOf"][0]["id"] == top["id"]
    assert client.get("/iiif/3/collections/museums/tate?page=3").status_code == 404
    assert client.get("/iiif/3/collections/museums/tate?page=x").status_code == 400
    assert client.get("/iiif/3/collections/museums/tate?page=%C2%B2").status_code == 400  # "²" is a digit to isdigit


def test_any_search_is_a_collection(client, auth, museum, validators):
    add_record(client, auth, "S1", object_type="print")
    add_record(client, auth, "S2", object_type="painting")
    add_record(client, auth, "S3", images=0, object_type="print")
    prints = "aat%3A300041273"  # the vocabulary's concept for prints: facets show concepts
    document = get_document(client, f"/iiif/3/collections/search?q=wave&object_type={prints}", validators[1])
    assert [item["label"] for item in document["items"]] == [{"en": ["Wave S1"]}]
    assert document["label"] == {"en": ["Search: wave"]}
    assert document["id"] == f"http://catalogue.test/iiif/3/collections/search?q=wave&object_type={prints}"
    assert client.get("/iiif/3/collections/search?date_from=soon").status_code == 400


def test_a_search_collection_names_thumbnails_that_are_served(client, auth, museum):
    """A thumbnail must be an image the Image API serves. Built from a search hit alone (no size
    known) it was !400,400, which is upscaling for an image under 400 px and answered 400."""
    add_record(client, auth, "S4")  # a 60x40 picture
    (item,) = get_document(client, "/iiif/3/collections/search?q=wave")["items"]
    (thumbnail,) = item["thumbnail"]
    response = client.get(thumbnail["id"].replace("http://catalogue.test", ""))
    assert response.status_code == 200 and response.mimetype == thumbnail["format"]
    assert (thumbnail["width"], thumbnail["height"]) == (60, 40)
