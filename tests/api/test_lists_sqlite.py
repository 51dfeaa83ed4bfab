"""The zero-configuration path (SQLite) pages, filters and scopes the lists the same way
(issue 12): JSON region lists, zones of a day, cursors of times."""

from __future__ import annotations

import pytest

from tests.api.test_lists import (  # noqa: F401  (collected again, on SQLite)
    north,
    test_dsp_visits_of_a_day_in_the_region_zone_by_technician_and_status_issue_12,
    test_int_1_requests_page_through_by_keyset_newest_first_issue_12,
    test_rol_users_list_for_admins_and_managers_of_their_regions_issue_12,
    test_technicians_list_with_usernames_by_region_in_constant_statements_issue_12,
)


@pytest.fixture
def backend() -> str:
    return "sqlite"
