"""Content-addressed media storage: each original is stored once, named by its sha256, beside the
IIIF tile pyramid and fixed sizes made from it at upload."""

import os
import tempfile
from pathlib import Path

from iiif.pyramid import PyramidInfo, PyramidMissing, build_pyramid
from iiif.pyramid_layout import fixed_size_tail
from iiif.sizes import THUMBNAIL_BOX, fit_in_box


class MediaStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def original_path(self, sha256: str, extension: str) -> Path:
        return self.root / "originals" / sha256[:2] / sha256[2:4] / f"{sha256}.{extension}"

    def put_original(self, data: bytes, sha256: str, extension: str) -> Path:
        """Write once; a second upload of the same bytes is free. Atomic: never a half-written file."""
        path = self.original_path(sha256, extension)
        return path if path.exists() else self._write(path, data)

    def pyramid_dir(self, sha256: str) -> Path:
        return self.root / "pyramids" / sha256[:2] / sha256

    def pyramid(self, sha256: str) -> PyramidInfo | None:
        try:
            return PyramidInfo.load(self.pyramid_dir(sha256))
        except PyramidMissing:
            return None

    def has_derivatives(self, sha256: str) -> bool:
        return self.pyramid(sha256) is not None

    def derive(self, sha256: str, original: Path, max_pixels: int) -> PyramidInfo:
        """Make an original's derivatives once, at upload (or by `catalogue derive`): its IIIF tile
        pyramid and fixed sizes, oriented and in sRGB, so that no public request decodes an original."""
        return build_pyramid(original, self.pyramid_dir(sha256), max_pixels=max_pixels)

    def fixed_size_path(self, sha256: str, box: int = THUMBNAIL_BOX, fmt: str = "jpg") -> Path | None:
        """The stored whole image fitted into ``box`` (one of iiif.sizes.DERIVATIVE_BOXES)."""
        info = self.pyramid(sha256)
        if info is None:
            return None
        size = fit_in_box(info.width, info.height, box)
        return self.pyramid_dir(sha256) / fixed_size_tail(info.width, info.height, size, fmt)

    def _write(self, path: Path, data: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".write-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path
