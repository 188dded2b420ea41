"""The comparison page (/compare): two published objects side by side with deep zoom, their fields
aligned and linked to the search, a permalink and the IIIF manifest; a picker for the second object
that suggests the other side of the network; clear 404s; a page the strict CSP lets run."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from catalogue.cli import cli_actor
from tests.support import image_bytes, record_payload

BASE = "http://catalogue.test"


class Tags(HTMLParser):
    """Start tags with their attributes, and the text inside elements carrying ``lang``."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def all(self, tag: str, **wanted) -> list[dict]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag
            and all(attrs.get(key.rstrip("_").replace("_", "-")) == value for key, value in wanted.items())
        ]

    def hrefs(self) -> list[str]:
        return [attrs["href"] for _, attrs in self.tags if "href" in attrs]


@pytest.fixture
def objects(service, make_museum):
    """An Asian and a European museum with published objects (with and without images), a draft
    and a withdrawn object: their ids by local id."""
    make_museum("tnm", country="JP", names={"en": ["Tokyo National Museum"], "ja": ["東京国立博物館"]})
    make_museum("rijks", country="NL", names={"nl": ["Rijksmuseum"]})

    def add(museum, local_id, images=1, **fields):
        outcome = service.upsert(cli_actor(), museum, record_payload(local_id, **fields))
        for n in range(images):
            picture = image_bytes(size=(300 + 100 * n, 200), color=(40 * n, 120, 90))
            service.add_images(cli_actor(), museum, local_id, [(picture, f"{local_id}-{n}.jpg")])
        return outcome.record_id

    ids = {
        "wave": add(
            "tnm",
            "WAVE",
            title={"en": "The Great Wave", "ja": "神奈川沖浪裏"},
            culture="Japanese; Edo period",
            materials=["ink", "paper"],
            dimensions="25.7 x 37.9 cm",
        ),
        "screen": add("tnm", "SCREEN", title={"en": "Folding screen"}, object_type="screen", makers=[]),
        "bare": add("tnm", "BARE", images=0, title={"en": "Sword guard"}),
        "sunflowers": add(
            "rijks",
            "SUN",
            language="nl",
            title={"nl": "Zonnebloemen", "en": "Sunflowers"},
            makers=[{"name": "Vincent van Gogh", "birth_year": 1853, "death_year": 1890}],
            date_display="1889",
            object_type="schilderij",
            medium="olieverf op doek",
            country="NL",
            credit_line="Aankoop 1973",
            rights={"metadata_license": "CC0", "image_rights": "CC BY 4.0"},
        ),
        "draft": add("rijks", "DRAFT", status="draft", title="Unfinished"),
        "gone": add("rijks", "GONE", title="Withdrawn"),
    }
    service.withdraw(cli_actor(), "rijks", "GONE")
    return ids


def compare(client, a, b=None, **args):
    query = {"a": a, **({"b": b} if b is not None else {}), **args}
    return client.get("/compare", query_string=query)


def page_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_both_objects_side_by_side_with_deep_zoom_and_the_link_toggle(client, objects):
    html = page_of(compare(client, objects["wave"], objects["sunflowers"]))
    tags = Tags(html)
    assert "The Great Wave" in html and "Sunflowers" in html
    viewers = tags.all("div", class_="compare-deepzoom")
    assert [v["id"] for v in viewers] == ["viewer-a", "viewer-b"]
    assert all(v["data-tile-source"].startswith(f"{BASE}/iiif/3/") for v in viewers)
    assert all(v["data-tile-source"].endswith("/info.json") for v in viewers)
    stills = tags.all("img", class_="compare-still")
    assert len(stills) == 2 and all("/full/" in still["src"] and "/original" not in still["src"] for still in stills)
    toggle = tags.all("input", id="link-views")
    assert toggle and toggle[0]["type"] == "checkbox" and "checked" in toggle[0]
    assert tags.all("label", for_="link-views")
    assert len(tags.all("button", data_action="zoom-in")) == 2
    assert "openseadragon.min.js" in html and "compare.js" in html and "compare.css" in html


def test_the_fields_are_aligned_and_each_value_leads_to_its_search(client, objects):
    html = page_of(compare(client, objects["wave"], objects["sunflowers"]))
    table = html[html.index('<table class="compare-table"') : html.index("</table>")]
    headers = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert headers == [
        "Title",
        "Maker",
        "Date",
        "Culture / period",
        "Object type",
        "Material / technique",
        "Dimensions",
        "Museum",
        "Country",
        "Region",
        "Image rights",
    ]
    searches = [parse_qs(urlsplit(href).query) for href in Tags(table).hrefs() if href.startswith("/search?")]
    for wanted in (
        {"maker": ["Katsushika Hokusai"]},
        {"maker": ["Vincent van Gogh"]},
        {"culture": ["Japanese"]},
        {"culture": ["Edo period"]},
        {"museum": ["tnm"]},
        {"museum": ["rijks"]},
        {"country": ["JP"]},
        {"country": ["NL"]},
        {"region": ["asia"]},
        {"region": ["europe"]},
        {"rights": ["open"]},
        {"date_from": ["1830"], "date_to": ["1832"]},
    ):
        assert wanted in searches, wanted
    object_types = [s["object_type"][0] for s in searches if "object_type" in s]
    assert len(object_types) == 2 and all(value.startswith("aat:") for value in object_types)  # concepts
    assert "25.7 x 37.9 cm" in table and ">oil paint<" in table  # "olieverf op doek" as concepts
    assert "http://creativecommons.org/licenses/by/4.0/" in Tags(table).hrefs()
    # every search link finds the object it came from
    for query in searches:
        results = client.get("/api/objects", query_string=query).get_json()
        assert {objects["wave"], objects["sunflowers"]} & {hit["id"] for hit in results["hits"]}, query


def test_values_in_another_language_than_the_interface_carry_lang(client, objects):
    html = page_of(compare(client, objects["wave"], objects["sunflowers"]))
    assert '<a href="/objects/{}" lang="ja">神奈川沖浪裏</a>'.format(objects["wave"]) in html
    assert 'lang="nl">Zonnebloemen<' in html and 'lang="nl">1889<' in html
    assert 'lang="nl">Rijksmuseum<' in html
    assert ">The Great Wave<" in html and 'lang="en">The Great Wave' not in html
    japanese = page_of(
        client.get("/compare", query_string={"a": objects["wave"], "b": objects["sunflowers"], "lang": "ja"})
    )
    assert 'lang="ja">神奈川沖浪裏' not in japanese and ">神奈川沖浪裏<" in japanese
    assert 'lang="en">Sunflowers<' in japanese
    assert ">東京国立博物館<" in japanese and ">日本<" in japanese  # museum and country in Japanese


def test_a_culture_is_named_in_the_pages_language_and_still_finds_its_objects(client, objects):
    french = page_of(client.get("/fr/compare", query_string={"a": objects["wave"], "b": objects["sunflowers"]}))
    assert '<a href="/fr/search?culture=Japanese">japonais</a>' in french  # as the culture facet names it
    assert '<a href="/fr/search?culture=Edo+period">époque d&#39;Edo</a>' in french  # a period: the gazetteer's name
    japanese = page_of(client.get("/ja/compare", query_string={"a": objects["wave"], "b": objects["sunflowers"]}))
    assert '<a href="/ja/search?culture=Edo+period">江戸時代</a>' in japanese
    korean = page_of(client.get("/ko/compare", query_string={"a": objects["wave"], "b": objects["sunflowers"]}))
    assert '<a href="/ko/search?culture=Edo+period">에도 시대</a>' in korean


@pytest.mark.parametrize(
    "lang, late_edo, edo_meiji",
    [
        ("ja", "江戸時代後期", "江戸時代〜明治時代"),
        ("de", "Edo-Zeit (Spätphase)", "Edo-Zeit – Meiji-Zeit"),
        ("fr", "époque d&#39;Edo (fin)", "époque d&#39;Edo – ère Meiji"),
        ("en", "late Edo", "Edo-Meiji"),
    ],
)
def test_qualified_and_joined_periods_are_named_as_the_culture_facet_names_them(
    client, service, objects, lang, late_edo, edo_meiji
):
    """A print of "late Edo" with the dynasty "Edo-Meiji" beside the sunflowers: 江戸時代後期 and
    江戸時代〜明治時代 on a Japanese page, the museum's words on an English one; each filters by the
    value as written."""
    print_ = service.upsert(cli_actor(), "tnm", record_payload("LATE", period="late Edo", dynasty="Edo-Meiji"))
    prefix = "" if lang == "en" else f"/{lang}"
    html = page_of(client.get(f"{prefix}/compare", query_string={"a": print_.record_id, "b": objects["sunflowers"]}))
    assert f'<a href="{prefix}/search?culture=late+Edo">{late_edo}</a>' in html
    assert f'<a href="{prefix}/search?culture=Edo-Meiji">{edo_meiji}</a>' in html


def test_a_rights_statement_is_named_in_the_pages_language(client, objects):
    french = page_of(client.get("/fr/compare", query_string={"a": objects["wave"], "b": objects["sunflowers"]}))
    assert '<a href="http://creativecommons.org/publicdomain/mark/1.0/">Marque du domaine public 1.0</a>' in french
    assert '<a href="http://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in french


def test_permalink_object_pages_and_the_iiif_manifest_are_linked(client, objects):
    a, b = objects["wave"], objects["sunflowers"]
    html = page_of(compare(client, a, b))
    tags = Tags(html)
    permalink = tags.all("input", id="compare-permalink")[0]
    assert "readonly" in permalink and permalink["value"] == f"{BASE}/compare?a={a}&b={b}"
    assert tags.all("link", rel="canonical")[0]["href"] == permalink["value"]
    assert f"/objects/{a}" in tags.hrefs() and f"/objects/{b}" in tags.hrefs()
    manifest = f"{BASE}/iiif/compare/{a}/{b}/manifest.json"
    assert tags.all("input", id="compare-manifest")[0]["value"] == manifest
    badge = tags.all("a", class_="iiif-badge")[0]["href"]
    assert badge.startswith(manifest + "?manifest=") and parse_qs(urlsplit(badge).query)["manifest"] == [manifest]
    assert client.get(manifest.removeprefix(BASE)).status_code == 200
    assert f"/compare?a={b}&amp;b={a}" in html  # swap sides
    assert f'href="/compare?a={a}"' in html  # choose another second object


def test_an_object_without_images_is_compared_without_a_viewer_or_manifest(client, objects):
    html = page_of(compare(client, objects["bare"], objects["sunflowers"]))
    assert "This object has no image yet." in html and "Sword guard" in html
    assert len(Tags(html).all("div", class_="compare-deepzoom")) == 1
    assert 'id="compare-manifest"' not in html


def test_the_same_object_twice_is_shown_with_a_message(client, objects):
    html = page_of(compare(client, objects["wave"], objects["wave"]))
    assert "Both sides show the same object." in html
    assert f'href="/compare?a={objects["wave"]}"' in html


@pytest.mark.parametrize("which", ["a", "b"])
@pytest.mark.parametrize("name", ["draft", "gone", "unknown"])
def test_unknown_and_unpublished_objects_are_a_clear_404_page(client, objects, which, name):
    record_id = objects.get(name, "abcdefghijklmnop")
    ids = {"a": objects["wave"], "b": objects["sunflowers"], which: record_id}
    response = compare(client, ids["a"], ids["b"])
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "published object" in response.get_data(as_text=True) or "withdrawn" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "junk", ["../etc/passwd", "a" * 5000, "é", "\x00", "x\x00y", "%00", " ", "<script>alert(1)</script>", "1 OR 1=1"]
)
def test_junk_ids_are_404_never_5xx(client, objects, junk):
    for query in ({"a": junk}, {"a": junk, "b": objects["wave"]}, {"a": objects["wave"], "b": junk}):
        response = client.get("/compare", query_string=query)
        assert response.status_code == 404, (query, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    for path in (f"/iiif/compare/{junk}/{objects['wave']}/manifest.json", f"/iiif/compare/x/{junk}/manifest.json"):
        assert client.get(path).status_code in (400, 404)


def test_without_a_first_object_the_request_is_refused_clearly(client, objects):
    for query in ({}, {"b": objects["wave"]}, {"a": ""}):
        response = client.get("/compare", query_string=query)
        assert response.status_code == 400 and "first object" in response.get_data(as_text=True)
    assert client.get("/compare", query_string={"a": objects["wave"], "region": "mars"}).status_code == 400


def test_the_picker_suggests_objects_from_europe_for_an_object_from_asia(client, objects):
    html = page_of(compare(client, objects["wave"]))
    tags = Tags(html)
    assert tags.all("input", type="hidden", name="a", value=objects["wave"])
    assert tags.all("input", type="search", name="q")
    assert tags.all("option", value="europe")[0].get("selected") is not None
    choose = [href for href in tags.hrefs() if href.startswith("/compare?") and "b=" in href]
    assert choose == [f"/compare?a={objects['wave']}&b={objects['sunflowers']}"]
    assert "Compare with this" in html and "suggested" in html


def test_the_picker_suggests_asia_for_europe_and_searches_any_region_when_asked(client, objects):
    html = page_of(compare(client, objects["sunflowers"]))
    chosen = {parse_qs(urlsplit(href).query)["b"][0] for href in Tags(html).hrefs() if "b=" in href}
    assert chosen == {objects["wave"], objects["screen"]}  # with images only, from Asia
    everywhere = page_of(compare(client, objects["sunflowers"], region=""))
    chosen = {parse_qs(urlsplit(href).query)["b"][0] for href in Tags(everywhere).hrefs() if "b=" in href}
    assert chosen == {objects["wave"], objects["screen"]}  # the first object itself is not offered
    assert "2 objects with an image" in everywhere  # nor counted
    searched = page_of(compare(client, objects["sunflowers"], q="screen"))
    chosen = {parse_qs(urlsplit(href).query)["b"][0] for href in Tags(searched).hrefs() if "b=" in href}
    assert chosen == {objects["screen"]}
    nothing = page_of(compare(client, objects["sunflowers"], q="zzzzqqq"))
    assert "No objects with images match" in nothing


def test_the_page_and_picker_run_under_the_strict_csp(client, objects):
    for response in (compare(client, objects["wave"], objects["sunflowers"]), compare(client, objects["wave"])):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        html = page_of(response)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
        assert not re.search(r"\sstyle\s*=", html) and "<style" not in html, "inline style"
        for attrs in Tags(html).all("img"):
            assert attrs.get("width") and attrs.get("height"), attrs
            assert "alt" in attrs, attrs


def test_the_entry_point_endpoint_exists(app, objects):
    with app.test_request_context():
        from flask import url_for

        assert url_for("compare.compare_page", a=objects["wave"]) == f"/compare?a={objects['wave']}"
