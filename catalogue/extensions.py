"""The app's long-lived parts (store, media, service), created once per app, as in the Flask tutorial."""
from flask import Flask, current_app

from catalogue.media import MediaStore
from catalogue.service import CatalogueService
from catalogue.store import Store


def init_app(app: Flask) -> None:
    store = Store(app.config["DATABASE_URL"])
    store.create_all()
    service = CatalogueService(store, MediaStore(app.config["MEDIA_DIR"]),
                               max_image_bytes=app.config["MAX_IMAGE_BYTES"],
                               max_image_pixels=app.config["MAX_IMAGE_PIXELS"])
    app.extensions["catalogue"] = service


def service() -> CatalogueService:
    return current_app.extensions["catalogue"]
