"""The app's long-lived parts (store, media, service, search), created once per app, as in the
Flask tutorial's `init_app`."""
import logging

from flask import Flask, current_app

from catalogue.media import MediaStore
from catalogue.service import CatalogueService
from catalogue.store import Store
from indexer.backends import make_backend
from indexer.search import SearchService
from indexer.worker import Indexer

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    store = Store(app.config["DATABASE_URL"])
    store.create_all()
    backend = make_backend(app.config)
    indexer = Indexer(store, backend)
    indexer.rebuild_if_outdated()
    after_write = _sync_drain(indexer) if app.config["INDEX_SYNC"] else None
    service = CatalogueService(store, MediaStore(app.config["MEDIA_DIR"]),
                               max_image_bytes=app.config["MAX_IMAGE_BYTES"],
                               max_image_pixels=app.config["MAX_IMAGE_PIXELS"], after_write=after_write)
    app.extensions["catalogue"] = service
    app.extensions["indexer"] = indexer
    app.extensions["search"] = SearchService(backend)


def _sync_drain(indexer: Indexer):
    """On one machine there is no worker: index right after the write has committed. A failure here
    never fails the write; the outbox keeps the change for the next drain."""
    def drain() -> None:
        try:
            indexer.drain()
        except Exception:  # the write is safe in the store; indexing catches up later
            log.exception("indexing after a write failed; the outbox keeps the change")
    return drain


def service() -> CatalogueService:
    return current_app.extensions["catalogue"]


def indexer() -> Indexer:
    return current_app.extensions["indexer"]


def search() -> SearchService:
    return current_app.extensions["search"]
