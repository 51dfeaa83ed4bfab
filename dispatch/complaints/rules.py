"""Pure rules of complaints: enumerations, states, SLA clocks (CMP-7) and escalation (CMP-17)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dispatch.lifecycle import Lifecycle

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
# Closing needs the follow-up (CMP-19, FUP-7). Case opening (CMP-11), assignment and appeals
# (CMP-14) have no endpoints yet, so the workflow may also take the direct edges beside them.
COMPLAINT_LIFECYCLE = Lifecycle(
    "complaint",
    {
        C.RECEIVED: {C.REGISTERED, C.INVESTIGATING},
        C.REGISTERED: {C.CASE_OPENED, C.NOT_OPENED},
        C.CASE_OPENED: {C.ASSIGNED, C.INVESTIGATING},
        C.NOT_OPENED: {C.CLOSED},
        C.ASSIGNED: {C.INVESTIGATING},
        C.INVESTIGATING: {C.SOLUTION_PROPOSED},
        # Accepted → resolving; rejected → back to investigating or an appeal.
        C.SOLUTION_PROPOSED: {C.ACCEPTED, C.APPEALED, C.RESOLVING, C.INVESTIGATING},
        C.ACCEPTED: {C.RESOLVING},
        C.APPEALED: {C.SOLUTION_PROPOSED, C.INVESTIGATING},
        C.RESOLVING: {C.RESOLVED},
        C.RESOLVED: {C.FOLLOW_UP},
        C.FOLLOW_UP: {C.CLOSED, C.INVESTIGATING},  # recurrence sends it back
        C.CLOSED: {C.REOPENED},
        C.REOPENED: {C.INVESTIGATING},
    },
)
OPEN_STATES = tuple(state for state in C if state != C.CLOSED)

# Timers up to this length count service hours only; longer ones run in calendar time.
SERVICE_HOURS_LIMIT = timedelta(hours=3)


def parse_clock_minutes(spec: str) -> dict[str, int]:
    """Read "clock.nature[.priority]=minutes,..." into a table; raise ValueError when malformed."""
    table = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip().isdigit() or int(value) <= 0:
            raise ValueError(f"bad clock entry {item!r}")
        table[key.strip()] = int(value)
    return table


def clock_minutes(table: dict[str, int], clock: str, nature: str, priority: str) -> int | None:
    """Return the minutes of a clock for a complaint, the most specific key first."""
    for key in (f"{clock}.{nature}.{priority}", f"{clock}.{nature}", f"{clock}.{priority}", clock):
        if key in table:
            return table[key]
    return None


def intake_clocks(*, nature: str, received_outside_cs: bool) -> tuple[str, ...]:
    """Return the clocks that start when a complaint is received (CMP-5, CMP-7)."""
    clocks = ("first_response", "verification" if nature == "soft" else "second_response")
    return clocks + (("forwarding",) if received_outside_cs else ())


def add_service_minutes(
    start: datetime, minutes: int, *, tz: str, day_start: time, day_end: time
) -> datetime:
    """Return `start` plus `minutes` counted only inside the local service hours."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    left = timedelta(minutes=minutes)
    while True:
        opens = datetime.combine(local.date(), day_start, zone)
        closes = datetime.combine(local.date(), day_end, zone)
        if local < opens:
            local = opens
        if local >= closes:
            local = datetime.combine(local.date() + timedelta(days=1), day_start, zone)
            continue
        if local + left <= closes:
            return (local + left).astimezone(start.tzinfo)
        left -= closes - local
        local = closes


def due_at(start: datetime, minutes: int, *, tz: str, day_start: time, day_end: time) -> datetime:
    """Return when a clock of `minutes` started at `start` falls due (SLA calendar)."""
    if timedelta(minutes=minutes) <= SERVICE_HOURS_LIMIT:
        return add_service_minutes(start, minutes, tz=tz, day_start=day_start, day_end=day_end)
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
