"""Hand-made facts for the report tests: rows written straight to the tables, every number
chosen so a person can compute each KPI on paper (the reports only read real columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dispatch.actors import SYSTEM
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.customers.models import Asset, Customer, Site
from dispatch.db import session_scope
from dispatch.followups.models import FollowUp
from dispatch.intake import clocks
from dispatch.intake.models import ServiceRequest
from dispatch.privacy.search import phone_index
from dispatch.regions.models import Region
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import PASSWORD, login

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday, 08:00 in Shanghai
NORTH = [[121.30, 31.20], [121.50, 31.20], [121.50, 31.40], [121.30, 31.40]]
SOUTH = [[121.30, 30.90], [121.50, 30.90], [121.50, 31.10], [121.30, 31.10]]


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


@dataclass
class Facts:
    """Two regions (N, S), a staff user per role, and counters for unique numbers."""

    regions: dict[str, int] = field(default_factory=dict)
    user_id: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    serial: int = 0

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def number(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial:05d}"

    def customer(self, session, region: str, *, lat=31.3, lon=121.4, model="WM-100"):
        """A customer with one site in `region` and one unit; return (customer, site, asset)."""
        phone = f"+86138{self.serial:08d}"
        customer = Customer(
            name="C",
            phone=phone,
            phone_index=phone_index(phone),  # found by its keyed hash (PRV-10)
            consent_channel="phone",
            consent_notice_version="2026-01",
            consent_at=T0 - timedelta(days=900),
        )
        self.serial += 1
        session.add(customer)
        session.flush()
        site = Site(
            customer_id=customer.id, address="x", lat=lat, lon=lon, region_id=self.regions[region]
        )
        asset = Asset(customer_id=customer.id, model=model)
        session.add_all([site, asset])
        session.flush()
        return customer, site, asset

    def request(self, session, site, asset=None, *, registered, kind="repair", **extra):
        request = ServiceRequest(
            number=self.number("R"),
            customer_id=site.customer_id,
            site_id=site.id,
            asset_id=asset.id if asset else None,
            request_type=kind,
            channel=extra.pop("channel", "phone"),
            category=extra.pop("category", "appliance"),
            service_class="C",
            fault_description=extra.pop("need", "does not spin"),
            registered_at=registered,
            registrar_id=self.user_id,
            first_owner_id=self.user_id,
            owner_id=self.user_id,
            **extra,
        )
        session.add(request)
        session.flush()
        clocks.start(session, request, timezone="Asia/Shanghai")  # as intake does
        session.flush()
        return request

    def visit(self, session, request, technician_id=None, *, window_end, **times):
        """A visit whose window is the two hours before `window_end`; `times` sets its clock."""
        status = times.pop("status", "completed" if times.get("completed_at") else "scheduled")
        diagnosis = times.pop("diagnosis", None)
        visit = Visit(
            number=self.number("V"),
            request_id=request.id,
            technician_id=technician_id,
            window_start=window_end - timedelta(hours=2),
            window_end=window_end,
            status=status,
            created_at=times.pop("created_at", request.registered_at),
            **times,
        )
        visit.field_record.diagnosis = diagnosis
        session.add(visit)
        session.flush()
        return visit

    def technician(self, session, name: str, region: str) -> int:
        user = users.create_user(
            session=session,
            actor=SYSTEM,
            username=name,
            password=PASSWORD,
            full_name=name,
            role="technician",
            region_ids=[self.regions[region]],
        )
        technician = Technician(
            user_id=user.id, name=name, phone="+8613900000000", region_id=self.regions[region]
        )
        session.add(technician)
        session.flush()
        return technician.id

    def followup(self, session, visit, *, rating=None, answered=None, **survey):
        deadline = visit.completed_at + timedelta(hours=24)
        followup = FollowUp(
            visit_id=visit.id,
            status="answered" if answered else "sent",
            due_at=visit.completed_at + timedelta(hours=2),
            deadline_at=deadline,
            sent_at=visit.completed_at + timedelta(hours=2),
            answered_at=answered,
            rating=rating,
            **survey,
        )
        session.add(followup)
        session.flush()
        return followup

    def complaint(self, session, customer_id, region: str | None, *, received, **extra):
        resolution_due = extra.pop("resolution_due", None)
        resolution_met = extra.pop("resolution_met", None)
        complaint = Complaint(
            number=self.number("K"),
            customer_id=customer_id,
            region_id=self.regions[region] if region else None,
            timezone="Asia/Shanghai",
            channel="phone",
            category=extra.pop("category", "service_attitude"),
            nature=extra.pop("nature", "soft"),
            description="x",
            received_at=received,
            registered_at=received,
            first_owner_id=self.user_id,
            owner_id=self.user_id,
            **extra,
        )
        session.add(complaint)
        session.flush()
        if resolution_due is not None:
            session.add(
                ComplaintClock(
                    complaint_id=complaint.id,
                    name="resolution",
                    started_at=received,
                    due_at=resolution_due,
                    met_at=resolution_met,
                )
            )
            session.flush()
        return complaint

    def voucher(self, session, visit, *, problem, parts=(), solution="replaced"):
        session.add(
            ServiceVoucher(
                number=self.number("SV"),
                visit_id=visit.id,
                service_class="C",
                started_at=visit.arrived_at or visit.completed_at,
                ended_at=visit.completed_at,
                service_content="repair",
                problem=problem,
                solution=solution,
                parts=list(parts),
                issued_at=visit.completed_at,
            )
        )
        session.flush()


def build_facts(client) -> Facts:
    """Regions N and S; a quality user (every region) and a manager of region N only."""
    facts = Facts()
    with session_scope() as session:
        for code, ring in (("N", NORTH), ("S", SOUTH)):
            region = Region(
                code=code, name=f"Region {code}", timezone="Asia/Shanghai", polygon=ring
            )
            session.add(region)
            session.flush()
            facts.regions[code] = region.id
        for role, regions in (("quality", ["N"]), ("manager", ["N"]), ("admin", ["N", "S"])):
            user = users.create_user(
                session=session,
                actor=SYSTEM,
                username=role,
                password=PASSWORD,
                full_name=role,
                role=role,
                region_ids=[facts.regions[r] for r in regions],
            )
            facts.user_id = facts.user_id or user.id
    for who in ("quality", "manager", "admin"):
        facts.tokens[who] = login(client, who)
    return facts
