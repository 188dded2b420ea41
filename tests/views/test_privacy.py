"""Drafts and withdrawn records are private: every public route answers as if a draft did not exist
(404) and says a withdrawn record is gone (410, with its tombstone id); the museum's own curators
read everything of their museum with their token, privately."""

import io
from urllib.parse import quote

import pytest

from catalogue.cli import cli_actor
from tests.support import image_bytes, record_payload

OBJECTS = "/api/museums/tate/objects"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    return request.param


@pytest.fixture
def records(client, auth, service, museum):
    """A published record, a draft and a withdrawn record, each with an image."""
    ids = {}
    for local_id, status in (("pub", "published"), ("draft", "draft"), ("gone", "published")):
        payload = record_payload(local_id, title=f"Zanzibar {local_id}", status=status)
        ids[local_id] = client.put(f"{OBJECTS}/{local_id}", json=payload, headers=auth).get_json()["id"]
        upload = {"file": [(io.BytesIO(image_bytes(color=(len(local_id) * 20, 0, 0))), f"{local_id}.jpg")]}
        client.post(f"{OBJECTS}/{local_id}/images", headers=auth, data=upload, content_type="multipart/form-data")
    client.delete(f"{OBJECTS}/gone", headers=auth)
    return {local_id: service.record(record_id, cli_actor()) for local_id, record_id in ids.items()}


def image_routes(record) -> list[str]:
    image = record.images[0].id
    return [f"/images/{image}/original", f"/images/{image}/thumbnail"]


def record_routes(record) -> list[str]:
    return [f"/api/objects/{record.id}", f"{OBJECTS}/{quote(record.local_id)}", f"/objects/{record.id}"]


def test_published_records_and_their_images_are_public(client, records):
    for route in record_routes(records["pub"]) + image_routes(records["pub"]):
        response = client.get(route)
        assert response.status_code == 200, route
        assert "public" in response.headers["Cache-Control"], route


def test_a_draft_is_not_found_anywhere_public(client, records):
    unknown = {
        route: client.get(route.replace(records["draft"].id, "0" * 16)) for route in record_routes(records["draft"])
    }
    for route in record_routes(records["draft"]):
        response = client.get(route)
        assert response.status_code == 404, route
        assert "Zanzibar" not in response.get_data(as_text=True)
        if route in unknown and route.startswith("/api/objects/"):
            assert response.get_json()["message"].replace(records["draft"].id, "X") == unknown[route].get_json()[
                "message"
            ].replace("0" * 16, "X")  # the same answer as for an id that never existed
    for route in image_routes(records["draft"]):
        assert client.get(route).status_code == 404, route


def test_a_withdrawn_record_is_gone_with_its_tombstone_id(client, records):
    gone = records["gone"]
    for route in record_routes(gone)[:2]:
        response = client.get(route)
        assert response.status_code == 410, route
        body = response.get_json()
        assert body["id"] == gone.id and "withdrawn" in body["message"]
        assert "Zanzibar" not in response.get_data(as_text=True)
    assert client.get(f"/objects/{gone.id}").status_code == 410
    for route in image_routes(gone):
        assert client.get(route).status_code == 404, route


def test_search_lists_only_published_records(client, records):
    hits = client.get("/api/objects?q=zanzibar").get_json()["hits"]
    assert [hit["local_id"] for hit in hits] == ["pub"]
    for page in (client.get("/search?q=zanzibar"), client.get("/museums/tate"), client.get("/")):
        html = page.get_data(as_text=True)
        assert f"/objects/{records['pub'].id}" in html or page.request.path == "/"
        assert f"/objects/{records['draft'].id}" not in html and f"/objects/{records['gone'].id}" not in html
    titles = [s["text"] for s in client.get("/api/suggest?q=zanzi").get_json()["suggestions"]]
    assert titles == ["Zanzibar pub"]
    assert client.get("/api/museums/tate").get_json()["records"] == 1


def test_the_museums_curators_read_everything_privately(client, auth, records):
    for local_id in ("draft", "gone"):
        for route in record_routes(records[local_id])[:2]:
            response = client.get(route, headers=auth)
            assert response.status_code == 200, route
            assert response.get_json()["status"] == ("draft" if local_id == "draft" else "withdrawn")
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "Access-Control-Allow-Origin" not in response.headers
            assert "Authorization" in response.headers["Vary"]


def test_another_museums_curator_sees_only_what_the_public_sees(client, service, records, make_museum):
    make_museum("walters", country="US", status="guest")
    other = {"Authorization": f"Bearer {service.create_token(cli_actor(), 'walters', 'Other')}"}
    assert client.get(f"/api/objects/{records['draft'].id}", headers=other).status_code == 404
    assert client.get(f"/api/objects/{records['gone'].id}", headers=other).status_code == 410


def test_a_bad_token_on_a_read_is_401_not_a_public_answer(client, records):
    response = client.get(f"/api/objects/{records['pub'].id}", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_publishing_a_draft_makes_it_public(client, auth, records):
    response = client.put(f"{OBJECTS}/draft", json=record_payload("draft", title="Zanzibar draft"), headers=auth)
    assert response.get_json()["status"] == "published"
    assert client.get(f"/api/objects/{records['draft'].id}").status_code == 200
    assert client.get(image_routes(records["draft"])[1]).status_code == 200
