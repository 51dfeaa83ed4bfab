"""A booking's audit rows name the rows they describe (the writes are flushed together)."""

from sqlalchemy import select

from dispatch import audit
from dispatch.assignments.models import JobAssignment
from dispatch.db import session_scope
from dispatch.vouchers.models import ServiceVoucher
from tests.booking.morning import book
from tests.routing.day import local


def test_dsp_4_vch_1_a_booking_audits_its_visit_assignment_and_voucher_by_their_ids(
    client, morning
):
    reply = book(client, morning, local(9), local(11))
    assert reply.status_code == 201, reply.get_json()
    visit_id = reply.get_json()["id"]

    with session_scope() as session:
        assignment = session.scalars(
            select(JobAssignment).where(JobAssignment.visit_id == visit_id)
        ).one()
        voucher = session.scalars(
            select(ServiceVoucher).where(ServiceVoucher.visit_id == visit_id)
        ).one()
        visit_actions = [e.action for e in audit.history(session, "visit", visit_id)]
        assigned = audit.history(session, JobAssignment.audit_entity, assignment.id)
        issued = audit.history(session, "voucher", voucher.id)

        assert visit_actions == ["visit.booked"]
        assert [e.action for e in assigned] == ["assignment.created"]
        assert assigned[0].after["visit_id"] == visit_id
        assert assigned[0].after["technician_id"] == assignment.technician_id
        assert [e.action for e in issued] == ["voucher.issued"]
