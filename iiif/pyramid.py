"""Building an image's tile pyramid once, at upload: tiles and fixed sizes at their canonical IIIF URL
tails, built in a folder beside the target and renamed into place, so readers never see half of one."""

import os
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from iiif import pyramid_pillow, pyramid_vips
from iiif.pyramid_layout import (
    DESCRIPTOR,
    FIXED_SIZE_FORMATS,
    TILE_SIZE,
    PyramidInfo,
    PyramidMissing,
    TilePyramid,
    fixed_size_tail,
    scale_factors,
)
from iiif.pyramid_pillow import JPEG_QUALITY, UnreadableImage
from iiif.sizes import derivative_sizes

__all__ = ["DESCRIPTOR", "PyramidInfo", "PyramidMissing", "UnreadableImage", "build_pyramid", "choose_engine"]

MAX_PIXELS = 150_000_000
ENGINES = ("auto", "pillow", "vips")


def choose_engine(engine: str = "auto") -> str:
    """ "auto" is libvips when pyvips imports (faster, streams large images), else Pillow."""
    if engine not in ENGINES:
        raise ValueError(f"unknown pyramid engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "vips" and not pyramid_vips.available():
        raise RuntimeError("the vips pyramid engine needs pyvips (pip install pyvips pyvips-binary)")
    if engine == "auto":
        return "vips" if pyramid_vips.available() else "pillow"
    return engine


def build_pyramid(
    source_path: Path, target_dir: Path, *, engine: str = "auto", max_pixels: int = MAX_PIXELS
) -> PyramidInfo:
    """Build the pyramid of ``source_path`` at ``target_dir`` unless one is already there (then this is
    a no-op). Raises UnreadableImage for files that are not readable images."""
    target_dir = Path(target_dir)
    try:
        return PyramidInfo.load(target_dir)
    except PyramidMissing:
        pass
    engine = choose_engine(engine)
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.", suffix=".building", dir=target_dir.parent))
    os.chmod(work, 0o755)  # mkdtemp makes it private; the web server may run as another user
    try:
        info = _build_into(Path(source_path), work, engine, max_pixels)
        return _publish(work, target_dir, info)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _build_into(source: Path, work: Path, engine: str, max_pixels: int) -> PyramidInfo:
    builder = pyramid_vips if engine == "vips" else pyramid_pillow
    width, height, mode = builder.build_tiles(source, work, TILE_SIZE, max_pixels)
    info = PyramidInfo(
        width=width,
        height=height,
        tile_width=TILE_SIZE,
        scale_factors=scale_factors(width, height),
        sizes=tuple(derivative_sizes(width, height)),
        mode=mode,
        build_id=uuid.uuid4().hex,
        engine=engine,
    )
    write_fixed_sizes(TilePyramid(work, info))
    info.dump(work)  # last: a folder with pyramid.json is complete
    return info


def write_fixed_sizes(pyramid: TilePyramid) -> None:
    """The sizes of iiif.sizes as JPEG and WebP: the largest from the tiles (the nearest larger level),
    each smaller one from the one above it, encoded on all cores. A size that is also a tile (a small
    image's only tile) is already there."""
    info = pyramid.info
    images: dict[tuple[int, int], Image.Image] = {}
    larger: Image.Image | None = None
    for size in sorted(info.sizes, reverse=True):
        if larger is None:
            larger = pyramid.extract((0, 0, info.width, info.height), size)
        else:
            larger = larger.resize(size, Image.Resampling.LANCZOS)
        images[size] = larger
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs = [
            pool.submit(_save_new, image, pyramid.directory / fixed_size_tail(info.width, info.height, size, fmt), fmt)
            for size, image in images.items()
            for fmt in FIXED_SIZE_FORMATS
        ]
        for job in jobs:
            job.result()


def _save_new(image: Image.Image, path: Path, fmt: str) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _save(image, path, fmt)


def _save(image: Image.Image, path: Path, fmt: str) -> None:
    if fmt == "webp":
        image.save(path, "WEBP", quality=80, method=2)  # method 4 is 3-4x slower for 4 % smaller files
    else:
        image.save(path, "JPEG", quality=JPEG_QUALITY)


def _publish(work: Path, target: Path, info: PyramidInfo) -> PyramidInfo:
    """One rename makes the pyramid visible. If another process won the race, keep its pyramid."""
    try:
        os.rename(work, target)
    except OSError:
        existing = PyramidInfo.load(target)  # PyramidMissing if the target is something else
        shutil.rmtree(work, ignore_errors=True)
        return existing
    return info
