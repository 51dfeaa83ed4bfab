"""Attachments: upload, list and download, each through the owner's permission loader (INT-16).

Staff see the attachments of requests, visits and complaints in their regions
(`access.ensure_region`); a technician those of their own visits and of those visits' requests.
Customers never reach them: no customer-facing endpoint lists or serves an attachment (PRV-12).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.attachments import rules
from dispatch.attachments.models import Attachment
from dispatch.attachments.rules import OwnerKind
from dispatch.attachments.storage import attachment_storage
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import (
    NotFound,
    PayloadTooLarge,
    RuleViolation,
    UnsupportedMediaType,
)
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.visits.models import Visit
from dispatch.visits.service import get_for_technician, get_visit


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind
    id: int
    region_id: int | None


def load_owner(session: Session, actor: Actor, kind: str, owner_id: int) -> Owner:
    """Load what an attachment hangs on, as the actor may see it (404/403 otherwise)."""
    kind = OwnerKind(kind)
    if actor.is_technician:
        if kind is OwnerKind.VISIT:
            visit = get_for_technician(session, actor, owner_id)
            return Owner(kind, visit.id, access.region_of_request(visit.request))
        if kind is OwnerKind.REQUEST and _has_visit_on(session, actor, owner_id):
            request = session.get(ServiceRequest, owner_id)  # theirs through their own visit
            return Owner(kind, request.id, access.region_of_request(request))
        raise NotFound(f"{kind.value.capitalize()} {owner_id} not found")
    if kind is OwnerKind.REQUEST:
        request = get_request(session, owner_id, actor=actor)
        return Owner(kind, request.id, access.region_of_request(request))
    if kind is OwnerKind.VISIT:
        visit = get_visit(session, owner_id, actor=actor)
        return Owner(kind, visit.id, access.region_of_request(visit.request))
    from dispatch.complaints.service import get_complaint_for  # complaints link evidence here

    complaint = get_complaint_for(session, actor, owner_id)
    if complaint.region_id is not None:  # a complaint on no job has no region: all staff see it
        access.ensure_region(actor, complaint.region_id, what=f"Complaint {owner_id}")
    return Owner(kind, complaint.id, complaint.region_id)


def _has_visit_on(session: Session, actor: Actor, request_id: int) -> bool:
    if actor.technician_id is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    Visit.request_id == request_id, Visit.technician_id == actor.technician_id
                )
            )
        )
    )


def upload(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    owner_kind: str,
    owner_id: int,
    filename: str | None,
    content_type: str,
    data: bytes,
    note: str | None = None,
) -> Attachment:
    """Store a file on a request, visit or complaint with its uploader and time (INT-16)."""
    owner = load_owner(session, actor, owner_kind, owner_id)
    media = rules.media_of(content_type)
    if media is None:
        allowed = ", ".join(rules.ALLOWED_TYPES)
        raise UnsupportedMediaType(
            f"Files of type {content_type or 'unknown'} are not accepted; send one of {allowed}",
            details={"file": [f"content type must be one of {allowed}"]},
        )
    content_type = content_type.split(";", 1)[0].strip().lower()
    if len(data) > config.attachment_max_bytes:
        raise PayloadTooLarge(
            f"The file is larger than the limit of {config.attachment_max_bytes} bytes",
            details={"file": [f"at most {config.attachment_max_bytes} bytes"]},
        )
    name = rules.clean_filename(filename)
    problem = (
        "the file is empty"
        if not data
        else "the file needs a name"
        if name is None
        else None
        if rules.bytes_match(content_type, data)
        else f"the bytes are not a {content_type} file"
    )
    if problem:
        raise RuleViolation(problem, error_code="attachment_refused", details={"file": [problem]})
    if note is not None and len(note) > rules.NOTE_MAX:
        raise RuleViolation(
            "The note is too long",
            error_code="attachment_refused",
            details={"note": [f"at most {rules.NOTE_MAX} characters"]},
        )
    key = f"{owner.kind}-{owner.id}/{uuid.uuid4().hex}"
    attachment = Attachment(
        owner_kind=owner.kind,
        owner_id=owner.id,
        region_id=owner.region_id,
        media=media,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        note=note or None,
        uploaded_by_id=actor.id,
        uploaded_at=utcnow(),
    )
    audit.add_created(
        session,
        actor=actor,
        obj=attachment,
        action="attachment.uploaded",
        entity="attachment",
        after=attachment.snapshot(),
    )
    # Written once the row exists: a refused upload leaves no file behind.
    attachment_storage(config).write_at(key, 0, data)
    return attachment


def list_for(
    session: Session, actor: Actor, kind: str, owner_id: int, *, after: int = 0, limit: int = 50
) -> list[Attachment]:
    """List the attachments of one owner, oldest first, keyset by id."""
    owner = load_owner(session, actor, kind, owner_id)
    return _page(session, _of(owner.kind, owner.id), after, limit)


def list_for_my_visit(
    session: Session, actor: Actor, visit_id: int, *, after: int = 0, limit: int = 50
) -> list[Attachment]:
    """List the attachments of my visit and of its request, oldest first, keyset by id."""
    visit = get_for_technician(session, actor, visit_id)
    mine = or_(_of(OwnerKind.VISIT, visit.id), _of(OwnerKind.REQUEST, visit.request_id))
    return _page(session, mine, after, limit)


def _of(kind: OwnerKind, owner_id: int):
    return and_(Attachment.owner_kind == kind, Attachment.owner_id == owner_id)


def _page(session: Session, condition, after: int, limit: int) -> list[Attachment]:
    query = (
        select(Attachment)
        .where(condition, Attachment.id > after)
        .order_by(Attachment.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def get_attachment_for(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """Load an attachment whose owner the actor may see (404 otherwise)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"Attachment {attachment_id} not found")
    try:
        load_owner(session, actor, attachment.owner_kind, attachment.owner_id)
    except NotFound as exc:  # never reveal that a file exists elsewhere
        raise NotFound(f"Attachment {attachment_id} not found") from exc
    return attachment


def open_content(
    *, session: Session, actor: Actor, config: Config, attachment_id: int
) -> tuple[Attachment, BinaryIO]:
    """Open the bytes of an attachment the actor may see, for download."""
    attachment = get_attachment_for(session, actor, attachment_id)
    return attachment, attachment_storage(config).open(attachment.storage_key)


def attachments_of(session: Session, ids: list[int]) -> list[Attachment]:
    """Load attachments by id (for linking); unknown ids are simply missing."""
    if not ids:
        return []
    return list(session.scalars(select(Attachment).where(Attachment.id.in_(ids))))
