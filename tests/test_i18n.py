"""Every visible string goes through one translations object, from templates and from Python."""

import re
from gettext import NullTranslations

from catalogue.i18n import use_translations
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
