"""IIIF Image API 3.0 request URLs: parse the four path segments, resolve them against an image's size
and the server's limits into pixels, and write the spec's canonical form (section 4.8)."""

import math
import re
from dataclasses import dataclass

# Formats we encode; the spec knows two more that we answer with 501 (Not Implemented).
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif", "tif": "image/tiff"}
KNOWN_UNSUPPORTED_FORMATS = {"jp2", "pdf"}
QUALITIES = ("default", "color", "gray", "bitonal")

_INT = r"(\d{1,12})"
_FLOAT = r"(\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})"
_PIXEL_REGION = re.compile(rf"{_INT},{_INT},{_INT},{_INT}")
_PERCENT_REGION = re.compile(rf"pct:{_FLOAT},{_FLOAT},{_FLOAT},{_FLOAT}")
_SIZE = re.compile(rf"(\^)?(?:(max)|pct:{_FLOAT}|(!)?{_INT}?,{_INT}?)")
_ROTATION = re.compile(rf"(!)?{_FLOAT}")


class IIIFError(Exception):
    """Every refusal of the Image API: the HTTP status, the parameter at fault and a message for people."""

    def __init__(self, status: int, parameter: str, message: str):
        super().__init__(message)
        self.status = status
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ImageLimits:
    """The largest image we compute (info.json's maxWidth, maxHeight, maxArea); None means no limit."""

    max_width: int | None = 10_000
    max_height: int | None = 10_000
    max_area: int | None = 16_000_000

    def __post_init__(self) -> None:
        if self.max_height is not None and self.max_width is None:
            raise ValueError("maxHeight needs maxWidth (Image API 3.0, section 5.2)")
        if any(value is not None and value < 1 for value in (self.max_width, self.max_height, self.max_area)):
            raise ValueError("image limits must be positive")

    def admits(self, width: int, height: int) -> bool:
        return (
            (self.max_width is None or width <= self.max_width)
            and (self.max_height is None or height <= self.max_height)
            and (self.max_area is None or width * height <= self.max_area)
        )

    def largest_scale(self, width: int, height: int) -> float:
        """The largest factor by which a ``width`` x ``height`` region may be scaled (inf without limits)."""
        scales = [math.inf]
        if self.max_width is not None:
            scales.append(self.max_width / width)
        if self.max_height is not None:
            scales.append(self.max_height / height)
        if self.max_area is not None:
            scales.append(math.sqrt(self.max_area / (width * height)))
        return min(scales)


Box = tuple[int, int, int, int]  # x, y, width, height in pixels of the full image


@dataclass(frozen=True)
class ResolvedRequest:
    """A request in pixels of one image: what to cut, how large to make it, and its canonical URL tail."""

    region: Box
    size: tuple[int, int]
    mirror: bool
    degrees: float
    quality: str
    format: str
    canonical: str

    @property
    def media_type(self) -> str:
        return FORMATS[self.format]

    @property
    def key(self) -> str:
        """The exact pixels asked for, whatever the limits (the canonical "max" depends on them)."""
        region, size = ",".join(map(str, self.region)), f"{self.size[0]},{self.size[1]}"
        return f"{region}/{size}/{'!' if self.mirror else ''}{format_number(self.degrees)}/{self.quality}.{self.format}"


@dataclass(frozen=True)
class ImageRequest:
    """The four request segments as sent (raw) and as parsed; pixels come from ``resolve``."""

    region: str
    size: str
    rotation: str
    quality: str
    format: str
    mirror: bool
    degrees: float

    def resolve(self, width: int, height: int, limits: ImageLimits) -> ResolvedRequest:
        """Apply the request to a ``width`` x ``height`` image in the spec's order; raise IIIFError when
        it cannot be answered. Nothing is allocated here, so a huge size costs nothing."""
        region = region_box(self.region, width, height)
        size = scaled_size(self.size, region[2], region[3], limits)
        if not limits.admits(*size):
            raise IIIFError(
                400,
                "size",
                f"{size[0]}x{size[1]} pixels is beyond this server's limits "
                f"(see maxWidth, maxHeight and maxArea in info.json).",
            )
        turned = rotated_size(size, self.degrees)
        if limits.max_area is not None and turned[0] * turned[1] > 2 * limits.max_area:
            raise IIIFError(
                400,
                "rotation",
                f"Rotating {size[0]}x{size[1]} pixels by {self.rotation} degrees "
                f"gives an image beyond this server's limits.",
            )
        canonical = canonical_tail(
            region, size, (width, height), limits, self.mirror, self.degrees, self.quality, self.format
        )
        return ResolvedRequest(region, size, self.mirror, self.degrees, self.quality, self.format, canonical)


def parse_image_request(region: str, size: str, rotation: str, quality_format: str) -> ImageRequest:
    """Check the syntax of the four segments (``quality.format`` is one); raise IIIFError(400/501)."""
    check_region_syntax(region)
    check_size_syntax(size)
    mirror, degrees = parse_rotation(rotation)
    quality, _, fmt = quality_format.rpartition(".")
    if quality not in QUALITIES:
        raise IIIFError(400, "quality", f"Unknown quality {quality_format!r}; use one of {', '.join(QUALITIES)}.")
    if fmt in KNOWN_UNSUPPORTED_FORMATS:
        raise IIIFError(501, "format", f"The {fmt} format is not supported; use one of {', '.join(FORMATS)}.")
    if fmt not in FORMATS:
        raise IIIFError(400, "format", f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return ImageRequest(region, size, rotation, quality, fmt, mirror, degrees)


def check_region_syntax(region: str) -> None:
    if region in ("full", "square"):
        return
    match = _PIXEL_REGION.fullmatch(region) or _PERCENT_REGION.fullmatch(region)
    if not match:
        raise IIIFError(400, "region", f"Bad region {region!r}; use full, square, x,y,w,h or pct:x,y,w,h.")
    if float(match[3]) <= 0 or float(match[4]) <= 0:
        raise IIIFError(400, "region", f"The region {region!r} has no width or height.")


def check_size_syntax(size: str) -> None:
    match = _SIZE.fullmatch(size)
    if not match:
        raise IIIFError(400, "size", f"Bad size {size!r}; use max, w,, ,h, pct:n, w,h or !w,h (^ to upscale).")
    _, is_max, percent, confined, width, height = match.groups()
    if percent is not None and float(percent) <= 0:
        raise IIIFError(400, "size", f"The size {size!r} is zero.")
    if not is_max and percent is None and (width, height) == (None, None):
        raise IIIFError(400, "size", f"The size {size!r} gives neither width nor height.")
    if confined and (width is None or height is None):
        raise IIIFError(400, "size", f"The size {size!r} needs both width and height after '!'.")
    if (width is not None and int(width) == 0) or (height is not None and int(height) == 0):
        raise IIIFError(400, "size", f"The size {size!r} is zero.")


def parse_rotation(rotation: str) -> tuple[bool, float]:
    match = _ROTATION.fullmatch(rotation)
    if not match:
        raise IIIFError(400, "rotation", f"Bad rotation {rotation!r}; use degrees 0-360, ! first to mirror.")
    degrees = round(float(match[2]), 10)  # finer than canonical_tail writes is no rotation at all
    if degrees > 360:
        raise IIIFError(400, "rotation", f"The rotation {rotation!r} is above 360 degrees.")
    return match[1] == "!", 0.0 if degrees == 360 else degrees


def region_box(region: str, width: int, height: int) -> Box:
    """The region in pixels of the full image, cut at the image's edges (spec 4.1)."""
    if region == "full":
        return 0, 0, width, height
    if region == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    pixels = _PIXEL_REGION.fullmatch(region)
    if pixels:
        x, y, w, h = (int(value) for value in pixels.groups())
    else:
        x, y, w, h = _percent_to_pixels(region, width, height)
    if x >= width or y >= height:
        raise IIIFError(400, "region", f"The region {region!r} lies outside the {width}x{height} image.")
    return x, y, min(w, width - x), min(h, height - y)


def _percent_to_pixels(region: str, width: int, height: int) -> Box:
    match = _PERCENT_REGION.fullmatch(region)
    assert match is not None, "checked by check_region_syntax"
    px, py, pw, ph = (float(value) for value in match.groups())
    x, y = round_half_up(px * width / 100), round_half_up(py * height / 100)
    w = round_half_up((px + pw) * width / 100) - x
    h = round_half_up((py + ph) * height / 100) - y
    return x, y, max(1, w), max(1, h)


def scaled_size(size: str, width: int, height: int, limits: ImageLimits) -> tuple[int, int]:
    """The output size for a ``width`` x ``height`` region (spec 4.2); upscaling only with ^."""
    match = _SIZE.fullmatch(size)
    assert match is not None, "checked by check_size_syntax"
    caret, is_max, percent, confined, w, h = match.groups()
    if is_max:
        scale = limits.largest_scale(width, height)
        result = _scale_down_to_limits(width, height, scale if caret else min(1.0, scale))
    elif percent is not None:
        result = _scale(width, height, float(percent) / 100)
    elif confined:
        # Fitting a box larger than the region is upscaling, so without ^ it is a 400, as the IIIF
        # validator (size_noup) and other level 2 servers read spec 4.2.
        scale = min(int(w) / width, int(h) / height, limits.largest_scale(width, height))
        result = _scale_down_to_limits(width, height, scale)
    elif w is not None and h is not None:
        result = (int(w), int(h))
    elif w is not None:
        result = (int(w), max(1, round_half_up(int(w) * height / width)))
    else:
        result = (max(1, round_half_up(int(h) * width / height)), int(h))
    if (result[0] > width or result[1] > height) and not caret:
        raise IIIFError(
            400,
            "size",
            f"The size {size!r} is larger than the {width}x{height} region; prefix it with ^ to allow upscaling.",
        )
    return result


def _scale(width: int, height: int, scale: float) -> tuple[int, int]:
    return max(1, round_half_up(width * scale)), max(1, round_half_up(height * scale))


def _scale_down_to_limits(width: int, height: int, scale: float) -> tuple[int, int]:
    """Like _scale, but never rounds up past a limit: ``max`` must always be answerable."""
    if scale == 1.0 or math.isinf(scale):
        return width, height
    return max(1, math.floor(width * scale + 1e-9)), max(1, math.floor(height * scale + 1e-9))


def rotated_size(size: tuple[int, int], degrees: float) -> tuple[int, int]:
    """The bounding box of an image of ``size`` turned by ``degrees``."""
    if degrees in (90, 270):
        return size[1], size[0]
    if degrees % 180 == 0:
        return size
    cos, sin = abs(math.cos(math.radians(degrees))), abs(math.sin(math.radians(degrees)))
    return math.ceil(size[0] * cos + size[1] * sin), math.ceil(size[0] * sin + size[1] * cos)


def region_box_is_full(region: Box, width: int, height: int) -> bool:
    return region == (0, 0, width, height)


def canonical_tail(
    region: Box,
    size: tuple[int, int],
    image_size: tuple[int, int],
    limits: ImageLimits,
    mirror: bool = False,
    degrees: float = 0.0,
    quality: str = "default",
    fmt: str = "jpg",
) -> str:
    """``region/size/rotation/quality.format`` in the canonical syntax of spec 4.8. ``max`` is written
    whenever the size is the largest one without upscaling, so one image has one canonical URL."""
    region_part = "full" if region_box_is_full(region, *image_size) else ",".join(map(str, region))
    rw, rh = region[2], region[3]
    upscaled = size[0] > rw or size[1] > rh
    largest = limits.largest_scale(rw, rh)
    if not upscaled and size == _scale_down_to_limits(rw, rh, min(1.0, largest)):
        size_part = "max"
    elif upscaled and size == _scale_down_to_limits(rw, rh, largest):
        size_part = "^max"
    else:
        size_part = ("^" if upscaled else "") + f"{size[0]},{size[1]}"
    return f"{region_part}/{size_part}/{'!' if mirror else ''}{format_number(degrees)}/{quality}.{fmt}"


def format_number(value: float) -> str:
    """An integer when possible, else a decimal without trailing zeros (spec 4.7)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")


def round_half_up(value: float) -> int:
    """Python's round() rounds halves to even; pixel maths wants 0.5 -> 1."""
    return math.floor(value + 0.5)
