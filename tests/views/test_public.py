"""Public pages: home, museum and object pages show every field, escaped, in the visitor's language."""

import re

import pytest
from markupsafe import escape

from catalogue.cli import cli_actor
from tests.support import image_bytes, record_payload


@pytest.fixture
def published(service, museum, make_museum):
    make_museum("walters", country="US", status="guest", city="Baltimore")
    service.upsert(
        cli_actor(),
        "walters",
        record_payload(
            "W1", title={"en": "Wave", "ja": "浪"}, masterpiece=True, country="Nihon", dimensions="25 x 37 cm"
        ),
    )
    return service.record_by_local_id("walters", "W1")


def test_home_lists_museums_by_region_and_masterpieces(client, published):
    page = client.get("/").get_data(as_text=True)
    assert "Tate" in page and "Walters" in page and "guest museum" in page
    assert "Europe" in page and "Masterpieces" in page and f"/objects/{published.id}" in page


def test_the_museums_address_leads_to_the_list_on_the_home_page(client):
    assert client.get("/museums").headers["Location"] == "/#museums"
    assert client.get("/ja/museums").headers["Location"] == "/ja/#museums"


def test_museum_page_lists_its_records(client, published):
    page = client.get("/museums/walters").get_data(as_text=True)
    assert "Baltimore" in page and "United States" in page and "Wave" in page


def test_object_page_shows_the_fields(client, published):
    page = client.get(f"/objects/{published.id}").get_data(as_text=True)
    for text in (
        "Katsushika Hokusai",
        "c. 1830-32",
        "1830 – 1832",
        "Japan",
        "25 x 37 cm",
        "CC0 1.0",
        "Public Domain Mark 1.0",
        'lang="ja"',
    ):
        assert text in page


def test_object_page_follows_the_visitors_language(client, published):
    page = client.get(f"/objects/{published.id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "<h1>浪</h1>" in page
    # in French the English title is the best there is, and it says which language it is in
    assert '<h1 lang="en">Wave</h1>' in client.get(f"/objects/{published.id}?lang=fr").get_data(as_text=True)


def test_withdrawn_objects_are_gone_and_unknown_ones_not_found(client, service, published):
    service.withdraw(cli_actor(), "walters", "W1")
    response = client.get(f"/objects/{published.id}")
    assert response.status_code == 410 and "text/html" in response.content_type
    assert "<h1>No longer in the catalogue</h1>" in response.get_data(as_text=True)  # not "a bad request"
    assert client.get("/objects/nope").status_code == 404
    assert client.get("/museums/nope").status_code == 404


def error_message(response) -> str:
    found = re.search(r'id="error-message">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert found, response.get_data(as_text=True)[:1000]
    return found.group(1)


@pytest.mark.parametrize(
    "path, status, message",
    [
        ("/de/objects/nope", 404, "Kein Objekt mit der ID &#39;nope&#39;."),
        ("/ja/objects/nope", 404, "ID &#39;nope&#39; の作品はありません。"),
        ("/fr/museums/nope", 404, "Aucun musée ne porte le code &#39;nope&#39;."),
        ("/fr/no-such-page", 404, "Rien n’a été trouvé à cette adresse."),
        ("/ko/museums/walters?page=7", 404, "7페이지는 없습니다. 마지막 페이지는 1페이지입니다."),
        ("/zh/museums/walters?page=x", 400, "page 必须是不小于 1 的整数。"),
    ],
)
def test_what_went_wrong_is_said_in_the_pages_language(client, published, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert error_message(response) == message


def test_a_withdrawn_object_says_so_in_the_pages_language_and_in_english_to_the_api(client, service, published):
    service.withdraw(cli_actor(), "walters", "W1")
    page = client.get(f"/fr/objects/{published.id}")
    api = client.get(f"/api/objects/{published.id}")

    assert page.status_code == 410 and error_message(page) == "Cet objet a été retiré du catalogue."
    assert api.status_code == 410 and api.get_json()["message"] == "This object was withdrawn from the catalogue."
    assert client.get("/api/objects/nope").get_json()["message"] == "No object with id 'nope'."
    assert client.get("/api/objects/nope?lang=de").get_json()["message"] == "Kein Objekt mit der ID 'nope'."


# the object page as a visitor uses it ----------------------------------------------------------
def test_object_values_link_to_the_searches_that_find_the_object(client, published):
    html = client.get(f"/objects/{published.id}").get_data(as_text=True)
    assert 'href="/search?maker=Katsushika+Hokusai">Katsushika Hokusai (1760–1849)</a>' in html
    assert "/search?object_type=aat:" in html  # "print" is a vocabulary concept
    assert "/search?material=" in html
    assert 'href="/museums/walters"' in html
    for link in ("maker=Katsushika+Hokusai",):
        assert client.get(f"/api/objects?{link}").get_json()["total"] >= 1


def test_a_maker_whose_name_carries_its_dates_is_not_given_them_twice(client, service, published):
    from catalogue.views.object_page import maker_text

    walters = {"name": "Kitagawa Utamaro (Japanese, 1753-1806)", "display_dates": "(Japanese, 1753-1806)"}
    assert maker_text(walters) == "Kitagawa Utamaro (Japanese, 1753-1806)"
    assert maker_text({"name": "Hokusai", "birth_year": 1760, "death_year": 1849}) == "Hokusai (1760–1849)"


def test_the_object_page_offers_a_citation_a_permalink_and_no_internal_fields(client, published):
    html = client.get(f"/objects/{published.id}").get_data(as_text=True)
    permalink = f"http://catalogue.test/objects/{published.id}"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert "Katsushika Hokusai, Wave, c. 1830-32. " in html and "Virtual Collection of Masterpieces" in html
    assert "@misc{vcm:" in html and "  author = {Katsushika Hokusai}" in html
    assert "Revision" not in html  # a curator's word, not a visitor's
    assert html.count("<h1") == 1


def test_bare_addresses_in_a_description_become_links_and_stay_escaped(client, service, museum):
    service.upsert(
        cli_actor(),
        "tate",
        record_payload("L1", description="See https://example.org/a_b?x=1. <script>alert(1)</script>"),
    )
    record = service.record_by_local_id("tate", "L1")
    html = client.get(f"/objects/{record.id}").get_data(as_text=True)
    assert '<a href="https://example.org/a_b?x=1" rel="nofollow noopener">https://example.org/a_b?x=1</a>.' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_only_images_open_for_reuse_are_offered_for_download(client, service, museum):
    from catalogue.views.object_page import open_for_download

    closed = record_payload("C1", rights={"metadata_license": "CC0", "image_rights": "In Copyright"})
    service.upsert(cli_actor(), "tate", closed)
    assert not open_for_download(service.record_by_local_id("tate", "C1"))  # and it has no image anyway


def test_home_introduces_the_network_with_figures_and_countries(client, published):
    html = client.get("/").get_data(as_text=True)
    assert "Masterpieces from museums across Asia and Europe" in html
    assert 'href="/search?country=US">United States</a>' in html
    assert html.count("Guests from other regions") == 0 and "Baltimore" in html
    assert 'href="/search?masterpiece=true"' in html


def test_values_in_another_language_than_the_page_say_which(client, published):
    japanese = client.get(f"/ja/objects/{published.id}").get_data(as_text=True)
    assert "<h1>浪</h1>" in japanese and '<dd lang="en">Wave</dd>' in japanese
    english = client.get(f"/objects/{published.id}").get_data(as_text=True)
    assert '<dd lang="ja">浪</dd>' in english


def test_a_period_links_to_its_search_by_the_name_the_pages_language_gives_it(client, service, museum):
    """A period "Edo" is 江戸時代 on a Japanese page and Edo-Zeit on a German one; the link filters by "Edo"."""
    service.upsert(cli_actor(), museum.code, record_payload("P1", period="Edo", dynasty="Qing Dynasty"))
    record = service.record_by_local_id(museum.code, "P1")
    japanese = client.get(f"/ja/objects/{record.id}").get_data(as_text=True)
    assert 'href="/ja/search?culture=Edo">江戸時代</a>' in japanese
    assert 'href="/ja/search?culture=Qing+Dynasty">清時代</a>' in japanese
    german = client.get(f"/de/objects/{record.id}").get_data(as_text=True)
    assert 'href="/de/search?culture=Edo">Edo-Zeit</a>' in german
    english = client.get(f"/objects/{record.id}").get_data(as_text=True)
    assert 'href="/search?culture=Edo">Edo</a>' in english


@pytest.mark.parametrize(
    "lang, period, dynasty, culture",
    [
        ("ja", "江戸時代後期〜明治時代", "明時代〜清時代", "江戸時代前期"),
        ("de", "Edo-Zeit (Spätphase) – Meiji-Zeit", "Ming-Dynastie – Qing-Dynastie", "Edo-Zeit (Frühphase)"),
        ("fr", "époque d'Edo (fin) – ère Meiji", "dynastie Ming – dynastie Qing", "époque d'Edo (début)"),
        ("en", "late Edo-Meiji", "Ming [Ming]-Qing [Ch'ing] Dynasty", "early Edo"),
    ],
)
def test_qualified_and_joined_periods_are_named_in_the_pages_language(
    client, service, museum, lang, period, dynasty, culture
):
    """A period "late Edo-Meiji" is 江戸時代後期〜明治時代 on a Japanese page, as the culture facet names it;
    an English page keeps the museum's words, and every link filters by the value as written."""
    payload = record_payload(
        "P2", period="late Edo-Meiji", dynasty="Ming [Ming]-Qing [Ch'ing] Dynasty", culture="Japanese, early Edo"
    )
    record = service.record(service.upsert(cli_actor(), museum.code, payload).record_id)
    prefix = "" if lang == "en" else f"/{lang}"
    page = client.get(f"{prefix}/objects/{record.id}").get_data(as_text=True)
    assert f'href="{prefix}/search?culture=late+Edo-Meiji">{escape(period)}</a>' in page
    ming_qing = escape("Ming+%5BMing%5D-Qing+%5BCh'ing%5D+Dynasty")
    assert f'href="{prefix}/search?culture={ming_qing}">{escape(dynasty)}</a>' in page
    assert f'href="{prefix}/search?culture=early+Edo">{escape(culture)}</a>' in page


def test_a_card_shows_the_years_when_the_museum_gave_no_display_date(client, service, museum):
    payload = record_payload("Y1", title="Tower", date_display=None, date_begin=2005, date_end=2005)
    service.upsert(cli_actor(), "tate", payload)
    for path in ("/museums/tate", "/search?q=tower"):
        assert '<span class="date">2005</span>' in client.get(path).get_data(as_text=True), path


def test_an_alt_text_in_another_language_than_the_page_says_which(client, service, published):
    """On the home page's masterpiece cards: a screen reader reads the English alt text as English."""
    service.add_images(cli_actor(), "walters", "W1", [(image_bytes(), "wave.jpg")], alt={"en": "A great wave"})
    assert 'alt="A great wave" lang="en"' in client.get("/ja/").get_data(as_text=True)
    assert 'alt="A great wave" loading' in client.get("/").get_data(as_text=True)


def test_rights_statements_are_named_in_the_pages_language(client, service, museum):
    payload = record_payload("R1", rights={"metadata_license": "CC0", "image_rights": "In Copyright"})
    record = service.record(service.upsert(cli_actor(), "tate", payload).record_id)
    german = client.get(f"/de/objects/{record.id}").get_data(as_text=True)
    assert ">Urheberrechtsschutz</a>" in german and ">CC0 1.0</a>" in german
    assert ">著作権あり</a>" in client.get(f"/ja/objects/{record.id}").get_data(as_text=True)


def test_the_language_switcher_names_itself_as_each_language_punctuates(client):
    """One message, so French writes its no-break space before the colon."""
    french = client.get("/fr/").get_data(as_text=True)
    assert '<span class="visually-hidden">Langue\u00a0: </span>' in french
    assert '<span class="visually-hidden">言語： </span>' in client.get("/ja/").get_data(as_text=True)
