"""Public URLs are built from BASE_URL, so ids stay stable behind proxies and in IIIF documents."""

from flask import current_app

from iiif.presentation import Links


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def object_url(record_id: str) -> str:
    return f"{base_url()}/objects/{record_id}"


def image_url(image_id: str) -> str:
    return f"{base_url()}/images/{image_id}/original"


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
    return f"{image_service_url(image_id)}/full/{width},{height}/0/default.jpg"
