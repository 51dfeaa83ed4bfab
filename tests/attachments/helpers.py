"""Short-hands for attachment uploads in tests (INT-16)."""

from __future__ import annotations

import io

from tests.builders import png_bytes

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PNG = png_bytes()


def form(data: bytes, name: str, content_type: str, **fields) -> dict:
    """A multipart form with one file in the field `file`, plus other fields."""
    return {"file": (io.BytesIO(data), name, content_type), **fields}


def upload(client, path: str, headers: dict, data: bytes, name: str, content_type: str, **fields):
    return client.post(
        path,
        headers=headers,
        data=form(data, name, content_type, **fields),
        content_type="multipart/form-data",
    )
