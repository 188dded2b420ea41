"""Object pages show web-sized derivatives (never an original) with deep zoom, offer Mirador, the
Universal Viewer, the IIIF manifest and an embed code; the embed page may be framed by any site;
oEmbed describes object pages; every viewer page loads only our own static files."""

import io
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from PIL import Image

from catalogue.cli import cli_actor
from catalogue.views.security import CSP, relaxed_policy
from iiif.sizes import derivative_sizes
from tests.support import REPO, image_bytes, record_payload

BASE = "http://catalogue.test"
OBJECTS = "/api/museums/tate/objects"
VENDOR = REPO / "catalogue" / "static" / "vendor"


class Tags(HTMLParser):
    """The start tags of a page with their attributes: ``Tags(html).all("img", class_="still")``."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def all(self, tag: str, class_: str | None = None, **wanted) -> list[dict]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag
            and (class_ is None or class_ in attrs.get("class", "").split())
            and all(attrs.get(key.replace("_", "-")) == value for key, value in wanted.items())
        ]

    def one(self, tag: str, class_: str | None = None, **wanted) -> dict:
        found = self.all(tag, class_, **wanted)
        assert len(found) == 1, (tag, class_, wanted, found)
        return found[0]


@pytest.fixture
def add_object(client, auth, museum):
    """A published record with images of the given sizes, uploaded through the API; returns its JSON."""

    def add(local_id: str = "W1", sizes=((2000, 1000),), **fields) -> dict:
        payload = record_payload(local_id, **fields)
        client.put(f"{OBJECTS}/{local_id}", json=payload, headers=auth)
        for n, size in enumerate(sizes):
            upload = {"file": [(io.BytesIO(image_bytes(size=size, color=(20 * n, 90, 160))), f"{n}.jpg")]}
            response = client.post(
                f"{OBJECTS}/{local_id}/images", headers=auth, data=upload, content_type="multipart/form-data"
            )
            assert response.status_code in (200, 201), response.get_json()
        return client.get(f"{OBJECTS}/{local_id}", headers=auth).get_json()

    return add


def page_tags(client, path: str) -> Tags:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return Tags(response.get_data(as_text=True))


def size_url(image_id: str, width: int, height: int) -> str:
    return f"{BASE}/iiif/3/{image_id}/full/{width},{height}/0/default.jpg"


def served_size(client, url: str) -> tuple[int, int]:
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200 and response.mimetype == "image/jpeg", url
    return Image.open(io.BytesIO(response.data)).size


# the object page --------------------------------------------------------------------------
def test_the_object_page_shows_a_srcset_over_the_fixed_sizes_never_the_original(client, add_object):
    record = add_object(sizes=[(2000, 1000)])
    image_id = record["images"][0]["id"]
    html = client.get(f"/objects/{record['id']}").get_data(as_text=True)
    still = Tags(html).one("img", class_="still")
    sizes = derivative_sizes(2000, 1000)
    assert sizes == [(400, 200), (800, 400), (1600, 800)]
    assert still["srcset"] == ", ".join(f"{size_url(image_id, w, h)} {w}w" for w, h in sizes)
    assert still["src"] == size_url(image_id, 800, 400)
    assert (still["width"], still["height"]) == ("800", "400") and still["sizes"]
    assert still["alt"]
    for w, h in sizes:
        assert served_size(client, size_url(image_id, w, h)) == (w, h)
    assert "/original" not in still["src"] + still["srcset"]  # (the download link may name it)


def test_no_page_links_the_original_of_an_image_not_open_for_reuse(client, add_object):
    """Its original would answer 403: the object page (with no download), the viewers, the embed, the
    comparison and oEmbed show it through its IIIF derivatives alone, which are served."""
    record = add_object(rights={"metadata_license": "CC0", "image_rights": "In Copyright"})
    record_id, image_id = record["id"], record["images"][0]["id"]
    paths = [
        f"/objects/{record_id}",
        f"/objects/{record_id}/mirador",
        f"/objects/{record_id}/uv",
        f"/embed/{record_id}",
        f"/compare?a={record_id}",
        f"/iiif/compare/{record_id}/{record_id}/manifest.json",
        "/oembed?" + urlencode({"url": f"{BASE}/objects/{record_id}", "type": "photo"}),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200 and "/original" not in response.get_data(as_text=True), path
    still = page_tags(client, f"/objects/{record_id}").one("img", class_="still")
    assert still["src"] == size_url(image_id, 800, 400) and served_size(client, still["src"]) == (800, 400)
    assert client.get(f"/images/{image_id}/original").status_code == 403


def test_the_object_page_offers_the_original_of_an_image_open_for_reuse_for_download(client, add_object):
    record = add_object()  # in the public domain
    image_id = record["images"][0]["id"]
    download = page_tags(client, f"/objects/{record['id']}").one("a", href=f"{BASE}/images/{image_id}/original")
    assert "download" in download and client.get(f"/images/{image_id}/original").status_code == 200


def test_deep_zoom_reads_the_images_info_json_through_a_static_script(client, add_object):
    record = add_object()
    image_id = record["images"][0]["id"]
    tags = page_tags(client, f"/objects/{record['id']}")
    zoom = tags.one("div", class_="deepzoom")
    assert zoom["data-tile-source"] == f"{BASE}/iiif/3/{image_id}/info.json"
    assert client.get(f"/iiif/3/{image_id}/info.json").get_json()["width"] == 2000
    scripts = [attrs["src"] for attrs in tags.all("script") if "src" in attrs]  # not the JSON-LD data block
    assert "/static/vendor/openseadragon/openseadragon.min.js" in scripts and "/static/viewer.js" in scripts
    assert zoom["data-prefix-url"] == "/static/vendor/openseadragon/images/"


def test_a_small_image_has_only_the_sizes_it_reaches(client, add_object):
    record = add_object(sizes=[(300, 200)])
    still = page_tags(client, f"/objects/{record['id']}").one("img", class_="still")
    assert still["srcset"] == f"{size_url(record['images'][0]['id'], 300, 200)} 300w"
    assert (still["width"], still["height"]) == ("300", "200")


def test_further_images_are_thumbnails_that_link_derivatives(client, add_object):
    record = add_object(sizes=[(2000, 1000), (1000, 2000)])
    tags = page_tags(client, f"/objects/{record['id']}")
    links = [attrs for name, attrs in tags.tags if name == "a" and "data-tile-source" in attrs]
    assert len(links) == 2 and links[0]["aria-current"] == "true" and "aria-current" not in links[1]
    second = record["images"][1]["id"]
    assert links[1]["href"] == size_url(second, 800, 1600)  # the largest fixed size
    assert links[1]["data-srcset"].endswith(f"{size_url(second, 800, 1600)} 800w")
    thumbnails = [attrs["src"] for attrs in tags.all("img") if attrs["src"].endswith("/thumbnail")]
    assert thumbnails == [f"{BASE}/images/{image['id']}/thumbnail" for image in record["images"]]
    assert all(client.get(src.removeprefix(BASE)).status_code == 200 for src in thumbnails)


def test_the_object_page_offers_viewers_the_manifest_and_an_embed_code(client, add_object):
    record = add_object()
    record_id = record["id"]
    manifest = f"{BASE}/iiif/3/objects/{record_id}/manifest"
    tags = page_tags(client, f"/objects/{record_id}")
    hrefs = [attrs.get("href") for attrs in tags.all("a")]
    assert f"/objects/{record_id}/mirador" in hrefs and f"/objects/{record_id}/uv" in hrefs
    badge = tags.one("a", class_="iiif-badge")
    assert badge["href"] == f"{manifest}?manifest={quote(manifest, safe='')}"
    assert tags.one("input", id="manifest-link")["value"] == manifest
    assert tags.one("button", data_copy="manifest-link") is not None
    html = client.get(f"/objects/{record_id}").get_data(as_text=True)
    assert f"&lt;iframe src=&#34;{BASE}/embed/{record_id}&#34;" in html
    discovery = tags.one("link", rel="alternate", type="application/json+oembed")
    assert discovery["href"] == f"{BASE}/oembed?" + urlencode({"url": f"{BASE}/objects/{record_id}", "format": "json"})


def test_an_object_without_images_has_no_viewers(client, add_object):
    record_id = add_object(sizes=[])["id"]
    tags = page_tags(client, f"/objects/{record_id}")
    assert tags.all("div", class_="deepzoom") == [] and tags.all("link", type="application/json+oembed") == []
    for path in [f"/objects/{record_id}/mirador", f"/objects/{record_id}/uv", f"/embed/{record_id}"]:
        assert client.get(path).status_code == 404, path
    assert client.get("/oembed", query_string={"url": f"{BASE}/objects/{record_id}"}).status_code == 404


def test_an_unknown_or_imageless_object_is_explained_in_the_pages_language(client, add_object):
    record_id = add_object(sizes=[])["id"]

    unknown = client.get("/ja/embed/nope").get_data(as_text=True)
    imageless = client.get(f"/fr/objects/{record_id}/mirador").get_data(as_text=True)

    assert 'id="error-message">ID &#39;nope&#39; の作品はありません。</p>' in unknown
    assert 'id="error-message">Cet objet n’a aucune image à afficher.</p>' in imageless


# viewer pages and their policies ----------------------------------------------------------
def test_viewer_pages_load_only_our_own_static_files(client, add_object):
    record_id = add_object()["id"]
    pages = [
        f"/objects/{record_id}",
        f"/objects/{record_id}/mirador",
        f"/objects/{record_id}/uv",
        f"/embed/{record_id}",
    ]
    assert VENDOR.joinpath("openseadragon", "VERSION").exists(), "the viewer bundles are missing: run scripts/viewers"
    for path in pages:
        tags = page_tags(client, path)
        scripts = tags.all("script")
        assert all("src" in attrs or attrs.get("type") == "application/ld+json" for attrs in scripts), path
        assets = [attrs["src"] for attrs in scripts if "src" in attrs]
        assets += [attrs["href"] for attrs in tags.all("link", rel="stylesheet")]
        assets += [attrs["href"] for attrs in tags.all("link", rel="icon")]  # else the browser asks /favicon.ico: 404
        assert tags.all("link", rel="icon"), path
        assert assets and all(asset.startswith("/static/") for asset in assets), (path, assets)
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
    mirador = page_tags(client, f"/objects/{record_id}/mirador").one("main", id="mirador")
    assert mirador["data-manifest"] == f"{BASE}/iiif/3/objects/{record_id}/manifest"
    uv = page_tags(client, f"/objects/{record_id}/uv").one("div", id="uv")
    assert uv["data-manifest"] == f"{BASE}/iiif/3/objects/{record_id}/manifest"


def policy_of(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def policy(response) -> dict[str, str]:
    return policy_of(response.headers["Content-Security-Policy"])


def test_only_the_embed_page_may_be_framed_and_it_stays_strict(client, add_object):
    record_id = add_object()["id"]
    embed = client.get(f"/embed/{record_id}")
    assert policy(embed)["frame-ancestors"] == "*" and "X-Frame-Options" not in embed.headers
    assert policy(embed) == {**policy_of(CSP), "frame-ancestors": "*"}
    for path in [f"/objects/{record_id}", f"/objects/{record_id}/mirador", f"/objects/{record_id}/uv"]:
        response = client.get(path)
        assert policy(response)["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"


def test_mirador_and_uv_pages_relax_only_styles(client, add_object):
    """Both viewers make styles at run time; neither may evaluate strings as code, and every other
    page keeps the strict policy."""
    record_id = add_object()["id"]
    for path in [f"/objects/{record_id}/mirador", f"/objects/{record_id}/uv"]:
        relaxed = policy(client.get(path))
        assert relaxed == {**policy_of(CSP), "style-src": "'self' 'unsafe-inline'", "frame-ancestors": "'none'"}
    assert policy(client.get(f"/objects/{record_id}")) == {**policy_of(CSP), "frame-ancestors": "'none'"}


def test_a_relaxed_policy_names_real_directives():
    with pytest.raises(ValueError, match="scripts-src"):
        relaxed_policy(scripts_src="'self' 'unsafe-eval'")


# oEmbed -----------------------------------------------------------------------------------
def oembed(client, url: str, **params):
    return client.get("/oembed", query_string={"url": url, **params})


def test_oembed_describes_an_object_page_as_its_embed_frame(client, add_object):
    record = add_object(sizes=[(2000, 1000)])
    response = oembed(client, f"{BASE}/objects/{record['id']}", format="json")
    answer = response.get_json()
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["title"] == "The Great Wave" and answer["author_name"] == "Katsushika Hokusai"
    assert answer["provider_name"] == "Virtual Collection of Masterpieces" and answer["provider_url"] == f"{BASE}/"
    assert (answer["width"], answer["height"]) == (800, 600)
    assert answer["html"].startswith(f'<iframe src="{BASE}/embed/{record["id"]}" width="800" height="600"')
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (400, 200)
    assert served_size(client, answer["thumbnail_url"]) == (400, 200)


def test_oembed_honours_maxwidth_and_maxheight(client, add_object):
    record = add_object(sizes=[(2000, 1000)])
    record_id, image_id = record["id"], record["images"][0]["id"]
    rich = oembed(client, f"{BASE}/objects/{record_id}", maxwidth="500", maxheight="300").get_json()
    assert (rich["width"], rich["height"]) == (500, 300) and 'width="500" height="300"' in rich["html"]
    assert rich["thumbnail_width"] <= 500 and rich["thumbnail_height"] <= 300
    photo = oembed(client, f"{BASE}/objects/{record_id}", type="photo", maxwidth="1000").get_json()
    assert photo["type"] == "photo" and (photo["width"], photo["height"]) == (800, 400)  # a fixed size
    assert photo["url"] == size_url(image_id, 800, 400)
    small = oembed(client, f"{BASE}/objects/{record_id}", type="photo", maxwidth="100", maxheight="100").get_json()
    assert (small["width"], small["height"]) == (100, 50)
    assert served_size(client, small["url"]) == (100, 50)


def test_oembed_refuses_what_it_cannot_answer(client, add_object, service):
    record_id = add_object()["id"]
    page = f"{BASE}/objects/{record_id}"
    assert oembed(client, page, format="xml").status_code == 501
    assert oembed(client, f"{BASE}/objects/nosuchobject").status_code == 404
    others = ["https://elsewhere.example/objects/" + record_id, f"{BASE}/museums/tate", f"{page}/mirador"]
    for url in [*others, "", "x", "http://[", f"{page}%00", f"{BASE}/objects/a\x00b"]:
        assert oembed(client, url).status_code == 400, url
    for bad in [{"maxwidth": "wide"}, {"maxheight": "0"}, {"type": "video"}]:
        assert oembed(client, page, **bad).status_code == 400, bad


def test_oembed_knows_no_drafts_or_withdrawn_objects(client, add_object, service):
    draft_id = add_object("D1", status="draft")["id"]
    gone_id = add_object("G1")["id"]
    service.withdraw(cli_actor(), "tate", "G1")
    assert oembed(client, f"{BASE}/objects/{draft_id}").status_code == 404
    assert oembed(client, f"{BASE}/objects/{gone_id}").status_code == 404
    assert client.get(f"/embed/{draft_id}").status_code == 404


def test_oembed_errors_are_json_like_the_api(client, add_object):
    page = f"{BASE}/objects/{add_object()['id']}"
    for response in (oembed(client, page, format="xml"), oembed(client, "x"), oembed(client, f"{BASE}/objects/nope")):
        assert response.mimetype == "application/json" and response.get_json()["message"], response.status_code
