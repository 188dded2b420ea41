"""The Image API over HTTP: redirect, info.json, image responses and their headers, clear errors, and
no 5xx for any URL a client can send."""

import io
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from werkzeug.http import http_date

from iiif.image_views import ImageSource

BASE = "http://iiif.test/iiif/3/squares"
RIGHTS = "http://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture
def asked() -> list[str]:
    return []


@pytest.fixture
def client(image_app, squares_pyramid, tmp_path, asked):
    sources = {
        "squares": ImageSource(squares_pyramid, rights=RIGHTS),
        "unbuilt": ImageSource(tmp_path / "nothing-here"),
    }

    def locate(identifier):
        asked.append(identifier)
        return sources.get(identifier)

    app = image_app({})
    app.extensions["iiif_images"] = locate
    return app.test_client()


def test_the_base_url_redirects_to_info_json(client):
    response = client.get("/iiif/3/squares")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/info.json"


def test_info_json_describes_the_image_service(client):
    response = client.get("/iiif/3/squares/info.json")
    assert response.status_code == 200
    info = response.get_json(force=True)
    assert list(info)[:7] == ["@context", "id", "type", "protocol", "profile", "width", "height"]
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert (info["id"], info["type"], info["protocol"]) == (BASE, "ImageService3", "http://iiif.io/api/image")
    assert (info["profile"], info["width"], info["height"]) == ("level2", 1000, 1000)
    assert (info["maxWidth"], info["maxHeight"], info["maxArea"]) == (10_000, 10_000, 16_000_000)
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2]}]
    assert info["sizes"] == [
        {"width": 400, "height": 400},
        {"width": 800, "height": 800},
        {"width": 1000, "height": 1000},
    ]
    assert info["extraQualities"] == ["color", "gray", "bitonal"]
    assert info["extraFormats"] == ["webp", "gif", "tif"]
    assert {"mirroring", "rotationArbitrary", "sizeUpscaling", "regionByPct", "canonicalLinkHeader"} <= set(
        info["extraFeatures"]
    )
    assert info["rights"] == RIGHTS
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_limits_come_from_the_app_settings(image_app, squares_pyramid):
    app = image_app(
        {"squares": ImageSource(squares_pyramid)}, IIIF_MAX_WIDTH=None, IIIF_MAX_HEIGHT=None, IIIF_MAX_AREA=250_000
    )
    client = app.test_client()
    info = client.get("/iiif/3/squares/info.json").get_json(force=True)
    assert "maxWidth" not in info and info["maxArea"] == 250_000 and "rights" not in info
    image = Image.open(io.BytesIO(client.get("/iiif/3/squares/full/max/0/default.jpg").data))
    assert image.size == (500, 500)
    assert client.get("/iiif/3/squares/full/501,/0/default.jpg").status_code == 400


@pytest.mark.parametrize(
    "accept, content_type",
    [
        (None, 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'),
        ("application/ld+json", 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'),
        (
            'application/ld+json;profile="http://iiif.io/api/image/3/context.json"',
            'application/ld+json;profile="http://iiif.io/api/image/3/context.json"',
        ),
        ("application/json, application/ld+json;q=0.5", "application/json"),
        ("application/ld+json;q=0, application/json", "application/json"),
        ("application/json", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/json"),
    ],
)
def test_info_json_is_json_ld_when_asked_for(client, accept, content_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/iiif/3/squares/info.json", headers=headers)
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Vary"] == "Accept"


def test_info_json_answers_304_to_its_etag(client):
    etag = client.get("/iiif/3/squares/info.json").headers["ETag"]
    again = client.get("/iiif/3/squares/info.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_info_json_as_json_ld_and_as_json_revalidate_by_their_own_etags(client):
    json_ld = client.get("/iiif/3/squares/info.json")
    plain = client.get("/iiif/3/squares/info.json", headers={"Accept": "application/json"})
    assert json_ld.data == plain.data and json_ld.headers["ETag"] != plain.headers["ETag"]
    asks_plain = {"Accept": "application/json"}
    stale = client.get("/iiif/3/squares/info.json", headers={**asks_plain, "If-None-Match": json_ld.headers["ETag"]})
    assert stale.status_code == 200 and stale.headers["Content-Type"] == "application/json"
    mine = client.get("/iiif/3/squares/info.json", headers={**asks_plain, "If-None-Match": plain.headers["ETag"]})
    assert mine.status_code == 304 and mine.headers["Vary"] == "Accept"


def test_an_image_response_names_its_canonical_url_and_may_be_cached_forever(client):
    response = client.get("/iiif/3/squares/0,0,512,512/512,512/0/default.jpg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Link"] == (
        f'<{BASE}/0,0,512,512/max/0/default.jpg>;rel="canonical", '
        '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(response.data)).size == (512, 512)


def test_an_image_answers_304_to_its_etag_whatever_form_was_asked(client):
    etag = client.get("/iiif/3/squares/full/250,/0/default.png").headers["ETag"]
    again = client.get("/iiif/3/squares/full/250,250/0/default.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/iiif/3/squares/full/251,/0/default.png", headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/iiif/3/squares/0,0,512,512/512,/0/default.jpg",  # a stored tile
        "/iiif/3/squares/full/333,/0/default.png",  # computed for this request
    ],
)
def test_an_image_answers_304_to_if_modified_since_when_no_etag_is_sent(client, path):
    response = client.get(path)
    published = response.headers["Last-Modified"]
    assert response.last_modified is not None
    earlier = http_date(response.last_modified - timedelta(seconds=1))

    unchanged = client.get(path, headers={"If-Modified-Since": published})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == response.headers["ETag"]
    assert unchanged.headers["Cache-Control"] == response.headers["Cache-Control"]
    assert unchanged.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.head(path, headers={"If-Modified-Since": published}).status_code == 304


def test_if_none_match_decides_over_if_modified_since_and_compares_weakly(client):
    path = "/iiif/3/squares/full/250,/0/default.png"
    response = client.get(path)
    etag, published = response.headers["ETag"], response.headers["Last-Modified"]
    earlier = http_date(response.last_modified - timedelta(seconds=1))

    other = client.get(path, headers={"If-None-Match": '"another"', "If-Modified-Since": published})
    assert other.status_code == 200  # RFC 9110 §13.1.3: If-Modified-Since is ignored
    same = client.get(path, headers={"If-None-Match": etag, "If-Modified-Since": earlier})
    assert same.status_code == 304
    assert client.get(path, headers={"If-None-Match": f"W/{etag}"}).status_code == 304  # weak comparison


def test_every_answer_from_one_pyramid_dates_from_its_publication(client):
    stored = client.get("/iiif/3/squares/0,0,512,512/512,/0/default.jpg")
    computed = client.get("/iiif/3/squares/full/333,/0/default.png")
    assert stored.headers["Last-Modified"] == computed.headers["Last-Modified"]


def test_an_if_match_is_no_reason_for_a_304(client):
    """werkzeug's is_resource_modified reads an If-Match that fails as "not modified": a client
    that holds no copy (If-Match asks the opposite of a revalidation) must not get an empty 304."""
    path = "/iiif/3/squares/full/250,/0/default.png"
    etag = client.get(path).headers["ETag"]
    for if_match in ('"another"', "W/" + etag):
        response = client.get(path, headers={"If-Match": if_match})
        assert response.status_code == 200 and response.data[:8] == b"\x89PNG\r\n\x1a\n", if_match
    assert client.get(path, headers={"If-Match": '"another"', "If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "path, status, parameter",
    [
        ("/iiif/3/squares/full/100000,/0/default.jpg", 400, "size"),
        ("/iiif/3/squares/full/^100000,100000/0/default.jpg", 400, "size"),
        ("/iiif/3/squares/full/1001,/0/default.jpg", 400, "size"),
        ("/iiif/3/squares/2000,0,10,10/max/0/default.jpg", 400, "region"),
        ("/iiif/3/squares/full/max/45x/default.jpg", 400, "rotation"),
        ("/iiif/3/squares/full/max/0/sepia.jpg", 400, "quality"),
        ("/iiif/3/squares/full/max/0/default.bmp", 400, "format"),
        ("/iiif/3/squares/full/max/0/default.jp2", 501, "format"),
        ("/iiif/3/nobody/full/max/0/default.jpg", 404, "identifier"),
        ("/iiif/3/nobody/info.json", 404, "identifier"),
        ("/iiif/3/unbuilt/info.json", 404, "identifier"),
    ],
)
def test_errors_are_clear_json(client, path, status, parameter):
    started = time.perf_counter()
    response = client.get(path)
    assert time.perf_counter() - started < 2  # refused before any pixel is allocated
    assert response.status_code == status
    body = response.get_json()
    assert (body["status"], body["parameter"]) == (status, parameter) and len(body["message"]) > 10
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "identifier",
    [
        "..",
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E",
        "a..b",
        "x" * 101,
        "%00",
        "squares%00",
        "[frob]",
        "squares%2Fsecret",
        "~root",
        "..%5C..%5Cboot.ini",
    ],
)
def test_identifiers_that_are_not_ours_never_reach_the_locator(client, asked, identifier):
    for path in (f"/iiif/3/{identifier}/info.json", f"/iiif/3/{identifier}/full/max/0/default.jpg"):
        assert client.get(path).status_code in (400, 404)
    assert asked == []


SEGMENT = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="0123456789,.:!^pctmaxfulsqre%-", max_size=16),
    st.sampled_from(
        [
            "full",
            "square",
            "max",
            "^max",
            "pct:50",
            "0",
            "90",
            "!180",
            "22.5",
            "10,10,100,100",
            "pct:0.5,0.5,99,99",
            "^!2000,2000",
            "^,1",
            "1,",
            "default.jpg",
            "gray.png",
            "bitonal.webp",
            "color.gif",
            "default.tif",
            "default.jp2",
        ]
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(region=SEGMENT, size=SEGMENT, rotation=SEGMENT, quality_format=SEGMENT)
def test_no_url_makes_the_server_fail(client, region, size, rotation, quality_format):
    segments = "/".join(quote(part, safe=",:!^") for part in (region, size, rotation, quality_format))
    response = client.get(f"/iiif/3/squares/{segments}")
    assert response.status_code < 500, (segments, response.data[:200])
