"""Images: uploads checked and stored once by content with their IIIF pyramid; a record's curators
remove, reorder and describe them (alt text per language); and the public files and pyramids the
pages and the Image API serve."""

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError

from catalogue import reference
from catalogue.errors import CatalogueError, Forbidden, NotFound, ValidationFailed
from catalogue.images import A_FILE, ALLOWED, check_image
from catalogue.messages import N_, Message
from catalogue.models import Actor, ObjectRecord, StoredImage, index_operation, is_public, public_id
from catalogue.records.langmap import LanguageMap, is_valid_tag
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.store import now
from iiif.pyramid import UnreadableImage

log = logging.getLogger(__name__)
PUBLIC_IMAGE_SECONDS = 10.0  # a record withdrawn stops serving new tiles after at most this long
PUBLIC_IMAGE_CACHE = 10_000
NO_IMAGE = N_("No image with id %(id)s.")
ALT_NOT_VALID = N_("The alt text is not valid.")
ORIGINAL_NOT_OPEN = N_(
    "The museum has not opened this image for reuse: its original file is not public. "
    "View it in the viewer on the object page."
)


@dataclass(frozen=True)
class PublicImage:
    pyramid_dir: Path
    rights: str | None


@dataclass(frozen=True)
class ImageFile:
    path: Path
    mime: str
    etag: str


@dataclass(frozen=True)
class CuratedImage:
    """An image as its curators see it: the stored image and the name of the file it came from."""

    image: StoredImage
    original_name: str | None


class ImageRules(ServiceBase):
    def add_images(
        self, actor: Actor, museum_code: str, local_id: str, files: list[tuple[bytes, str | None]], alt=None
    ) -> list[StoredImage]:
        """Check every file first (all or nothing), store each once by content with its derivatives,
        attach them to the record and bump its revision once. A file already attached to this record
        is not added again. When a file is refused, none is stored, and the refusal names every file
        refused and why (see `_none_stored`)."""
        alt_map = _alt_text(alt)
        with self.store.reading() as conn:
            self._writable_museum(actor, museum_code, conn)
            self._existing(conn, museum_code, local_id)
        checked, refused = [], []
        for data, name in files:
            try:
                checked.append((check_image(data, self.max_image_bytes, self.max_image_pixels, name), name))
            except CatalogueError as refusal:
                refused.append(refusal)
        if refused:
            raise _none_stored(refused, len(files))
        for image, name in checked:
            path = self.media.put_original(image.data, image.sha256, image.extension)
            try:
                self._derive(image.sha256, path, name)
            except ValidationFailed as refusal:  # kept in the media store, but attached to nothing
                raise _none_stored([refusal], len(files)) from None
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            stored, added, names = [], [], {}
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
                    if name:
                        names[entry.id] = name[:500]
                stored.append(entry)
            if added:
                # the names too: the history tells an image by its file's name, also once it is removed
                changes = {"images": [i.id for i in added], **({"names": names} if names else {})}
                self._image_revision(conn, actor, museum_code, row, "images_added", changes)
        if added:
            self._written()
        return [self.store.image_by_id(entry.id) or entry for entry in stored]

    def images_to_curate(self, actor: Actor, record_id: str) -> tuple[ObjectRecord, list[CuratedImage]]:
        """A record (in any status) and its images in order, for the curator pages of its museum;
        Forbidden to anyone who may not change its records."""
        record = self.curated_record(actor, record_id)
        return record, [CuratedImage(image, name) for image, name in self.store.record_images(record_id)]

    def remove_image(self, actor: Actor, museum_code: str, local_id: str, image_id: str) -> list[StoredImage]:
        """Detach one image from the record; the others close up (positions stay 0..n-1). The file
        stays in the media store, which keeps each content once for every record that holds it.
        Returns the record's images after the change."""

        def remove(conn, row: dict, images: list[StoredImage]) -> dict:
            gone = _one_of(images, image_id, local_id)
            self.store.remove_image(conn, image_id)
            rest = [image for image in images if image.id != image_id]
            self.store.update_images(conn, _moved(rest))
            return {"image": gone.id, "sha256": gone.sha256}

        return self._change_images(actor, museum_code, local_id, "image_removed", remove)

    def reorder_images(self, actor: Actor, museum_code: str, local_id: str, image_ids: list[str]) -> list[StoredImage]:
        """Put the record's images in this order: ``image_ids`` names each of them exactly once. The
        same order again is no change (no new revision)."""

        def reorder(conn, row: dict, images: list[StoredImage]) -> dict | None:
            current = [image.id for image in images]
            if len(image_ids) != len(current) or set(image_ids) != set(current):
                raise ValidationFailed(
                    N_("The new order must name each of the object's images exactly once."),
                    [{"field": "order", "message": f"Expected these images: {', '.join(current) or 'none'}."}],
                )
            if list(image_ids) == current:
                return None
            by_id = {image.id: image for image in images}
            self.store.update_images(conn, _moved([by_id[image_id] for image_id in image_ids]))
            return {"order": [current, list(image_ids)]}

        return self._change_images(actor, museum_code, local_id, "images_reordered", reorder)

    def set_image_alt(
        self, actor: Actor, museum_code: str, local_id: str, image_id: str, alt: dict
    ) -> list[StoredImage]:
        """Replace an image's alt text: a map of language tag -> text (or texts), as records write
        language maps. Empty texts are dropped; each tag must be a language tag (BCP 47, or
        ``none``). The same text again is no change."""
        alt_map = _alt_text(_checked_languages(alt))

        def describe(conn, row: dict, images: list[StoredImage]) -> dict | None:
            image = _one_of(images, image_id, local_id)
            if image.alt == alt_map:
                return None
            self.store.update_images(conn, [{"_id": image.id, "alt": alt_map}])
            return {"image": image.id, "alt": [image.alt, alt_map]}

        return self._change_images(actor, museum_code, local_id, "image_alt_changed", describe)

    def curated_image_file(self, actor: Actor, image_id: str, variant: str = "thumbnail") -> ImageFile:
        """An image's ``thumbnail`` (the curator pages show it) or ``original`` (the file they
        uploaded, whatever its rights) for those who may change the record's museum: its curators
        and the secretariat; also of drafts and withdrawn records."""
        found = self.store.image_museum(image_id)
        if found is None:
            raise NotFound(NO_IMAGE, id=repr(image_id))
        image, museum = found
        self.check_may_write(actor, museum)
        return self._original_file(image) if variant == "original" else self._thumbnail_file(image)

    def _change_images(self, actor: Actor, museum_code: str, local_id: str, action: str, change) -> list[StoredImage]:
        """One change to a record's images, in one transaction: ``change(conn, row, images)`` writes
        it and returns what the audit entry says, or None when nothing changed; then the record's
        revision goes up once, with its kept copy, audit entry and outbox entry."""
        with self.store.transaction() as conn:
            self._writable_museum(actor, museum_code, conn)
            row = self._existing(conn, museum_code, local_id)
            images = [image for image, _name in self.store.record_images(row["id"], conn)]
            changes = change(conn, row, images)
            if changes is not None:
                self._image_revision(conn, actor, museum_code, row, action, changes)
            after = [image for image, _name in self.store.record_images(row["id"], conn)]
        if changes is not None:
            self._written()
        return after

    def _image_revision(self, conn, actor: Actor, museum_code: str, row: dict, action: str, changes: dict) -> int:
        """The record's next revision for a change to its images: its content is unchanged (images
        are not part of the body), but the manifest and the search document change with them."""
        revision, stamp = row["revision"] + 1, now()
        self.store.update_records(conn, [{"_id": row["id"], "revision": revision, "updated_at": stamp}])
        kept = {"body": row["body"], "status": row["status"], "actor": actor.name, "at": stamp}
        self.store.add_revisions(conn, [{"record_id": row["id"], "revision": revision, **kept}])
        self.store.append_audit(conn, [audit_entry(actor, museum_code, row["id"], action, revision, changes)])
        self.store.enqueue(conn, [(row["id"], revision, index_operation(row["status"]))])
        return revision

    def image_file(self, image_id: str, variant: str) -> ImageFile:
        """The stored file of a public image: ``original`` or ``thumbnail``. Images of unpublished
        records are not found, exactly like unknown ones. An original is public only when the
        museum opened the image for reuse (`reference.open_for_reuse`, as the object page's
        downloads): else it is Forbidden, and visitors see the image through its IIIF derivatives.
        Nothing is decoded here: derivatives were made at upload (or by ``catalogue derive``)."""
        found = self.store.image_with_record(image_id)
        if found is None or not is_public(found[1]):
            raise NotFound(NO_IMAGE, id=repr(image_id))
        image, _status, rights = found
        if variant == "original":
            if not reference.open_for_reuse(rights):
                raise Forbidden(ORIGINAL_NOT_OPEN)
            return self._original_file(image)
        return self._thumbnail_file(image)

    def _original_file(self, image: StoredImage) -> ImageFile:
        extension, mime = ALLOWED[image.format]
        return ImageFile(self.media.original_path(image.sha256, extension), mime, image.sha256)

    def _thumbnail_file(self, image: StoredImage) -> ImageFile:
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

    def _derive(self, sha256: str, original: Path, name: str | None = None) -> None:
        try:
            self.media.derive(sha256, original, self.max_image_pixels)
        except UnreadableImage as error:
            log.warning("no derivatives of %s (%s): %s", sha256, name, error)
            raise ValidationFailed(
                N_("%(file)s could not be prepared for viewing."), file=name or Message(A_FILE)
            ) from None


def _none_stored(refused: list[CatalogueError], total: int) -> CatalogueError:
    """The refusal of an upload of ``total`` files: one file's own refusal; of several files, a
    refusal (of the first kind met) that says that none was stored, and why each refused file was,
    also per file in its errors."""
    if total == 1:
        return refused[0]
    reasons = [refusal.message for refusal in refused]
    return type(refused[0])(
        N_("None of the %(total)s files was stored. %(reasons)s"),
        [{"field": "file", "message": reason} for reason in reasons],
        total=total,
        reasons=reasons,
    )


def _alt_text(alt) -> dict:
    if alt is None or alt == "":
        return {}
    try:
        return LanguageMap(max_length=2000).deserialize(alt)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, list) else [str(error.messages)]
        raise ValidationFailed(ALT_NOT_VALID, [{"field": "alt", "message": " ".join(map(str, messages))}]) from None


def _checked_languages(alt) -> dict:
    """The alt text without its empty entries, every language of the rest named by a tag, with one
    message per bad tag (a curator may type several languages at once)."""
    if not isinstance(alt, dict):
        raise ValidationFailed(ALT_NOT_VALID, [{"field": "alt", "message": "Expected a language map."}])
    kept, errors = {}, []
    for tag, texts in alt.items():
        values = [texts] if isinstance(texts, str) else texts
        if isinstance(values, list) and not any(isinstance(text, str) and text.strip() for text in values):
            continue  # an empty text is dropped, whatever its language
        if not isinstance(tag, str) or not tag.strip():
            errors.append({"field": "alt", "message": Message(N_("Say which language each alt text is in."))})
        elif not is_valid_tag(tag):
            message = Message(N_("%(tag)s is not a language tag (such as en, ja, zh-Hant)."), tag=repr(tag[:40]))
            errors.append({"field": "alt", "message": message})
        kept[tag] = texts
    if errors:
        raise ValidationFailed(ALT_NOT_VALID, errors)
    return kept


def _one_of(images: list[StoredImage], image_id: str, local_id: str) -> StoredImage:
    for image in images:
        if image.id == image_id:
            return image
    raise NotFound(N_("Object %(id)s has no image %(image)s."), id=repr(local_id), image=repr(image_id))


def _moved(images: list[StoredImage]) -> list[dict]:
    """Position updates that make ``images`` 0..n-1 in this order (only the rows that move)."""
    return [{"_id": image.id, "position": n} for n, image in enumerate(images) if image.position != n]
