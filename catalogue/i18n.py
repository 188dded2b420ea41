"""The interface language and the translations of every visible string (Flask-Babel).

The interface speaks six languages. A visitor's choice is read, in this order, from:

1. a URL prefix (``/ja/search``): `LanguagePrefix` moves it into SCRIPT_NAME, so every link the
   page builds with ``url_for`` keeps it;
2. a ``?lang=`` parameter naming one of the six;
3. the ``lang`` cookie the language switcher sets (``/language/<code>``);
4. the browser's Accept-Language;
5. English, the language of the source strings.

Record values (titles, descriptions) may be in any language; `visitor_languages` gives the order
in which to look for them (see `catalogue.records.langmap.pick` for the fallback chain).

Catalogues live in ``catalogue/translations/<lang>/LC_MESSAGES/messages.po`` and are compiled to
``.mo`` at install (``make install``); a missing ``.mo`` falls back to English, never to an error.
"""

import unicodedata
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, current_app, g, redirect, request
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup

from catalogue.catalogues import INTERFACE_LANGUAGES as INTERFACE_LANGUAGES  # the six, known without Flask
from catalogue.catalogues import LANGUAGE_NAMES as LANGUAGE_NAMES
from catalogue.catalogues import catalogue_of, country_name_in
from catalogue.messages import N_ as N_  # marks strings here too; defined where no Flask is needed
from catalogue.messages import Message, fill, joined
from catalogue.records.langmap import NO_LANGUAGE, pick_with_language
from catalogue.text import fold

PREFIX_KEY = "catalogue.language"  # the WSGI environ key `LanguagePrefix` sets
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


class LanguagePrefix:
    """WSGI middleware: ``/ja/objects/x`` is ``/objects/x`` in Japanese. The prefix becomes part of
    SCRIPT_NAME, so the app's routes stay unprefixed and the links it builds keep the language."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        parts = path.split("/", 2)
        if len(parts) >= 2 and parts[1] in INTERFACE_LANGUAGES:
            environ[PREFIX_KEY] = parts[1]
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + parts[1]
            environ["PATH_INFO"] = "/" + (parts[2] if len(parts) == 3 else "")
        return self.app(environ, start_response)


def interface_language() -> str:
    """The language this response is written in (one of INTERFACE_LANGUAGES)."""
    if "interface_language" not in g:
        g.interface_language = _choose_language()
    return g.interface_language


def _choose_language() -> str:
    chosen = request.environ.get(PREFIX_KEY) or request.args.get("lang", "").split("-")[0].lower()
    if chosen in INTERFACE_LANGUAGES:
        return chosen
    if request.cookies.get(COOKIE) in INTERFACE_LANGUAGES and not request.path.startswith("/api/"):
        # the API's public answers are cached by shared caches, varying by Accept-Language only: a
        # cookie must not change them (the site's own search box asks with the page's prefix)
        return request.cookies[COOKIE]
    for tag, _quality in request.accept_languages:  # best first; "fr-CH" is French
        if tag.split("-")[0].lower() in INTERFACE_LANGUAGES:
            return tag.split("-")[0].lower()
    return "en"


def language_is_explicit() -> bool:
    """Whether the URL names the language (so the answer does not vary with cookie or browser)."""
    return bool(request.environ.get(PREFIX_KEY)) or request.args.get("lang", "").split("-")[0] in INTERFACE_LANGUAGES


def visitor_languages() -> list[str]:
    """The languages to look for record values in, best first: ``?lang=`` (any language, e.g. nl),
    the interface language, then the browser's other languages."""
    ordered = [request.args.get("lang", ""), interface_language()]
    ordered += [lang for lang, _q in request.accept_languages]
    primary = [lang.split("-")[0].lower() for lang in ordered if lang and lang != "*"]
    return list(dict.fromkeys(primary)) or ["en"]


def site_root() -> str:
    """The site's own root path, without the language prefix (empty when served at ``/``)."""
    prefix = request.environ.get(PREFIX_KEY)
    return request.script_root[: -len(prefix) - 1] if prefix else request.script_root


def page_path() -> str:
    """This page's path and query without the language: what a switcher or hreflang link points at."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.path + (f"?{query}" if query else "")


def page_in(language: str) -> str:
    """This page in another interface language (for ``<link rel=alternate hreflang>``)."""
    return f"{site_root()}/{language}{page_path()}"


def init_app(app: Flask) -> None:
    """Flask-Babel picks the interface language; templates and Python share one translations object,
    which tests may replace (`use_translations`)."""
    Babel(app, locale_selector=interface_language)
    app.wsgi_app = LanguagePrefix(app.wsgi_app)  # type: ignore[method-assign]
    app.extensions["translations_override"] = None
    app.jinja_env.filters["translated"] = gettext  # a message made in Python: {{ error.message|translated }}
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations().gettext(message),
        lambda singular, plural, n: translations().ngettext(singular, plural, n),
        newstyle=True,  # Jinja fills in the %(name)s variables, escaping them
    )
    app.after_request(_vary_by_language)
    app.before_request(follow_language_cookie)


def _vary_by_language(response):
    """An unprefixed page's language follows the browser's Accept-Language. It does not vary by
    cookie: a visitor whose cookie names a language is sent to the prefixed address first
    (`follow_language_cookie`), so public pages stay cacheable for everyone, signed in or not."""
    if not speaks_a_language(response):
        return response
    if not language_is_explicit():
        response.vary.add("Accept-Language")
    response.headers.setdefault("Content-Language", interface_language())
    return response


# IIIF answers hold no interface text: images have no words, and manifests, collections and
# Change Discovery carry every language in their language maps (labels included).
LANGUAGE_NEUTRAL_BLUEPRINTS = {"iiif_image", "iiif_presentation", "iiif_comparison", "iiif_discovery"}


def speaks_a_language(response) -> bool:
    """Whether this answer depends on the interface language. A IIIF answer does not (only its
    errors, whose messages are translated, do): sent with Vary: Accept-Language, shared caches would
    keep each tile once per browser language, and CDNs that cache only Vary: Accept-Encoding none."""
    return response.status_code >= 400 or request.blueprint not in LANGUAGE_NEUTRAL_BLUEPRINTS


PUBLIC_PAGE_BLUEPRINTS = {"public", "search", "themes", "compare"}  # HTML pages anyone may cache


def follow_language_cookie():
    """A public page asked for without a language, by a visitor who chose one with the switcher:
    the same page at its address in that language (whose links all keep it)."""
    chosen = request.cookies.get(COOKIE)
    if (
        request.method == "GET"
        and chosen in INTERFACE_LANGUAGES
        and not language_is_explicit()
        and request.blueprint in PUBLIC_PAGE_BLUEPRINTS
        and not request.path.startswith(("/api/", "/iiif/", "/images/", "/language/"))
    ):
        response = redirect(page_in(chosen), 302)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return None


def translations():
    override = current_app.extensions.get("translations_override")
    return override if override is not None else get_translations()


def use_translations(app: Flask, replacement) -> None:
    """Tests install a stand-in catalogue (e.g. one that shouts) for every string."""
    app.extensions["translations_override"] = replacement


def gettext(message: str, **variables) -> str:
    """Translate a string shown from Python code (labels built outside templates), filling in its
    variables. A `Message` (an error's message) is translated from its template, with its own
    variables; variables that are Messages are translated too (see `catalogue.messages`)."""
    if isinstance(message, Message):
        variables = {**message.variables, **variables}
        message = message.template
    if not message:  # gettext("") is the catalogue's header (its metadata), never a message
        return ""
    return fill(translations().gettext(message), {name: _shown(value) for name, value in variables.items()})


def _shown(value):
    return gettext(value) if isinstance(value, Message) else joined(value, _shown)


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    """The singular or plural form for ``n``, as the visitor's language counts (templates have
    ``ngettext`` too); the caller fills in its placeholders."""
    return fill(translations().ngettext(singular, plural, n), variables)


def country_name(code: str | None) -> str | None:
    """A country's name in the interface language (CLDR's names, from Babel), else the catalogue's."""
    locale = get_locale()
    return country_name_in(code, str(locale) if locale else None)


def sorted_by_name(items, name=lambda item: item, language: str | None = None) -> list:
    """``items`` in the order a reader of the interface language expects their names in (see
    `sort_key`); ``name`` gives an item's name."""
    language = language or interface_language()
    return sorted(items, key=lambda item: sort_key(name(item), language))


@lru_cache(maxsize=4096)
def sort_key(text: str, language: str) -> tuple[str, str]:
    """A name's place in a list for readers of ``language``: by pinyin in Chinese and by the kana
    reading in Japanese (so in the order of their dictionaries, not of Unicode's code points), else
    by its letters without case or accents ("Émirats" with the E's, "Österreich" with the O's; Hangul
    syllables are in the Korean dictionary's order already)."""
    if language == "zh":
        from pypinyin import lazy_pinyin  # imported when a Chinese list is sorted, not at start-up

        reading = " ".join(lazy_pinyin(text))
    elif language == "ja":
        from indexer.romanize import japanese_reader  # with pykakasi: only when a Japanese list is sorted

        reading = _gojuon("".join(part["hira"] for part in japanese_reader().convert(text)))
    else:
        reading = text
    return fold(reading), text


KANA_VOWELS = {  # each kana (without its voicing mark) and the vowel it ends in
    **dict.fromkeys("あかさたなはまやらわぁゃゎ", "あ"),
    **dict.fromkeys("いきしちにひみりぃ", "い"),
    **dict.fromkeys("うくすつぬふむゆるぅっゅ", "う"),
    **dict.fromkeys("えけせてねへめれぇ", "え"),
    **dict.fromkeys("おこそとのほもよろをぉょ", "お"),
}
SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")


def _gojuon(reading: str) -> str:
    """A hiragana reading as Japanese dictionaries order it: voicing marks and small kana count only
    after the letters (so パキスタン comes before ハンガリー), and the long-vowel mark is the vowel it
    lengthens (オーストラリア is read おおすとらりあ, before オランダ)."""
    letters: list[str] = []
    for char in unicodedata.normalize("NFD", reading):
        if char in "\u3099\u309a":  # the voicing marks, split off by NFD (が -> か + ゛)
            continue
        if char == "ー" and letters:
            char = KANA_VOWELS.get(letters[-1], char)
        letters.append(char.translate(SMALL_KANA))
    return "".join(letters)


def in_every_language(message: str) -> dict[str, list[str]]:
    """A source string as an IIIF language map in each interface language that translates it, so a
    viewer shows labels in its visitor's language (IIIF clients choose among the map's languages)."""
    found = {"en": [message]}
    for language in INTERFACE_LANGUAGES[1:]:
        translated = catalogue_of(language).gettext(message)
        if translated != message:
            found[language] = [translated]
    return found


def lang_attr(tag: str | None) -> Markup:
    """` lang="xx"` for a value in another language than the page's (WCAG 3.1.2), else nothing (also
    for a value whose language nobody recorded: there is nothing true to say about it)."""
    if not tag or tag == NO_LANGUAGE:
        return Markup("")
    if tag.split("-")[0].lower() == interface_language():
        return Markup("")
    return Markup(' lang="{}"').format(tag)


def in_language(langmap: dict | None, original: str | None = None) -> Markup:
    """A language map's value for this visitor (see `pick_with_language`), in a span that names its
    language when it differs from the page's."""
    text, tag = pick_with_language(langmap, visitor_languages(), original)
    if text is None:
        return Markup("")
    attribute = lang_attr(tag)
    return Markup("<span{}>{}</span>").format(attribute, text) if attribute else Markup.escape(text)
