"""Content-addressed media storage: each original is stored once, named by its sha256."""

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

THUMBNAIL_SIZE = (400, 400)


class MediaStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def original_path(self, sha256: str, extension: str) -> Path:
        return self.root / "originals" / sha256[:2] / sha256[2:4] / f"{sha256}.{extension}"

    def put_original(self, data: bytes, sha256: str, extension: str) -> Path:
        """Write once; a second upload of the same bytes is free. Atomic: never a half-written file."""
        path = self.original_path(sha256, extension)
        return path if path.exists() else self._write(path, data)

    def thumbnail_path(self, sha256: str) -> Path:
        return self.root / "derivatives" / sha256[:2] / f"{sha256}-400.jpg"

    def has_derivatives(self, sha256: str) -> bool:
        return self.thumbnail_path(sha256).exists()

    def derive(self, sha256: str, original: Path) -> None:
        """Make an original's derivatives once, at upload (or by `catalogue derive`), so that no public
        request ever decodes an original: a JPEG no larger than 400 px, oriented and in RGB."""
        path = self.thumbnail_path(sha256)
        if path.exists():
            return
        with Image.open(original) as opened:
            opened.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a reduced scale, far less memory
            image = ImageOps.exif_transpose(opened)
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=85)
        self._write(path, out.getvalue())

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
