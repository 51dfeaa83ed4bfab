"""Drive a chunked photo upload from the technician's phone."""

from __future__ import annotations

import hashlib
import os

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def jpeg(size: int = 3000) -> bytes:
    """Return bytes that start like a JPEG (the store judges type by the leading bytes)."""
    return JPEG_HEAD + os.urandom(size - len(JPEG_HEAD))


def start(client, headers, visit_id: int, data: bytes, key: str | None = None, **overrides):
    body = {
        "kind": "before",
        "caption": "Worn belt",
        "content_type": "image/jpeg",
        "total_size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    } | overrides
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"/mobile/v1/visits/{visit_id}/photos", headers=headers | extra, json=body)


def put_chunk(client, headers, photo_id: int, data: bytes, start_at: int, end_at: int, **extra):
    """PUT data[start_at:end_at] (end exclusive) with its Content-Range."""
    return client.put(
        f"/mobile/v1/photos/{photo_id}/content",
        headers=headers | {"Content-Range": f"bytes {start_at}-{end_at - 1}/{len(data)}"} | extra,
        data=data[start_at:end_at],
        content_type="application/octet-stream",
    )
