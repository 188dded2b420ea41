"""Settings: defaults here, overridden by CATALOGUE_* environment variables, then by test config."""

import os
from datetime import timedelta
from pathlib import Path

from catalogue.url_guard import AllowList
from iiif.image_views import SETTINGS as IIIF_SETTINGS

PREFIX = "CATALOGUE_"

DEFAULT_SECRET_KEY = "dev-only-change-me"
ENVIRONMENTS = ("development", "production")

DEFAULTS = {
    "ENV": "development",  # "production" refuses unsafe defaults
    "DATA_DIR": str(Path.cwd() / "var"),
    "DATABASE_URL": None,  # default: SQLite file in DATA_DIR
    "SEARCH_BACKEND": "embedded",  # or "elasticsearch"
    "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
    "ELASTICSEARCH_INDEX": "catalogue-objects",  # an alias; rebuilds swap the index behind it
    "ELASTICSEARCH_SHARDS": 1,
    "ELASTICSEARCH_REPLICAS": None,  # unset: 1 on a cluster of two or more data nodes, else 0
    "SEARCH_DIR": None,  # embedded index folder; default: DATA_DIR/search
    "INDEX_SYNC": "true",  # drain the outbox after each write (single machine)
    "INDEX_DRAIN_SECONDS": 30,  # with INDEX_SYNC, also drain on this timer (0: never)
    "BASE_URL": "http://127.0.0.1:5000",
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    "MAX_IMAGE_BYTES": 50 * 1024 * 1024,
    "MAX_IMAGE_PIXELS": 150_000_000,
    "MAX_REQUEST_BYTES": 60 * 1024 * 1024,  # the largest request body Flask will read
    "MAX_RECORDS_PER_REQUEST": 1000,
    "IMAGE_FETCH_SECONDS": 60,  # fetch the images records name by URL on this timer (0: never)
    "IMAGE_FETCH_TIMEOUT": 10,  # seconds to connect, and for each read, of one download
    "IMAGE_FETCH_ATTEMPTS": 5,  # tries of a URL that times out or answers 5xx/429 before it fails
    "IMAGE_FETCH_ALLOW_HOSTS": "",  # host or host:port list exempt from the private-address guard
    # mail (invitations, password resets, membership decisions); no server: mail goes to the log
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": "false",
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_SENDER": "catalogue@localhost",
    "MAIL_SEND_SECONDS": 60,  # retry queued mail on this timer (0: never)
    "SESSION_HOURS": 12,  # a curator's sign-in lasts this long
    # werkzeug's password hash; production refuses anything weaker than its scrypt default (the tests
    # use a fast one: each scrypt hash costs 0.1 s, and they sign in hundreds of times)
    "PASSWORD_HASH_METHOD": "scrypt",
    "BULK_IMPORT_SECONDS": 10,  # pick up bulk uploads waiting or left unfinished on this timer (0: never)
    "DOWNLOAD_CAP": 10_000,  # the most results "Download these results" gives (CSV / JSON Lines)
    "OAI_PAGE_SIZE": 100,  # records or identifiers per OAI-PMH list page (then a resumption token)
    # the secretariat's address: OAI-PMH Identify's adminEmail (default: MAIL_SENDER with a mail server,
    # else admin@host) and the Reply-To of mail when it is not MAIL_SENDER
    "ADMIN_EMAIL": "",
    "SITEMAP_PAGE_SIZE": 10_000,  # published objects per sitemap file (/sitemaps/objects-<n>.xml)
    "DISCOVERY_PAGE_SIZE": 100,  # activities per IIIF Change Discovery page (changing it re-cuts every page)
    **IIIF_SETTINGS,  # IIIF_MAX_WIDTH/HEIGHT/AREA (Image API limits), IIIF_CACHE_BYTES, IIIF_RENDER_SLOTS
}
INTEGER_SETTINGS = {
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_REQUEST_BYTES",
    "MAX_RECORDS_PER_REQUEST",
    "IMAGE_FETCH_ATTEMPTS",
    "ELASTICSEARCH_SHARDS",
    "ELASTICSEARCH_REPLICAS",
    "MAIL_PORT",
    "DISCOVERY_PAGE_SIZE",
    "DOWNLOAD_CAP",
    "SITEMAP_PAGE_SIZE",
    "OAI_PAGE_SIZE",
    *IIIF_SETTINGS,
}
NUMBER_SETTINGS = {"INDEX_DRAIN_SECONDS", "IMAGE_FETCH_SECONDS", "IMAGE_FETCH_TIMEOUT", "SESSION_HOURS"}
NUMBER_SETTINGS |= {"MAIL_SEND_SECONDS", "BULK_IMPORT_SECONDS"}
BOOLEAN_SETTINGS = {"INDEX_SYNC", "MAIL_USE_TLS"}


def from_environment(environ=os.environ) -> dict:
    """Every setting can be set as CATALOGUE_<NAME>; this is the one place they are read."""
    settings = dict(DEFAULTS)
    for name in DEFAULTS:
        value = environ.get(PREFIX + name)
        if value is not None and value != "":
            settings[name] = _typed(name, value)
    for name in BOOLEAN_SETTINGS:
        settings[name] = as_bool(settings[name])
    return settings


class ConfigurationError(RuntimeError):
    """A setting that makes the app unsafe or unable to run; the app refuses to start."""


def finish(settings: dict) -> dict:
    """Fill settings that depend on others (the database lives in the data dir by default) and
    refuse unsafe ones."""
    if settings["ENV"] not in ENVIRONMENTS:
        raise ConfigurationError(f"{PREFIX}ENV must be one of {', '.join(ENVIRONMENTS)}, not {settings['ENV']!r}.")
    if settings["ENV"] == "production" and settings["SECRET_KEY"] in (DEFAULT_SECRET_KEY, "", None):
        raise ConfigurationError(
            f"Set {PREFIX}SECRET_KEY to a long random value: production refuses the "
            "development default (sessions and tokens would be forgeable)."
        )
    if settings["ENV"] == "production" and not str(settings["PASSWORD_HASH_METHOD"]).startswith("scrypt"):
        raise ConfigurationError(f"{PREFIX}PASSWORD_HASH_METHOD must be scrypt in production.")
    data_dir = Path(settings["DATA_DIR"])
    if not settings.get("DATABASE_URL"):
        settings["DATABASE_URL"] = f"sqlite:///{data_dir / 'catalogue.sqlite3'}"
    settings.setdefault("MEDIA_DIR", str(data_dir / "media"))
    settings["SEARCH_DIR"] = settings.get("SEARCH_DIR") or str(data_dir / "search")
    settings["INDEX_SYNC"] = as_bool(settings["INDEX_SYNC"])
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_REQUEST_BYTES"]
    settings["IMAGE_FETCH_ALLOW_HOSTS"] = _allow_list(settings["IMAGE_FETCH_ALLOW_HOSTS"])
    if not settings["IMAGE_FETCH_TIMEOUT"] > 0:
        raise ConfigurationError(f"{PREFIX}IMAGE_FETCH_TIMEOUT must be more than 0 seconds.")
    # session cookies (curators' sign-in): never readable by scripts, not sent on cross-site
    # sub-requests, and only over HTTPS when the catalogue is served over HTTPS
    settings.setdefault("SESSION_COOKIE_HTTPONLY", True)
    settings.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    settings.setdefault("SESSION_COOKIE_SECURE", str(settings["BASE_URL"]).startswith("https://"))
    settings.setdefault("SESSION_COOKIE_NAME", "catalogue_session")
    settings["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(settings["SESSION_HOURS"]))
    # a sign-in lasts SESSION_HOURS from the sign-in; the cookie is not sent again on every response,
    # which would put a Set-Cookie (the session itself) on public pages that caches may keep
    settings.setdefault("SESSION_REFRESH_EACH_REQUEST", False)
    settings["MAIL_USE_TLS"] = as_bool(settings["MAIL_USE_TLS"])
    settings.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a form's token lives as long as its session
    return settings


def _allow_list(value) -> AllowList:
    if isinstance(value, AllowList):
        return value
    try:
        return AllowList.parse(value)
    except ValueError as error:
        raise ConfigurationError(f"{PREFIX}IMAGE_FETCH_ALLOW_HOSTS: {error}.") from None


def _typed(name: str, value: str):
    if name in INTEGER_SETTINGS:
        return _number(name, value, int)
    if name in NUMBER_SETTINGS:
        return _number(name, value, float)
    return value


def _number(name: str, value: str, kind: type):
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigurationError(f"{PREFIX}{name} must be {what}, not {value!r}.") from None


def as_bool(value) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
