"""Pure rules of the technician's day and the voucher's life."""

from __future__ import annotations

import pytest

from dispatch.idempotency import fingerprint
from dispatch.visits.fieldwork_rules import checkin_distance_m, too_far
from dispatch.vouchers.rules import reconciliation_problems

SITE = (31.19, 121.44)


def test_checkin_distance_is_geodesic_metres():
    # 0.01° of latitude is about 1.1 km anywhere.
    assert checkin_distance_m((31.20, 121.44), SITE) == pytest.approx(1109, rel=0.01)


def test_unknown_positions_have_no_distance_and_are_not_flagged():
    assert checkin_distance_m(None, SITE) is None
    assert checkin_distance_m((31.2, 121.4), (None, None)) is None
    assert too_far(None, 300) is False


def test_too_far_is_strictly_beyond_the_radius():
    assert too_far(300.0, 300) is False and too_far(300.1, 300) is True


def test_vch_19_problems_of_a_completed_job():
    assert reconciliation_problems(
        has_voucher=False, customer_signed=False, countersigned=False, unsigned_reason=None
    ) == ["completed_without_voucher"]
    assert reconciliation_problems(
        has_voucher=True, customer_signed=False, countersigned=True, unsigned_reason=None
    ) == ["not_signed"]
    assert (
        reconciliation_problems(
            has_voucher=True, customer_signed=True, countersigned=True, unsigned_reason=None
        )
        == []
    )


def test_idempotency_fingerprint_tells_body_and_path_apart():
    one = fingerprint("POST", "/mobile/v1/visits/1/depart", b'{"a":1}')
    assert one == fingerprint("POST", "/mobile/v1/visits/1/depart", b'{"a":1}')
    assert one != fingerprint("POST", "/mobile/v1/visits/2/depart", b'{"a":1}')
    assert one != fingerprint("POST", "/mobile/v1/visits/1/depart", b'{"a":2}')
