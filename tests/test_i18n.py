"""Every visible string goes through one translations object, from templates and from Python."""

import pickle
import re
from gettext import NullTranslations

from catalogue.errors import NotFound
from catalogue.i18n import gettext, use_translations
from catalogue.messages import N_, Message
from catalogue.views.search import facet_label

PLACEHOLDER_OR_TEXT = re.compile(r"%\(\w+\)[sd]|[^%]+|%")


class Shouting(NullTranslations):
    """A stand-in catalogue that makes translated strings easy to spot."""

    def gettext(self, message):
        return PLACEHOLDER_OR_TEXT.sub(
            lambda m: m.group() if m.group().startswith("%(") else m.group().upper(), message
        )


def test_template_strings_and_facet_labels_use_the_installed_translations(app, client):
    use_translations(app, Shouting())
    assert "SKIP TO CONTENT" in client.get("/").get_data(as_text=True)
    with app.test_request_context("/"):
        assert facet_label("region", "asia", ["en"]) == "ASIA"
        assert facet_label("rights", "open", ["en"]) == "OPEN FOR REUSE"
        assert facet_label("maker", "Hokusai", ["en"]) == "Hokusai"  # data values are not translated


def test_the_visitor_chooses_a_language_with_lang_first(app):
    from catalogue.i18n import visitor_languages

    with app.test_request_context("/?lang=ja", headers={"Accept-Language": "fr-CH, de;q=0.8"}):
        assert visitor_languages() == ["ja", "fr", "de"]


# choosing the interface language ------------------------------------------------------------
def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True)).group(1)


def test_the_url_prefix_names_the_language_and_every_link_keeps_it(client):
    page = client.get("/ja/search?q=wave", headers={"Accept-Language": "de"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html_lang(page) == "ja" and page.headers["Content-Language"] == "ja"
    assert 'action="/ja/search"' in html and 'href="/ja/"' in html
    assert "Vary" not in page.headers or "Accept-Language" not in page.headers["Vary"]  # the URL decides


def test_then_the_lang_parameter_then_the_cookie_then_the_browser(client):
    assert html_lang(client.get("/?lang=ko", headers={"Accept-Language": "fr"})) == "ko"
    browser = client.get("/", headers={"Accept-Language": "fr-CH, de;q=0.8"})
    assert html_lang(browser) == "fr" and "Accept-Language" in browser.headers["Vary"]
    assert html_lang(client.get("/", headers={"Accept-Language": "nl, sv"})) == "en"  # not one of the six
    client.set_cookie("lang", "zh")
    remembered = client.get("/search?q=wave", headers={"Accept-Language": "fr"})
    assert remembered.status_code == 302 and remembered.headers["Location"] == "/zh/search?q=wave"
    assert remembered.headers["Cache-Control"] == "private, no-store"
    assert html_lang(client.get("/de/", headers={"Accept-Language": "fr"})) == "de"  # the URL beats the cookie


def test_the_cookie_does_not_choose_the_language_of_the_apis_shared_answers(client):
    """A public API answer is cached by shared caches varying by Accept-Language only; a cookie
    that chose it would let one visitor's language reach another (the search box asks with the
    page's prefix)."""
    client.set_cookie("lang", "ja")
    answer = client.get("/api/objects?q=wave&size=1", headers={"Accept-Language": "fr"})
    assert answer.headers["Content-Language"] == "fr" and "Accept-Language" in answer.headers["Vary"]
    assert client.get("/ja/api/objects?q=wave&size=1").headers["Content-Language"] == "ja"


def test_an_empty_message_is_shown_empty_not_as_the_catalogues_header(app):
    with app.test_request_context("/?lang=de"):
        assert gettext("") == "" and gettext(Message("")) == ""


def test_the_switcher_remembers_the_choice_and_shows_the_same_page(client):
    html = client.get("/search?q=wave&lang=fr").get_data(as_text=True)
    for code in ("en", "ja", "zh", "ko", "fr", "de"):
        assert f'hreflang="{code}"' in html
    assert "/language/ja?next=/search?q%3Dwave" in html  # the page, without its old ?lang=
    switched = client.get("/language/ja?next=/search?q%3Dwave")
    assert switched.status_code == 302 and switched.headers["Location"] == "/ja/search?q=wave"
    assert "lang=ja" in switched.headers["Set-Cookie"] and "SameSite=Lax" in switched.headers["Set-Cookie"]
    assert client.get("/language/xx").status_code == 404
    elsewhere = client.get("/language/ko?next=//evil.example/")
    assert elsewhere.headers["Location"] == "/ko/"  # only paths on this site


def test_every_interface_language_is_translated(client):
    """The compiled catalogues are in use: the same page reads differently in each language."""
    headings = set()
    for code in ("en", "ja", "zh", "ko", "fr", "de"):
        html = client.get(f"/{code}/search?q=x").get_data(as_text=True)
        headings.add(re.search(r'<label for="q">([^<]*)</label>', html).group(1))
    assert len(headings) == 6, headings


def test_country_names_follow_the_interface_language(app):
    from catalogue.i18n import country_name

    with app.test_request_context("/?lang=ja"):
        assert country_name("JP") == "日本" and country_name("NL") == "オランダ"
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert country_name("NL") == "Niederlande"


# messages made in one place, translated where they are shown ---------------------------------
def test_an_errors_message_reads_as_english_and_carries_its_template_and_variables():
    error = NotFound(N_("No object with id %(id)s."), id=repr("nope"))

    assert str(error) == error.message == "No object with id 'nope'."  # logs, the command line, plain API
    assert (error.message.template, error.message.variables) == ("No object with id %(id)s.", {"id": "'nope'"})
    assert pickle.loads(pickle.dumps(error.message)).variables == {"id": "'nope'"}  # to and from workers
    assert str(NotFound(N_("The address contains a NUL character (%00)."))).endswith("(%00).")  # no variables


def test_gettext_translates_a_message_from_its_template_and_its_labels_too_but_not_its_data(app):
    label = Message(N_("From year"))
    message = Message(N_("“%(start)s” is later than “%(end)s”: give the earlier year first."), start=label, end="x%")
    listed = Message(N_("None of the %(total)s files was stored. %(reasons)s"), total=2, reasons=[label, "a.jpg"])

    with app.test_request_context("/?lang=ja"):
        japanese = gettext(message)
    assert japanese == "「開始年」が「x%」より後の年になっています。早いほうの年を「開始年」に入力してください。"
    use_translations(app, Shouting())
    with app.test_request_context("/"):
        assert gettext(listed) == "NONE OF THE 2 FILES WAS STORED. FROM YEAR a.jpg"


def test_error_pages_and_their_messages_use_the_installed_translations(app, client):
    use_translations(app, Shouting())
    page = client.get("/objects/nope").get_data(as_text=True)
    assert "<h1>PAGE NOT FOUND</h1>" in page and 'id="error-message">NO OBJECT WITH ID &#39;nope&#39;.</p>' in page
    api = client.get("/api/objects/nope").get_json()
    assert api["message"] == "NO OBJECT WITH ID 'nope'."  # the stand-in translates every language, English too
