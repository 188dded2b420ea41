"""Images: uploads checked and stored once by content with their IIIF pyramid, and the public files
and pyramids the pages and the Image API serve."""

import time
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError

from catalogue.errors import NotFound, ValidationFailed
from catalogue.images import ALLOWED, check_image
from catalogue.models import Actor, StoredImage, index_operation, is_public, public_id
from catalogue.records.langmap import LanguageMap
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.store import now
from iiif.pyramid import UnreadableImage

PUBLIC_IMAGE_SECONDS = 10.0  # a record withdrawn stops serving new tiles after at most this long
PUBLIC_IMAGE_CACHE = 10_000


@dataclass(frozen=True)
class PublicImage:
    pyramid_dir: Path
    rights: str | None


@dataclass(frozen=True)
class ImageFile:
    path: Path
    mime: str
    etag: str


class ImageRules(ServiceBase):
    def add_images(
        self, actor: Actor, museum_code: str, local_id: str, files: list[tuple[bytes, str | None]], alt=None
    ) -> list[StoredImage]:
        """Check every file first (all or nothing), store each once by content with its derivatives,
        attach them to the record and bump its revision once. A file already attached to this record
        is not added again."""
        alt_map = _alt_text(alt)
        with self.store.reading() as conn:
            self._writable_museum(actor, museum_code, conn)
            self._existing(conn, museum_code, local_id)
        checked = [(check_image(data, self.max_image_bytes, self.max_image_pixels), name) for data, name in files]
        for image, _name in checked:
            path = self.media.put_original(image.data, image.sha256, image.extension)
            self._derive(image.sha256, path)
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            stored, added = [], []
            for image, name in checked:
                entry = StoredImage(
                    id=public_id(row["id"], image.sha256),
                    record_id=row["id"],
                    sha256=image.sha256,
                    position=self.store.next_image_position(conn, row["id"]),
                    format=image.format,
                    width=image.width,
                    height=image.height,
                    bytes=len(image.data),
                    alt=alt_map,
                )
                if self.store.add_image(conn, entry, (name or "")[:500] or None):
                    added.append(entry)
                stored.append(entry)
            if added:
                revision = row["revision"] + 1
                self.store.update_records(conn, [{"_id": row["id"], "revision": revision, "updated_at": now()}])
                self.store.append_audit(
                    conn,
                    [
                        audit_entry(
                            actor, museum_code, row["id"], "images_added", revision, {"images": [i.id for i in added]}
                        )
                    ],
                )
                self.store.enqueue(conn, [(row["id"], revision, index_operation(row["status"]))])
        if added:
            self._written()
        return [self.store.image_by_id(entry.id) or entry for entry in stored]

    def image_file(self, image_id: str, variant: str) -> ImageFile:
        """The stored file of a public image: ``original`` or ``thumbnail``. Images of unpublished
        records are not found, exactly like unknown ones. Nothing is decoded here: derivatives
        were made at upload (or by ``catalogue derive``)."""
        found = self.store.image_with_record(image_id)
        if found is None or not is_public(found[1]):
            raise NotFound(f"No image with id {image_id!r}.")
        image = found[0]
        extension, mime = ALLOWED[image.format]
        if variant == "original":
            return ImageFile(self.media.original_path(image.sha256, extension), mime, image.sha256)
        path = self.media.fixed_size_path(image.sha256)
        if path is None or not path.exists():
            raise NotFound("This image's thumbnail has not been made yet (`catalogue derive` makes it).")
        return ImageFile(path, "image/jpeg", f"{image.sha256}-thumb")

    def public_image(self, image_id: str) -> PublicImage | None:
        """Where the IIIF Image API finds a public image's pyramid, and its rights; None for unknown
        images and images of unpublished records (the Image API answers 404 for both). A viewer asks
        for dozens of tiles of one image at once, so answers are kept for PUBLIC_IMAGE_SECONDS."""
        now_ = time.monotonic()
        cached = self._public_images.get(image_id)
        if cached is not None and cached[0] > now_:
            return cached[1]
        found = self.store.image_with_record(image_id)
        answer = None
        if found is not None and is_public(found[1]):
            answer = PublicImage(self.media.pyramid_dir(found[0].sha256), found[2])
        if len(self._public_images) >= PUBLIC_IMAGE_CACHE:
            self._public_images.clear()
        self._public_images[image_id] = (now_ + PUBLIC_IMAGE_SECONDS, answer)
        return answer

    def derive_missing(self, on_image=None) -> tuple[int, int]:
        """Make the derivatives of every stored image that lacks them; returns (made, failed)."""
        made = failed = 0
        for image in self.store.all_images():
            extension = ALLOWED[image.format][0]
            if not self.media.has_derivatives(image.sha256):
                try:
                    self._derive(image.sha256, self.media.original_path(image.sha256, extension))
                    made += 1
                except (OSError, ValidationFailed):
                    failed += 1
            if on_image:
                on_image(image)
        return made, failed

    def _derive(self, sha256: str, original: Path) -> None:
        try:
            self.media.derive(sha256, original, self.max_image_pixels)
        except UnreadableImage as error:
            raise ValidationFailed(f"The image could not be prepared for viewing: {error}") from None


def _alt_text(alt) -> dict:
    if alt is None or alt == "":
        return {}
    try:
        return LanguageMap(max_length=2000).deserialize(alt)
    except ValidationError as error:
        raise ValidationFailed(
            "The alt text is not valid.", [{"field": "alt", "message": str(error.messages)}]
        ) from None
