"""The search page and the JSON API, on both backends, over the demo data."""

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from markupsafe import escape
from openapi_spec_validator import validate

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from tests.support import make_app, record_payload

DEMO = Path(__file__).resolve().parents[2] / "demo"


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def search_app(request, tmp_path_factory):
    settings = {
        "TESTING": True,
        "DATA_DIR": str(tmp_path_factory.mktemp(request.param)),
        "BASE_URL": "http://catalogue.test",
        "SEARCH_BACKEND": request.param,
    }
    if request.param == "elasticsearch":
        settings["ELASTICSEARCH_URL"] = request.getfixturevalue("elasticsearch_url")
        settings["ELASTICSEARCH_INDEX"] = f"search-views-{tmp_path_factory.getbasetemp().name}"
    app = make_app(settings)
    service = app.extensions["catalogue"]
    for museum in json.loads((DEMO / "museums.json").read_text()):
        service.register_museum(cli_actor(), museum)
    for name in ("records.jsonl", "image_records.jsonl"):
        Importer(service, cli_actor()).import_file(DEMO / name)
    for line in (DEMO / "images.jsonl").read_text().splitlines()[:3]:
        row = json.loads(line)
        service.add_images(cli_actor(), row["museum"], row["local_id"], [((DEMO / row["file"]).read_bytes(), None)])
    for local_id, masterpiece in (("twin-a", False), ("twin-b", True), ("twin-c", False)):
        service.upsert(cli_actor(), "tate", record_payload(local_id, title="Quetzal vase", masterpiece=masterpiece))
    app.extensions["indexer"].backend.refresh()
    yield app
    if request.param == "elasticsearch":
        app.extensions["indexer"].backend.drop()


@pytest.fixture
def web(search_app):
    return search_app.test_client()


def api(web, query: str) -> dict:
    response = web.get(f"/api/objects?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_api_answers_in_the_documented_shape(web):
    body = api(web, "q=turner&size=5")
    assert set(body) == {"total", "page", "size", "next_cursor", "hits", "facets", "centuries"}
    assert body["total"] > 5 and body["page"] == 1 and body["size"] == 5 and body["next_cursor"]
    hit = body["hits"][0]
    assert {"id", "url", "museum", "local_id", "title", "makers", "date", "thumbnail", "manifest"} <= set(hit)
    assert hit["url"] == f"http://catalogue.test/objects/{hit['id']}"
    assert set(body["facets"]) == {
        "museum",
        "country",
        "region",
        "object_type",
        "maker",
        "material",
        "culture",
        "rights",
        "has_image",
        "masterpiece",
        "theme",
    }
    value = body["facets"]["museum"][0]
    assert set(value) == {"value", "label", "count", "selected"}


def test_facet_values_are_the_parameters_values(web):
    body = api(web, "")
    for name, values in body["facets"].items():
        for value in values[:3]:
            again = api(web, f"{name}={value['value']}")
            assert again["total"] == value["count"], (name, value)


def test_facets_or_within_and_across(web):
    tate, walters = api(web, "museum=tate")["total"], api(web, "museum=walters")["total"]
    both = api(web, "museum=tate&museum=walters")
    assert both["total"] == tate + walters
    selected = {v["value"]: v for v in both["facets"]["museum"]}
    assert selected["tate"]["selected"] and selected["walters"]["selected"] and selected["cmoa"]["count"] > 0
    narrowed = api(web, "museum=tate&museum=walters&region=europe")
    assert narrowed["total"] == tate


def test_labels_are_readable(web):
    facets = api(web, "")["facets"]
    labels = {f: {v["value"]: v["label"] for v in values} for f, values in facets.items()}
    assert labels["museum"]["tate"] == "Tate" and labels["country"]["GB"] == "United Kingdom"
    assert labels["region"]["europe"] == "Europe" and labels["has_image"]["true"] == "With images"


def test_concept_facets_are_labelled_in_the_visitors_language_and_keep_their_value(web):
    """object_type and material show vocabulary concepts: one value for "paintings", "painting" and
    "schilderij", named in the language asked for, the value the same in every language."""
    for lang, paintings, paper in (
        ("en", "paintings", "paper"),
        ("ja", "絵画", "紙"),
        ("nl", "schilderijen", "papier"),
    ):
        facets = api(web, f"lang={lang}&facet_size=50")["facets"]
        types = {v["value"]: v["label"] for v in facets["object_type"]}
        materials = {v["value"]: v["label"] for v in facets["material"]}
        assert types["aat:300033618"] == paintings
        assert materials["aat:300014109"] == paper


def test_a_word_in_another_language_finds_the_concept(web):
    """The demo's Rijksmuseum records say "foto"; an English visitor types "photograph"."""
    photographs = api(web, "object_type=aat%3A300046300&museum=rijksmuseum")["total"]
    assert api(web, "q=photograph&museum=rijksmuseum")["total"] >= photographs > 0


def test_dates_accept_bce(web):
    assert api(web, "date_from=500%20BCE&date_to=0")["total"] == api(web, "date_from=-500&date_to=0")["total"] > 0


def test_masterpieces_rank_first_among_equals(web):
    hits = [h["local_id"] for h in api(web, "q=quetzal")["hits"]]
    assert hits[0] == "twin-b" and sorted(hits) == ["twin-a", "twin-b", "twin-c"]
    filtered = [h["local_id"] for h in api(web, "museum=tate&q=vase")["hits"]]
    assert filtered.index("twin-b") < filtered.index("twin-a")


def test_the_cursor_goes_on_where_pages_stop(web):
    first = api(web, "sort=title&size=10")
    second = api(web, f"sort=title&size=10&cursor={first['next_cursor']}")
    assert [h["id"] for h in second["hits"]] == [h["id"] for h in api(web, "sort=title&size=10&page=2")["hits"]]


def test_a_page_past_the_last_one_links_to_the_last_and_no_results_have_no_pages(web):
    total = api(web, "museum=tate")["total"]
    last = -(-total // 24)
    page = web.get(f"/search?museum=tate&page={last + 5}").get_data(as_text=True)
    assert "past the end of the results" in page and f"page={last}" in page
    assert "past the end" not in web.get(f"/search?museum=tate&page={last}").get_data(as_text=True)
    nothing = web.get("/search?q=nothingmatchesthisatall").get_data(as_text=True)
    assert "No objects match this search." in nothing and 'class="pages"' not in nothing


@pytest.mark.parametrize(
    "query",
    [
        "size=0",
        "size=101",
        "sort=best",
        "page=-1",
        "date_from=soon",
        "cursor=garbage",
        "page=200&size=96",
        "date_from=1900&date_to=1800",
    ],
)
def test_bad_parameters_are_400_never_500(web, query):
    response = web.get(f"/api/objects?{query}")
    assert response.status_code == 400 and response.get_json()["message"]
    assert web.get(f"/search?{query}").status_code == 400


def test_cors_and_caching(web):
    response = web.get("/api/objects?q=wave", headers={"Origin": "https://portal.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response.headers["Cache-Control"] and response.headers["ETag"]
    again = web.get("/api/objects?q=wave", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_suggest_titles_and_makers(web):
    suggestions = web.get("/api/suggest?q=hokus").get_json()["suggestions"]
    assert {"kind": "maker", "text": "Katsushika Hokusai", "value": "Katsushika Hokusai"} in suggestions  # reconciled
    assert [s for s in suggestions if s["kind"] == "title" and "hokus" not in s["text"].lower()] == []
    titles = [s["text"] for s in web.get("/api/suggest?q=wav").get_json()["suggestions"] if s["kind"] == "title"]
    assert titles and all("wav" in title.lower() for title in titles)
    assert web.get("/api/suggest?q=q").get_json()["suggestions"] == []


@pytest.mark.parametrize(
    ("typed", "page", "shown"),
    [
        ("北斎", "/ja", "葛飾北斎"),  # the kanji of the name
        ("ほくさい", "/ja", "葛飾北斎"),  # its reading, as typed without the kanji
        ("hokus", "/ja", "葛飾北斎"),  # the romanised name, on a Japanese page
        ("北斋", "/zh", "葛饰北斋"),  # the simplified form, on a Chinese page
        ("호쿠사이", "/ko", "가쓰시카 호쿠사이"),
        ("北斎", "", "Katsushika Hokusai"),  # on an English page, the English name
    ],
)
def test_autocomplete_offers_a_maker_by_any_name_named_as_the_page_names_them(web, typed, page, shown):
    """Choosing it filters by the maker (its value), whatever name it was found and shown by."""
    suggestions = web.get(f"{page}/api/suggest", query_string={"q": typed}).get_json()["suggestions"]
    assert {"kind": "maker", "text": shown, "value": "Katsushika Hokusai"} in suggestions


def test_the_results_page_shows_facets_chips_and_highlights(web):
    page = web.get("/search?q=turner&museum=tate").get_data(as_text=True)
    assert 'name="museum" value="tate" checked' in page
    assert "remove this filter" in page and "Clear all filters" in page
    assert "<mark>Turner</mark>" in page
    assert 'data-total="' in page


def test_result_cards_name_the_museum_and_its_country_and_quote_the_medium_that_matched(web):
    page = web.get("/search?q=graphite&museum=tate").get_data(as_text=True)
    assert "Tate · United Kingdom" in page
    assert re.search(r'<p class="snippet">[^<]*<mark>graphite</mark>', page, re.I)
    assert api(web, "museum=tate&size=1")["hits"][0]["country"] == "GB"


def test_zero_results_suggest_a_spelling_and_a_filter_to_drop(web):
    assert api(web, "q=turnr")["total"] == api(web, "q=turner")["total"]  # a typo is forgiven...
    page = web.get("/search?q=wavv").get_data(as_text=True)  # ...from five letters; shorter ones get advice
    assert 'id="did-you-mean" href="/search?q=wave"' in page
    page = web.get("/search?q=turner&museum=walters").get_data(as_text=True)
    assert "Remove “The Walters Art Museum”" in page


def dated_offer(page: str) -> tuple[str, str] | None:
    """The link the page offers for a search box holding a date: (its address, its words)."""
    found = re.search(r'id="dated-instead">[^<]*<a href="([^"]+)">([^<]+)</a>', page)
    return (unescape(found[1]), found[2]) if found else None


def test_a_date_in_the_search_box_offers_the_date_filter_with_what_it_finds(web):
    """ "19th century" typed into the search box finds the words; the page offers the objects dated
    1801-1900 instead, with the same filters, and counts them."""
    total = api(web, "museum=tate&date_from=1801&date_to=1900")["total"]
    assert total > 1
    page = web.get("/search?q=19th+century&museum=tate").get_data(as_text=True)
    address, words = dated_offer(page)
    assert address == "/search?museum=tate&date_from=1801&date_to=1900"
    assert words == f"See the {total} objects dated 1801 – 1900"
    assert api(web, address.removeprefix("/search?"))["total"] == total


def test_a_date_is_offered_as_each_language_writes_it(web):
    total = api(web, "date_from=1850&date_to=1859")["total"]
    page = web.get("/de/search?q=1850er+Jahre").get_data(as_text=True)
    assert dated_offer(page) == (
        "/de/search?date_from=1850&date_to=1859",
        f"Die {total} Objekte mit Datierung 1850 – 1859 ansehen",
    )


def test_no_date_is_offered_for_words_for_a_search_already_dated_or_for_years_without_objects(web):
    for query in ("q=turner", "q=1850&date_from=1800", "q=2999", "q=24"):
        assert dated_offer(web.get(f"/search?{query}").get_data(as_text=True)) is None, query


def test_the_facet_values_page_filters_its_values(web):
    page = web.get("/search/facets/maker?q=&contains=turner").get_data(as_text=True)
    assert "Joseph Mallord William Turner" in page and "Hokusai" not in page


def test_thumbnails_are_small_jpegs(web):
    hit = next(h for h in api(web, "has_image=true")["hits"] if h["thumbnail"])
    response = web.get(hit["thumbnail"].replace("http://catalogue.test", ""))
    assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_openapi_describes_every_endpoint_and_validates(web, search_app):
    spec = web.get("/api/openapi.json").get_json()
    validate(spec)
    documented = {path.replace("{", "<").replace("}", ">") for path in spec["paths"]}
    routes = {
        rule.rule.replace("<path:", "<")
        for rule in search_app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
    }
    assert routes == documented


def test_openapi_states_the_records_limits(web):
    record = web.get("/api/openapi.json").get_json()["components"]["schemas"]["ObjectRecordInput"]["properties"]
    assert (record["local_id"]["minLength"], record["local_id"]["maxLength"]) == (1, 500)
    assert record["makers"]["maxItems"] == record["other_titles"]["maxItems"] == 100
    assert record["images"]["maxItems"] == 50 and record["source_url"]["maxLength"] == 2000


def test_the_heading_repeats_the_query_and_counts_in_words(web):
    html = web.get("/search?q=turner").get_data(as_text=True)
    assert re.search(r'<h1 id="result-count" data-total="\d+">[\d,]+ results for “turner”</h1>', html)
    one = api(web, "q=turner&size=1")["hits"][0]["local_id"]
    single = web.get(f"/search?q={one}").get_data(as_text=True)
    assert "1 result for" in single or "results for" in single


def test_empty_parameters_are_dropped_from_the_address(web):
    response = web.get("/search?q=turner&date_from=&date_to=&museum=tate")
    assert response.status_code == 302 and response.headers["Location"] == "/search?q=turner&museum=tate"


def test_a_date_that_is_no_year_keeps_the_form_and_says_why(web):
    response = web.get("/search?q=turner&date_from=abc&museum=tate")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“abc” is not a year we can search by" in html and 'aria-invalid="true"' in html
    assert 'value="turner"' in html and 'value="abc"' in html  # nothing the visitor typed is lost
    # on a phone the filters are a closed drawer: it opens, so the box to correct is in sight
    assert 'class="facets open" id="filters"' in html and 'aria-expanded="true"' in html
    assert 'class="facets" id="filters"' in web.get("/search?q=turner&museum=tate").get_data(as_text=True)


@pytest.mark.parametrize(
    "language, chip",
    [("en", "500 BCE – 1000"), ("de", "500 v. Chr. – 1000"), ("ja", "紀元前500年 – 1000"), ("ko", "1850 – …")],
)
def test_the_date_chip_writes_the_years_as_the_century_rows_do(web, language, chip):
    """Typed as "-500" or "1850년", the range's chip shows the years in the page's language."""
    typed = "date_from=1850년" if language == "ko" else "date_from=-500&date_to=1000"
    html = web.get(f"/{language}/search?{typed}").get_data(as_text=True)
    found = re.search(r'<a class="chip" href="[^"]*">([^<]*)<span aria-hidden', html)
    assert found and found.group(1).replace("\xa0", " ") == chip


def message_on(response) -> str:
    """The error message a search page shows above its form."""
    found = re.search(r'<p class="notice error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)
    assert found, response.get_data(as_text=True)[:2000]
    return found.group(1)


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "page=99999",
            "ページ番号で表示できるのは最初の 10000 件までです。さらに見るには、番号付きの最後のページから"
            "「次のページ」をたどるか、検索条件を絞り込んでください。",
        ),
        ("size=1000", "1ページに表示できる件数は 1〜100 件です。"),
        (
            "sort=x",
            "並べ替え順 &#39;x&#39; はありません。relevance、oldest、newest、title のいずれかを指定してください。",
        ),
        (
            "q=wave&cursor=x",
            "この検索結果のページは見つかりません。カーソルがこの検索に対して無効です。最初のページからやり直してください。",
        ),
    ],
)
def test_a_search_that_cannot_be_answered_says_why_in_the_pages_language(web, query, message):
    response = web.get(f"/ja/search?{query}")
    assert response.status_code == 400 and '<html lang="ja">' in response.get_data(as_text=True)
    assert message_on(response) == message


def test_dates_in_the_wrong_order_name_the_fields_as_the_form_labels_them(web):
    english = web.get("/search?date_from=1900&date_to=1800")
    chinese = web.get("/zh/search?date_from=1900&date_to=1800")

    assert message_on(english) == "“From year” is later than “To year”: give the earlier year first."
    assert message_on(chinese) == "“起始年份”晚于“截止年份”：请在“起始年份”中填写较早的年份。"
    assert "date_from" not in message_on(english) + message_on(chinese)
    assert re.search(r'<input id="date_from"[^>]* aria-invalid="true"', chinese.get_data(as_text=True))


def test_the_api_explains_a_bad_search_in_english_unless_the_request_names_a_language(web):
    plain = web.get("/api/objects?page=99999", headers={"Accept-Language": ""})
    dates = web.get("/api/objects?date_from=1900&date_to=1800")
    german = web.get("/api/objects?page=99999&lang=de")

    assert plain.status_code == 400 and plain.get_json()["message"] == (
        "Page numbers reach only the first 10000 results. To see more, use “Next” from the last numbered page, "
        "or narrow the search."
    )
    assert plain.headers["Content-Language"] == "en"
    assert dates.get_json()["message"] == "“From year” is later than “To year”: give the earlier year first."
    assert german.status_code == 400 and german.get_json()["message"].startswith(
        "Über Seitenzahlen erreichen Sie nur die ersten 10000 Ergebnisse."
    )


def test_long_facet_lists_fold_and_the_histogram_is_labelled(web):
    html = web.get("/search?q=paper").get_data(as_text=True)
    assert "<summary>Show " in html
    assert 'aria-labelledby="histogram-caption"' in html and "Objects by century" in html
    assert "Only objects with images" in html


def test_facet_labels_taken_from_data_say_their_language_on_another_language_page(web):
    japanese = web.get("/ja/search?q=turner").get_data(as_text=True)
    assert '<span lang="en">Tate</span>' in japanese  # Tate names itself in English only
    assert "絵画" in japanese or "版画" in japanese  # concepts have Japanese labels: no span needed
    assert '<span lang="ja">絵画</span>' not in japanese
    english = web.get("/search?q=turner").get_data(as_text=True)
    assert '<span lang="en">Tate</span>' not in english and '>Tate <span class="count">' in english


@pytest.mark.parametrize(
    "lang, maker, name",
    [
        ("ja", "Edvard Munch", "エドヴァルド・ムンク"),
        ("zh", "Edvard Munch", "爱德华·蒙克"),
        ("ko", "Edvard Munch", "에드바르 뭉크"),
        ("ja", "Katsushika Hokusai", "葛飾北斎"),
        ("zh", "Katsushika Hokusai", "葛饰北斋"),
        ("ko", "Katsushika Hokusai", "가쓰시카 호쿠사이"),
        ("fr", "Tintoretto", "Le Tintoret"),
        ("de", "Jean Arp", "Hans Arp"),
        ("de", "Edvard Munch", "Edvard Munch"),  # no other German name: the label stands
        ("en", "Katsushika Hokusai", "Katsushika Hokusai"),
    ],
)
def test_the_maker_facet_names_people_as_the_pages_language_does(web, lang, maker, name):
    """A Japanese page lists 葛飾北斎, not "Katsushika Hokusai"; the value (the filter) stays the same."""
    facets = api(web, f"lang={lang}&maker={maker}")["facets"]
    assert {v["value"]: v["label"] for v in facets["maker"]}[maker] == name
    page = web.get(f"/{lang}/search?maker={maker}").get_data(as_text=True)
    assert f"{name} <span" in page or f">{name}</span>" in page


def test_more_by_the_maker_on_an_object_page_names_them_as_the_pages_language_does(web):
    hit = api(web, "maker=Katsushika Hokusai&size=1")["hits"][0]
    page = web.get(f"/ja/objects/{hit['id']}").get_data(as_text=True)
    assert "葛飾北斎 のほかの作品" in page and "Katsushika Hokusai のほかの作品" not in page


@pytest.mark.parametrize(
    "lang, name",
    [("en", "Japanese"), ("de", "japanisch"), ("fr", "japonais"), ("ja", "日本"), ("ko", "일본"), ("zh", "日本")],
)
def test_the_culture_facet_names_cultures_in_the_pages_language_and_finds_them_by_that_name(web, lang, name):
    """The demo's Japanese prints give "Japanese" as maker: a French page lists them as japonais, and
    searching japonais finds every one of them."""
    japanese = api(web, f"lang={lang}&culture=Japanese")
    assert {v["value"]: v["label"] for v in japanese["facets"]["culture"]}["Japanese"] == name
    assert api(web, f"q={name}&culture=Japanese")["total"] == japanese["total"] > 0


@pytest.mark.parametrize(
    "lang, name",
    [
        ("en", "Edo"),
        ("de", "Edo-Zeit"),
        ("fr", "époque d'Edo"),
        ("ja", "江戸時代"),
        ("ko", "에도 시대"),
        ("zh", "江户时代"),
    ],
)
def test_the_culture_facet_names_periods_in_the_pages_language_and_finds_them_by_that_name(web, lang, name):
    """The demo's Edo prints give "Edo" as period: a Japanese page lists them as 江戸時代, the filter
    is still "Edo", and searching 江戸時代 finds every one of them."""
    edo = api(web, f"lang={lang}&culture=Edo")
    assert {v["value"]: v["label"] for v in edo["facets"]["culture"]}["Edo"] == name
    assert api(web, f"q={quote(name)}&culture=Edo")["total"] == edo["total"] > 0
    page = web.get(f"/{lang}/search?culture=Edo").get_data(as_text=True)
    assert f">{escape(name)}<" in page or f">{escape(name)} <" in page


@pytest.mark.parametrize(
    "lang, late_edo, late_edo_meiji",
    [
        ("en", "late Edo", "late Edo-Meiji"),
        ("de", "Edo-Zeit (Spätphase)", "Edo-Zeit (Spätphase) – Meiji-Zeit"),
        ("fr", "époque d'Edo (fin)", "époque d'Edo (fin) – ère Meiji"),
        ("ja", "江戸時代後期", "江戸時代後期〜明治時代"),
        ("ko", "에도 시대 후기", "에도 시대 후기~메이지 시대"),
        ("zh", "江户时代晚期", "江户时代晚期—明治时代"),
    ],
)
def test_the_culture_facet_names_qualified_and_joined_periods_in_the_pages_language(
    web, lang, late_edo, late_edo_meiji
):
    """The demo's "late Edo" prints are 江戸時代後期 on a Japanese page and its "late Edo-Meiji" ones
    江戸時代後期〜明治時代; English keeps the museum's words. Only the label changes: the filter is
    still the museum's value and finds the same prints on every page."""
    for value, label in (("late Edo", late_edo), ("late Edo-Meiji", late_edo_meiji)):
        found = api(web, f"lang={lang}&culture={quote(value)}")
        assert {v["value"]: v["label"] for v in found["facets"]["culture"]}[value] == label
        assert found["total"] == api(web, f"culture={quote(value)}")["total"] > 0
        page = web.get(f"/{lang}/search?culture={quote(value)}").get_data(as_text=True)
        assert f'value="{escape(value)}" checked>\n  <span>{escape(label)} <span class="count">' in page


def test_a_period_value_not_wholly_understood_keeps_the_museums_words_on_every_page(web):
    """In "Late Period-Greco-Roman", Greco-Roman is no period of the gazetteer: no half of it is translated."""
    for lang in ("de", "fr", "ja"):
        for value in ("Late Period-Greco-Roman", "Safavid (?)"):
            found = api(web, f"lang={lang}&culture={quote(value)}")
            assert {v["value"]: v["label"] for v in found["facets"]["culture"]}[value] == value


@pytest.mark.parametrize("query", ["江戸時代", "江戸", "Edo-Zeit", "époque d'Edo", "에도 시대", "江户时代", "江戶時代"])
def test_a_period_is_found_by_its_name_in_every_language_however_the_museum_qualified_it(web, query):
    """Values "late Edo", "early Edo", "Edo-Meiji", "late Edo-Meiji", "Edo; Meiji" and the Great Wave's
    "Japanese, Edo period" are Edo too: a page names them 江戸時代後期 and the like, and 江戸時代 finds them."""
    found = {hit["id"] for hit in api(web, f"q={quote(query)}&size=100")["hits"]}
    for value in ("Edo", "late Edo", "early Edo", "Edo-Meiji", "late Edo-Meiji", "Edo period"):
        expected = {hit["id"] for hit in api(web, f"culture={quote(value)}&size=100")["hits"]}
        assert expected and expected <= found, (query, value)


def test_a_dynasty_is_found_by_its_chinese_korean_and_japanese_names(web):
    dynasty = quote("Qing [Ch'ing] Dynasty")
    qing = {hit["id"] for hit in api(web, f"culture={dynasty}&size=100")["hits"]}
    for query in ("清朝", "清代", "청나라", "Qing-Dynastie", "dynastie Qing"):
        assert qing and qing <= {hit["id"] for hit in api(web, f"q={quote(query)}&size=100")["hits"]}, query


def test_the_great_wave_is_a_japanese_print_to_every_visitor(web):
    """Its culture is "Japanese, Edo period": it is in the culture facet's Japanese, so a visitor in
    Paris finds it as an "estampe japonaise", and its page links its culture to that facet value."""
    wave = api(web, "q=kanagawa")["hits"][0]
    for query in ("q=estampe+japonaise", "q=日本", "q=japanische+Druckgrafik", "culture=Japanese"):
        assert wave["id"] in {hit["id"] for hit in api(web, f"{query}&size=100")["hits"]}, query
    page = web.get(f"/fr/objects/{wave['id']}").get_data(as_text=True)
    assert 'href="/fr/search?culture=Japanese">japonais</a>' in page


def test_zero_results_for_several_words_offer_the_search_without_one_of_them(web):
    page = web.get("/de/search?q=Munch+Schrei").get_data(as_text=True)
    assert "Keine Objekte entsprechen dieser Suche." in page
    assert 'class="fewer-words" href="/de/search?q=Munch">Suche nach „Munch“: 1 Ergebnis</a>' in page
    # no filters: no link to "the same filters without the words", which would be every object
    assert "Ohne Suchbegriffe mit diesen Filtern suchen" not in page
    page = web.get("/search?q=Munch+Schrei&museum=tate").get_data(as_text=True)
    assert "Search without the words, with these filters" in page and "fewer-words" not in page


def test_a_century_in_the_year_boxes_finds_what_its_years_find(web):
    """A French visitor types "XIXe siècle" in both boxes: the 19th century, 1801 to 1900."""
    years = api(web, "date_from=1801&date_to=1900")["total"]
    assert years > 0
    assert api(web, "date_from=XIXe+si%C3%A8cle&date_to=XIXe+si%C3%A8cle")["total"] == years
    page = web.get("/fr/search?date_from=19e+si%C3%A8cle&date_to=19e+si%C3%A8cle")
    assert page.status_code == 200 and 'value="19e siècle"' in page.get_data(as_text=True)
