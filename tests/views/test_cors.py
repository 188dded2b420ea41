"""Cross-origin reads (catalogue/views/cors.py): any origin may read public data, errors included,
after the browser's preflight where it asks one; writes and a curator's private answers stay ours."""

import io

import pytest

from tests.support import image_bytes, record_payload

OBJECTS = "/api/museums/tate/objects"
PRESENTATION_ACCEPT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


@pytest.fixture
def published(client, auth, museum) -> dict:
    """A published record with an image: its id and its image's id."""
    record = client.put(f"{OBJECTS}/wave", json=record_payload("wave", status="published"), headers=auth).get_json()
    upload = {"file": [(io.BytesIO(image_bytes()), "wave.jpg")]}
    client.post(f"{OBJECTS}/wave/images", headers=auth, data=upload, content_type="multipart/form-data")
    image = client.get(f"/api/objects/{record['id']}").get_json()["images"][0]["id"]
    return {"id": record["id"], "image": image}


def preflight(client, path: str, method: str = "GET", headers: str = "accept, if-none-match"):
    return client.options(
        path,
        headers={
            "Origin": "https://portal.example",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def public_reads(record: dict) -> list[str]:
    return [
        f"/iiif/3/objects/{record['id']}/manifest",
        f"/iiif/3/{record['image']}/info.json",
        f"/iiif/3/{record['image']}/full/max/0/default.jpg",
        "/iiif/discovery/activity",
        f"/api/objects/{record['id']}",
        "/api/objects?q=wave",
        f"/images/{record['image']}/thumbnail",
    ]


def test_a_preflight_for_a_read_of_public_data_is_allowed(client, published):
    for path in public_reads(published):
        response = preflight(client, path, headers="accept, authorization, if-none-match")
        assert response.status_code == 204, path
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert {"GET", "HEAD"} <= set(response.headers["Access-Control-Allow-Methods"].split(", "))
        allowed = {name.lower() for name in response.headers["Access-Control-Allow-Headers"].split(", ")}
        assert {"accept", "authorization", "if-none-match"} <= allowed
        assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_public_reads_and_their_errors_are_readable_by_any_origin(client, published):
    for path in public_reads(published):
        response = client.get(path, headers={"Origin": "https://portal.example", "Accept": PRESENTATION_ACCEPT})
        assert response.status_code in (200, 303), path
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
        assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    for missing in ("/iiif/3/objects/nothing/manifest", "/iiif/3/nothing/info.json", "/api/objects/nothing"):
        response = client.get(missing, headers={"Origin": "https://portal.example"})
        assert response.status_code == 404 and response.headers["Access-Control-Allow-Origin"] == "*", missing


def test_writes_are_not_offered_to_other_origins(client, published):
    for method in ("PUT", "POST", "DELETE"):
        response = preflight(client, f"{OBJECTS}/wave", method=method, headers="authorization, content-type")
        assert "Access-Control-Allow-Origin" not in response.headers, method


def test_pages_and_unknown_paths_get_no_cross_origin_answer(client, published):
    for path in (f"/objects/{published['id']}", "/curate/", "/search"):
        assert "Access-Control-Allow-Origin" not in preflight(client, path).headers, path
    assert preflight(client, "/iiif/3/objects/a/b/c/d/e").status_code == 404
