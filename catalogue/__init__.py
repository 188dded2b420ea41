"""Virtual Collection of Masterpieces: the Flask application factory."""

from pathlib import Path

from flask import Flask
from flask_compress import Compress
from PIL import Image

from catalogue import config
from catalogue.json_provider import OrjsonProvider

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"))
    settings = config.from_environment()
    settings.update(test_config or {})
    app.config.from_mapping(config.finish(settings))
    Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    Image.MAX_IMAGE_PIXELS = app.config["MAX_IMAGE_PIXELS"]
    app.json = OrjsonProvider(app)
    app.json.sort_keys = False  # records read in schema order: identity first

    from catalogue import extensions, i18n
    from catalogue.views import (
        account,
        api,
        auth,
        compare,
        cors,
        curate,
        errors,
        membership,
        oai,
        openapi,
        public,
        record_formats,
        search,
        security,
        sitemaps,
        themes,
        viewers,
    )

    extensions.init_app(app)
    # pages, styles and scripts travel compressed (the object page's viewer script is 350 kB, 90 kB
    # so); JSON is left as it is, for API clients and caches that expect it plain
    # XML too: sitemaps (8 MB a file uncompressed), LIDO exports and OAI-PMH pages
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        ["text/html", "text/css", "text/javascript", "image/svg+xml", "application/xml", "text/xml"],
    )
    Compress(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    auth.exempt_from_csrf(api.blueprint)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(api.blueprint, url_prefix="/api")
    app.register_blueprint(record_formats.blueprint, url_prefix="/api")
    app.register_blueprint(search.blueprint)
    app.register_blueprint(openapi.blueprint)
    app.register_blueprint(viewers.blueprint)
    app.register_blueprint(compare.blueprint)
    app.register_blueprint(account.blueprint, url_prefix="/account")
    app.register_blueprint(curate.blueprint, url_prefix="/curate")
    app.register_blueprint(membership.blueprint)
    app.register_blueprint(membership.admin_blueprint, url_prefix="/admin")  # with the theme pages (views/themes.py)
    app.register_blueprint(themes.blueprint)
    app.register_blueprint(oai.blueprint)
    app.register_blueprint(sitemaps.blueprint)
    from iiif import discovery_views, image_views, presentation_views

    app.register_blueprint(discovery_views.blueprint)
    app.register_blueprint(presentation_views.blueprint)
    app.register_blueprint(presentation_views.comparison_blueprint)
    image_views.init_app(app, extensions.iiif_image_locator(app))
    cors.init_app(app)

    from catalogue.cli import register_commands

    register_commands(app)
    return app
