"""Translation seam: every visible string goes through gettext, so adding ja/zh/ko/fr/de is data."""

from gettext import NullTranslations

from flask import Flask, current_app, request

SUPPORTED = ("en", "ja", "zh", "ko", "fr", "de", "nl")


def visitor_languages() -> list[str]:
    """The visitor's languages in preference order (``?lang=`` first, then Accept-Language)."""
    chosen = request.args.get("lang")
    ordered = [chosen] if chosen else []
    ordered += [lang.split("-")[0] for lang, _q in request.accept_languages]
    return [lang for lang in dict.fromkeys(ordered) if lang] or ["en"]


def init_app(app: Flask) -> None:
    """One translations object for templates and Python code; English (the source strings) until
    message catalogues for the other languages are added."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    use_translations(app, NullTranslations())


def use_translations(app: Flask, translations: NullTranslations) -> None:
    app.extensions["translations"] = translations
    app.jinja_env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]


def gettext(message: str) -> str:
    """Translate a string shown from Python code (labels built outside templates)."""
    return current_app.extensions["translations"].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, as the visitor's language counts (templates have
    ``ngettext`` too)."""
    return current_app.extensions["translations"].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; `gettext` translates it where it is shown."""
    return message
