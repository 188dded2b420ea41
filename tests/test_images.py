"""Uploaded images are checked with Pillow before anything is stored, and stored once by content."""

import io
import os
import shutil

import pytest
from PIL import Image

from catalogue.cli import cli_actor
from tests.support import image_bytes, record_payload

IMAGES = "/api/museums/tate/objects/T00001/images"


@pytest.fixture
def record(service, museum):
    return service.upsert(cli_actor(), "tate", record_payload())


def upload(client, auth, *files):
    data = {"file": [(io.BytesIO(content), name) for content, name in files]}
    return client.post(IMAGES, headers=auth, data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
def test_allowed_formats_are_accepted(client, auth, record, fmt):
    response = upload(client, auth, (image_bytes(fmt), f"x.{fmt.lower()}"))
    assert response.status_code == 201
    assert response.get_json()["images"][0]["format"] == fmt


def test_other_formats_are_415(client, auth, record):
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert upload(client, auth, (gif.getvalue(), "x.gif")).status_code == 415


def test_a_fake_image_is_415(client, auth, record):
    response = upload(client, auth, (b"<?php echo 'hi'; ?>", "photo.jpg"))
    assert response.status_code == 415 and "recognised" in response.get_json()["message"]


def test_a_truncated_image_is_400(client, auth, record):
    data = image_bytes("JPEG", size=(400, 300))
    response = upload(client, auth, (data[: len(data) // 2], "cut.jpg"))
    assert response.status_code == 400 and "truncated" in response.get_json()["message"]


def test_too_many_bytes_is_413(client, auth, record, app):
    app.extensions["catalogue"].max_image_bytes = 10_000
    noise = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(noise, "PNG")  # noise does not compress
    response = upload(client, auth, (noise.getvalue(), "big.png"))
    assert response.status_code == 413
    assert response.get_json()["message"] == "big.png is 0.03 MB; the limit is 0.01 MB."


def test_too_many_pixels_is_413(client, auth, record):
    # 2,500 x 2,000 = 5 MP against the test limit of 4 MP; the file itself is tiny
    response = upload(client, auth, (image_bytes("PNG", size=(2500, 2000), color=(0, 0, 0)), "wide.png"))
    assert response.status_code == 413
    message = "wide.png is 2500 × 2000 pixels (5 megapixels); the limit is 4 megapixels."
    assert response.get_json()["message"] == message


def test_a_decompression_bomb_is_413(client, auth, record):
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")  # 144 MP of white compresses to a few kB
    assert len(bomb.getvalue()) < 100_000
    assert upload(client, auth, (bomb.getvalue(), "bomb.png")).status_code == 413


def test_exif_orientation_is_applied_to_the_dimensions(client, auth, record):
    rotated = image_bytes("JPEG", size=(60, 20), exif_orientation=6)  # "rotate 90° clockwise"
    image = upload(client, auth, (rotated, "r.jpg")).get_json()["images"][0]
    assert (image["width"], image["height"]) == (20, 60)


def test_the_same_bytes_are_stored_once(client, auth, record, service):
    data = image_bytes("JPEG")
    first = upload(client, auth, (data, "a.jpg")).get_json()["images"][0]
    second = upload(client, auth, (data, "copy.jpg")).get_json()["images"][0]
    assert first["id"] == second["id"]
    files = list((service.media.root / "originals").rglob("*.jpg"))
    assert len(files) == 1 and files[0].name == f"{first['sha256']}.jpg"
    assert service.record(record.record_id).revision == 2


def test_one_bad_file_rejects_the_whole_upload(client, auth, record, service):
    response = upload(client, auth, (image_bytes("JPEG"), "good.jpg"), (b"junk", "bad.jpg"))
    assert response.status_code == 415
    assert service.record(record.record_id).images == []
    assert not (service.media.root / "originals").exists()


def test_an_upload_must_be_multipart_with_a_file(client, auth, record):
    assert client.post(IMAGES, headers=auth, json={"file": "x"}).status_code == 415
    assert client.post(IMAGES, headers=auth, data={"alt": "x"}, content_type="multipart/form-data").status_code == 400


def test_images_need_a_known_record_and_a_curator(client, auth, museum, token):
    assert upload(client, auth, (image_bytes(), "a.jpg")).status_code == 404
    response = client.post(
        IMAGES, data={"file": (io.BytesIO(image_bytes()), "a.jpg")}, content_type="multipart/form-data"
    )
    assert response.status_code == 401


def test_derivatives_are_made_at_upload_so_no_public_request_decodes_an_original(client, auth, record, service):
    image = upload(client, auth, (image_bytes("PNG", size=(1200, 900)), "big.png")).get_json()["images"][0]
    assert service.media.fixed_size_path(image["sha256"]).exists()
    for original in (service.media.root / "originals").rglob("*.png"):
        original.unlink()  # a public thumbnail request must not need the original any more
    response = client.get(f"/images/{image['id']}/thumbnail")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.data)).size == (400, 300)


def test_catalogue_derive_makes_what_older_uploads_lack(client, auth, record, service, runner):
    image = upload(client, auth, (image_bytes("JPEG", size=(800, 600)), "a.jpg")).get_json()["images"][0]
    shutil.rmtree(service.media.pyramid_dir(image["sha256"]))  # as if uploaded by an older release
    assert client.get(f"/images/{image['id']}/thumbnail").status_code == 404
    result = runner.invoke(args=["derive"])
    assert result.exit_code == 0 and "derivatives made for 1 images, 0 failed" in result.output
    assert client.get(f"/images/{image['id']}/thumbnail").status_code == 200
    assert "made for 0 images" in runner.invoke(args=["derive"]).output


def test_an_uploaded_image_is_served_by_the_iiif_image_api_while_its_record_is_public(client, auth, record, service):
    image = upload(client, auth, (image_bytes("JPEG", size=(900, 600)), "a.jpg")).get_json()["images"][0]
    info = client.get(f"/iiif/3/{image['id']}/info.json").get_json()
    assert (info["width"], info["height"]) == (900, 600)
    assert info["id"] == f"http://catalogue.test/iiif/3/{image['id']}"
    tile = client.get(f"/iiif/3/{image['id']}/0,0,512,512/512,/0/default.jpg")
    assert tile.status_code == 200 and Image.open(io.BytesIO(tile.data)).size == (512, 512)
    client.delete("/api/museums/tate/objects/T00001", headers=auth)
    assert client.get(f"/iiif/3/{image['id']}/info.json").status_code == 404  # at once, in this process
    assert client.get(f"/iiif/3/{image['id']}/full/max/0/default.jpg").status_code == 404


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(out, "JPEG")  # pure red in CMYK
    return out.getvalue()


def sixteen_bit_tiff() -> bytes:
    out = io.BytesIO()
    Image.new("I;16", (300, 200), 40000).save(out, "TIFF")
    return out.getvalue()


def one_by_a_hundred_thousand() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 100_000), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "make, expected",
    [  # CMYK red comes out as the red a print profile makes of it, not the naive (255, 0, 0)
        (cmyk_jpeg, (235, 30, 40)),
        (sixteen_bit_tiff, (156, 156, 156)),
        (one_by_a_hundred_thousand, (10, 200, 10)),
    ],
)
def test_awkward_images_are_accepted_and_served_right_through_the_image_api(client, auth, record, make, expected):
    response = upload(client, auth, (make(), "awkward"))
    assert response.status_code == 201, response.get_json()
    image = response.get_json()["images"][0]
    info = client.get(f"/iiif/3/{image['id']}/info.json").get_json()
    assert (info["width"], info["height"]) == (image["width"], image["height"])
    served = client.get(f"/iiif/3/{image['id']}/full/max/0/default.jpg")
    assert served.status_code == 200
    pixel = Image.open(io.BytesIO(served.data)).convert("RGB").getpixel((0, 0))
    assert all(abs(a - b) <= 25 for a, b in zip(pixel, expected)), pixel
    thumbnail = client.get(f"/images/{image['id']}/thumbnail")
    assert thumbnail.status_code == 200 and max(Image.open(io.BytesIO(thumbnail.data)).size) <= 400


@pytest.mark.parametrize(
    "path, status",
    [
        ("/full/100000,/0/default.jpg", 400),
        ("/full/max/0/default.bmp", 400),
        ("/full/max/0/default.jp2", 501),
        ("/0,0,10,10/max/45x/default.jpg", 400),
        ("/full/max/0/fancy.jpg", 400),
    ],
)
def test_absurd_image_requests_are_clear_4xx_and_the_server_stays_up(client, auth, record, path, status):
    image = upload(client, auth, (image_bytes("JPEG", size=(600, 400)), "a.jpg")).get_json()["images"][0]
    response = client.get(f"/iiif/3/{image['id']}{path}")
    assert response.status_code == status, response.get_data(as_text=True)[:200]
    assert client.get(f"/iiif/3/{image['id']}/full/200,/0/default.jpg").status_code == 200


def test_identifiers_cannot_walk_the_media_folder(client, auth, record):
    upload(client, auth, (image_bytes("JPEG"), "a.jpg"))
    for identifier in ("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a" * 200, "x%00y"):
        assert client.get(f"/iiif/3/{identifier}/info.json").status_code in (400, 404), identifier
