"""Building pyramid tiles with libvips (pyvips), when it is installed: the same tiles as the Pillow
builder, streamed through memory in strips, so a 150 MP original needs a few hundred MB at most."""

import os
from pathlib import Path
from typing import Any

from iiif.pyramid_layout import TILE_FORMAT, level_tiles, scale_factors, tile_tail
from iiif.pyramid_pillow import JPEG_QUALITY, UnreadableImage

try:
    import pyvips

    # builds run in long-lived web processes: libvips' operation cache would keep decoded originals
    pyvips.cache_set_max(0)
except (ImportError, OSError):  # OSError: the module is there but its libvips is not
    pyvips = None


def available() -> bool:
    return pyvips is not None


def open_srgb(source: Path, max_pixels: int) -> Any:
    """A lazy libvips image of the original, upright, 8-bit sRGB or grey, transparency on white."""
    assert pyvips is not None, "check available() first"
    try:
        probe = pyvips.Image.new_from_file(str(source), access="sequential", fail=True)
        if probe.width * probe.height > max_pixels:
            raise UnreadableImage(f"{source.name}: {probe.width}x{probe.height} is more than {max_pixels} pixels")
        turned = probe.get_typeof("orientation") and probe.get("orientation") not in (0, 1)
        # turning needs the whole image; libvips then decodes once into memory or a temporary file
        image = pyvips.Image.new_from_file(str(source), access="random", fail=True).autorot() if turned else probe
        return _srgb(image)
    except pyvips.Error as error:
        raise UnreadableImage(f"{source.name}: not a readable image ({_first_line(error)})") from error


def _srgb(image: Any) -> Any:
    """Only lazy operations: the image is read once, in order, while dzsave writes."""
    if image.hasalpha():
        white = 65535 if image.format == "ushort" else 255
        image = image.flatten(background=[white] * (image.bands - 1))
    if image.get_typeof("icc-profile-data") and image.interpretation in ("srgb", "rgb16", "cmyk", "rgb"):
        image = image.icc_transform("srgb", embedded=True, intent="relative")
    elif image.interpretation == "cmyk":
        image = image.icc_transform("srgb", input_profile="cmyk", intent="relative")  # libvips' own CMYK profile
    grey = image.interpretation in ("b-w", "grey16")
    target, bands = ("b-w", 1) if grey else ("srgb", 3)
    if image.interpretation != target or image.format != "uchar":  # each step costs a pass over the pixels
        image = image.colourspace(target)  # also takes 16-bit down to 8
    if image.format != "uchar":
        image = image.cast("uchar")
    return image if image.bands == bands else image[0:bands]


def build_tiles(source: Path, directory: Path, tile: int, max_pixels: int) -> tuple[int, int, str]:
    """Every tile of every level with libvips' dzsave (IIIF 3 layout) straight into ``directory``;
    returns the upright width, height and mode. libvips names a full-resolution tile's size "w,h" where
    the canonical size is "max", so those folders are renamed."""
    image = open_srgb(source, max_pixels)
    width, height = image.width, image.height
    try:
        image.dzsave(
            str(directory),
            layout="iiif3",
            tile_size=tile,
            overlap=0,
            depth="onetile",
            suffix=f".{TILE_FORMAT}[Q={JPEG_QUALITY},strip]",
        )
    except pyvips.Error as error:
        raise UnreadableImage(f"{source.name}: truncated or corrupt image ({_first_line(error)})") from error
    for scale in scale_factors(width, height, tile):
        for spec in level_tiles(width, height, tile, scale):
            ours, theirs = _size_folder(tile_tail(width, height, spec)), _size_folder(_vips_tail(width, height, spec))
            if ours != theirs:
                os.rename(directory / theirs, directory / ours)
    (directory / "info.json").unlink()
    # libvips writes its properties beside the folder; a concurrent build may already have removed them
    (directory.parent / "vips-properties.xml").unlink(missing_ok=True)
    return width, height, "L" if image.bands == 1 else "RGB"


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or ["no details"])[0]


def _vips_tail(width: int, height: int, spec: Any) -> str:
    region = "full" if spec.region == (0, 0, width, height) else ",".join(map(str, spec.region))
    return f"{region}/{spec.size[0]},{spec.size[1]}/0/default.{TILE_FORMAT}"


def _size_folder(tail: str) -> str:
    """``region/size`` of a tail: the folder that holds a tile's rotation/quality.format."""
    return "/".join(tail.split("/")[:2])
