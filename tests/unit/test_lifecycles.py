"""Lifecycles as data (issue 10 §2): each entity's table, and model methods that obey it.

No database: models are built in memory and only their transition methods are exercised.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dispatch.booking.models import Appointment
from dispatch.complaints.models import Complaint
from dispatch.complaints.rules import COMPLAINT_LIFECYCLE, ComplaintStatus
from dispatch.errors import Conflict, InvalidTransition, RuleViolation
from dispatch.followups.models import FollowUp
from dispatch.followups.rules import FOLLOWUP_LIFECYCLE, FollowUpStatus
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_LIFECYCLE, HoldReason, JobStatus, close_problem, hold_reason
from dispatch.visits.models import Visit
from dispatch.visits.rules import (
    APPOINTMENT_LIFECYCLE,
    VISIT_LIFECYCLE,
    AppointmentStatus,
    VisitStatus,
    departure_problem,
    time_order_problem,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday

LIFECYCLES = [
    (JOB_LIFECYCLE, JobStatus),
    (VISIT_LIFECYCLE, VisitStatus),
    (APPOINTMENT_LIFECYCLE, AppointmentStatus),
    (COMPLAINT_LIFECYCLE, ComplaintStatus),
    (FOLLOWUP_LIFECYCLE, FollowUpStatus),
]


@pytest.mark.parametrize(("lifecycle", "states"), LIFECYCLES)
def test_every_state_has_one_row_and_every_move_stays_inside_the_enum(lifecycle, states):
    assert lifecycle.states == set(states)
    for targets in lifecycle.table.values():
        assert targets <= set(states)


@pytest.mark.parametrize(("lifecycle", "states"), LIFECYCLES)
def test_every_state_but_the_first_can_be_reached(lifecycle, states):
    reachable = set().union(*lifecycle.table.values())
    first = next(iter(states))
    assert set(states) - {first} <= reachable


def test_job_states_follow_the_requirements_chain():
    chain = [
        JobStatus.REGISTERED,
        JobStatus.VERIFIED,
        JobStatus.SCHEDULED,
        JobStatus.ASSIGNED,
        JobStatus.ACCEPTED,
        JobStatus.EN_ROUTE,
        JobStatus.ON_SITE,
        JobStatus.IN_PROGRESS,
        JobStatus.ON_HOLD,
        JobStatus.IN_PROGRESS,
        JobStatus.COMPLETED,
        JobStatus.CLOSED,
        JobStatus.REOPENED,
        JobStatus.ASSIGNED,
    ]
    for current, to in zip(chain, chain[1:], strict=False):
        assert JOB_LIFECYCLE.allows(current, to), (current, to)


@pytest.mark.parametrize("side_exit", ["resolved_remotely", "out_of_scope", "cancelled"])
def test_side_exits_are_final(side_exit):
    assert JOB_LIFECYCLE.final(side_exit)


@pytest.mark.parametrize(
    "state", ["en_route", "on_site", "in_progress", "on_hold", "completed", "closed"]
)
def test_a_job_cannot_be_cancelled_once_someone_set_off_or_later(state):
    assert not JOB_LIFECYCLE.allows(state, JobStatus.CANCELLED) or state == "en_route"
    assert not ServiceRequest(status=state).cancels_with_visit


def _request(status: str = JobStatus.REGISTERED) -> ServiceRequest:
    return ServiceRequest(status=status, registered_at=T0, owner_id=1)


def test_vch_11_request_cannot_close_before_it_is_completed():
    request = _request(JobStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        request.close(voucher_archived=True, customer_confirmed=True, by_user_id=1, at=T0)


@pytest.mark.parametrize(
    ("archived", "confirmed", "error_code"),
    [
        (False, True, "voucher_not_archived"),
        (True, False, "fix_not_confirmed"),
        (False, False, "voucher_not_archived"),
    ],
)
def test_vch_11_completed_job_closes_only_with_archived_voucher_and_confirmed_fix(
    archived, confirmed, error_code
):
    request = _request(JobStatus.COMPLETED)
    with pytest.raises(RuleViolation) as refused:
        request.close(voucher_archived=archived, customer_confirmed=confirmed, by_user_id=1, at=T0)
    assert refused.value.error_code == error_code
    assert request.status == JobStatus.COMPLETED
    request.close(voucher_archived=True, customer_confirmed=True, by_user_id=7, at=T0)
    assert (request.status, request.closed_by_id, request.closed_at) == ("closed", 7, T0)


def test_apt_11_job_on_hold_leaves_only_through_an_appointment_or_resumed_work():
    request = _request(JobStatus.IN_PROGRESS)
    request.hold(HoldReason.PARTS)
    assert (request.status, request.hold_reason) == ("on_hold", "parts")
    with pytest.raises(InvalidTransition):
        request.complete()
    request.resume_by_appointment()
    assert (request.status, request.hold_reason) == ("scheduled", None)


def test_a_job_already_on_hold_takes_the_newer_reason():
    request = _request(JobStatus.ON_SITE)
    request.hold(HoldReason.PARTS)
    request.hold(HoldReason.NOT_FINISHED_TODAY)
    assert (request.status, request.hold_reason) == ("on_hold", "not_finished_today")


def test_reopen_works_from_completed_or_closed_only():
    assert _request(JobStatus.COMPLETED).reopen() is True
    assert _request(JobStatus.CLOSED).reopen() is True
    waiting = _request(JobStatus.REGISTERED)
    assert waiting.reopen() is False and waiting.status == JobStatus.REGISTERED


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("needs_parts", "parts"),
        ("parts", "parts"),
        ("not_finished_today", "not_finished_today"),
        ("coordination", "coordination"),
        ("customer_absent", "coordination"),
        ("unsafe", "coordination"),
    ],
)
def test_apt_11_every_unable_reason_maps_to_an_on_hold_reason(reason, expected):
    assert hold_reason(reason) == expected


def test_close_problem_is_none_when_both_conditions_hold():
    assert close_problem(voucher_archived=True, customer_confirmed=True) is None


def _visit(appointment_status=AppointmentStatus.CONFIRMED, **fields) -> Visit:
    values = {
        "status": VisitStatus.SCHEDULED,
        "appointment": Appointment(status=appointment_status, reschedule_count=0),
        "window_start": T0,
        "window_end": T0 + timedelta(hours=2),
        "request": _request(JobStatus.SCHEDULED),
    }
    return Visit(**(values | fields))


def test_departure_needs_a_confirmed_appointment():
    visit = _visit(appointment_status=AppointmentStatus.PROPOSED)
    with pytest.raises(RuleViolation) as refused:
        visit.depart(at=T0, received_at=T0, zone=SHANGHAI)
    assert refused.value.error_code == "appointment_not_confirmed"
    assert visit.status == VisitStatus.SCHEDULED


def test_departure_three_days_early_is_refused_even_when_confirmed():
    visit = _visit(window_start=T0 + timedelta(days=3), window_end=T0 + timedelta(days=3, hours=2))
    with pytest.raises(RuleViolation) as refused:
        visit.depart(at=T0, received_at=T0, zone=SHANGHAI)
    assert refused.value.error_code == "visit_not_today"


def test_local_day_decides_not_the_utc_day():
    # 00:30 in Shanghai on the 8th is still the 7th in UTC: a window on the 7th is not today.
    at = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    visit = _visit()
    with pytest.raises(RuleViolation):
        visit.depart(at=at, received_at=at, zone=SHANGHAI)


def test_released_visit_departs_unconfirmed_on_another_day():
    visit = _visit(appointment_status=AppointmentStatus.PROPOSED, window_start=T0 + timedelta(3))
    visit.window_end = visit.window_start + timedelta(hours=2)
    visit.release(by_user_id=3, reason="Customer phoned", at=T0)
    visit.depart(at=T0, received_at=T0, zone=SHANGHAI)
    assert visit.status == VisitStatus.EN_ROUTE


def test_device_times_must_follow_depart_arrive_start_complete():
    visit = _visit()
    visit.depart(at=T0, received_at=T0, zone=SHANGHAI)
    with pytest.raises(RuleViolation) as early:
        visit.arrive(at=T0 - timedelta(minutes=1), received_at=T0)
    assert early.value.error_code == "device_time_out_of_order"
    visit.arrive(at=T0 + timedelta(minutes=20), received_at=T0)
    visit.start_work(at=T0 + timedelta(minutes=30))
    with pytest.raises(RuleViolation):
        visit.complete(at=T0 + timedelta(minutes=25), received_at=T0)
    assert visit.status == VisitStatus.IN_PROGRESS
    visit.complete(at=T0 + timedelta(minutes=90), received_at=T0)
    assert (visit.status, visit.appointment.status) == ("completed", "completed")


def test_visit_moves_outside_the_table_raise_invalid_transition():
    visit = _visit()
    with pytest.raises(InvalidTransition):
        visit.arrive(at=T0, received_at=T0)
    visit.cancel("Customer fixed it")
    assert (visit.status, visit.appointment.status) == ("cancelled", "cancelled")
    with pytest.raises(InvalidTransition):
        visit.confirm(at=T0)


def test_only_a_waiting_visit_is_released():
    visit = _visit(status=VisitStatus.EN_ROUTE)
    with pytest.raises(InvalidTransition):
        visit.release(by_user_id=1, reason="x", at=T0)


def test_apt_11_confirming_the_follow_on_appointment_takes_the_job_off_hold():
    request = _request(JobStatus.ON_HOLD)
    visit = _visit(appointment_status=AppointmentStatus.PROPOSED, request=request)
    assert visit.confirm(at=T0) is True
    assert request.status == JobStatus.SCHEDULED
    assert visit.confirm(at=T0) is False  # idempotent


def test_hold_records_the_technician_who_lost_the_visit():
    visit = _visit(technician_id=4, duration_minutes=60)
    visit.hold(5, T0)
    visit.hold(5, T0 + timedelta(minutes=30))  # same technician: nothing lost
    visit.hold(None, None)
    assert [r.technician_id for r in visit.reassignments] == [4, 5]


@pytest.mark.parametrize(("at_minutes", "expected"), [(-1, "en_route_at"), (0, None), (5, None)])
def test_time_order_problem_names_the_step_it_precedes(at_minutes, expected):
    steps = {"en_route_at": T0, "arrived_at": None}
    assert time_order_problem(T0 + timedelta(minutes=at_minutes), steps) == expected


def test_departure_problem_rule():
    today = date(2026, 12, 7)
    assert departure_problem(confirmed=True, window_day=today, today=today, released=False) is None
    assert departure_problem(confirmed=False, window_day=today, today=today, released=True) is None
    problem = departure_problem(
        confirmed=True, window_day=today + timedelta(days=3), today=today, released=False
    )
    assert problem[0] == "visit_not_today"


def test_complaint_moves_along_its_table_only():
    complaint = Complaint(status=ComplaintStatus.RECEIVED)
    assert complaint.move(ComplaintStatus.REGISTERED) == "received"
    with pytest.raises(InvalidTransition):
        complaint.move(ComplaintStatus.INVESTIGATING)  # CMP-11: not before case opening
    with pytest.raises(InvalidTransition):
        complaint.move(ComplaintStatus.CLOSED)  # CMP-19: not without resolution and follow-up
    steps = ("case_opened", "assigned", "investigating", "solution_proposed", "accepted")
    for step in (*steps, "resolving", "resolved", "follow_up", "closed"):
        complaint.move(ComplaintStatus(step))
    assert [s.status for s in complaint.steps][-2:] == ["follow_up", "closed"]  # CMP-18
    assert not complaint.is_open
    complaint.move(ComplaintStatus.REOPENED)
    assert complaint.is_open


def test_followup_answers_follow_its_table():
    followup = FollowUp(status=FollowUpStatus.SCHEDULED, deadline_at=T0)
    with pytest.raises(InvalidTransition):
        followup.answer({"rating": 5}, via="link", at=T0)  # not sent yet
    followup.mark_sent(T0)
    with pytest.raises(InvalidTransition):
        followup.answer({"rating": 5}, via="phone", at=T0)  # phone only as a phone task
    followup.answer({"rating": 5, "problem_solved": True}, via="link", at=T0)
    assert followup.confirms_fix and followup.completed
    for via in ("link", "phone"):  # FUP-8: a completed follow-up is read-only
        with pytest.raises(Conflict) as refused:
            followup.answer({"rating": 1}, via=via, at=T0)
        assert refused.value.error_code == "followup_completed"
    assert followup.rating == 5
    with pytest.raises(InvalidTransition):
        followup.mark_sent(T0)


def test_followup_without_solved_answer_does_not_confirm_the_fix():
    followup = FollowUp(status=FollowUpStatus.SENT, deadline_at=T0)
    followup.answer({"rating": 4, "problem_solved": None}, via="link", at=T0)
    assert not followup.confirms_fix


def test_a_route_plan_runs_once_and_is_decided_once():
    from datetime import UTC, datetime

    from dispatch.routing.models import RoutePlan
    from dispatch.routing.rules import PlanStatus

    at = datetime(2026, 12, 7, 8, tzinfo=UTC)
    plan = RoutePlan(status=PlanStatus.QUEUED)
    plan.start()
    plan.finish(solver="vroom", result={"routes": []}, at=at)
    assert plan.status == PlanStatus.READY and plan.progress == 100
    plan.accept(at)
    for move in (plan.start, lambda: plan.discard(at), lambda: plan.accept(at)):
        with pytest.raises(InvalidTransition):
            move()
    failed = RoutePlan(status=PlanStatus.QUEUED)
    failed.start()
    failed.fail(error="no travel matrix", at=at)
    with pytest.raises(InvalidTransition):
        failed.accept(at)
