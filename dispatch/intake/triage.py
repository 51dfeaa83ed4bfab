"""Intake triage: diagnosis, answered without a visit, scope check, missing details.

INT-9, INT-10 and INT-11. Each use case loads the request through the intake loader (which
applies the permission layer), records what staff found on its assessment, and moves the
request's status only through ServiceRequest's methods.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.customers.models import Site
from dispatch.customers.rules import mask_address
from dispatch.intake import clocks, contact_log, rules
from dispatch.intake.assessment import RequestAssessment
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.notifications.service import queue_sms


def _assessment(session: Session, request: ServiceRequest) -> RequestAssessment:
    if request.assessment is None:
        request.assessment = RequestAssessment(request_id=request.id, missing=[])
        session.add(request.assessment)
        session.flush()
    return request.assessment


def record_diagnosis(
    *, session: Session, actor: Actor, request_id: int, diagnosis: str
) -> ServiceRequest:
    """Store the preliminary diagnosis (INT-9); a later one replaces it, audited."""
    request = get_request(session, request_id, actor=actor)
    assessment = _assessment(session, request)
    with audit.audited(session, actor, assessment, "request.diagnosed"):
        assessment.diagnosis = diagnosis
        assessment.diagnosed_at, assessment.diagnosed_by_id = utcnow(), actor.id
    clocks.note_answer(session, request, assessment.diagnosed_at)  # APT-12
    return request


def resolve_without_visit(
    *, session: Session, actor: Actor, request_id: int, answer: str, how: str
) -> ServiceRequest:
    """Close a request answered on the spot or solved remotely, keeping the answer (INT-9)."""
    request = get_request(session, request_id, actor=actor)
    assessment = _assessment(session, request)
    with audit.audited(session, actor, request, "request.resolved_without_visit"):
        request.resolve_remotely()  # InvalidTransition once a visit is under way
        assessment.answer, assessment.answered_how, assessment.answered_at = answer, how, utcnow()
    clocks.note_answer(session, request, assessment.answered_at)  # APT-12
    return request


def check_scope(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    in_scope: bool,
    reason: str | None,
    service_class: str,
) -> ServiceRequest:
    """Record the scope check and service class (INT-10); out of scope ends the request."""
    request = get_request(session, request_id, actor=actor)
    assessment = _assessment(session, request)
    with audit.audited(session, actor, request, "request.scope_checked"):
        if in_scope:
            request.verify()
        else:
            request.rule_out_of_scope()  # final: it can never be scheduled or dispatched
        request.service_class = service_class
        assessment.in_scope, assessment.scope_reason = in_scope, reason
        assessment.scope_checked_at, assessment.scope_checked_by_id = utcnow(), actor.id
    clocks.note_answer(session, request, assessment.scope_checked_at)  # out of scope answers
    return request


def ask_supplement(
    *, session: Session, actor: Actor, request_id: int, missing: list[str]
) -> ServiceRequest:
    """Mark the request as needing the listed details (INT-11); an empty list clears it.

    The customer is told what is missing by SMS.
    """
    request = get_request(session, request_id, actor=actor)
    assessment = _assessment(session, request)
    with audit.audited(session, actor, assessment, "request.supplement_asked"):
        assessment.missing = list(missing)
        assessment.supplement_asked_at = utcnow() if missing else None
    if missing:
        separator = "、" if request.customer.language == "zh-CN" else ", "
        sms = queue_sms(
            session,
            customer=request.customer,
            template="request_needs_supplement",
            number=request.number,
            missing=separator.join(missing),
        )
        contact_log.log_sms(session, request, sms, actor.id)
    return request


def answer_overdue(session: Session, actor: Actor) -> list[ServiceRequest]:
    """Return job requests past the 72 h clock without a specific answer (APT-12), oldest first.

    The request's answer clock says so (intake.clocks): it stops at a diagnosis plus a confirmed
    date, or when the request ended without a visit (answered, out of scope or cancelled).
    """
    query = (
        select(ServiceRequest)
        .join(Site, Site.id == ServiceRequest.site_id)
        .join(clocks.RequestClock, clocks.RequestClock.request_id == ServiceRequest.id)
        .where(
            clocks.RequestClock.answered_at.is_(None),
            clocks.RequestClock.answer_due_at <= utcnow(),
            ServiceRequest.status.not_in(rules.ENDED_WITHOUT_VISIT),
            access.region_clause(actor, Site.region_id),
        )
        .order_by(ServiceRequest.registered_at, ServiceRequest.id)
        .limit(500)
    )
    return list(session.scalars(query))


def confirm_details(
    *, session: Session, actor: Actor, request_id: int, requested_time: str
) -> ServiceRequest:
    """Store that the fault, address and requested time were read back and agreed (INT-6).

    The customer also gets them in a read-back SMS.
    """
    request = get_request(session, request_id, actor=actor)
    assessment = _assessment(session, request)
    with audit.audited(session, actor, assessment, "request.details_confirmed"):
        assessment.requested_time = requested_time
        assessment.details_confirmed_at, assessment.details_confirmed_by_id = utcnow(), actor.id
    sms = queue_sms(
        session,
        customer=request.customer,
        template="request_read_back",
        number=request.number,
        fault=request.fault_description[:120],
        address=mask_address(request.site.address) if request.site else "-",
        requested=requested_time,
    )
    contact_log.log_sms(session, request, sms, actor.id)
    return request


def unconfirmed(
    session: Session, actor: Actor, *, before: int | None, limit: int
) -> list[ServiceRequest]:
    """List open requests whose details nobody confirmed with the customer (INT-6), newest first."""
    query = (
        select(ServiceRequest)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .outerjoin(RequestAssessment, RequestAssessment.request_id == ServiceRequest.id)
        .where(
            RequestAssessment.details_confirmed_at.is_(None),
            ServiceRequest.status.not_in(rules.ENDED_WITHOUT_VISIT | rules.CLOSED_STATES),
            access.region_clause(actor, Site.region_id),
        )
        .order_by(ServiceRequest.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(ServiceRequest.id < before)
    return list(session.scalars(query))
