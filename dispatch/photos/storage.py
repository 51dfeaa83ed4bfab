"""Where photo bytes live: an interface, and the local-disk store chosen by PHOTO_STORAGE.

Uploads arrive in chunks, so a store writes at an offset; writing truncates after the chunk,
because bytes written by a request whose transaction then rolled back must not survive.

Object storage is not built yet. S3 has no append, so its adapter will keep the chunks here
and PUT the finished file once (signed request, no new package); `write_at` stays the seam.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO, Protocol

from dispatch.config import Config

_KEY = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")


class PhotoStorage(Protocol):
    def write_at(self, key: str, offset: int, data: bytes) -> None:
        """Write `data` at `offset` and drop whatever followed it."""

    def open(self, key: str) -> BinaryIO:
        """Open the stored bytes for reading."""

    def sha256(self, key: str) -> str:
        """Return the hex SHA-256 of the stored bytes."""

    def discard(self, key: str) -> None:
        """Remove the stored bytes, if any."""


class LocalDiskStorage:
    """Files under one directory, one file per photo."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):  # keys are ours, but never let one climb out of the root
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    def write_at(self, key: str, offset: int, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "r+b" if path.exists() else "w+b") as file:
            file.seek(offset)
            file.write(data)
            file.truncate(offset + len(data))

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        with self.open(key) as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage_for(config: Config) -> PhotoStorage:
    """Return the store PHOTO_STORAGE names (validated by the config)."""
    root = Path(config.photo_dir) if config.photo_dir else Path(config.instance_path) / "photos"
    return LocalDiskStorage(root)
