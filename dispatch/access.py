"""The one permission layer: which regions and records an actor may see.

Every service loader and list query takes the actor and asks this module (DESIGN §7,
"Permissions live in loaders"); views only name the roles of an operation
(`dispatch.users.rules`). A record outside the actor's reach answers 404, as if it did not
exist, so probing ids tells nothing.

The rules:

- Head-office roles (`rules.ALL_REGION_ROLES`) and the system see every region; everyone else
  the regions their user record lists (carried in the token, ROL-2).
- A request, visit, voucher, follow-up, photo, job part or assessment lies in the region of the
  request's site (a request without a site, such as a consultation, lies with its customer:
  `ensure_request`; a visit always has a site); a complaint in its
  own `region_id` (none yet: every back-office member may route it); a plan in its region.
- A customer lies in the regions of their sites. A customer without a placed site (just
  registered at the front desk, or only sites outside every region) belongs to no region yet:
  back-office staff may see them so intake can finish; once a site is placed, its region rules.
- A job handed to another region (DSP-13, `job_transfers`) lies in the receiving region as
  well: its staff read and act on the job, its visits and what hangs off them, while the
  sending region keeps sight through the site (or, after a further handover, as a receiver).
- A customer acting through a link sees only their own file, requests and visits.
- A technician sees only visits assigned to them (others' are 404, never 403).
- A technician sees the customer's phone and full address (PRV-4) only from acceptance until
  `personal_data_days` after closure. *Accepted* means the visit is theirs and either the
  customer confirmed the appointment or the technician has set off (a visit released by the
  dispatcher may start unconfirmed). *Closed* means completed or unable to finish, counted from
  when the server received the completion (the visit's last change when no completion time is
  recorded). A cancelled visit or a merely proposed appointment shows the masked phone only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, false, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from dispatch.actors import Actor
from dispatch.errors import NotFound
from dispatch.users.rules import ALL_REGION_ROLES, Role
from dispatch.visits.rules import AppointmentStatus as A
from dispatch.visits.rules import VisitStatus as V

# Visit and appointment states that matter for PRV-4.
SET_OFF_STATES = frozenset({V.EN_ROUTE, V.ON_SITE, V.IN_PROGRESS, V.PAUSED})
CLOSED_STATES = frozenset({V.COMPLETED, V.UNABLE_TO_FINISH})
CONFIRMED_APPOINTMENTS = frozenset({A.CONFIRMED, A.COMPLETED})


def visible_region_ids(actor: Actor) -> tuple[int, ...] | None:
    """Return the regions `actor` may see, or None for every region."""
    if actor.kind == "system" or actor.role in ALL_REGION_ROLES:
        return None
    return tuple(actor.region_ids)


def region_clause(actor: Actor, column) -> ColumnElement[bool]:
    """A SQL condition limiting `column` (a region id column) to the actor's regions."""
    regions = visible_region_ids(actor)
    if regions is None:
        return true()
    if not regions:
        return false()
    return column.in_(regions)


def may_see_region(actor: Actor, region_id: int | None) -> bool:
    regions = visible_region_ids(actor)
    return regions is None or (region_id is not None and region_id in regions)


def ensure_region(actor: Actor, region_id: int | None, *, what: str = "Record") -> None:
    """Raise NotFound (never revealing existence) unless the actor may see `region_id`."""
    if not may_see_region(actor, region_id):
        raise NotFound(f"{what} not found")


# Customers ---------------------------------------------------------------------------------


def customer_clause(actor: Actor, customer_id_column) -> ColumnElement[bool]:
    """A SQL condition limiting customers (by their id column) to those the actor may see."""
    from dispatch.customers.models import Site

    if actor.kind == "customer":
        return customer_id_column == actor.id
    if visible_region_ids(actor) is None:
        return true()
    site = aliased(Site)  # never correlated with a Site the outer query already joins
    placed = select(site.id).where(
        site.customer_id == customer_id_column, site.region_id.is_not(None)
    )
    mine = placed.where(region_clause(actor, site.region_id))
    return or_(~exists(placed), exists(mine))


def ensure_customer(actor: Actor, customer) -> None:
    """Raise NotFound unless the actor may see this customer (see the module's rules)."""
    if actor.kind == "customer":
        if customer.id != actor.id:
            raise NotFound(f"Customer {customer.id} not found")
        return
    if visible_region_ids(actor) is None:
        return
    placed = [site.region_id for site in customer.sites if site.region_id is not None]
    if placed and not any(may_see_region(actor, region_id) for region_id in placed):
        raise NotFound(f"Customer {customer.id} not found")


# Requests, visits and what hangs off them -------------------------------------------------


def region_of_request(request) -> int | None:
    return request.site.region_id if request.site else None


def site_clause(actor: Actor, site_id_column) -> ColumnElement[bool]:
    """A SQL condition limiting rows that reference a site (requests) to the actor's regions."""
    from dispatch.customers.models import Site

    if visible_region_ids(actor) is None:
        return true()
    site = aliased(Site)
    return site_id_column.in_(select(site.id).where(region_clause(actor, site.region_id)))


def transferred_clause(actor: Actor, request_id_column) -> ColumnElement[bool]:
    """A SQL condition: the request was handed to one of the actor's regions (DSP-13)."""
    from dispatch.assignments.models import JobTransfer

    regions = visible_region_ids(actor)
    if regions is None:
        return true()
    if not regions:
        return false()
    return exists(
        select(JobTransfer.id).where(
            JobTransfer.request_id == request_id_column, JobTransfer.to_region_id.in_(regions)
        )
    )


def handed_to_regions(request) -> set[int]:
    """The regions a request was handed to (DSP-13), read through the request's session."""
    from sqlalchemy.orm import object_session

    from dispatch.assignments.models import JobTransfer

    session = object_session(request)
    if session is None:
        return set()
    return set(
        session.scalars(
            select(JobTransfer.to_region_id).where(
                JobTransfer.request_id == request.id, JobTransfer.to_region_id.is_not(None)
            )
        )
    )


def handed_to_actor(actor: Actor, request) -> bool:
    """Whether the request was handed to one of the actor's regions (DSP-13)."""
    regions = visible_region_ids(actor)
    if not regions or actor.kind != "user":
        return False
    return bool(handed_to_regions(request) & set(regions))


def ensure_request(actor: Actor, request) -> None:
    """Raise NotFound unless the actor may see this service request."""
    if actor.kind == "customer":
        if request.customer_id != actor.id:
            raise NotFound(f"Request {request.id} not found")
        return
    try:
        if request.site is None:  # a consultation or suggestion: it lies with its customer
            ensure_customer(actor, request.customer)
        else:
            ensure_region(actor, region_of_request(request))
    except NotFound:
        if not handed_to_actor(actor, request):  # asked only when the region says no
            raise NotFound(f"Request {request.id} not found") from None


def ensure_visit(actor: Actor, visit) -> None:
    """Raise NotFound unless the actor may see this visit: their own, or in their regions."""
    if actor.role == Role.TECHNICIAN:
        if actor.technician_id is None or visit.technician_id != actor.technician_id:
            raise NotFound(f"Visit {visit.id} not found")
        return
    if actor.kind == "customer":
        if visit.request.customer_id != actor.id:
            raise NotFound(f"Visit {visit.id} not found")
        return
    if not may_see_region(actor, region_of_request(visit.request)) and not handed_to_actor(
        actor, visit.request
    ):
        raise NotFound(f"Visit {visit.id} not found")


def closed_at(visit) -> datetime | None:
    """When the visit's work ended, for the post-closure period of PRV-4 (None while open)."""
    if visit.status not in CLOSED_STATES:
        return None
    return visit.completed_received_at or visit.completed_at or visit.changed_at


def accepted(visit) -> bool:
    """Whether the assigned technician has the job in hand (see the module's rules)."""
    return (
        visit.appointment.status in CONFIRMED_APPOINTMENTS
        or visit.status in SET_OFF_STATES
        or visit.status in CLOSED_STATES
    )


def technician_sees_personal_data(actor: Actor, visit, *, now: datetime, keep_days: int) -> bool:
    """PRV-4: phone and full address from acceptance until `keep_days` after closure."""
    if actor.role != Role.TECHNICIAN or visit.technician_id != actor.technician_id:
        return False
    if visit.status == V.CANCELLED or not accepted(visit):
        return False
    ended = closed_at(visit)
    if ended is None:
        return True
    return now < ended + timedelta(days=keep_days)


def show_to(actor: Actor, visit):
    """Remember who a loader loaded the visit for, so its output applies PRV-4 (`for_viewer`)."""
    visit.shown_to = actor
    return visit


def phone_for_viewer(visit) -> str:
    """The customer's phone as the visit's viewer may see it (masked unless PRV-4 allows)."""
    from dispatch.customers.rules import mask_phone

    phone = visit.request.customer.phone
    return phone if _personal_data_shown(visit) else mask_phone(phone)


def address_for_viewer(visit) -> str | None:
    """The site's address as the visit's viewer may see it (district only unless PRV-4)."""
    from dispatch.customers.rules import mask_address

    site = visit.request.site
    if site is None:
        return None
    return site.address if _personal_data_shown(visit) else mask_address(site.address)


def _personal_data_shown(visit) -> bool:
    from dispatch.clock import utcnow
    from dispatch.config import active_config

    actor = getattr(visit, "shown_to", None)  # not loaded through a loader: show nothing
    if actor is None:
        return False
    keep_days = active_config().technician_personal_data_days
    return technician_sees_personal_data(actor, visit, now=utcnow(), keep_days=keep_days)
