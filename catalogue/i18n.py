"""Translation seam: every visible string goes through gettext, so adding ja/zh/ko/fr/de is data."""
from flask import Flask, request

SUPPORTED = ("en", "ja", "zh", "ko", "fr", "de", "nl")


def visitor_languages() -> list[str]:
    """The visitor's languages in preference order (``?lang=`` first, then Accept-Language)."""
    chosen = request.args.get("lang")
    ordered = [chosen] if chosen else []
    ordered += [lang.split("-")[0] for lang, _q in request.accept_languages]
    return [lang for lang in dict.fromkeys(ordered) if lang] or ["en"]


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_null_translations(newstyle=True)
