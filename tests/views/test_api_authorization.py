"""Authorization comes before validation in the JSON API: a token of one museum writing to another
gets a 403 whatever the body holds (mismatched ids, broken JSON, no body, a huge one), and learns
nothing about the other museum's records; the museum's own token still gets its 400s."""

import io
from urllib.parse import quote

import pytest

from tests.support import image_bytes, record_payload

RIJKS = "/api/museums/rijks/objects"
MAX_REQUEST_BYTES = 1_000_000


@pytest.fixture
def app_settings():
    """A small request limit, so that a body over it is cheap to send."""
    return {"MAX_REQUEST_BYTES": MAX_REQUEST_BYTES}


@pytest.fixture
def rijks(make_museum):
    return make_museum("rijks", "NL")


def put(client, auth, url, **kwargs):
    return client.put(url, headers={**auth, **kwargs.pop("headers", {})}, **kwargs)


def test_a_body_whose_local_id_differs_from_the_url_is_403_for_another_museums_token(client, auth, rijks):
    response = put(client, auth, f"{RIJKS}/R1", json=record_payload("R2"))
    assert response.status_code == 403
    assert "rijks" in response.get_json()["message"]


def test_the_same_request_to_the_tokens_own_museum_is_still_a_400(client, auth):
    response = put(client, auth, "/api/museums/tate/objects/T1", json=record_payload("T2"))
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"field": "local_id", "message": "Must match the URL."}]


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"{not json", "application/json"),
        (b"[" * 10_000, "application/json"),  # nested too deeply
        (b"", "application/json"),
        (b"local_id=R1", "application/x-www-form-urlencoded"),  # not JSON at all (415 for the owner)
        (b"x" * (MAX_REQUEST_BYTES + 1), "application/json"),  # over the limit (413 for the owner)
    ],
)
def test_any_body_to_another_museum_is_403(client, auth, rijks, body, content_type):
    headers = {**auth, "Content-Type": content_type}
    assert client.put(f"{RIJKS}/R1", data=body, headers=headers).status_code == 403
    assert client.post(RIJKS, data=body, headers=headers).status_code == 403


def test_broken_or_huge_json_to_the_tokens_own_museum_is_still_a_400_or_413(client, auth):
    headers = {**auth, "Content-Type": "application/json"}
    assert client.put("/api/museums/tate/objects/T1", data=b"{not json", headers=headers).status_code == 400
    huge = b"x" * (MAX_REQUEST_BYTES + 1)
    assert client.put("/api/museums/tate/objects/T1", data=huge, headers=headers).status_code == 413


def test_withdrawing_or_adding_images_in_another_museum_is_403_even_for_records_it_lacks(client, auth, rijks):
    assert client.delete(f"{RIJKS}/{quote('no such record', safe='')}", headers=auth).status_code == 403
    upload = {"file": (io.BytesIO(image_bytes()), "wave.jpg")}
    response = client.post(f"{RIJKS}/R1/images", data=upload, headers=auth, content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.post(f"{RIJKS}/R1/images", data=b"plain", headers=auth).status_code == 403  # not multipart


def test_a_museum_that_does_not_exist_is_403_for_a_museums_token(client, auth):
    """Only those who may write a museum learn whether it exists."""
    assert put(client, auth, "/api/museums/nowhere/objects/X1", json=record_payload("X1")).status_code == 403


def test_without_a_token_it_is_still_401_first(client, rijks):
    assert client.put(f"{RIJKS}/R1", data=b"{not json", content_type="application/json").status_code == 401


def test_a_401_says_the_api_takes_a_bearer_token(client, rijks):
    """RFC 6750: a 401 carries the challenge, so a client knows which credentials to send."""
    missing = client.put(f"{RIJKS}/R1", json=record_payload("R1"))
    revoked = client.put(f"{RIJKS}/R1", json=record_payload("R1"), headers={"Authorization": "Bearer not-a-token"})
    for response in (missing, revoked):
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == 'Bearer realm="catalogue"'
