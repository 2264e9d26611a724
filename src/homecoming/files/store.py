"""Where file contents live: a folder by default, addressed by checksum so the same content is stored once.

`homecoming.files.store_s3.S3Store` keeps them in an S3-compatible bucket instead (HOMECOMING_FILES_STORE=s3).
Both keep originals under `private/` and metadata-free copies under `public/`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol


class FileStore(Protocol):
    def put(self, key: str, content: bytes) -> bool: ...  # True when the content was not stored before

    def read(self, key: str) -> bytes: ...

    def remove(self, key: str) -> None: ...

    def keys(self) -> list[str]: ...  # every stored key, sorted


class FolderStore:
    """Originals under `private/`, metadata-free copies under `public/` (the only folder a web server may serve)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, content: bytes) -> bool:
        target = self.path(key)
        if target.is_file() and target.stat().st_size == len(content):
            return False  # content-addressed: same key, same content
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, target)  # atomic: a reader never sees half a file
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())


def original_key(sha256: str, suffix: str) -> str:
    return f"private/{sha256[:2]}/{sha256}{suffix}"


def public_key(sha256: str, suffix: str) -> str:
    return f"public/{sha256[:2]}/{sha256}{suffix}"
