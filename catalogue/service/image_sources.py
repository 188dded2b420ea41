"""Images named by URL: queued with the record that names them, fetched later (the CLI, the app's
timer) through the address guard and the upload path, retried with backoff when that may help."""

from datetime import datetime, timedelta

from catalogue.errors import CatalogueError
from catalogue.image_fetch import FetchFailed, FetchReport, SourceFailure, download
from catalogue.models import Actor
from catalogue.records.schema import IMAGE_SOURCES_KEY
from catalogue.service.base import Outcome, audit_entry
from catalogue.service.images import ImageRules
from catalogue.store import FAILED, FETCHED, PENDING, ImageSource, now

IMAGE_FETCHER = Actor(name="image fetcher", role="system")  # stores the images records name by URL
FETCH_LEASE = timedelta(minutes=10)  # a source being fetched is not due elsewhere for this long


class ImageSourceRules(ImageRules):
    def _queue_image_sources(
        self, conn, actor: Actor, museum_code: str, bodies: list[dict], outcomes: list[Outcome]
    ) -> dict[str, list[str]]:
        """Queue the image URLs the records name, in the records' own transaction and audited with
        them; a URL the record named before (fetched, failed or pending) is not queued again. Nor is
        an image this catalogue serves itself: our exports (LIDO) name them, and a museum importing
        such a file back must not get each of its images a second time."""
        wanted = [
            {"record_id": outcome.record_id, "position": position, **source}
            for body, outcome in zip(bodies, outcomes)
            for position, source in enumerate(body.get(IMAGE_SOURCES_KEY, []))
            if not self._serves_itself(source["url"])
        ]
        queued: dict[str, list[str]] = {}
        for record_id, url in self.store.queue_image_sources(conn, wanted, now()):
            queued.setdefault(record_id, []).append(url)
        revisions = {outcome.record_id: outcome.revision for outcome in outcomes}
        self.store.append_audit(
            conn,
            [
                audit_entry(actor, museum_code, record_id, "image_urls_queued", revisions[record_id], {"urls": urls})
                for record_id, urls in queued.items()
            ],
        )
        return queued

    def _serves_itself(self, url: str) -> bool:
        return url.startswith((f"{self.base_url}/images/", f"{self.base_url}/iiif/"))

    def image_sources(self, record_id: str) -> list[ImageSource]:
        """The images a record names by URL and how fetching them went (shown to its curators)."""
        with self.store.reading() as conn:
            return self.store.image_sources_of(conn, record_id)

    def fetch_images(
        self,
        museum: str | None = None,
        limit: int | None = None,
        retry_failed: bool = False,
        at: datetime | None = None,
    ) -> FetchReport:
        """Fetch the image sources that are due (``catalogue fetch-images``, and the app's timer).
        Each download passes the address guard and its bytes the upload path, as IMAGE_FETCHER; a
        failure is kept on its source, tried again later when that may help, and never stops the
        others. ``at`` is the time to act at: tests move it instead of sleeping."""
        at = at or now()
        if museum:
            self.museum(museum)
        if retry_failed:
            with self.store.transaction() as conn:
                self.store.retry_failed_image_sources(conn, at, museum)
        with self.store.reading() as conn:
            due = self.store.due_image_sources(conn, at, museum, limit)
        report = FetchReport()
        for source in due:
            with self.store.transaction() as conn:
                claimed = self.store.claim_image_source(conn, source, at + FETCH_LEASE, at)
            if claimed:  # else another process is fetching it
                self._fetch_source(source, at, report)
        with self.store.reading() as conn:
            report.waiting = self.store.count_pending_image_sources(conn, museum)
        return report

    def _fetch_source(self, source: ImageSource, at: datetime, report: FetchReport) -> None:
        try:
            data = download(source.url, self.image_fetch)
            files: list[tuple[bytes, str | None]] = [(data, source.url[:500])]  # the URL names the original
            (image,) = self.add_images(IMAGE_FETCHER, source.museum, source.local_id, files, source.alt)
        except FetchFailed as failure:
            self._source_failed(source, at, failure.reason, failure.retry, report)
        except CatalogueError as refused:  # not an image, too large, a suspended museum...
            self._source_failed(source, at, refused.message, False, report)
        else:
            with self.store.transaction() as conn:
                self.store.finish_image_source(conn, source.id, at, FETCHED, image_id=image.id)
            report.fetched += 1

    def _source_failed(self, source: ImageSource, at: datetime, reason: str, retry: bool, report: FetchReport) -> None:
        """Try again after a growing delay while attempts remain; else the source has failed."""
        attempts = source.attempts + 1
        again = retry and attempts < self.image_fetch.attempts
        if retry and not again:
            reason = f"{reason} (gave up after {attempts} attempts)"
        next_at = at + self.image_fetch.retry_delay(attempts) if again else None
        with self.store.transaction() as conn:
            self.store.finish_image_source(
                conn, source.id, at, PENDING if again else FAILED, error=reason, next_attempt_at=next_at
            )
            if not again:
                changes = {"url": source.url, "reason": reason}
                self.store.append_audit(
                    conn,
                    [audit_entry(IMAGE_FETCHER, source.museum, source.record_id, "image_url_failed", None, changes)],
                )
        report.failures.append(SourceFailure(source.museum, source.local_id, source.url, reason, next_at))
