"""Where attachment bytes live: the photos' local-disk store, in its own folder (INT-16)."""

from __future__ import annotations

from pathlib import Path

from dispatch.config import Config
from dispatch.photos.storage import LocalDiskStorage, PhotoStorage


def attachment_storage(config: Config) -> PhotoStorage:
    """Return the store of attachments: ATTACHMENT_DIR, or instance/attachments."""
    root = (
        Path(config.attachment_dir)
        if config.attachment_dir
        else Path(config.instance_path) / "attachments"
    )
    return LocalDiskStorage(root)
