"""Pure rules of the technician's day: check-in distance and why work may stop."""

from __future__ import annotations

from datetime import datetime, timedelta

from geopy.distance import geodesic

UNABLE_REASONS = ("needs_parts", "customer_absent", "not_finished_today", "coordination", "unsafe")
BREAK = "break"  # a pause that does not put the job on hold
PAUSE_REASONS = ("parts", "not_finished_today", "coordination", BREAK)
NO_SIGNATURE_REASONS = ("customer_absent", "customer_refused")


def checkin_distance_m(
    position: tuple[float, float] | None, site: tuple[float | None, float | None]
) -> float | None:
    """Return the geodesic distance from the check-in position to the site, if both are known."""
    if position is None or None in position or None in site:
        return None
    return geodesic(position, site).meters


def too_far(distance_m: float | None, radius_m: float) -> bool:
    """Return whether a check-in happened outside the allowed radius (unknown is not too far)."""
    return distance_m is not None and distance_m > radius_m


def arrived_late(arrived_at: datetime, window_end: datetime, tolerance: timedelta) -> bool:
    """Return whether a check-in came after the booked window plus the tolerance (APT-9)."""
    return arrived_at > window_end + tolerance


# VCH-18: a hazardous job (e.g. electrical work) starts only after its pre-work checklist.
HAZARD_KINDS = ("electrical", "gas", "height", "confined_space", "other")


def safety_check_problem(
    *,
    work_permit: bool,
    safety_briefing: bool,
    hazard_analysis: str | None,
    controls: str | None,
) -> str | None:
    """Return what the pre-work checklist lacks: a work permit plus a safety briefing, or a
    hazard-point analysis with its controls (VCH-18); None when it is complete."""
    if work_permit and safety_briefing:
        return None
    if hazard_analysis and controls:
        return None
    return "needs a work permit and a safety briefing, or a hazard analysis with controls"


def lone_working(hazardous: bool, guardian_name: str | None) -> bool:
    """A hazardous job without a second person (工作监护人) is lone working (VCH-18)."""
    return hazardous and not guardian_name
