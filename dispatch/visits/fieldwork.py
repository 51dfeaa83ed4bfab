"""The technician's day on a visit: en route, on site, working, paused, completed or not."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dispatch import access, audit, numbering
from dispatch.actors import Actor
from dispatch.alerts import service as alerts
from dispatch.audit import audited
from dispatch.booking.eta import eta
from dispatch.booking.follow_on import pending_follow_on
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import InvalidTransition
from dispatch.followups import service as followups
from dispatch.intake.rules import hold_reason
from dispatch.notifications.service import queue_sms
from dispatch.parts import service as parts_catalogue
from dispatch.payments import service as payments
from dispatch.privacy import location
from dispatch.schedule import service as schedule
from dispatch.visits import fieldwork_rules as rules
from dispatch.visits.models import Visit
from dispatch.visits.service import (
    checked_device_time,
    get_for_technician,
    local_clock,
    timezone_of,
    window_text,
)
from dispatch.vouchers import service as vouchers


def _change(session, actor, visit: Visit, action: str, device_time, move, job_move=None):
    """Apply one step to the visit, then the matching step to its job; each is audited."""
    with audited(session, actor, visit, f"visit.{action}", device_time=device_time):
        move()
    if job_move is not None:
        with audited(session, actor, visit.request, f"request.{action}", device_time=device_time):
            job_move(visit.request)


def _zone(visit: Visit, config: Config) -> ZoneInfo:
    return ZoneInfo(timezone_of(visit, config))


def depart(
    *, session: Session, actor: Actor, config: Config, visit_id: int, device_time: datetime
) -> Visit:
    """Set off to a confirmed appointment of today (or a released visit); tell the customer."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    zone = _zone(visit, config)
    _change(
        session,
        actor,
        visit,
        "en_route",
        at,
        lambda: visit.depart(at=at, received_at=utcnow(), zone=zone),
        lambda job: job.set_off(),
    )
    queue_sms(
        session,
        customer=visit.request.customer,
        template="technician_en_route",
        visit_id=visit.id,
        number=visit.number,
        technician=visit.technician.name,
        eta=local_clock(eta(visit, config), visit, config) or "—",
    )
    return visit


def arrive(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    device_time: datetime,
    lat: float | None = None,
    lon: float | None = None,
) -> Visit:
    """Check in at the customer's site; flag a check-in farther than the radius from it.

    The position is sensitive personal information (PIPL art. 28): it is kept with the visit
    only with the technician's separate location consent. Without it the check-in goes on, the
    distance check (VCH-2) is made in passing, and the position itself is dropped.
    """
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    keep = location.consented(session, visit.technician_id)
    site = visit.request.site
    distance = rules.checkin_distance_m(
        (lat, lon) if lat is not None and lon is not None else None,
        (site.lat, site.lon) if site else (None, None),
    )

    def move():
        kept = (lat, lon) if keep else (None, None)
        visit.arrive(at=at, received_at=utcnow(), lat=kept[0], lon=kept[1])
        visit.field_record.check_in(distance, rules.too_far(distance, config.checkin_radius_m))
        tolerance = timedelta(minutes=config.late_arrival_tolerance_minutes)
        visit.field_record.arrived_late = rules.arrived_late(at, visit.window_end, tolerance)

    _change(session, actor, visit, "on_site", at, move, lambda job: job.reach_site())
    return visit


def start_work(*, session: Session, actor: Actor, visit_id: int, device_time: datetime) -> Visit:
    """Start (or resume) the work on site."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    payments.check_work_may_start(visit)
    _change(
        session,
        actor,
        visit,
        "in_progress",
        at,
        lambda: visit.start_work(at=at),
        None if visit.request.working else (lambda job: job.start_work()),  # after a break
    )
    if visit.field_record.lone_working:  # VCH-18: hazardous work without a second person
        region_id = access.region_of_request(visit.request)
        alerts.alert_role(
            session,
            "dispatcher",
            region_id,
            kind="lone_working",
            message=f"Job {visit.number}: hazardous work started without a second person",
        )
    return visit


def safety_check(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    device_time: datetime,
    work_permit: bool,
    safety_briefing: bool,
    hazard_analysis: str | None = None,
    controls: str | None = None,
    guardian_name: str | None = None,
) -> Visit:
    """Record the pre-work checklist of a hazardous job and its second person (VCH-18)."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    if not visit.at_site:
        raise InvalidTransition(f"Visit is {visit.status}; the checklist is done on site")
    check = {
        "work_permit": work_permit,
        "safety_briefing": safety_briefing,
        "hazard_analysis": hazard_analysis,
        "controls": controls,
    }
    visit.field_record.record_safety_check(check, guardian_name, at)
    visit.touch()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="visit.safety_checked",
        entity="visit",
        entity_id=visit.id,
        after=check | {"guardian_name": guardian_name},
        device_time=at,
    )
    return visit


def pause(
    *, session: Session, actor: Actor, visit_id: int, device_time: datetime, reason: str
) -> Visit:
    """Pause the work; for parts, another day or coordination the job is on hold."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    job_move = None if reason == rules.BREAK else (lambda job: job.hold(hold_reason(reason)))
    _change(
        session,
        actor,
        visit,
        "paused",
        at,
        lambda: visit.pause(at=at, reason=reason),
        job_move,
    )
    return visit


def record_work(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    diagnosis: str | None = None,
    work_done: str | None = None,
    solution: str | None = None,
) -> Visit:
    """Write the after-service record: diagnosis, work done, solution."""
    visit = get_for_technician(session, actor, visit_id)
    if not visit.record_open:
        raise InvalidTransition(f"Visit is {visit.status}; its record is closed")
    record = visit.field_record
    before = record.report()
    record.write(diagnosis=diagnosis, work_done=work_done, solution=solution)
    visit.touch()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="visit.record_updated",
        entity="visit",
        entity_id=visit.id,
        before=before,
        after=record.report(),
    )
    return visit


def unable_to_complete(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    device_time: datetime,
    reason: str,
    note: str | None = None,
    return_window_start: datetime | None = None,
    return_window_end: datetime | None = None,
) -> Visit:
    """Leave without finishing: the job waits on hold for a follow-on visit (APT-11, VCH-16).

    Whatever the reason, a follow-on appointment is proposed and the customer is told by SMS;
    who told them and when is kept on the job. The job sits in the dispatch backlog until the
    follow-on appointment is confirmed.
    """
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    why = hold_reason(reason)
    _change(
        session,
        actor,
        visit,
        "unable_to_finish",
        at,
        lambda: visit.give_up(at=at, reason=reason, note=note),
        lambda job: job.hold(why),
    )
    schedule.finish(visit, at)
    # A follow-on the technician already proposed from the site stands (APT-4).
    follow_on = pending_follow_on(session, visit.id) or _follow_up_visit(
        session, actor, config, visit, (return_window_start, return_window_end)
    )
    queue_sms(
        session,
        customer=visit.request.customer,
        template="job_on_hold",
        visit_id=follow_on.id,
        number=visit.request.number,
        reason=why,
        window=window_text(follow_on, config),
    )
    with audited(session, actor, visit.request, "request.customer_told"):
        visit.request.record_customer_told(by_user_id=actor.id, at=utcnow())
    return visit


def _follow_up_visit(session, actor, config, visit: Visit, window) -> Visit:
    """Create the return visit, proposed for the window agreed on site or the same hours tomorrow.

    It is not put on anyone's day yet: the dispatcher books it from the backlog (APT-4).
    """
    start, end = window
    if start is None or end is None or end <= start:
        start, end = visit.window_start + timedelta(days=1), visit.window_end + timedelta(days=1)
    follow_up = Visit(
        number=numbering.next_number(session, "V", utcnow(), timezone_of(visit, config)),
        request=visit.request,
        technician_id=visit.technician_id,
        window_start=start,
        window_end=end,
        duration_minutes=visit.duration_minutes,
        priority=visit.priority,
        required_skill=visit.required_skill,
        required_level=visit.required_level,
        follow_up_of_id=visit.id,
    )
    return audit.add_created(
        session,
        actor=actor,
        obj=follow_up,
        action="visit.follow_up_created",
        entity="visit",
        after=follow_up.snapshot() | {"follow_up_of_id": visit.id},
    )


def complete(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    device_time: datetime,
    service_content: str,
    signature: dict | None = None,
    no_signature: dict | None = None,
    parts: list | None = None,
    labour_minutes: int = 0,
    fee_cents: int = 0,
    collection_method: str | None = None,
    diagnosis: str | None = None,
    work_done: str | None = None,
    solution: str | None = None,
    result: str | None = None,
    anything_else: dict | None = None,
) -> Visit:
    """Finish the work: voucher signed (or why not), fee settled, follow-up (FUP-1); a further
    need the customer names ("anything else?") becomes a linked new request (VCH-12)."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    part_lines = parts_catalogue.priced_lines(session, parts or [])  # name, price: catalogue's
    _change(
        session,
        actor,
        visit,
        "completed",
        at,
        lambda: visit.complete(at=at, received_at=utcnow()),
        lambda job: job.complete(),  # not closed: that needs the archived voucher (VCH-11)
    )
    schedule.finish(visit, at)
    tz = timezone_of(visit, config)
    voucher = vouchers.issue(
        session,
        actor=actor,
        visit=visit,
        tz=tz,
        content={
            "service_content": service_content,
            "parts": part_lines,
            "labour_minutes": labour_minutes,
            "fee_cents": fee_cents,
            "problem": diagnosis or visit.field_record.diagnosis,  # VCH-6: refuses gaps
            "work_done": work_done or visit.field_record.work_done,
            "solution": solution or visit.field_record.solution,
            "result": result,
        },
        at=at,
    )
    if signature is not None:
        vouchers.sign(session, actor=actor, voucher=voucher, role="customer", signature=signature)
    else:
        vouchers.leave_unsigned(session, actor=actor, voucher=voucher, **(no_signature or {}))
    payments.settle(
        session,
        actor=actor,
        voucher=voucher,
        cap_cents=config.onsite_collection_cap_cents,
        collection_method=collection_method,
        at=at,
    )
    followups.schedule_for(session, config=config, visit=visit, tz=tz)
    if anything_else and anything_else.get("needed"):
        _linked_request(session, actor, config, visit, anything_else["description"], tz)
    queue_sms(
        session,
        customer=visit.request.customer,
        template="visit_completed",
        visit_id=visit.id,
        number=visit.number,
        voucher=voucher.number,
    )
    return visit


def _linked_request(session, actor: Actor, config: Config, visit: Visit, need: str, tz: str):
    """Register the customer's further need as a new request linked to this job (VCH-12)."""
    from dispatch.intake.service import register_request

    origin = visit.request
    return register_request(
        session=session,
        actor=actor,
        timezone=tz,
        config=config,
        customer_id=origin.customer_id,
        site_id=origin.site_id,
        asset_id=None,
        request_type=origin.request_type,
        channel="technician_app",
        category=origin.category,
        service_class=origin.service_class,
        fault_description=need,
        origin_request_id=origin.id,
    )


def sign_voucher(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    signer_name: str,
    image: bytes,
    lat: float | None = None,
    lon: float | None = None,
) -> Visit:
    """Take the customer's signature on the phone after completion (e.g. they came back)."""
    visit = get_for_technician(session, actor, visit_id)
    if visit.voucher is None:
        raise InvalidTransition("The visit has no voucher yet; complete it first")
    signature = {"signer_name": signer_name, "image": image, "lat": lat, "lon": lon}
    vouchers.sign(session, actor=actor, voucher=visit.voucher, role="customer", signature=signature)
    visit.needs_manager_review = False
    return visit
