"""Use cases of technician administration: hire, shifts, absences."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.api.listing import Page, contains, json_list_contains, order, paginate, starts_with
from dispatch.customers.service import phone_or_422
from dispatch.errors import NotFound, RuleViolation
from dispatch.regions.models import Region
from dispatch.technicians.models import DEFAULT_HOURS, Absence, Shift, Technician
from dispatch.users.models import User
from dispatch.users.service import create_user


def create_technician(
    *, session: Session, actor: Actor, phone_region: str, username: str, password: str, **data
) -> Technician:
    """Create a technician with the login the phone app uses."""
    regions = {data["region_id"], *data["extra_region_ids"]}
    known = set(session.scalars(select(Region.id).where(Region.id.in_(regions))))
    if known != regions:
        raise RuleViolation("Unknown region", details={"region_id": sorted(regions - known)})
    user = create_user(
        session=session,
        actor=actor,
        username=username,
        password=password,
        full_name=data["name"],
        role="technician",
        region_ids=sorted(regions),
    )
    data["phone"] = phone_or_422(data["phone"], phone_region)
    data["working_hours"] = data["working_hours"] or dict(DEFAULT_HOURS)
    technician = Technician(user_id=user.id, **data)
    return audit.add_created(
        session,
        actor=actor,
        obj=technician,
        action="technician.created",
        entity="technician",
        after={"name": technician.name, "region_id": technician.region_id},
    )


def get_technician(session: Session, technician_id: int, *, actor: Actor) -> Technician:
    """Load a technician serving one of the actor's regions or raise NotFound."""
    technician = session.get(Technician, technician_id)
    served = (technician.region_id, *(technician.extra_region_ids or [])) if technician else ()
    if technician is None or not any(access.may_see_region(actor, r) for r in served):
        raise NotFound(f"Technician {technician_id} not found")
    return technician


TECHNICIAN_SORTS = {
    "name": order((Technician.name, False), (Technician.id, False)),
    "-name": order((Technician.name, True), (Technician.id, True)),
    "id": order((Technician.id, False)),
    "-id": order((Technician.id, True)),
}


def list_technicians(
    session: Session,
    actor: Actor,
    *,
    sort: str = "name",
    limit: int = 50,
    after: str | None = None,
    region_id: int | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> Page:
    """One page of the technicians serving the actor's regions (home or extra region), with
    their usernames (issue 12);
    `region_id` gives those serving the region (home or extra), `q` a name or username."""
    helping = [  # technicians of other regions who may be sent to mine
        json_list_contains(session, Technician.extra_region_ids, rid)
        for rid in access.visible_region_ids(actor) or ()
    ]
    query = (
        select(Technician)
        .join(User, User.id == Technician.user_id)
        .where(or_(access.region_clause(actor, Technician.region_id), *helping))
        .options(selectinload(Technician.user))
    )
    if region_id is not None:
        query = query.where(
            or_(
                Technician.region_id == region_id,
                json_list_contains(session, Technician.extra_region_ids, region_id),
            )
        )
    if active is not None:
        query = query.where(Technician.active.is_(active))
    if q:
        query = query.where(or_(contains(Technician.name, q), starts_with(User.username, q)))
    return paginate(session, query, sorts=TECHNICIAN_SORTS, sort=sort, limit=limit, after=after)


def _checked_period(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise RuleViolation(
            "The period must end after it starts", details={"ends_at": ["not after starts_at"]}
        )


def add_absence(*, session: Session, actor: Actor, technician_id: int, **data) -> Absence:
    """Record time a technician cannot work; re-plan to move their visits."""
    technician = get_technician(session, technician_id, actor=actor)
    _checked_period(data["starts_at"], data["ends_at"])
    return audit.add_created(
        session,
        actor=actor,
        obj=Absence(technician=technician, **data),
        action="technician.absent",
        entity="absence",
        after={"technician_id": technician.id, "reason": data["reason"]},
    )


def add_shift(*, session: Session, actor: Actor, technician_id: int, **data) -> Shift:
    """Set a technician's working period for one day (replaces the weekly hours)."""
    technician = get_technician(session, technician_id, actor=actor)
    _checked_period(data["starts_at"], data["ends_at"])
    day = data["starts_at"].astimezone(ZoneInfo(technician.region.timezone)).date()
    shift = Shift(technician_id=technician.id, day=day, **data)
    return audit.add_created(
        session,
        actor=actor,
        obj=shift,
        action="technician.shift",
        entity="shift",
        after={"technician_id": technician.id, "day": day.isoformat()},
    )
