"""Building pyramid tiles with Pillow alone: orient and convert the original to 8-bit sRGB (or grey)
once, then cut each level into tiles and halve it for the next, one level in memory at a time."""

import io
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from iiif.pyramid_layout import level_tiles, scale_factors, tile_tail

JPEG_QUALITY = 85
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_LAB = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
_INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
_ORIENTATION = 0x0112
_FLATTEN = {"RGBA": "RGB", "RGBa": "RGB", "LA": "L", "La": "L", "PA": "RGB"}


class UnreadableImage(ValueError):
    """The source file is not an image we can read: not an image at all, truncated, or corrupt."""


def open_srgb(source: Path, max_pixels: int) -> Image.Image:
    """The whole original, upright (EXIF orientation applied), 8-bit, in sRGB ("RGB") or grey ("L"),
    transparent areas on white. Raises UnreadableImage for anything Pillow cannot decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as original:
                if original.width * original.height > max_pixels:
                    raise UnreadableImage(
                        f"{source.name}: {original.width}x{original.height} is more than {max_pixels} pixels"
                    )
                original.load()
                image = upright(original)
    except UnreadableImage:
        raise
    except UnidentifiedImageError as error:
        raise UnreadableImage(f"{source.name}: not a recognised image file") from error
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise UnreadableImage(f"{source.name}: truncated or corrupt image ({error})") from error
    return to_srgb(image)


def upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; skips the copy exif_transpose makes when there is nothing to turn."""
    if image.getexif().get(_ORIENTATION, 1) in (0, 1):
        return image
    turned = ImageOps.exif_transpose(image)
    turned.info.setdefault("icc_profile", image.info.get("icc_profile"))
    return turned


def to_srgb(image: Image.Image) -> Image.Image:
    """8-bit sRGB or grey, whatever the source mode: palette, 1-bit, 16-bit, CMYK, LAB, alpha, ICC."""
    profile = image.info.get("icc_profile")
    image = to_eight_bits(image)
    if image.mode in ("1", "P"):
        image = image.convert("RGBA" if "transparency" in image.info else ("L" if image.mode == "1" else "RGB"))
    if image.mode in _FLATTEN:
        image = flatten(image)
    if image.mode == "LAB":
        return _lab_to_srgb().apply(image)
    if profile and image.mode in ("RGB", "CMYK") and not _is_srgb(profile):
        converted = _apply_profile(image, profile)
        if converted is not None:
            return converted
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def to_eight_bits(image: Image.Image) -> Image.Image:
    """Pillow clips 16-bit grey when converting to "L"; scale it instead (65535 -> 255)."""
    if image.mode not in ("I", "F") and not image.mode.startswith("I;16"):
        return image
    wide = image.convert("F")
    high = wide.getextrema()[1]
    factor = 255 / 65535 if isinstance(high, float) and high > 255 else 1.0
    return wide.point(lambda value: value * factor).convert("L")


def flatten(image: Image.Image) -> Image.Image:
    """JPEG has no alpha: lay the image on white, as a page would show it."""
    if image.mode == "PA":
        image = image.convert("RGBA")
    image = image.convert({"RGBa": "RGBA", "La": "LA"}.get(image.mode, image.mode))
    base = Image.new(_FLATTEN[image.mode], image.size, 255 if image.mode == "LA" else (255, 255, 255))
    base.paste(image.convert(base.mode), mask=image.getchannel("A"))
    return base


def _is_srgb(profile: bytes) -> bool:
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except (ImageCms.PyCMSError, OSError):
        return False
    return "srgb" in description.lower()


def _apply_profile(image: Image.Image, profile: bytes) -> Image.Image | None:
    """Convert from an embedded profile; a broken profile falls back to Pillow's plain conversion."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, _SRGB, renderingIntent=_INTENT, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def _lab_to_srgb() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(_LAB, _SRGB, "LAB", "RGB", renderingIntent=_INTENT)


def build_tiles(source: Path, directory: Path, tile: int, max_pixels: int) -> tuple[int, int, str]:
    """Every tile of every level; returns the upright width, height and mode. Each level is halved from
    the one before and replaces it, so memory holds the decoded original plus a quarter of it at most.
    Tiles are encoded on all cores (Pillow releases the GIL while encoding)."""
    level = open_srgb(source, max_pixels)
    width, height, mode = level.width, level.height, level.mode
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for index, scale in enumerate(scale_factors(width, height, tile)):
            if index:
                level = level.reduce(2)
            jobs = [
                pool.submit(_save_tile, level, spec.level_box, directory / tile_tail(width, height, spec))
                for spec in level_tiles(width, height, tile, scale)
            ]
            for job in jobs:
                job.result()
    return width, height, mode


def _save_tile(level: Image.Image, box: tuple[int, int, int, int], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    level.crop(box).save(path, "JPEG", quality=JPEG_QUALITY)
