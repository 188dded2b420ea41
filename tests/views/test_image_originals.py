"""``/images/<id>/original``: the file as the museum uploaded it. Anyone may have it when the museum
opened the image for reuse (cached publicly, as before); the original of any other image is refused
with a 403 that says why, in the page's language, while its IIIF derivatives stay public (that is
how visitors see it). The museum's own curators and the secretariat still get every original back,
privately."""

import pytest

from tests.support import image_bytes, image_of, page_text, sign_in

REFUSAL = {
    "en": "The museum has not opened this image for reuse: its original file is not public. "
    "View it in the viewer on the object page.",
    "de": "Das Museum hat dieses Bild nicht zur Nachnutzung freigegeben",
    "fr": "Le musée n’a pas ouvert cette image à la réutilisation\u202f:",
    "ja": "オリジナルファイルは公開されていません",
    "ko": "원본 파일은 공개되지 않습니다",
    "zh": "其原始文件不公开",
}


def signed_in_client(app, make_account, role: str, museum: str | None):
    client = app.test_client()
    assert sign_in(client, make_account(role, museum)).status_code == 302
    return client


def test_the_original_of_an_image_open_for_reuse_is_anyones_and_cached_publicly(client, open_image):
    response = client.get(f"/images/{open_image}/original")
    assert response.status_code == 200 and response.data == image_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000"
    assert "Cookie" not in response.headers.get("Vary", "")


def test_the_original_of_an_image_not_open_for_reuse_is_refused_with_a_reason(client, restricted_image):
    response = client.get(f"/images/{restricted_image}/original")
    assert response.status_code == 403
    assert response.mimetype == "text/html"  # a page, as the site's other refusals
    text = page_text(response)
    assert "<h1>Not allowed</h1>" in text and REFUSAL["en"] in text
    assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("language", ["de", "fr", "ja", "ko", "zh"])
def test_the_refusal_is_said_in_the_pages_language(client, restricted_image, language):
    response = client.get(f"/{language}/images/{restricted_image}/original")
    assert response.status_code == 403
    assert REFUSAL[language] in page_text(response)


def test_a_restricted_image_is_still_seen_through_its_derivatives(client, restricted_image):
    for path in (
        f"/images/{restricted_image}/thumbnail",
        f"/iiif/3/{restricted_image}/info.json",
        f"/iiif/3/{restricted_image}/full/max/0/default.jpg",
        f"/iiif/3/{restricted_image}/0,0,20,20/max/0/default.jpg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "public" in response.headers["Cache-Control"], path


def test_the_museums_curator_gets_the_original_back_privately(app, make_account, restricted_image):
    curator = signed_in_client(app, make_account, "curator", "tate")
    response = curator.get(f"/images/{restricted_image}/original")
    assert response.status_code == 200 and response.data == image_bytes()
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"] and "Expires" not in response.headers


def test_the_secretariat_gets_any_original(app, make_account, restricted_image):
    admin = signed_in_client(app, make_account, "admin", None)
    response = admin.get(f"/images/{restricted_image}/original")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_a_curator_of_another_museum_is_refused_as_the_public_is(app, make_account, make_museum, restricted_image):
    make_museum("rijks", country="NL")
    other = signed_in_client(app, make_account, "curator", "rijks")
    response = other.get(f"/images/{restricted_image}/original")
    assert response.status_code == 403 and REFUSAL["en"] in page_text(response)


def test_a_curator_asking_for_an_open_original_gets_the_public_answer(app, make_account, open_image):
    curator = signed_in_client(app, make_account, "curator", "tate")
    response = curator.get(f"/images/{open_image}/original")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000"


def test_a_drafts_original_is_not_found_by_the_public_and_is_its_curators(app, client, make_account, service, museum):
    draft = image_of(service, "D1", status="draft")
    assert client.get(f"/images/{draft}/original").status_code == 404
    curator = signed_in_client(app, make_account, "curator", "tate")
    response = curator.get(f"/images/{draft}/original")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_an_unknown_image_is_not_found_for_a_curator_either(app, make_account, museum):
    curator = signed_in_client(app, make_account, "curator", "tate")
    assert curator.get("/images/nosuchimage/original").status_code == 404
