"""The interface's compiled message catalogues, read without Flask. Pages translate through
Flask-Babel (`catalogue.i18n`); mail is written by the service, after the request that asked for it
has named its language, and IIIF documents are built outside any request: both read one language's
catalogue here. A language without a catalogue (English, the source) reads the source strings."""

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

from catalogue import reference
from catalogue.messages import fill

TRANSLATIONS = Path(__file__).parent / "translations"
INTERFACE_LANGUAGES = ("en", "ja", "zh", "ko", "fr", "de")
LANGUAGE_NAMES = {  # each in its own language, as a switcher shows them
    "en": "English",
    "ja": "日本語",
    "zh": "中文",
    "ko": "한국어",
    "fr": "Français",
    "de": "Deutsch",
}


@cache
def catalogue_of(language: str) -> NullTranslations:
    """One language's compiled catalogue."""
    return Translations.load(str(TRANSLATIONS), [language])


def translated(language: str | None, message: str, **variables) -> str:
    """An `N_`-marked ``message`` in ``language`` (None: English), its variables filled in."""
    text = catalogue_of(language).gettext(message) if language else message
    return fill(text, variables)


def country_name_in(code: str | None, language: str | None) -> str | None:
    """A country's name in ``language`` (CLDR's names, from Babel), else the catalogue's English one;
    pages ask it in their language (`catalogue.i18n.country_name`), mail in the mail's."""
    if not code:
        return None
    local = _locale(language).territories.get(code.upper()) if language else None
    return local or reference.countries().get(code, {}).get("name", code)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)
