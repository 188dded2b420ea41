"""Every JSON shape the API answers with is exactly its schema in views/shapes.py: the keys the
schema declares, each value valid for its field, so the OpenAPI description says the truth."""

import io

import pytest
from marshmallow import Schema

from catalogue.cli import cli_actor
from catalogue.views.shapes import (
    OPTIONAL,
    BatchResponseSchema,
    CuratorRecordSchema,
    ErrorSchema,
    ImagesResponseSchema,
    MuseumOutSchema,
    SearchResponseSchema,
    StoredRecordSchema,
    SuggestResponseSchema,
    dump,
)
from tests.support import image_bytes, record_payload

OBJECTS = "/api/museums/tate/objects"


def keys_of(schema: type[Schema]) -> tuple[set, set]:
    """(the keys a shape always has, the keys it may leave out)"""
    fields = schema._declared_fields
    optional = {f.data_key or name for name, f in fields.items() if f.metadata.get("optional")}
    return {f.data_key or name for name, f in fields.items()} - optional, optional


def assert_shape(schema: type[Schema], body: dict) -> None:
    always, optional = keys_of(schema)
    assert always <= set(body) <= always | optional, set(body) ^ always
    assert schema().validate(body) == {}, schema().validate(body)


@pytest.fixture
def record_id(client, auth, service):
    created = client.post(OBJECTS, json=record_payload(country=["JP", "Atlantis"]), headers=auth).get_json()
    upload = {"file": [(io.BytesIO(image_bytes(size=(500, 300))), "a.jpg")]}
    client.post(f"{OBJECTS}/T00001/images", headers=auth, data=upload, content_type="multipart/form-data")
    return created["id"]


def test_record_shapes_public_and_for_curators(client, auth, record_id):
    assert_shape(StoredRecordSchema, client.get(f"/api/objects/{record_id}").get_json())
    curator = client.get(f"/api/objects/{record_id}", headers=auth).get_json()
    assert_shape(CuratorRecordSchema, curator)
    assert curator["warnings"] and curator["images"] and curator["manifest"]


def test_the_record_shape_of_an_image_without_a_public_original(client, auth):
    """An image not open for reuse has ``url`` null (its original would answer 403)."""
    payload = record_payload("R1", rights={"metadata_license": "CC0", "image_rights": "In Copyright"})
    record_id = client.post(OBJECTS, json=payload, headers=auth).get_json()["id"]
    upload = {"file": [(io.BytesIO(image_bytes()), "a.jpg")]}
    images = client.post(f"{OBJECTS}/R1/images", headers=auth, data=upload, content_type="multipart/form-data")
    assert_shape(ImagesResponseSchema, images.get_json())
    record = client.get(f"/api/objects/{record_id}").get_json()
    assert_shape(StoredRecordSchema, record)
    assert record["images"][0]["url"] is None


def test_search_suggest_museum_and_batch_shapes(client, auth, record_id):
    assert_shape(SearchResponseSchema, client.get("/api/objects?q=wave").get_json())
    assert_shape(SuggestResponseSchema, client.get("/api/suggest?q=gre").get_json())
    for museum in client.get("/api/museums").get_json():
        assert_shape(MuseumOutSchema, museum)
    assert_shape(MuseumOutSchema, client.get("/api/museums/tate").get_json())
    batch = client.post(OBJECTS, json=[record_payload("B1"), record_payload("B2")], headers=auth).get_json()
    assert_shape(BatchResponseSchema, batch)
    upload = {"file": [(io.BytesIO(image_bytes(color=(1, 2, 3))), "b.jpg")]}
    images = client.post(f"{OBJECTS}/B1/images", headers=auth, data=upload, content_type="multipart/form-data")
    assert_shape(ImagesResponseSchema, images.get_json())


def test_error_shapes_with_and_without_their_optional_keys(client, auth, service, record_id):
    for response in (
        client.get("/api/objects/nope"),
        client.post(OBJECTS, json=record_payload(title=None), headers=auth),
        client.get("/api/objects?sort=x"),
    ):
        assert_shape(ErrorSchema, response.get_json())
    service.withdraw(cli_actor(), "tate", "T00001")
    gone = client.get(f"/api/objects/{record_id}").get_json()
    assert_shape(ErrorSchema, gone)
    assert gone["id"] == record_id


def test_dump_refuses_data_that_lacks_a_key_of_its_shape():
    with pytest.raises(KeyError):
        dump(MuseumOutSchema, {"code": "tate"})
    assert dump(ErrorSchema, {"status": 400, "message": "x"}) == {"status": 400, "message": "x"}
    assert OPTIONAL == {"optional": True}
