"""Answering an image request from a tile pyramid: a stored file when the pyramid holds the canonical
URL, else computed from the nearest larger level (region, size, rotation, quality, format, in the
spec's order) and kept in a bounded in-memory cache."""

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from iiif.image_request import ResolvedRequest
from iiif.pyramid_layout import TilePyramid, stored_tail

ALPHA_FORMATS = ("png", "webp", "tif")  # an arbitrary rotation gets transparent corners in these
JPEG_QUALITY = 85
_CLOCKWISE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class RenderedImage:
    """An answer: either a stored file (send it as it is) or bytes computed for this request."""

    media_type: str
    path: Path | None = None
    data: bytes | None = None


class ResultCache:
    """Least recently used image bytes, at most ``max_bytes`` in total, safe across threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: tuple[str, ...], data: bytes) -> None:
        if len(data) > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = data
            self.size += len(data)
            while self.size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)


class ImageRenderer:
    """Answers requests; at most ``render_slots`` computations run at once, since each may hold a
    level region of up to ``source_budget`` pixels in memory."""

    def __init__(self, cache_bytes: int = 128 * 1024 * 1024, render_slots: int = 2, source_budget: int = 64_000_000):
        self.cache = ResultCache(cache_bytes)
        self.source_budget = source_budget
        self._slots = threading.BoundedSemaphore(render_slots)

    def answer(self, pyramid: TilePyramid, request: ResolvedRequest) -> RenderedImage:
        for tail in stored_equivalents(pyramid, request):
            path = pyramid.stored(tail)
            if path is not None:
                return RenderedImage(request.media_type, path=path)
        key = (str(pyramid.directory), pyramid.info.build_id, request.key)
        data = self.cache.get(key)
        if data is None:
            with self._slots:
                data = render(pyramid, request, self.source_budget)
            self.cache.put(key, data)
        return RenderedImage(request.media_type, data=data)


def stored_equivalents(pyramid: TilePyramid, request: ResolvedRequest) -> list[str]:
    """Where the pyramid may hold this image: its own tail, and for "color" (and "gray" of a grey image)
    the default-quality file, which has the same pixels. Only default-quality files are stored."""
    same_as_default = request.quality == "color" or (request.quality == "gray" and pyramid.info.mode == "L")
    tails = [stored_tail(pyramid.info, request)]
    return tails + ([stored_tail(pyramid.info, request, quality="default")] if same_as_default else [])


def render(pyramid: TilePyramid, request: ResolvedRequest, source_budget: int) -> bytes:
    image = pyramid.extract(request.region, request.size, source_budget)
    image = rotate(image, request.mirror, request.degrees, transparent=request.format in ALPHA_FORMATS)
    image = apply_quality(image, request.quality)
    return encode(image, request.format)


def rotate(image: Image.Image, mirror: bool, degrees: float, transparent: bool) -> Image.Image:
    """Mirror first, then turn clockwise (spec 4.3); other angles than 90s get a bounding box whose
    empty corners are transparent where the format allows, else white."""
    if mirror:
        image = ImageOps.mirror(image)
    if degrees == 0:
        return image
    if degrees in _CLOCKWISE:
        return image.transpose(_CLOCKWISE[int(degrees)])
    if transparent:
        image = image.convert("RGBA" if image.mode == "RGB" else "LA")
        fill: int | tuple[int, ...] = (255, 255, 255, 0) if image.mode == "RGBA" else (255, 0)
    else:
        fill = 255 if image.mode == "L" else (255, 255, 255)
    return image.rotate(-degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def apply_quality(image: Image.Image, quality: str) -> Image.Image:
    """default and color keep the pyramid's pixels; gray is luminance; bitonal thresholds it at 50 %."""
    if quality in ("default", "color"):
        return image
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    grey = image.convert("L")
    if quality == "bitonal":
        grey = grey.point(lambda value: 255 if value >= 128 else 0, mode="1" if alpha is None else "L")
    if alpha is None:
        return grey
    grey = grey.convert("L")
    grey.putalpha(alpha)
    return grey


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "jpg":
        image.save(out, "JPEG", quality=JPEG_QUALITY)
    elif fmt == "png":
        image.save(out, "PNG", compress_level=3)
    elif fmt == "webp":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.mode == "LA" else "RGB")
        image.save(out, "WEBP", quality=80, method=2)  # method 4 is 3-4x slower for 4 % smaller files
    elif fmt == "gif":
        image.save(out, "GIF")
    else:
        image.save(out, "TIFF", compression="tiff_deflate")
    return out.getvalue()
