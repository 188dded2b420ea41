"""Public URLs are built from BASE_URL, so ids stay stable behind proxies and in IIIF documents."""

from flask import current_app


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def object_url(record_id: str) -> str:
    return f"{base_url()}/objects/{record_id}"


def image_url(image_id: str) -> str:
    return f"{base_url()}/images/{image_id}/original"


def thumbnail_url(image_id: str) -> str:
    return f"{base_url()}/images/{image_id}/thumbnail"
