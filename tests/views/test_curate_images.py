"""The images page of a record, for its museum's curators: upload several files at once (a plain
form, or the upload script asking for JSON), refusals said on the page, alt text per language,
reordering with buttons, removal, and thumbnails of images that are not public yet."""

import io
import os
import re
import struct
import zlib

import pytest
from PIL import Image

from catalogue.cli import cli_actor
from tests.support import csrf_token, image_bytes, post_form, record_payload, sign_in

JSON = {"Accept": "application/json"}


@pytest.fixture
def draft(service, museum):
    """A draft of the Tate (its images are not public), with no images yet."""
    return service.upsert(cli_actor(), "tate", record_payload(status="draft")).record_id


@pytest.fixture
def page(draft):
    return f"/curate/records/{draft}/images"


def files(*specs):
    return [(io.BytesIO(content), name) for content, name in specs]


def upload(client, page, *specs, headers=None):
    token = csrf_token(client, page)
    if headers is not None:  # the upload script: the token in a header, JSON asked for
        headers = {**headers, "X-CSRFToken": token}
        data = {"file": files(*specs)}
    else:
        data = {"csrf_token": token, "file": files(*specs)}
    return client.post(page, data=data, headers=headers, content_type="multipart/form-data")


def stored(service, record_id) -> list[tuple[str, dict]]:
    return [(image.id, image.alt) for image in service.store.get_record(record_id).images]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# upload --------------------------------------------------------------------------------------------
def test_several_files_are_uploaded_at_once_with_the_plain_form(curator_client, service, draft, page):
    red, blue = image_bytes(color=(200, 0, 0)), image_bytes("PNG", size=(64, 48), color=(0, 0, 200))

    response = upload(curator_client, page, (red, "red.jpg"), (blue, "blue.png"))

    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"{page}?done=uploaded&count=2")
    assert len(stored(service, draft)) == 2
    shown = text_of(curator_client.get(response.headers["Location"]))
    assert "2 images uploaded." in shown
    assert shown.index("red.jpg") < shown.index("blue.png")
    assert "64 × 48 pixels" in shown


def test_the_upload_script_gets_json(curator_client, service, draft, page):
    response = upload(curator_client, page, (image_bytes(), "a.jpg"), (image_bytes("PNG"), "b.png"), headers=JSON)

    assert response.status_code == 201
    assert response.get_json()["message"] == "2 images uploaded."
    assert response.get_json()["images"] == [image_id for image_id, _alt in stored(service, draft)]


def test_an_image_the_record_has_already_is_said_to_be_there_not_uploaded(curator_client, service, draft, page):
    red, blue = image_bytes(color=(200, 0, 0)), image_bytes("PNG", size=(64, 48), color=(0, 0, 200))
    upload(curator_client, page, (red, "red.jpg"))

    again = upload(curator_client, page, (red, "red-again.jpg"))
    shown = text_of(curator_client.get(again.headers["Location"]))
    assert "1 image was already in the record; it was not added again." in shown
    assert "uploaded" not in shown.split('role="status"')[1].split("</p>")[0]
    assert len(stored(service, draft)) == 1

    both = upload(curator_client, page, (red, "red.jpg"), (blue, "blue.png"), headers=JSON)
    message = both.get_json()["message"]
    assert message == "1 image uploaded. 1 image was already in the record; it was not added again."
    assert len(stored(service, draft)) == 2


def test_an_upload_without_its_csrf_token_is_refused(curator_client, service, draft, page):
    response = curator_client.post(page, data={"file": files((image_bytes(), "a.jpg"))})
    assert response.status_code == 400
    assert stored(service, draft) == []


def test_an_upload_of_no_file_says_so_on_the_page(curator_client, service, draft, page):
    response = post_form(curator_client, page, {"file": (io.BytesIO(b""), "")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose one or more image files to upload." in text_of(response)


def test_a_text_file_named_jpg_is_refused_by_name_and_the_page_says_nothing_was_stored(
    curator_client, service, draft, page
):
    fake = (b"Dear curator, this is not a picture.\n", "photo.jpg")

    response = upload(curator_client, page, (image_bytes(), "real.jpg"), fake)

    assert response.status_code == 415
    shown = text_of(response)
    assert (
        'id="upload-error" role="alert">None of the 2 files was stored. '
        "photo.jpg is not a recognised image file; use JPEG, PNG, TIFF or WebP.</p>"
    ) in shown
    assert "<h1>Images of The Great Wave</h1>" in shown  # the page itself, not an error page
    assert stored(service, draft) == []  # all or nothing: real.jpg is not stored either
    scripted = upload(curator_client, page, fake, headers=JSON)
    assert scripted.status_code == 415
    assert scripted.get_json()["message"] == "photo.jpg is not a recognised image file; use JPEG, PNG, TIFF or WebP."


def test_every_refused_file_of_an_upload_is_named_with_its_reason(curator_client, service, draft, page):
    cut = image_bytes()[:300]
    specs = ((image_bytes(), "real.jpg"), (b"not a picture", "notes.jpg"), (cut, "cut.jpg"))

    response = upload(curator_client, page, *specs, headers=JSON)

    assert response.status_code == 415  # the first refusal's kind
    assert response.get_json()["message"] == (
        "None of the 3 files was stored. notes.jpg is not a recognised image file; use JPEG, PNG, TIFF or WebP. "
        "cut.jpg cannot be read as an image: it is truncated or damaged."
    )
    assert [error["message"] for error in response.get_json()["errors"]] == [
        "notes.jpg is not a recognised image file; use JPEG, PNG, TIFF or WebP.",
        "cut.jpg cannot be read as an image: it is truncated or damaged.",
    ]
    assert stored(service, draft) == []


def test_a_truncated_jpeg_is_named_in_plain_words_without_python_names(curator_client, service, draft, page):
    whole = image_bytes(size=(200, 150))

    response = upload(curator_client, page, (whole[: len(whole) // 2], "cut.jpg"))

    assert response.status_code == 400
    shown = text_of(response)
    assert 'role="alert">cut.jpg cannot be read as an image: it is truncated or damaged.</p>' in shown
    assert "OSError" not in shown and "Error)" not in shown
    assert stored(service, draft) == []


def test_an_image_over_the_size_limit_is_413_with_its_size_and_the_limit_in_megabytes(
    curator_client, service, draft, page
):
    service.max_image_bytes = 10_000
    noise = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(noise, "PNG")  # noise does not compress

    response = upload(curator_client, page, (noise.getvalue(), "big.png"))

    assert response.status_code == 413
    assert 'role="alert">big.png is 0.03 MB; the limit is 0.01 MB.</p>' in text_of(response)
    assert stored(service, draft) == []


def png_of_size(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and holds almost none: what Pillow reads
    before it decodes (a 20000 x 20000 image of real pixels would take 400 MB to make)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # one bit per pixel, greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_an_image_of_too_many_pixels_is_refused_with_the_limit_in_megapixels(curator_client, service, draft, page):
    response = upload(curator_client, page, (png_of_size(20000, 20000), "huge.png"))

    assert response.status_code == 413
    assert 'role="alert">huge.png has more pixels than the limit of 4 megapixels.</p>' in text_of(response)
    assert "decompression" not in text_of(response)
    assert stored(service, draft) == []


def test_an_image_a_little_over_the_pixel_limit_is_refused_with_its_size(curator_client, service, draft, page):
    response = upload(curator_client, page, (png_of_size(2500, 2000), "wide.png"), headers=JSON)

    assert response.status_code == 413
    assert response.get_json()["message"] == (
        "wide.png is 2500 × 2000 pixels (5 megapixels); the limit is 4 megapixels."
    )


def test_upload_refusals_are_in_the_pages_language(curator_client, service, draft, page):
    fake = (b"Dear curator, this is not a picture.\n", "photo.jpg")

    german = upload(curator_client, f"/de{page}", (image_bytes(), "real.jpg"), fake)
    scripted = upload(curator_client, f"/ja{page}", fake, headers=JSON)

    assert german.status_code == 415
    assert (
        'role="alert">Keine der 2 Dateien wurde gespeichert. photo.jpg ist keine erkennbare Bilddatei; '
        "verwenden Sie JPEG, PNG, TIFF oder WebP.</p>"
    ) in text_of(german)
    assert scripted.get_json()["message"] == (
        "photo.jpg は画像ファイルとして認識できません。JPEG、PNG、TIFF、WebP のいずれかを使ってください。"
    )
    assert stored(service, draft) == []


def test_a_request_over_the_request_limit_is_413_on_the_page(curator_client, app, service, draft, page):
    token = csrf_token(curator_client, page)
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    data = {"csrf_token": token, "file": files((os.urandom(30_000), "huge.jpg"))}

    response = curator_client.post(page, data=data, content_type="multipart/form-data")

    assert response.status_code == 413
    assert "These files are too large to send at once (the limit is 0.02 MB)." in text_of(response)
    scripted = curator_client.post(
        page, data={"file": files((os.urandom(30_000), "huge.jpg"))}, headers={**JSON, "X-CSRFToken": token}
    )
    assert scripted.status_code == 413 and "too large" in scripted.get_json()["message"]
    assert stored(service, draft) == []


def test_a_decompression_bomb_is_refused(curator_client, service, draft, page):
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")  # 144 MP of white compresses to a few kB

    response = upload(curator_client, page, (bomb.getvalue(), "bomb.png"), headers=JSON)

    assert response.status_code == 413 and "pixels" in response.get_json()["message"]
    assert stored(service, draft) == []


# alt text, order, removal ----------------------------------------------------------------------------
@pytest.fixture
def three(service, draft):
    """Three images on the draft: red, green, blue, in that order."""
    colours = [((200, 0, 0), "red.jpg"), ((0, 200, 0), "green.jpg"), ((0, 0, 200), "blue.jpg")]
    images = service.add_images(cli_actor(), "tate", "T00001", [(image_bytes(color=c), name) for c, name in colours])
    return [image.id for image in images]


def test_alt_text_is_saved_per_language(curator_client, service, draft, page, three):
    red = three[0]
    rows = {"alt_lang": ["en", "ja", ""], "alt_text": ["A red square", "赤い四角", ""]}

    response = post_form(curator_client, f"{page}/{red}/alt", rows, page=page)

    assert response.status_code == 303 and response.headers["Location"].endswith(f"#image-{red}")
    assert stored(service, draft)[0] == (red, {"en": ["A red square"], "ja": ["赤い四角"]})
    shown = text_of(curator_client.get(response.headers["Location"]))
    assert "The alt text was saved." in shown
    assert 'value="赤い四角"' in shown and 'alt="A red square"' in shown


def test_alt_text_in_no_language_comes_back_with_the_input_and_a_message(curator_client, service, page, three, draft):
    red = three[0]
    rows = {"alt_lang": ["en", "english please"], "alt_text": ["A red square", "Still red"]}

    response = post_form(curator_client, f"{page}/{red}/alt", rows, page=page)

    assert response.status_code == 400
    shown = text_of(response)
    assert f'id="alt-errors-{red}" role="alert"> <li>&#39;english please&#39; is not a language tag' in shown
    assert 'value="english please"' in shown and 'value="Still red"' in shown
    assert stored(service, draft)[0] == (red, {})


def test_the_buttons_move_an_image_up_or_down(curator_client, service, draft, page, three):
    red, green, blue = three

    response = post_form(curator_client, f"{page}/order", {"image_id": red, "move": "down"}, page=page)
    assert response.status_code == 303
    assert [image_id for image_id, _ in stored(service, draft)] == [green, red, blue]

    post_form(curator_client, f"{page}/order", {"image_id": blue, "move": "up"}, page=page)
    assert [image_id for image_id, _ in stored(service, draft)] == [green, blue, red]

    post_form(curator_client, f"{page}/order", {"image_id": green, "move": "up"}, page=page)  # first already
    assert [image_id for image_id, _ in stored(service, draft)] == [green, blue, red]


def test_a_whole_order_can_be_sent_at_once(curator_client, service, draft, page, three):
    red, green, blue = three

    response = post_form(curator_client, f"{page}/order", {"order": f"{blue},{green},{red}"}, page=page)
    assert response.status_code == 303
    assert [image_id for image_id, _ in stored(service, draft)] == [blue, green, red]

    refused = post_form(curator_client, f"{page}/order", {"order": [blue, green]}, page=page)
    assert refused.status_code == 400
    assert "must name each of the object&#39;s images exactly once" in text_of(refused)


def test_an_image_is_removed(curator_client, service, draft, page, three):
    red, green, blue = three

    response = post_form(curator_client, f"{page}/{green}/remove", page=page)

    assert response.status_code == 303
    assert [image_id for image_id, _ in stored(service, draft)] == [red, blue]
    assert "The image was removed." in text_of(curator_client.get(response.headers["Location"]))
    assert post_form(curator_client, f"{page}/{green}/remove", page=page).status_code == 404


# thumbnails and who may ------------------------------------------------------------------------------
def test_curators_see_the_thumbnails_of_their_drafts_images(curator_client, client, page, three):
    shown = curator_client.get(page).get_data(as_text=True)
    assert f'src="/curate/images/{three[0]}/thumbnail"' in shown

    thumbnail = curator_client.get(f"/curate/images/{three[0]}/thumbnail")

    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(thumbnail.data)).format == "JPEG"
    assert "no-store" in thumbnail.headers["Cache-Control"]
    assert client.get(f"/images/{three[0]}/thumbnail").status_code == 404  # not public: a draft


def test_a_curator_of_another_museum_is_forbidden(app, make_museum, make_account, service, draft, page, three):
    make_museum("rijks", "NL")
    other = app.test_client()
    sign_in(other, make_account("curator", "rijks"))
    token = csrf_token(other, "/curate/")

    assert other.get(page).status_code == 403
    assert other.get(f"/curate/images/{three[0]}/thumbnail").status_code == 403
    sent = {"csrf_token": token, "file": files((image_bytes(), "a.jpg"))}
    assert other.post(page, data=sent, content_type="multipart/form-data").status_code == 403
    scripted = other.post(page, data={"file": files((image_bytes(), "a.jpg"))}, headers={**JSON, "X-CSRFToken": token})
    assert scripted.status_code == 403 and "may not change records of 'tate'" in scripted.get_json()["message"]
    assert other.post(f"{page}/{three[0]}/remove", data={"csrf_token": token}).status_code == 403
    assert other.post(f"{page}/order", data={"csrf_token": token, "order": three[::-1]}).status_code == 403
    assert len(stored(service, draft)) == 3


def test_someone_not_signed_in_is_sent_to_sign_in(client, page, three):
    for path in (page, f"/curate/images/{three[0]}/thumbnail"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")


def test_an_unknown_record_is_404(curator_client):
    assert curator_client.get("/curate/records/nosuchrecord/images").status_code == 404
