"""The JSON API: public reads, curator writes with tokens, and a clear 4xx for every bad request."""

import io
import json
from urllib.parse import quote

import pytest

from tests.support import image_bytes, record_payload

OBJECTS = "/api/museums/tate/objects"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    """The API must answer the same on SQLite and PostgreSQL."""
    return request.param


def put(client, auth, local_id, payload, **kwargs):
    return client.put(f"{OBJECTS}/{quote(local_id, safe='')}", json=payload, headers=auth, **kwargs)


def test_post_one_record_creates_it(client, auth):
    response = client.post(OBJECTS, json=record_payload(), headers=auth)
    assert response.status_code == 201
    body = response.get_json()
    assert body["museum"] == "tate" and body["local_id"] == "T00001" and body["revision"] == 1
    assert body["url"] == f"http://catalogue.test/objects/{body['id']}"
    assert body["title"] == {"en": ["The Great Wave"]} and body["date_begin"] == 1830
    assert body["images"] == [] and response.headers["ETag"] == f'"{body["id"]}-1"'


def test_post_a_list_reports_each_record(client, auth):
    client.post(OBJECTS, json=record_payload("a"), headers=auth)
    response = client.post(OBJECTS, json=[record_payload("a"), record_payload("b")], headers=auth)
    assert response.status_code == 201
    assert [r["action"] for r in response.get_json()["results"]] == ["unchanged", "created"]


def test_posting_only_known_records_is_200(client, auth):
    client.post(OBJECTS, json=record_payload(), headers=auth)
    assert client.post(OBJECTS, json=record_payload(), headers=auth).status_code == 200


def test_put_creates_then_updates(client, auth):
    assert put(client, auth, "T1", record_payload("T1")).status_code == 201
    response = put(client, auth, "T1", record_payload("T1", title="New"))
    assert response.status_code == 200 and response.get_json()["revision"] == 2


def test_put_takes_the_local_id_from_the_url(client, auth):
    payload = record_payload()
    del payload["local_id"]
    response = put(client, auth, "a/b c?d#e", payload)
    assert response.status_code == 201 and response.get_json()["local_id"] == "a/b c?d#e"
    again = client.get(f"{OBJECTS}/{quote('a/b c?d#e', safe='')}")
    assert again.status_code == 200 and again.get_json()["local_id"] == "a/b c?d#e"


def test_objects_are_readable_by_id_and_by_local_id(client, auth):
    created = client.post(OBJECTS, json=record_payload(), headers=auth).get_json()
    by_id = client.get(f"/api/objects/{created['id']}").get_json()
    assert by_id == client.get(f"{OBJECTS}/T00001").get_json()
    assert list(by_id)[:4] == ["id", "url", "museum", "local_id"]


def test_delete_withdraws(client, auth):
    client.post(OBJECTS, json=record_payload(), headers=auth)
    assert client.delete(f"{OBJECTS}/T00001", headers=auth).status_code == 204
    assert client.get(f"{OBJECTS}/T00001", headers=auth).get_json()["status"] == "withdrawn"
    assert client.get(f"{OBJECTS}/T00001").status_code == 410
    assert client.delete(f"{OBJECTS}/T00001", headers=auth).status_code == 204


def test_400_lists_field_errors(client, auth):
    response = client.post(OBJECTS, json=record_payload(title=None, makers=[{"name": ""}], status="gone"), headers=auth)
    assert response.status_code == 400
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields == {"title", "makers.0.name", "status"}


def test_400_lists_every_field_error_at_once_a_bad_language_among_them(client, auth):
    body = record_payload(language="english!", title="", makers=[{"name": ""}], date_begin=1900, date_end=1800)
    response = client.put(f"{OBJECTS}/T00001", json=body, headers=auth)
    assert response.status_code == 400
    assert {e["field"]: e["message"] for e in response.get_json()["errors"]} == {
        "language": "Not a language tag (BCP 47, or 'none').",
        "title": "A title is required.",
        "makers.0.name": "A maker needs a name.",
    }  # the years are no error here: the API drops contradicting years with a warning, as imports do


def test_field_errors_are_in_the_language_the_client_asks_for(client, auth):
    images = [f"https://example.org/{n}.jpg" for n in range(51)]
    body = record_payload(
        language="english!", title="", date_begin=1850.5, makers=[{"name": "Hokusai"}] * 101, images=images
    )
    response = client.put(f"{OBJECTS}/T00001?lang=de", json=body, headers=auth)
    assert {e["field"]: e["message"] for e in response.get_json()["errors"]} == {
        "language": "Kein Sprach-Tag (BCP 47 oder 'none').",
        "title": "Ein Titel ist erforderlich.",
        "date_begin": "Muss eine ganze Zahl sein (ein Jahr wie 1830). 1850.5 ist keine.",
        "makers": "Höchstens 100 Einträge.",
        "images": "Höchstens 50 Bild-URLs pro Datensatz.",
    }
    assert response.get_json()["message"] == "Der Datensatz ist ungültig."
    japanese = put(client, {**auth, "Accept-Language": "ja"}, "T00001", record_payload(title=""))
    assert japanese.get_json()["message"] == "レコードが正しくありません。"
    assert put(client, auth, "T00001", record_payload(title="")).get_json()["message"] == "The record is not valid."


def test_unusable_values_are_dropped_with_warnings_for_the_curator(client, auth):
    response = client.post(
        OBJECTS, json=record_payload(country=["JP", "Atlantis"], date_begin=1900, date_end=1800), headers=auth
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["country"] == ["JP"] and (body["date_begin"], body["date_end"]) == (1830, 1832)
    assert [(w["field"], w["value"]) for w in body["warnings"]] == [("country", "Atlantis"), ("date_end", 1800)]
    assert client.get(f"{OBJECTS}/T00001", headers=auth).get_json()["warnings"] == body["warnings"]
    assert "warnings" not in client.get(f"{OBJECTS}/T00001").get_json()  # the public sees the record only
    clean = client.put(f"{OBJECTS}/T00001", json=record_payload(), headers=auth).get_json()
    assert clean["warnings"] == []


def test_a_warning_reads_in_the_language_the_request_names(client, auth):
    client.post(OBJECTS, json=record_payload(country=["Atlantis"]), headers=auth)
    [english] = client.get(f"{OBJECTS}/T00001", headers=auth).get_json()["warnings"]
    assert english["reason"] == (
        "Unknown country: use an ISO 3166-1 alpha-2 code or an English name. The value was dropped."
    )
    [german] = client.get(f"{OBJECTS}/T00001", headers={**auth, "Accept-Language": "de"}).get_json()["warnings"]
    assert german["reason"].startswith("Unbekanntes Land: verwenden Sie einen ISO-3166-1-Alpha-2-Code")
    assert set(german) == {"field", "value", "reason"}  # the kept template is not part of the API


def test_400_for_malformed_json(client, auth):
    response = client.post(OBJECTS, data="{not json", content_type="application/json", headers=auth)
    assert response.status_code == 400 and "JSON" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("date_begin", {"date_begin": 1850.5}),
        ("date_end", {"date_begin": 1850, "date_end": 1850.25}),
        ("makers.0.death_year", {"makers": [{"name": "Hokusai", "birth_year": 1760, "death_year": 1849.9}]}),
    ],
)
def test_a_year_with_a_fraction_is_a_400_naming_its_field_and_nothing_is_saved(client, auth, field, payload):
    response = put(client, auth, "T00001", record_payload(**payload))
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == field and error["message"].startswith("Must be a whole number")
    assert client.get(f"{OBJECTS}/T00001", headers=auth).status_code == 404


def test_a_whole_year_written_with_a_point_is_that_year(client, auth):
    response = put(client, auth, "T00001", record_payload(date_begin=1850.0, date_end=1851.0))
    assert response.status_code == 201
    body = response.get_json()
    assert (body["date_begin"], body["date_end"], body["warnings"]) == (1850, 1851, [])


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_body_with_a_number_json_does_not_have_is_a_400_naming_it(client, auth, number):
    body = json.dumps(record_payload()).replace('"date_display"', f'"date_begin": {number}, "date_display"')
    for method, url in (("PUT", f"{OBJECTS}/T00001"), ("POST", OBJECTS)):
        response = client.open(url, method=method, data=body, content_type="application/json", headers=auth)
        assert response.status_code == 400
        message = response.get_json()["message"]
        assert message.startswith("The body is not valid JSON:") and number.lstrip("-") in message
    assert client.get(f"{OBJECTS}/T00001", headers=auth).status_code == 404


@pytest.mark.parametrize("patch_type", ["application/merge-patch+json", "application/json-patch+json"])
def test_a_patch_is_a_415_and_leaves_the_record_whole(client, auth, patch_type):
    """A write replaces the record: read as a whole record, a partial update would lose every field
    its client left out."""
    put(client, auth, "T00001", record_payload(title="Wave", date_display="1831"))
    patch = json.dumps({"title": {"en": ["Red Fuji"]}})
    response = client.put(f"{OBJECTS}/T00001", data=patch, content_type=patch_type, headers=auth)
    assert response.status_code == 415 and "takes no patches" in response.get_json()["message"]
    assert client.get(f"{OBJECTS}/T00001", headers=auth).get_json()["date_display"] == "1831"


def test_the_apis_own_messages_are_in_the_language_asked_for(client, auth):
    body = json.dumps(record_payload()).replace('"date_display"', '"date_begin": NaN, "date_display"')
    response = client.put(f"{OBJECTS}/T00001?lang=fr", data=body, content_type="application/json", headers=auth)
    assert response.get_json()["message"] == "Le corps n’est pas du JSON valide : NaN n’est pas un nombre JSON."
    unsigned = client.put(f"{OBJECTS}/T00001", json=record_payload(), headers={"Accept-Language": "ja"})
    assert unsigned.get_json()["message"] == "キュレーターのトークンを送ってください：'Authorization: Bearer <token>'。"


def test_400_when_body_and_url_disagree(client, auth):
    assert put(client, auth, "T1", record_payload("T2")).status_code == 400


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_401_without_a_valid_token(client, museum, headers):
    response = client.post(OBJECTS, json=record_payload(), headers=headers)
    assert response.status_code == 401 and response.get_json()["message"]


def test_403_for_another_museums_records(client, auth, make_museum):
    make_museum("rijksmuseum", country="NL")
    response = client.post("/api/museums/rijksmuseum/objects", json=record_payload(), headers=auth)
    assert response.status_code == 403


def test_404s(client, auth):
    assert client.get("/api/objects/doesnotexist").status_code == 404
    assert client.get(f"{OBJECTS}/missing").status_code == 404
    assert client.delete(f"{OBJECTS}/missing", headers=auth).status_code == 404
    # a museum's token may not write an unknown museum: 403 before anything is looked up
    assert client.post("/api/museums/nowhere/objects", json=record_payload(), headers=auth).status_code == 403
    assert client.get("/api/nothing-here").get_json()["status"] == 404


def test_409_for_a_stale_revision_in_the_body(client, auth):
    put(client, auth, "T1", record_payload("T1"))
    put(client, auth, "T1", record_payload("T1", title="v2"))
    assert put(client, auth, "T1", record_payload("T1", title="v4", revision=1)).status_code == 409
    assert put(client, auth, "T1", record_payload("T1", title="v4", revision=2)).status_code == 200


def test_if_match_compares_the_whole_etag(client, auth):
    etag = put(client, auth, "T1", record_payload("T1")).headers["ETag"]
    other = put(client, auth, "T2", record_payload("T2")).headers["ETag"]
    assert etag.endswith('-1"') and other.endswith('-1"')
    for stale in (other, '"x-1"', '"1"', etag.replace("-1", "-2")):  # another record's ETag at the same revision
        response = client.put(
            f"{OBJECTS}/T1", json=record_payload("T1", title="v2"), headers={**auth, "If-Match": stale}
        )
        assert response.status_code == 412, stale
        assert "ETag" in response.get_json()["message"]
    updated = client.put(f"{OBJECTS}/T1", json=record_payload("T1", title="v2"), headers={**auth, "If-Match": etag})
    assert updated.status_code == 200 and updated.headers["ETag"] == etag.replace("-1", "-2")
    assert client.put(f"{OBJECTS}/T3", json=record_payload("T3"), headers={**auth, "If-Match": "*"}).status_code == 412


def test_413_for_a_body_over_the_limit(app, client, auth):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post(OBJECTS, json=record_payload(description="x" * 20_000), headers=auth)
    assert response.status_code == 413 and response.get_json()["status"] == 413


def test_413_for_too_many_records(app, client, auth):
    app.config["MAX_RECORDS_PER_REQUEST"] = 2
    response = client.post(OBJECTS, json=[record_payload(str(i)) for i in range(3)], headers=auth)
    assert response.status_code == 413


def test_415_for_a_body_that_is_not_json(client, auth):
    response = client.post(OBJECTS, data="local_id=1", content_type="application/x-www-form-urlencoded", headers=auth)
    assert response.status_code == 415


def test_405_is_json_too(client):
    response = client.patch(f"{OBJECTS}/T1")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_museums_are_listed_with_counts(client, auth):
    client.post(OBJECTS, json=record_payload(), headers=auth)
    museums = client.get("/api/museums").get_json()
    assert museums[0]["code"] == "tate" and museums[0]["records"] == 1 and museums[0]["region"] == "europe"


def test_images_upload_and_appear_in_the_record(client, auth):
    client.post(OBJECTS, json=record_payload(), headers=auth)
    response = client.post(
        f"{OBJECTS}/T00001/images",
        headers=auth,
        data={
            "file": [
                (__import__("io").BytesIO(image_bytes("JPEG")), "a.jpg"),
                (__import__("io").BytesIO(image_bytes("PNG", color=(0, 0, 255))), "b.png"),
            ],
            "alt": "A red square",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    ids = [image["id"] for image in response.get_json()["images"]]
    record = client.get(f"{OBJECTS}/T00001").get_json()
    assert [image["id"] for image in record["images"]] == ids
    assert record["images"][0]["alt"] == {"none": ["A red square"]}
    assert record["revision"] == 2
    assert record["images"][0]["url"] == f"http://catalogue.test/images/{ids[0]}/original"  # open for reuse
    original = client.get(f"/images/{ids[0]}/original")
    assert original.status_code == 200 and original.mimetype == "image/jpeg"


def test_an_image_not_open_for_reuse_is_given_by_its_iiif_service_and_no_original(client, auth):
    """Its original is not public (it would answer 403): ``url`` is null, ``iiif`` shows the image."""
    payload = record_payload(rights={"metadata_license": "CC0", "image_rights": "In Copyright"})
    record_id = client.post(OBJECTS, json=payload, headers=auth).get_json()["id"]
    upload = {"file": [(io.BytesIO(image_bytes("JPEG")), "a.jpg")]}
    response = client.post(f"{OBJECTS}/T00001/images", headers=auth, data=upload, content_type="multipart/form-data")
    (uploaded,) = response.get_json()["images"]
    assert response.status_code == 201 and uploaded["url"] is None
    record = client.get(f"/api/objects/{record_id}").get_json()
    (image,) = record["images"]
    assert image["url"] is None and image["iiif"] == f"http://catalogue.test/iiif/3/{image['id']}"
    assert "/original" not in json.dumps(record)
    assert client.get(f"/iiif/3/{image['id']}/info.json").status_code == 200
    assert client.get(f"/images/{image['id']}/original").status_code == 403


def test_original_and_thumbnail_files_revalidate_by_date_unless_an_etag_is_sent(client, auth):
    client.post(OBJECTS, json=record_payload(), headers=auth)
    upload = {"file": [(io.BytesIO(image_bytes("JPEG")), "a.jpg")]}
    response = client.post(f"{OBJECTS}/T00001/images", headers=auth, data=upload, content_type="multipart/form-data")
    image_id = response.get_json()["images"][0]["id"]
    for path in (f"/images/{image_id}/original", f"/images/{image_id}/thumbnail"):
        published = client.get(path).headers["Last-Modified"]
        assert client.get(path, headers={"If-Modified-Since": published}).status_code == 304, path
        other_etag = {"If-Modified-Since": published, "If-None-Match": '"another"'}
        assert client.get(path, headers=other_etag).status_code == 200, path  # RFC 9110 §13.1.3


def test_a_record_is_cacheable_and_revalidates_by_its_etag(client, auth):
    created = client.post(OBJECTS, json=record_payload(), headers=auth).get_json()
    response = client.get(f"/api/objects/{created['id']}")
    assert response.headers["ETag"] == f'"{created["id"]}-1"'
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(f"/api/objects/{created['id']}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    put(client, auth, "T00001", record_payload(title="v2"))
    changed = client.get(f"/api/objects/{created['id']}", headers={"If-None-Match": response.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"].endswith('-2"')


def test_museums_are_cacheable_and_revalidate(client, museum):
    for path in ("/api/museums", "/api/museums/tate"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "public, max-age=60" and response.headers["ETag"], path
        assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304, path


def test_more_values_of_one_facet_than_allowed_is_a_clear_400(client, museum):
    query = "&".join(f"museum=m{n}" for n in range(51))
    response = client.get(f"/api/objects?{query}")
    assert response.status_code == 400 and "At most 50 values for museum" in response.get_json()["message"]
    assert client.get(f"/api/objects?{query.rsplit('&', 1)[0]}").status_code == 200


def test_a_record_saved_by_an_older_release_without_rights_keys_still_reads(client, auth, service):
    record_id = client.post(OBJECTS, json=record_payload(), headers=auth).get_json()["id"]
    with service.store.transaction() as conn:  # as the first release stored a record without rights
        body = {**service.record(record_id).body, "rights": {}}
        service.store.update_records(conn, [{"_id": record_id, "body": body}])
    response = client.get(f"/api/objects/{record_id}")
    assert response.status_code == 200
    assert response.get_json()["rights"] == {"metadata_license": None, "image_rights": None}


def test_a_record_read_from_the_api_can_be_sent_back_unchanged(client, auth):
    """A client edits what it read: the fields the API adds (shown, warnings, manifest, images...)
    are read-only, and sending them back unchanged changes nothing."""
    put(client, auth, "R1", record_payload("R1", date_begin=1850, date_end=1700))  # a warning kept
    client.post(f"{OBJECTS}/R1/images", data={"file": (io.BytesIO(image_bytes()), "a.jpg")}, headers=auth)
    read = client.get(f"{OBJECTS}/R1", headers=auth).get_json()
    assert read["shown"] and read["warnings"] and read["manifest"] and read["images"] and "image_sources" in read
    response = put(client, auth, "R1", read)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["revision"] == 2  # the image's upload made the second
    edited = put(client, auth, "R1", {**read, "title": {"en": ["Edited"]}})
    assert edited.status_code == 200 and edited.get_json()["revision"] == 3
