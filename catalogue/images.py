"""Checking uploaded images with Pillow before anything is stored: type, size, pixels, integrity."""

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from catalogue.errors import TooLarge, UnsupportedType, ValidationFailed

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


def check_image(data: bytes, max_bytes: int, max_pixels: int) -> CheckedImage:
    """Accept JPEG, PNG, TIFF, WebP within the limits; refuse bombs, truncated and fake files."""
    if len(data) > max_bytes:
        raise TooLarge(f"Image is {len(data)} bytes; the limit is {max_bytes}.")
    if not data:
        raise ValidationFailed("The image file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ALLOWED:
                    raise UnsupportedType(f"{image_format} images are not accepted; use JPEG, PNG, TIFF or WebP.")
                if width * height > max_pixels:
                    raise TooLarge(f"Image is {width}x{height} pixels; the limit is {max_pixels} pixels.")
                probe.load()  # a full decode finds truncated and corrupt files
                oriented = ImageOps.exif_transpose(probe)
                width, height = oriented.size
    except (UnsupportedType, TooLarge):
        raise
    except UnidentifiedImageError:
        raise UnsupportedType("Not a recognised image file; use JPEG, PNG, TIFF or WebP.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge("Image has too many pixels (decompression bomb protection).") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationFailed(f"The image file is truncated or corrupt ({type(error).__name__}).") from None
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
