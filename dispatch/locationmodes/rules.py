"""Pure rules of a job's location mode: which appointment kinds (APT-3) each mode needs."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class LocationMode(StrEnum):
    ON_SITE = "on_site"  # the technician works at the customer's site
    WORKSHOP = "workshop"  # collected to the workshop, repaired there, delivered back
    DROP_OFF = "drop_off"  # the customer brings it in (and collects it or has it returned)


M = LocationMode
# Each mode's required appointments: one kind of each group must be booked. The first group is
# the one a technician is dispatched to first; the job closes only with every group booked.
REQUIRED: dict[LocationMode, tuple[frozenset[str], ...]] = {
    M.ON_SITE: (frozenset({"repair", "assessment", "installation"}),),
    M.WORKSHOP: (frozenset({"collection"}), frozenset({"return"})),
    M.DROP_OFF: (frozenset({"drop_off"}),),
}
# Kinds that belong to a mode: the required ones and the optional return of a drop-off.
KINDS: dict[LocationMode, frozenset[str]] = {
    M.ON_SITE: frozenset({"repair", "assessment", "installation"}),
    M.WORKSHOP: frozenset({"collection", "return", "assessment"}),
    M.DROP_OFF: frozenset({"drop_off", "return"}),
}


def missing(mode: str, booked_kinds: Iterable[str]) -> list[str]:
    """Return the required appointment kinds not booked yet ('a|b' where either will do)."""
    booked = set(booked_kinds)
    return ["|".join(sorted(group)) for group in REQUIRED[M(mode)] if not group & booked]


def dispatch_problem(mode: str, kind: str) -> str | None:
    """Return why a visit of appointment `kind` cannot be dispatched on a job of `mode`."""
    if kind not in KINDS[M(mode)]:
        allowed = ", ".join(sorted(KINDS[M(mode)]))
        return f"a {mode} job takes {allowed} appointments, not {kind}"
    return None
