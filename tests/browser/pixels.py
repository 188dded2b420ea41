"""Is an image really on screen? A viewer's screenshot compared with the source file, coarsely: the
centre of the image as shown against the centre of the file, as a grid of average colours."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

GRID = 6  # cells a side: coarse enough for resampling and JPEG, fine enough to tell paintings apart
CENTRE = 0.5  # of each side: clear of the controls viewers draw along the edges


@contextmanager
def _trusted() -> Iterator[None]:
    """Our own test images and screenshots, not uploads: Pillow's decompression-bomb limit is a
    process-wide setting each app sets from its MAX_IMAGE_PIXELS, and another test's app in the same
    pytest worker may have lowered it below a demo painting's size."""
    kept = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = kept


def _open(source: Path | bytes) -> Image.Image:
    with _trusted(), Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as opened:
        return ImageOps.exif_transpose(opened) if isinstance(source, Path) else opened.copy()


def source_colours(source: Path) -> tuple[np.ndarray, float]:
    """The grid of the source file's centre, and its aspect ratio (after EXIF orientation, as stored)."""
    image = _open(source).convert("RGB")
    image.thumbnail((600, 600))
    return _grid(_centre(image)), image.width / image.height


def difference(screenshot: bytes, source: Path) -> float:
    """Mean difference (0-255 per channel) between the source's centre and the centre of the image in a
    screenshot of a viewer showing it whole: as large as fits and centred (a home view)."""
    expected, aspect = source_colours(source)
    shown = _fitted(_open(screenshot).convert("RGB"), aspect)
    return float(np.abs(_grid(_centre(shown)) - expected).mean())


def spread(screenshot: bytes) -> float:
    """The standard deviation of a screenshot's pixel values: about 0 for a blank or uniform canvas."""
    return float(np.asarray(_open(screenshot).convert("L"), dtype=float).std())


def _grid(image: Image.Image) -> np.ndarray:
    return np.asarray(image.resize((GRID, GRID), Image.Resampling.BOX), dtype=float)


def _centre(image: Image.Image) -> Image.Image:
    w, h = image.size
    dx, dy = w * (1 - CENTRE) / 2, h * (1 - CENTRE) / 2
    return image.crop((round(dx), round(dy), round(w - dx), round(h - dy)))


def _fitted(shot: Image.Image, aspect: float) -> Image.Image:
    w, h = shot.size
    width, height = (h * aspect, h) if w / h > aspect else (w, w / aspect)
    left, top = (w - width) / 2, (h - height) / 2
    return shot.crop((round(left), round(top), round(left + width), round(top + height)))
