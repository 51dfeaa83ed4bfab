"""Pure rules of attachments: what may be attached, how big, and what the bytes really are."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from dispatch.photos.rules import sniff_type as sniff_image


class OwnerKind(StrEnum):
    """What an attachment hangs on (INT-16): a request, one of its visits, or a complaint."""

    REQUEST = "request"
    VISIT = "visit"
    COMPLAINT = "complaint"


# The allow-list: content type -> media kind. Anything else is a 415.
ALLOWED_TYPES = {
    "image/jpeg": "photo",
    "image/png": "photo",
    "image/webp": "photo",
    "video/mp4": "video",
    "video/quicktime": "video",
    "application/pdf": "document",
    "text/plain": "document",
}
MEDIA = ("photo", "video", "document")
SNIFF_BYTES = 12
FILENAME_MAX = 200
NOTE_MAX = 500
# The multipart body around the file: the field names, headers, boundaries and a short note.
MULTIPART_OVERHEAD = 16 * 1024
FORM_FIELDS = frozenset({"note"})
FILE_FIELDS = frozenset({"file"})


def media_of(content_type: str) -> str | None:
    """Return photo, video or document for an allowed type; None for any other."""
    return ALLOWED_TYPES.get(content_type.split(";", 1)[0].strip().lower())


def bytes_match(content_type: str, data: bytes) -> bool:
    """Whether the leading bytes are what the declared type claims (never trust the name)."""
    head = data[:SNIFF_BYTES]
    if content_type.startswith("image/"):
        return sniff_image(head) == content_type
    if content_type in ("video/mp4", "video/quicktime"):
        return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")
    if content_type == "application/pdf":
        return data.startswith(b"%PDF-")
    if content_type == "text/plain":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def clean_filename(name: str | None) -> str | None:
    """Return the file's own name without folders or control characters; None when empty."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if kept in ("", ".", ".."):
        return None
    if len(kept) > FILENAME_MAX:
        stem, dot, ext = kept.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        kept = kept[: FILENAME_MAX - len(ext) - 1] + "." + ext if ext else kept[:FILENAME_MAX]
    return kept


def unknown_fields(form_keys, file_keys) -> list[str]:
    """Return the multipart fields an upload does not know (they are refused, 422)."""
    return sorted((set(form_keys) - FORM_FIELDS) | (set(file_keys) - FILE_FIELDS))
