"""Content-addressed media storage: each original is stored once, named by its sha256."""
import os
import tempfile
from pathlib import Path


class MediaStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def original_path(self, sha256: str, extension: str) -> Path:
        return self.root / "originals" / sha256[:2] / sha256[2:4] / f"{sha256}.{extension}"

    def put_original(self, data: bytes, sha256: str, extension: str) -> Path:
        """Write once; a second upload of the same bytes is free. Atomic: never a half-written file."""
        path = self.original_path(sha256, extension)
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path
