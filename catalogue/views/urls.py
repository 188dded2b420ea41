"""Public URLs are built from BASE_URL, so ids stay stable behind proxies and in IIIF documents."""

from urllib.parse import quote, urlencode

from flask import current_app

from catalogue.models import StoredImage
from iiif.presentation import Links


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def object_url(record_id: str) -> str:
    return f"{base_url()}/objects/{record_id}"


def original_url(image_id: str) -> str:
    """The file as the museum uploaded it: public only when the museum opened the image for reuse
    (`reference.open_for_reuse`), so only such images link it; see `image_link`."""
    return f"{base_url()}/images/{image_id}/original"


def image_link(image: StoredImage, open_for_reuse: bool) -> str:
    """Where a list of links to images (the CSV download's ``image_urls``) points at one: its
    original when the museum opened it for reuse, else the largest of its fixed sizes, a IIIF Image
    API derivative that anyone may view (the original would answer 403)."""
    return original_url(image.id) if open_for_reuse else iiif_links().largest_fixed_size(image)


def thumbnail_url(image_id: str) -> str:
    return f"{base_url()}/images/{image_id}/thumbnail"


def iiif_links() -> Links:
    """The URLs IIIF documents name (manifests, collections, image services), from BASE_URL."""
    return Links(base_url())


def manifest_url(record_id: str) -> str:
    return iiif_links().manifest(record_id)


def image_service_url(image_id: str) -> str:
    """The IIIF Image API base of an image: the ``id`` of its info.json."""
    return iiif_links().image_service(image_id)


def image_size_url(image_id: str, width: int, height: int) -> str:
    """The whole image at one of its fixed sizes (a file read, see iiif.sizes)."""
    return iiif_links().fixed_size(image_id, width, height)


def embed_url(record_id: str) -> str:
    return f"{base_url()}/embed/{quote(record_id, safe='')}"


def oembed_url(record_id: str) -> str:
    """Where oEmbed consumers learn how to embed an object page (its discovery link)."""
    return f"{base_url()}/oembed?" + urlencode({"url": object_url(record_id), "format": "json"})


def drag_and_drop_url(record_id: str) -> str:
    """The IIIF drag-and-drop convention: a link to the manifest that names it in ``?manifest=``."""
    manifest = manifest_url(record_id)
    return f"{manifest}?manifest={quote(manifest, safe='')}"
