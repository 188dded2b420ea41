"""The on-disk shape of a tile pyramid: its descriptor (pyramid.json), where each tile and fixed size
lives (at its canonical IIIF URL tail), and reading any region of a level back from the tiles."""

import json
import math
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image

from iiif.image_request import Box, ImageLimits, ResolvedRequest, canonical_tail

DESCRIPTOR = "pyramid.json"
TILE_SIZE = 512
TILE_FORMAT = "jpg"
FIXED_SIZE_FORMATS = ("jpg", "webp")
# Stored files are named without the server's limits, so a "max" file is always the region at full
# size, whatever limits a server later declares (stored_tail finds them under any limits).
LAYOUT_LIMITS = ImageLimits(None, None, None)


class PyramidMissing(LookupError):
    """No complete pyramid at a folder (never built, or removed)."""


@dataclass(frozen=True)
class PyramidInfo:
    """What pyramid.json says: the oriented image's size, its tiles and fixed sizes."""

    width: int
    height: int
    tile_width: int
    scale_factors: tuple[int, ...]
    sizes: tuple[tuple[int, int], ...]
    mode: str  # "RGB" or "L": a grey original keeps one channel
    build_id: str  # changes with every build, so ETags change when a pyramid is rebuilt
    engine: str

    @classmethod
    def load(cls, directory: Path) -> "PyramidInfo":
        return cls.load_with_stat(directory)[0]

    @classmethod
    def load_with_stat(cls, directory: Path) -> tuple["PyramidInfo", os.stat_result]:
        """The descriptor and its stat, read together: its modification time is when the pyramid was
        published (it is written last)."""
        path = Path(directory) / DESCRIPTOR
        try:
            stat = path.stat()
        except OSError as error:
            raise PyramidMissing(f"no pyramid at {directory}") from error
        return _load_descriptor(str(path), stat.st_mtime_ns, stat.st_size), stat

    def dump(self, directory: Path) -> None:
        data = asdict(self)
        data["sizes"] = [list(size) for size in self.sizes]
        (Path(directory) / DESCRIPTOR).write_text(json.dumps(data))


@lru_cache(maxsize=4096)
def _load_descriptor(path: str, mtime_ns: int, size: int) -> PyramidInfo:
    """Pyramids never change in place, so a descriptor is parsed once per process (keyed by its stat)."""
    data = json.loads(Path(path).read_text())
    return PyramidInfo(
        width=data["width"],
        height=data["height"],
        tile_width=data["tile_width"],
        scale_factors=tuple(data["scale_factors"]),
        sizes=tuple((w, h) for w, h in data["sizes"]),
        mode=data["mode"],
        build_id=data["build_id"],
        engine=data["engine"],
    )


def scale_factors(width: int, height: int, tile: int = TILE_SIZE) -> tuple[int, ...]:
    """1, 2, 4, ... until the whole image fits one tile."""
    factors = [1]
    while math.ceil(width / factors[-1]) > tile or math.ceil(height / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return tuple(factors)


def level_size(width: int, height: int, scale: int) -> tuple[int, int]:
    """A level's pixels: ceil, as in the spec's implementation notes and libvips."""
    return math.ceil(width / scale), math.ceil(height / scale)


@dataclass(frozen=True)
class Tile:
    scale: int
    column: int
    row: int
    region: Box  # in full-image pixels
    size: tuple[int, int]  # in level pixels

    @property
    def level_box(self) -> tuple[int, int, int, int]:
        """left, upper, right, lower in level pixels (a Pillow crop box)."""
        x, y = self.region[0] // self.scale, self.region[1] // self.scale
        return x, y, x + self.size[0], y + self.size[1]


def tile_at(width: int, height: int, tile: int, scale: int, column: int, row: int) -> Tile:
    x, y = column * tile * scale, row * tile * scale
    w, h = min(tile * scale, width - x), min(tile * scale, height - y)
    return Tile(scale, column, row, (x, y, w, h), (math.ceil(w / scale), math.ceil(h / scale)))


def level_tiles(width: int, height: int, tile: int, scale: int) -> Iterator[Tile]:
    level_width, level_height = level_size(width, height, scale)
    for row in range(math.ceil(level_height / tile)):
        for column in range(math.ceil(level_width / tile)):
            yield tile_at(width, height, tile, scale, column, row)


def tile_tail(width: int, height: int, tile: Tile, fmt: str = TILE_FORMAT) -> str:
    return canonical_tail(tile.region, tile.size, (width, height), LAYOUT_LIMITS, fmt=fmt)


def stored_tail(info: "PyramidInfo", request: ResolvedRequest, quality: str | None = None) -> str:
    """Where the pyramid would hold the answer to ``request``: named with the layout's limits, not the
    server's, so a "max" file is always the region at full size."""
    return canonical_tail(
        request.region,
        request.size,
        (info.width, info.height),
        LAYOUT_LIMITS,
        request.mirror,
        request.degrees,
        quality or request.quality,
        request.format,
    )


def fixed_size_tail(width: int, height: int, size: tuple[int, int], fmt: str) -> str:
    return canonical_tail((0, 0, width, height), size, (width, height), LAYOUT_LIMITS, fmt=fmt)


class TilePyramid:
    """A built pyramid on disk: finds stored files and reassembles level regions from tiles."""

    def __init__(self, directory: Path, info: PyramidInfo, built_at: datetime | None = None):
        self.directory = Path(directory)
        self.info = info
        self.built_at = built_at  # when it was published: None while it is being built

    @classmethod
    def open(cls, directory: Path) -> "TilePyramid":
        info, stat = PyramidInfo.load_with_stat(directory)
        return cls(directory, info, datetime.fromtimestamp(stat.st_mtime, UTC))

    def stored(self, tail: str) -> Path | None:
        path = self.directory / tail
        return path if path.is_file() else None

    def choose_scale(self, region: Box, size: tuple[int, int], budget: int) -> int:
        """The smallest level that still has at least the requested detail, made coarser only when
        the region at that level would exceed ``budget`` pixels (absurdly distorted sizes)."""
        usable = [s for s in self.info.scale_factors if size[0] * s <= region[2] and size[1] * s <= region[3]]
        scale = max(usable, default=1)
        coarser = [s for s in self.info.scale_factors if s > scale]
        while coarser and (region[2] / scale) * (region[3] / scale) > budget:
            scale = coarser.pop(0)
        return scale

    def extract(self, region: Box, size: tuple[int, int], budget: int = 64_000_000) -> Image.Image:
        """The region scaled to ``size``, computed from the nearest larger level's tiles only."""
        scale = self.choose_scale(region, size, budget)
        x0, y0 = region[0] / scale, region[1] / scale
        x1, y1 = (region[0] + region[2]) / scale, (region[1] + region[3]) / scale
        level_width, level_height = level_size(self.info.width, self.info.height, scale)
        box = (math.floor(x0), math.floor(y0), min(math.ceil(x1), level_width), min(math.ceil(y1), level_height))
        canvas = self.read_level(scale, box)
        exact = (x0, y0, x1, y1) == box and size == canvas.size
        if exact:
            return canvas
        return canvas.resize(size, Image.Resampling.LANCZOS, box=(x0 - box[0], y0 - box[1], x1 - box[0], y1 - box[1]))

    def read_level(self, scale: int, box: tuple[int, int, int, int]) -> Image.Image:
        """Pixels ``box`` (left, upper, right, lower) of one level, pasted together from its tiles."""
        tile = self.info.tile_width
        canvas = Image.new(self.info.mode, (box[2] - box[0], box[3] - box[1]))
        for row in range(box[1] // tile, (box[3] - 1) // tile + 1):
            for column in range(box[0] // tile, (box[2] - 1) // tile + 1):
                spec = tile_at(self.info.width, self.info.height, tile, scale, column, row)
                path = self.directory / tile_tail(self.info.width, self.info.height, spec)
                with Image.open(path) as part:
                    canvas.paste(part.convert(self.info.mode), (column * tile - box[0], row * tile - box[1]))
        return canvas
