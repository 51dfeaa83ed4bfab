"""Pure rules of photo uploads: what an image is, how big it may be, where a chunk goes."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("before", "after", "other")
ALLOWED_TYPES = ("image/jpeg", "image/png", "image/webp")
SNIFF_BYTES = 12  # enough for the longest signature (RIFF....WEBP)
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def sniff_type(head: bytes) -> str | None:
    """Return the image type the leading bytes prove, whatever the client called the file."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def start_problem(content_type: str, total_size: int, max_bytes: int) -> str | None:
    """Return why an upload may not start, or None."""
    if content_type not in ALLOWED_TYPES:
        return f"content type must be one of {', '.join(ALLOWED_TYPES)}"
    if total_size < SNIFF_BYTES:
        return "the file is too small to be an image"
    if total_size > max_bytes:
        return f"the photo is larger than the limit of {max_bytes} bytes"
    return None


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int  # inclusive, as HTTP writes it
    total: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_content_range(header: str | None) -> ContentRange | None:
    """Read `bytes start-end/total`; None when absent or malformed."""
    match = _RANGE.match((header or "").strip())
    if not match:
        return None
    start, end, total = (int(g) for g in match.groups())
    if end < start or end >= total:
        return None
    return ContentRange(start, end, total)


def chunk_problem(span: ContentRange, *, body_size: int, total: int, max_chunk: int) -> str | None:
    """Return why a chunk is malformed for this upload, or None."""
    if span.total != total:
        return f"Content-Range total must be the declared size {total}"
    if span.length != body_size:
        return f"Content-Range announces {span.length} bytes but the body has {body_size}"
    if body_size > max_chunk:
        return f"a chunk may have at most {max_chunk} bytes"
    return None


def new_bytes(span: ContentRange, received: int) -> int | None:
    """Return where in the chunk the unseen bytes begin, 0..length; None when it leaves a gap.

    A chunk re-sent after a dropped connection overlaps what arrived: only its tail is new,
    and a chunk received in full has nothing new (length).
    """
    if span.start > received:
        return None
    return min(received - span.start, span.length)
