"""Pure routing rules: skill matching, effective windows, break timing and unassignment reasons.

Everything here works on plain values so the solver adapters, the insertion check and the tests
share one definition of "feasible".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from dispatch.lifecycle import Lifecycle

if TYPE_CHECKING:
    from dispatch.routing.engine import Problem, Skill, Task, Vehicle


class PlanStatus(StrEnum):
    """A region-day plan's states: queued → running → ready or failed; ready → accepted or
    discarded."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    ACCEPTED = "accepted"
    DISCARDED = "discarded"


P = PlanStatus
PLAN_LIFECYCLE = Lifecycle(
    "plan",
    {
        P.QUEUED: {P.RUNNING},
        P.RUNNING: {P.READY, P.FAILED},
        P.READY: {P.ACCEPTED, P.DISCARDED},
        P.FAILED: set(),
        P.ACCEPTED: set(),
        P.DISCARDED: set(),
    },
)

NO_VEHICLE_WITH_SKILL = "no_vehicle_with_skill"
PINNED_VEHICLE_MISSING = "pinned_vehicle_missing"
OUTSIDE_TIME_WINDOW = "outside_time_window"
CAPACITY_OR_SHIFT = "capacity_or_shift"
NO_FEASIBLE_SLOT = "no_feasible_slot"

# A visit pinned to a time may start up to this late: technicians are told "around 10:00", and an
# exact window would make one slow leg cancel the whole pinned appointment.
PINNED_TIME_SLACK_S = 300

# Leaving a task unplanned costs this many seconds of travel, plus PER_PRIORITY for each point of
# priority (0..100): a low-priority visit (10) is worth a 2 h detour, a high one (100) 11 h.
UNPLANNED_BASE_S = 3600
UNPLANNED_PER_PRIORITY_S = 360
# An unplanned cost this high means "must be planned": PyVRP then treats the visit as required,
# which searched better than a huge prize (SDVRPTW PR03/05/09 at 10 s: 3.2 % against 4.6 %).
MUST_PLAN_COST = 10**9

# Reported by travel matrices for unreachable pairs; large enough to be infeasible in any shift,
# small enough to fit the unsigned 32-bit matrices VROOM takes.
UNREACHABLE = 10**9


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Closed interval of seconds, e.g. the allowed service start of a visit."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"time window ends before it starts: {self.start}..{self.end}")


def scaled_travel(seconds: int, speed_factor: float) -> int:
    """Return a travel time at a speed factor (above 1 is faster), rounded half to even."""
    return seconds if speed_factor == 1 else round(seconds / speed_factor)


def unplanned_cost(task: Task) -> int:
    """Return what leaving a task unplanned costs, in seconds of travel."""
    if task.unplanned_cost is not None:
        return task.unplanned_cost
    return UNPLANNED_BASE_S + task.priority * UNPLANNED_PER_PRIORITY_S


def skill_level(skill: Skill) -> tuple[int, int]:
    """Return a skill as (skill id, level); a bare id means level 0."""
    return skill if isinstance(skill, tuple) else (skill, 0)


def skill_levels(owned: Iterable[Skill]) -> dict[int, int]:
    """Return the highest level owned of each skill id."""
    best: dict[int, int] = {}
    for skill in owned:
        sid, level = skill_level(skill)
        best[sid] = max(level, best.get(sid, level))
    return best


def covers(levels: dict[int, int], required: Iterable[Skill]) -> bool:
    """Tell whether skill levels (from skill_levels) meet every required skill and level."""
    return all(levels.get(sid, -1) >= level for sid, level in map(skill_level, required))


def has_skills(owned: Iterable[Skill], required: Iterable[Skill]) -> bool:
    """Tell whether owned skills cover every required skill at the required level or above."""
    return covers(skill_levels(owned), required)


def serves(vehicle: Vehicle, task: Task) -> bool:
    """Tell whether the vehicle may take the task at all: pin and skills."""
    if task.pinned_vehicle_id is not None and task.pinned_vehicle_id != vehicle.id:
        return False
    return covers(vehicle.skill_levels, task.skills)


def skill_codes(problem: Problem) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Encode levelled skills and vehicle pins as the flat integer skills VROOM understands.

    Tasks that the same vehicles may serve (by skills and pin) share one code, which exactly
    those vehicles own; a task every vehicle may serve needs none. A day where each visit has
    its own skill list thus needs as many codes as there are distinct groups of able vehicles.
    """
    everyone = frozenset(v.id for v in problem.vehicles)
    code_of: dict[frozenset[int], int] = {}
    task_codes: dict[int, set[int]] = {}
    for task in problem.tasks:
        able = frozenset(v.id for v in problem.vehicles if serves(v, task))
        if able == everyone:
            task_codes[task.id] = set()
        else:  # an empty group (an unknown pin, a skill nobody has) gets a code nobody owns
            task_codes[task.id] = {code_of.setdefault(able, len(code_of))}
    vehicle_codes = {
        v.id: {code for able, code in code_of.items() if v.id in able} for v in problem.vehicles
    }
    return vehicle_codes, task_codes


def effective_windows(task: Task) -> tuple[TimeWindow, ...]:
    """Return the windows the service must start in; a pinned time overrides the task's own."""
    if task.pinned_time is not None:
        return (TimeWindow(task.pinned_time, task.pinned_time + PINNED_TIME_SLACK_S),)
    return task.windows


def earliest_start(windows: Sequence[TimeWindow], ready: int) -> int | None:
    """Return the earliest start at or after `ready` inside a window, or None if all have closed."""
    if not windows:
        return ready
    best = None
    for w in windows:
        if w.end >= ready:
            start = max(ready, w.start)
            if best is None or start < best:
                best = start
    return best


def travel_with_breaks(
    depart: int, travel: int, breaks: Sequence[tuple[Sequence[TimeWindow], int]]
) -> tuple[list[int], int] | None:
    """Time the breaks taken on one leg and return (break starts, arrival), or None if one misses.

    Follows VROOM's model: the technician keeps driving while waiting for a break window to open,
    takes the break, then drives the rest of the leg.
    """
    now, remaining, starts = depart, travel, []
    for windows, service in breaks:
        start = earliest_start(windows, now)
        if start is None:
            return None
        remaining -= min(remaining, start - now)
        starts.append(start)
        now = start + service
    return starts, now + remaining


def diagnose(problem: Problem, task: Task) -> str | None:
    """Name the simple reason a task cannot be planned, or None when none of them applies."""
    vehicle_ids = {v.id for v in problem.vehicles}
    if task.pinned_vehicle_id is not None and task.pinned_vehicle_id not in vehicle_ids:
        return PINNED_VEHICLE_MISSING
    able = [v for v in problem.vehicles if serves(v, task)]
    if not able:
        return NO_VEHICLE_WITH_SKILL
    windows = effective_windows(task)
    in_shift = [v for v in able if _window_meets_shift(windows, v, task.service)]
    if not in_shift:
        return OUTSIDE_TIME_WINDOW
    if not any(_round_trip_fits(problem, v, task) for v in in_shift):
        return CAPACITY_OR_SHIFT
    return None


def _window_meets_shift(windows: Sequence[TimeWindow], vehicle: Vehicle, service: int) -> bool:
    shift = vehicle.shift
    if not windows:
        return shift.end - shift.start >= service
    return any(w.start <= shift.end - service and w.end >= shift.start for w in windows)


def _round_trip_fits(problem: Problem, vehicle: Vehicle, task: Task) -> bool:
    """Tell whether the vehicle could do this task alone: load, task count, travel and shift."""
    if vehicle.capacity is not None and task.demand > vehicle.capacity:
        return False
    if vehicle.max_tasks is not None and vehicle.max_tasks < 1:
        return False
    there = problem.vehicle_travel(vehicle, vehicle.start_index, task.location_index)
    back = problem.vehicle_travel(vehicle, task.location_index, vehicle.end_index)
    if vehicle.max_travel_time is not None and there + back > vehicle.max_travel_time:
        return False
    if vehicle.max_duration is not None and there + task.service + back > vehicle.max_duration:
        return False
    start = earliest_start(effective_windows(task), vehicle.shift.start + there)
    return start is not None and start + task.service + back <= vehicle.shift.end
