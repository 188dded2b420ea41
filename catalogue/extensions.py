"""The app's long-lived parts (store, media, service, search) and its timers (outbox drain, image
fetching), created once per app, as in the Flask tutorial's `init_app`."""

import logging
import threading

from flask import Flask, current_app

from catalogue.errors import Unavailable
from catalogue.image_fetch import FetchPolicy
from catalogue.mail import Mailer
from catalogue.media import MediaStore
from catalogue.service import CatalogueService
from catalogue.store import Store
from iiif.image_views import ImageSource
from indexer.backends import make_backend
from indexer.search import SearchService
from indexer.worker import Indexer

log = logging.getLogger(__name__)
TIMER_THREAD = "timer: "  # how a timer's thread name starts (see Repeating)
FETCH_BATCH = 100  # image sources one tick of the timer fetches at most; the next tick goes on


def init_app(app: Flask) -> None:
    store = Store(app.config["DATABASE_URL"])
    backend = make_backend(app.config)
    indexer = Indexer(store, backend)
    after_write = _sync_drain(indexer) if app.config["INDEX_SYNC"] else None
    service = CatalogueService(
        store,
        MediaStore(app.config["MEDIA_DIR"]),
        max_image_bytes=app.config["MAX_IMAGE_BYTES"],
        max_image_pixels=app.config["MAX_IMAGE_PIXELS"],
        after_write=after_write,
        image_fetch=FetchPolicy(
            max_bytes=app.config["MAX_IMAGE_BYTES"],
            timeout=app.config["IMAGE_FETCH_TIMEOUT"],
            attempts=app.config["IMAGE_FETCH_ATTEMPTS"],
            allow=app.config["IMAGE_FETCH_ALLOW_HOSTS"],
            user_agent=f"asem-catalogue image fetcher (+{app.config['BASE_URL']})",
        ),
        mailer=Mailer.from_config(app.config),
        base_url=app.config["BASE_URL"],
        password_hash_method=app.config["PASSWORD_HASH_METHOD"],
    )
    app.extensions["catalogue"] = service
    app.extensions["indexer"] = indexer
    app.extensions["search"] = SearchService(backend)
    if store.schema_is_current():
        _start_up(app, indexer)
    else:
        log.info("the database schema is not current: requests get a 503 until `catalogue db upgrade`")
        app.before_request(_refuse_until_upgraded(store, lambda: _start_up(app, indexer)))
    timers: dict[str, Repeating] = {}
    app.extensions["timers"] = timers  # by name, so whoever ends the app can stop them
    interval = app.config["INDEX_DRAIN_SECONDS"]
    if app.config["INDEX_SYNC"] and interval > 0:
        drain = _sync_drain(indexer)
        timers["outbox-drain"] = Repeating("outbox-drain", interval, lambda: store.schema_is_current() and drain())
    if app.config["MAIL_SEND_SECONDS"] > 0:  # mail the SMTP server refused at first is retried
        work = _guarded(service, "sending mail", service.send_mail)
        timers["mail"] = Repeating("mail", app.config["MAIL_SEND_SECONDS"], work)
    if app.config["BULK_IMPORT_SECONDS"] > 0:  # bulk uploads a process left unfinished are picked up
        work = _guarded(service, "running bulk uploads", service.run_pending_imports)
        timers["bulk-imports"] = Repeating("bulk-imports", app.config["BULK_IMPORT_SECONDS"], work)
    if app.config["IMAGE_FETCH_SECONDS"] > 0:
        timers["image-fetch"] = Repeating("image-fetch", app.config["IMAGE_FETCH_SECONDS"], _fetch_due_images(service))
    for job in timers.values():  # a server process starts its timers at its first request
        app.before_request(_once(job.start))


def _start_up(app: Flask, indexer: Indexer) -> None:
    """An index from an older release is rebuilt; on one machine (no index worker), what a killed
    import left in the outbox is indexed now (and then every INDEX_DRAIN_SECONDS, see init_app)."""
    indexer.rebuild_if_outdated()
    if app.config["INDEX_SYNC"]:
        _sync_drain(indexer)()


def _refuse_until_upgraded(store: Store, start_up):
    """Until the schema is current, every request gets a clear 503 instead of a database error; the
    first request after `catalogue db upgrade` runs the start-up steps that had to wait."""
    upgraded: list[bool] = []
    lock = threading.Lock()

    def hook():
        if upgraded:
            return
        with lock:
            if upgraded:
                return
            if not store.schema_is_current():
                raise Unavailable("The database schema is not up to date; run `catalogue db upgrade`.")
            start_up()
            upgraded.append(True)

    return hook


def _once(start):
    """A before-request hook that runs ``start`` at the first request of this process only (a
    server process, not a CLI command that merely created the app)."""
    lock, started = threading.Lock(), []

    def hook():
        if not started:
            with lock:
                if not started:
                    started.append(True)
                    start()

    return hook


class Repeating:
    """A daemon thread that does ``work`` every ``interval`` seconds until stopped."""

    def __init__(self, name: str, interval: float, work):
        self.name, self.interval, self.work = name, interval, work
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._loop, name=f"{TIMER_THREAD}{self.name}", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.work()


def _guarded(service: CatalogueService, what: str, work):
    """A timer's work: only on a current schema, and a failure is logged, never the end of the timer."""

    def run() -> None:
        try:
            if service.store.schema_is_current():
                work()
        except Exception:
            log.exception("%s failed; it is tried again on the next tick", what)

    return run


def _fetch_due_images(service: CatalogueService):
    """After an import (or an API write) names images by URL, the server fetches them in the
    background: any process may, as each source is claimed before it is fetched. A failure is kept
    on its source and logged; it never stops the timer."""

    def fetch() -> None:
        try:
            if not service.store.schema_is_current():
                return
            report = service.fetch_images(limit=FETCH_BATCH)
        except Exception:
            log.exception("fetching images by URL failed; the sources stay queued")
            return
        for failure in report.failures:
            log.warning("image by URL: %s", failure)
        if report.fetched or report.failures:
            log.info("image by URL: %s", report.summary())

    return fetch


def _sync_drain(indexer: Indexer):
    """On one machine there is no worker: index right after the write has committed. A failure here
    never fails the write; the outbox keeps the change for the next drain."""

    def drain() -> None:
        try:
            indexer.drain()
        except Exception:  # the write is safe in the store; indexing catches up later
            log.exception("indexing after a write failed; the outbox keeps the change")

    return drain


def iiif_image_locator(app: Flask):
    """How the IIIF Image API finds an image: through the service, public images only."""
    catalogue = app.extensions["catalogue"]

    def locate(identifier: str) -> ImageSource | None:
        found = catalogue.public_image(identifier)
        return ImageSource(found.pyramid_dir, found.rights) if found else None

    return locate


def service() -> CatalogueService:
    return current_app.extensions["catalogue"]


def indexer() -> Indexer:
    return current_app.extensions["indexer"]


def search() -> SearchService:
    return current_app.extensions["search"]
