"""Pure rules of complaints: enumerations, states, SLA clocks (CMP-7) and escalation (CMP-17)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dispatch.lifecycle import Lifecycle
from dispatch.regions.calendar import add_working_days as working_days_after
from dispatch.regions.calendar import is_working_day

NATURES = ("soft", "hard")  # 软性 service/surroundings; 硬性 the product, a visible fault
CATEGORIES = (
    "product_quality",
    "service_attitude",
    "delay",
    "after_sales",
    "price",
    "other",
)
SEVERITIES = ("general", "major")
# CMP-9: any of these makes a complaint major (seed 002 D4, D9).
MAJOR_TRIGGERS = (
    "compensation",  # compensation is involved
    "safety",  # a safety issue or an injury
    "large_damage",  # damage at or above the configured amount
    "repeat_repair_rejected",  # repeated repairs the customer does not accept
    "external_party",  # media, lawyers, police, consumer association or government involved
    "exposure_risk",  # risk of exposure, litigation or extreme behaviour
    "regulator_forwarded",  # forwarded by a regulator or industry body
)
PRIORITIES = ("high", "medium", "low")


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    REGISTERED = "registered"
    CASE_OPENED = "case_opened"
    NOT_OPENED = "not_opened"
    ASSIGNED = "assigned"
    INVESTIGATING = "investigating"
    SOLUTION_PROPOSED = "solution_proposed"
    ACCEPTED = "accepted"
    APPEALED = "appealed"
    RESOLVING = "resolving"
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    REOPENED = "reopened"


C = ComplaintStatus
# The seed 002 workflow (CMP-5, CMP-11, CMP-14, CMP-19). A complaint taken outside customer
# service stays `received` until it is forwarded (registered) or resolved on the spot.
COMPLAINT_LIFECYCLE = Lifecycle(
    "complaint",
    {
        C.RECEIVED: {C.REGISTERED, C.RESOLVED},
        C.REGISTERED: {C.CASE_OPENED, C.NOT_OPENED},  # 立案 decision (CMP-11)
        C.CASE_OPENED: {C.ASSIGNED},
        C.NOT_OPENED: set(),  # answered with the reason; nothing to investigate
        C.ASSIGNED: {C.INVESTIGATING},
        C.INVESTIGATING: {C.SOLUTION_PROPOSED, C.RESOLVING},  # RESOLVING: a GM decision
        C.SOLUTION_PROPOSED: {C.ACCEPTED, C.APPEALED, C.RESOLVING},
        C.ACCEPTED: {C.RESOLVING},
        # The superior re-evaluates (a new solution, or back to investigating); GM decides.
        C.APPEALED: {C.SOLUTION_PROPOSED, C.INVESTIGATING, C.RESOLVING},
        C.RESOLVING: {C.RESOLVED},
        C.RESOLVED: {C.FOLLOW_UP},
        C.FOLLOW_UP: {C.CLOSED, C.INVESTIGATING},  # recurrence sends it back
        C.CLOSED: {C.REOPENED},
        C.REOPENED: {C.INVESTIGATING},
    },
)
FINAL_STATES = (C.CLOSED, C.NOT_OPENED)
OPEN_STATES = tuple(state for state in C if state not in FINAL_STATES)
# Where the customer's link timeline shows a step (CMP-18); other moves are internal.
CUSTOMER_STEPS = {
    C.RECEIVED: "received",
    C.REGISTERED: "registered",
    C.CASE_OPENED: "accepted_for_handling",
    C.NOT_OPENED: "not_accepted",
    C.INVESTIGATING: "investigating",
    C.SOLUTION_PROPOSED: "solution_proposed",
    C.APPEALED: "appeal_under_review",
    C.RESOLVING: "being_resolved",
    C.RESOLVED: "resolved",
    C.CLOSED: "closed",
    C.REOPENED: "reopened",
}


class Role(StrEnum):
    """Who does what in complaint governance; the values are role names of the catalogue,
    `dispatch.users.rules.Role` (ROL-1)."""

    MANAGER = "manager"  # the back office's manager: hears of every new complaint
    HANDLER = "complaint_handler"
    CUSTOMER_SERVICE = "cs_manager"  # 客服中心: supervises major complaints (CMP-9)
    DEPARTMENT_HEAD = "department_head"
    CS_MANAGER = "cs_manager"
    VP_IN_CHARGE = "vp_in_charge"
    GENERAL_MANAGER = "general_manager"


# CMP-16: the ladder above the handler, lowest first (also the default of the setting).
LADDER = (Role.DEPARTMENT_HEAD, Role.CS_MANAGER, Role.GENERAL_MANAGER)
# CMP-9: who hears of a major complaint at once.
MAJOR_ALERTED = (Role.CUSTOMER_SERVICE, Role.DEPARTMENT_HEAD, Role.VP_IN_CHARGE)
# Who hears of every new complaint at once: the manager and customer service, who supervises
# complaints (CMP-9); the one who decides case opening is added (`opened_alerted`, CMP-11).
OPENED_ALERTED = (Role.MANAGER, Role.CUSTOMER_SERVICE)
# CMP-8: the default owner role per priority.
OWNER_ROLE = {"high": Role.DEPARTMENT_HEAD, "medium": Role.HANDLER, "low": Role.HANDLER}
# Staff who may act on complaints besides the back office's write roles.
GOVERNANCE_ROLES = tuple(dict.fromkeys(Role))
# Who may set the handler routes (CMP-4), besides managers and administrators.
ROUTE_KEEPERS = (Role.CUSTOMER_SERVICE, Role.DEPARTMENT_HEAD, Role.GENERAL_MANAGER)

# CMP-8 resolution targets and CMP-11 case-opening clocks; COMPLAINT_SLA_MINUTES overrides any
# of them. Values: minutes, `<n>wd` working days, or `sameday` (ends with the working day).
GOVERNANCE_CLOCKS = (
    "resolution.high=1440,resolution.medium=4320,resolution.low=5wd,"
    "case_decision.general=sameday,case_decision.major=1wd,request_first_response=1440"
)
ClockLength = int | str

# Timers up to this length count service hours only; longer ones run in calendar time.
SERVICE_HOURS_LIMIT = timedelta(hours=3)


def _clock_length(value: str) -> ClockLength | None:
    value = value.strip()
    if value == "sameday":
        return value
    digits = value.removesuffix("wd")
    if not digits.isdigit() or int(digits) <= 0:
        return None
    return value if value.endswith("wd") else int(value)


def parse_clock_minutes(spec: str) -> dict[str, ClockLength]:
    """Read "clock.key[.key]=length,..." into a table; raise ValueError when malformed."""
    table = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, sep, value = item.partition("=")
        length = _clock_length(value) if sep else None
        if length is None or not key.strip():
            raise ValueError(f"bad clock entry {item!r}")
        table[key.strip()] = length
    return table


def clock_minutes(
    table: dict[str, ClockLength], clock: str, nature: str, priority: str, severity: str = ""
) -> ClockLength | None:
    """Return the length of a clock for a complaint, the most specific key first."""
    keys = (
        f"{clock}.{nature}.{priority}",
        f"{clock}.{nature}",
        f"{clock}.{severity}",
        f"{clock}.{priority}",
        clock,
    )
    return next((table[key] for key in keys if key in table), None)


def add_working_days(start: datetime, days: int, *, tz: str, calendar: str = "cn") -> datetime:
    """Return `start` moved `days` working days of the region's calendar later (weekends,
    public holidays and make-up days, DSP-1), same local time."""
    local = start.astimezone(ZoneInfo(tz))
    day = working_days_after(local.date(), days, calendar)
    moved = datetime.combine(day, local.time().replace(tzinfo=None), local.tzinfo)
    return moved.astimezone(start.tzinfo)


def end_of_working_day(
    start: datetime, *, tz: str, day_end: time, calendar: str = "cn"
) -> datetime:
    """Return the end of the working day `start` falls in (the next one after hours)."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    ends = datetime.combine(local.date(), day_end, zone)
    while ends <= local or not is_working_day(ends.date(), calendar):
        ends = datetime.combine(ends.date() + timedelta(days=1), day_end, zone)
    return ends.astimezone(start.tzinfo)


def intake_clocks(*, nature: str, received_outside_cs: bool) -> tuple[str, ...]:
    """Return the clocks that start when a complaint is received (CMP-5, CMP-7)."""
    clocks = ("first_response", "verification" if nature == "soft" else "second_response")
    return clocks + (("forwarding",) if received_outside_cs else ())


def add_service_minutes(
    start: datetime,
    minutes: int,
    *,
    tz: str,
    day_start: time,
    day_end: time,
    calendar: str = "cn",
) -> datetime:
    """Return `start` plus `minutes` counted only inside the service hours of working days."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    left = timedelta(minutes=minutes)
    while True:
        opens = datetime.combine(local.date(), day_start, zone)
        closes = datetime.combine(local.date(), day_end, zone)
        if not is_working_day(local.date(), calendar):
            local = datetime.combine(local.date() + timedelta(days=1), day_start, zone)
            continue
        if local < opens:
            local = opens
        if local >= closes:
            local = datetime.combine(local.date() + timedelta(days=1), day_start, zone)
            continue
        if local + left <= closes:
            return (local + left).astimezone(start.tzinfo)
        left -= closes - local
        local = closes


def due_at(
    start: datetime,
    minutes: ClockLength,
    *,
    tz: str,
    day_start: time,
    day_end: time,
    calendar: str = "cn",
) -> datetime:
    """Return when a clock of `minutes` started at `start` falls due, in the region's working
    calendar (DSP-1): working days, or service hours of working days for the short clocks."""
    if minutes == "sameday":
        return end_of_working_day(start, tz=tz, day_end=day_end, calendar=calendar)
    if isinstance(minutes, str):
        return add_working_days(start, int(minutes.removesuffix("wd")), tz=tz, calendar=calendar)
    if timedelta(minutes=minutes) <= SERVICE_HOURS_LIMIT:
        hours = {"day_start": day_start, "day_end": day_end, "calendar": calendar}
        return add_service_minutes(start, minutes, tz=tz, **hours)
    return start + timedelta(minutes=minutes)


def escalation_target(level: int, ladder: tuple[str, ...]) -> tuple[int, str] | None:
    """Return the next (level, role) above `level`, or None at the top of the ladder."""
    if level >= len(ladder):
        return None
    return level + 1, ladder[level]


def complaint_from_survey(aspects: dict[str, int | None], problem_solved: bool | None):
    """Return (category, nature) of a complaint opened by a bad follow-up answer (FUP-5)."""
    if problem_solved is False:
        return "after_sales", "hard"
    rated = {name: value for name, value in aspects.items() if value is not None}
    worst = min(rated, key=rated.get) if rated else None
    category = {"timeliness": "delay", "attitude": "service_attitude"}.get(worst, "after_sales")
    return category, "soft"


def major_triggers(ticked: list[str], damage_cents: int | None, damage_threshold: int) -> list[str]:
    """Return the major triggers that apply: those ticked, plus a damage at the threshold."""
    found = list(dict.fromkeys(ticked))
    if (
        damage_cents is not None
        and damage_cents >= damage_threshold
        and ("large_damage" not in found)
    ):
        found.append("large_damage")
    return found


def repeat_repair(count: int, threshold: int) -> bool:
    """Return whether a product unit's repairs in the window make a candidate major (CMP-10)."""
    return count >= threshold


def case_decider(severity: str) -> Role:
    """Return who decides case opening (立案): the department head, the VP for a major (CMP-11)."""
    return Role.VP_IN_CHARGE if severity == "major" else Role.DEPARTMENT_HEAD


def opened_alerted(severity: str) -> tuple[Role, ...]:
    """Return the roles told of a new complaint: OPENED_ALERTED and the case decider (CMP-11)."""
    return tuple(dict.fromkeys((*OPENED_ALERTED, case_decider(severity))))


def superior(level: int, ladder: tuple[str, ...]) -> str:
    """Return the role above the current escalation level (the top keeps the top) (CMP-14)."""
    return ladder[min(level, len(ladder) - 1)]


def route_handler(
    routes: list[tuple[str | None, str | None, int]],
    *,
    category: str,
    department: str | None,
    excluded: set[int],
) -> int | None:
    """Return the handler of the most specific route for a complaint (CMP-4).

    A route matches on category, on the department complained about, or both; a route naming
    neither is the catch-all. The person complained about never handles the complaint.
    """

    def rank(route) -> int | None:
        cat, dept = route[0], route[1]
        if (cat not in (None, category)) or (dept is not None and dept != department):
            return None
        return (dept is not None) * 2 + (cat is not None)

    ranked = [(rank(r), r[2]) for r in routes if rank(r) is not None and r[2] not in excluded]
    return max(ranked, key=lambda item: item[0])[1] if ranked else None


def close_missing(
    *, has_solution: bool, has_resolution: bool, followed_up: bool, feedback: str | None
) -> list[str]:
    """Return what a complaint still lacks before it may close (CMP-19, FUP-7)."""
    needs = {
        "solution": has_solution,
        "resolution": has_resolution,
        "follow_up": followed_up,
        "customer_feedback": bool(feedback and feedback.strip()),
    }
    return [name for name, present in needs.items() if not present]
