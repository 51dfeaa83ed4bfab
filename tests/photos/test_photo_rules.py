"""Pure rules of photo uploads."""

from __future__ import annotations

import pytest

from dispatch.photos import rules
from dispatch.photos.rules import ContentRange


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe1\x00\x00Exif\x00\x00", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\r", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"hello, this is not an image", None),
        (b"GIF89a\x01\x00\x01\x00\x00\x00", None),
    ],
)
def test_int_16_type_is_judged_by_magic_bytes(head, expected):
    assert rules.sniff_type(head) == expected


def test_int_16_start_refuses_other_types_tiny_and_oversized_files():
    assert rules.start_problem("image/jpeg", 5000, 10_000) is None
    assert "content type" in rules.start_problem("image/gif", 5000, 10_000)
    assert "too small" in rules.start_problem("image/png", 11, 10_000)
    assert "larger than" in rules.start_problem("image/png", 10_001, 10_000)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes 0-99/1000", ContentRange(0, 99, 1000)),
        ("bytes 900-999/1000", ContentRange(900, 999, 1000)),
        ("bytes 0-1000/1000", None),  # ends past the file
        ("bytes 10-5/1000", None),
        ("bytes */1000", None),
        ("items 0-9/10", None),
        ("", None),
        (None, None),
    ],
)
def test_content_range_is_read_strictly(header, expected):
    assert rules.parse_content_range(header) == expected


def test_chunk_must_match_its_range_the_declared_size_and_the_limit():
    span = ContentRange(0, 99, 1000)
    assert rules.chunk_problem(span, body_size=100, total=1000, max_chunk=100) is None
    assert "declared size" in rules.chunk_problem(span, body_size=100, total=999, max_chunk=100)
    assert "body has 99" in rules.chunk_problem(span, body_size=99, total=1000, max_chunk=100)
    assert "at most 50" in rules.chunk_problem(span, body_size=100, total=1000, max_chunk=50)


@pytest.mark.parametrize(
    ("start", "end", "received", "expected"),
    [
        (0, 99, 0, 0),  # the next chunk: all new
        (100, 199, 100, 0),
        (0, 99, 100, 100),  # re-sent: nothing new
        (50, 149, 100, 50),  # overlaps: the tail is new
        (0, 99, 300, 100),
        (101, 199, 100, None),  # a gap
    ],
)
def test_resent_and_overlapping_chunks_only_add_unseen_bytes(start, end, received, expected):
    assert rules.new_bytes(ContentRange(start, end, 1000), received) == expected
