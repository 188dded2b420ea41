"""Checking uploaded images with Pillow before anything is stored: type, size, pixels, integrity.

Each refusal names the file and says what is wrong in a curator's terms (megabytes, megapixels), never
in Pillow's (no exception names)."""

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from catalogue.errors import TooLarge, UnsupportedType, ValidationFailed
from catalogue.messages import N_, Message

ALLOWED = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "TIFF": ("tif", "image/tiff"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    sha256: str
    format: str
    extension: str
    mime: str
    width: int  # after EXIF orientation
    height: int


A_FILE = N_("The file")  # what a refusal calls a file sent without a name


def check_image(data: bytes, max_bytes: int, max_pixels: int, name: str | None = None) -> CheckedImage:
    """Accept JPEG, PNG, TIFF, WebP within the limits; refuse bombs, truncated and fake files, with
    a message that names the file (``name``, else "The file")."""
    file = name or Message(A_FILE)
    if len(data) > max_bytes:
        raise TooLarge(
            N_("%(file)s is %(size)s MB; the limit is %(limit)s MB."),
            file=file,
            size=megabytes(len(data)),
            limit=megabytes(max_bytes),
        )
    if not data:
        raise ValidationFailed(N_("%(file)s is empty."), file=file)
    try:
        with warnings.catch_warnings():
            # Pillow warns of images over its limit (the app sets it to max_pixels) and refuses those
            # over twice that when opening; the check below refuses both before any pixel is decoded,
            # with the image's size in its message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ALLOWED:
                    raise UnsupportedType(
                        N_("%(file)s is a %(format)s image, which is not accepted; use JPEG, PNG, TIFF or WebP."),
                        file=file,
                        format=image_format,
                    )
                if width * height > max_pixels:
                    raise TooLarge(
                        N_(
                            "%(file)s is %(width)s × %(height)s pixels (%(size)s megapixels); "
                            "the limit is %(limit)s megapixels."
                        ),
                        file=file,
                        width=width,
                        height=height,
                        size=megapixels(width * height),
                        limit=megapixels(max_pixels),
                    )
                probe.load()  # a full decode finds truncated and corrupt files
                oriented = ImageOps.exif_transpose(probe)
                width, height = oriented.size
    except (UnsupportedType, TooLarge):
        raise
    except UnidentifiedImageError:
        raise UnsupportedType(
            N_("%(file)s is not a recognised image file; use JPEG, PNG, TIFF or WebP."), file=file
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own limit, met on opening
        raise TooLarge(
            N_("%(file)s has more pixels than the limit of %(limit)s megapixels."),
            file=file,
            limit=megapixels(max_pixels),
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationFailed(
            N_("%(file)s cannot be read as an image: it is truncated or damaged."), file=file
        ) from None
    extension, mime = ALLOWED[image_format]
    return CheckedImage(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        format=image_format,
        extension=extension,
        mime=mime,
        width=width,
        height=height,
    )


def megabytes(size: int) -> str:
    """Bytes in megabytes as people read them: "50", "50.4", "2.25", "0.02"."""
    return _decimal(size / 1_000_000)


def megapixels(pixels: int) -> str:
    """Pixels in megapixels as people read them: "150", "144", "1.5", "0.04"."""
    return _decimal(pixels / 1_000_000)


def _decimal(value: float) -> str:
    text = f"{value:.2f}" if value < 10 else f"{value:.1f}"
    text = text.rstrip("0").rstrip(".")
    return text if text != "0" or value == 0 else f"{value:.1g}"
