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
    """The file as the museum uploaded it (`Links.original`): link it only for images open for reuse."""
    return iiif_links().original(image_id)


def image_link(image: StoredImage, open_for_reuse: bool) -> str:
    """`Links.image_file`: the original of an image open for reuse, else its largest fixed size."""
    return iiif_links().image_file(image, open_for_reuse)


def thumbnail_url(image_id: str) -> str:
    return iiif_links().thumbnail(image_id)


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
