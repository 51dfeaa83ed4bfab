"""Who hears of a complaint: the customer (CMP-6, CMP-18), its first owner (CMP-2), the people
alerted when it turns major or a unit keeps failing (CMP-9, CMP-10)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch.alerts import service as alerts
from dispatch.clock import utcnow
from dispatch.complaints import rules
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import Compensation
from dispatch.config import Config
from dispatch.customers.models import Asset
from dispatch.errors import LinkInvalid
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.service import queue_sms

LINK_SALT = "complaint-link-v1"
# The progress link lives while the complaint is handled and this long after it closes.
LINK_DAYS_AFTER_CLOSE = 30
STEP_TEXT = {
    "zh-CN": {
        "received": "已收到",
        "registered": "已登记",
        "accepted_for_handling": "已立案",
        "not_accepted": "未予立案",
        "investigating": "调查中",
        "solution_proposed": "已提出处理方案，请确认",
        "appeal_under_review": "申诉复核中",
        "being_resolved": "处理中",
        "resolved": "已处理完毕",
        "closed": "已结案",
        "reopened": "已重新处理",
    },
    "en": {
        "received": "received",
        "registered": "registered",
        "accepted_for_handling": "accepted for handling",
        "not_accepted": "not accepted as a case",
        "investigating": "under investigation",
        "solution_proposed": "a solution is proposed; please confirm it",
        "appeal_under_review": "your appeal is under review",
        "being_resolved": "being resolved",
        "resolved": "resolved",
        "closed": "closed",
        "reopened": "reopened",
    },
}


def link_token(config: Config, complaint: Complaint) -> str:
    """Return the customer's signed progress-link token of a complaint (CMP-18)."""
    return URLSafeSerializer(config.secret_key, salt=LINK_SALT).dumps(complaint.link_jti)


def link_url(config: Config, complaint: Complaint) -> str:
    return f"{config.public_base_url}/c/{link_token(config, complaint)}"


def complaint_of_link(session: Session, config: Config, token: str) -> Complaint:
    """Return the complaint behind a progress-link token, or raise LinkInvalid."""
    try:
        jti = URLSafeSerializer(config.secret_key, salt=LINK_SALT).loads(token)
    except BadSignature as exc:
        raise LinkInvalid("This link is not valid", error_code="link_tampered") from exc
    complaint = session.scalars(select(Complaint).where(Complaint.link_jti == jti)).one_or_none()
    if complaint is None:
        raise LinkInvalid("This link is not valid", error_code="link_unknown")
    if (
        complaint.closed_at
        and complaint.closed_at + timedelta(days=LINK_DAYS_AFTER_CLOSE) <= utcnow()
    ):
        raise LinkInvalid("This link has expired", error_code="link_expired")
    return complaint


def acknowledge(session: Session, config: Config, complaint: Complaint) -> None:
    """Send the acknowledgement: number, handling steps, expected processing time (CMP-6)."""
    resolution = complaint.clock("resolution")
    expected = resolution.due_at.astimezone(ZoneInfo(complaint.timezone)) if resolution else None
    queue_sms(
        session,
        customer=complaint.customer,
        template="complaint_received",
        number=complaint.number,
        expected=expected.strftime("%Y-%m-%d %H:%M") if expected else "-",
        link=link_url(config, complaint),
    )
    # The manager, customer service and whoever decides the case opening hear of it at once.
    targets = [
        user
        for role in rules.opened_alerted(complaint.severity)
        for user in alerts.users_with_role(session, role, complaint.region_id)
    ]
    alerts.alert(
        session,
        targets,
        kind="complaint.opened",
        message=f"Complaint {complaint.number} ({complaint.nature}, {complaint.category})",
        complaint_id=complaint.id,
    )


def after_change(
    session: Session, config: Config, complaint: Complaint, moves: list[str], note: str = ""
) -> None:
    """Re-evaluate the triggers (CMP-9); tell the first owner and the customer of the moves."""
    reclassify(session, config, complaint)
    if not moves:
        return
    if complaint.first_owner_id != complaint.owner_id:  # CMP-2: progress until closure
        alerts.alert(
            session,
            [complaint.first_owner_id],
            kind="complaint.progress",
            message=f"Complaint {complaint.number} is now {complaint.status}",
            complaint_id=complaint.id,
        )
    shown = [rules.CUSTOMER_STEPS[m] for m in moves if m in rules.CUSTOMER_STEPS]
    if shown:
        step = shown[-1]  # CMP-18: each change that affects the customer
        language = complaint.customer.language
        queue_sms(
            session,
            customer=complaint.customer,
            template="complaint_update",
            number=complaint.number,
            step=STEP_TEXT.get(language, STEP_TEXT["en"]).get(step, step.replace("_", " ")),
            note=f"{note} " if note else "",
            link=link_url(config, complaint),
        )


def reclassify(session: Session, config: Config, complaint: Complaint) -> None:
    """Make the complaint major when a trigger applies (CMP-9); flag repeat repairs (CMP-10)."""
    ticked = list(complaint.major_triggers or [])
    if complaint.id and session.scalar(
        select(func.count()).where(Compensation.complaint_id == complaint.id)
    ):
        ticked.append("compensation")
    triggers = rules.major_triggers(ticked, complaint.damage_cents, config.major_damage_cents)
    if triggers != complaint.major_triggers:
        complaint.major_triggers = triggers
    if triggers and not complaint.supervised_by_cs:
        complaint.severity, complaint.supervised_by_cs = "major", True
        for role in rules.MAJOR_ALERTED:
            alerts.alert_role(
                session,
                role,
                complaint.region_id,
                kind="complaint.major",
                message=f"Major complaint {complaint.number}: {', '.join(triggers)}",
                complaint_id=complaint.id,
            )
    if not complaint.repeat_repair_candidate and _repeat_repairs(session, config, complaint):
        complaint.repeat_repair_candidate = True
        alerts.alert_role(
            session,
            rules.Role.CUSTOMER_SERVICE,
            complaint.region_id,
            kind="complaint.repeat_repair",
            message=f"Complaint {complaint.number}: repeat repairs of one unit",
            complaint_id=complaint.id,
        )


def _repeat_repairs(session: Session, config: Config, complaint: Complaint) -> bool:
    """Count repairs of the unit, found by serial number across customers and sites (CMP-10)."""
    if complaint.request_id is None:
        return False
    asset = session.scalar(
        select(Asset)
        .join(ServiceRequest, ServiceRequest.asset_id == Asset.id)
        .where(ServiceRequest.id == complaint.request_id)
    )
    if asset is None:
        return False
    same_unit = (
        func.upper(func.trim(Asset.serial)) == asset.serial.strip().upper()
        if asset.serial and asset.serial.strip()
        else Asset.id == asset.id
    )
    since = utcnow() - timedelta(days=config.repeat_repair_days)
    count = session.scalar(
        select(func.count())
        .select_from(ServiceRequest)
        .join(Asset, ServiceRequest.asset_id == Asset.id)
        .where(
            same_unit,
            ServiceRequest.request_type == "repair",
            ServiceRequest.registered_at >= since,
        )
    )
    return rules.repeat_repair(count or 0, config.repeat_repair_count)


def progress(complaint: Complaint) -> dict:
    """Return the limited view of the customer's link (CMP-18; nothing internal, PRV-12)."""
    timeline = [{"step": "received", "at": complaint.received_at}] + [
        {"step": rules.CUSTOMER_STEPS[s.status], "at": s.at}
        for s in complaint.steps
        if s.status in rules.CUSTOMER_STEPS
    ]
    shows_solution = complaint.plan_steps is not None
    return {
        "number": complaint.number,
        "step": rules.CUSTOMER_STEPS.get(complaint.status, timeline[-1]["step"]),
        "timeline": timeline,
        "solution": complaint.plan_steps if shows_solution else None,
        "remedies": complaint.plan_remedies if shows_solution else None,
        "can_answer": complaint.status == rules.ComplaintStatus.SOLUTION_PROPOSED,
    }
