"""Turn a Solomon VRPTW instance into a field day with one or all technician features.

Variants (each on top of the instance's windows, service times, loads and fleet):
- skills: three product skills; each visit needs one, each technician has two;
- lunch: a break of 4 % of the day, to start in 40-60 % of the day;
- homes: each technician starts and ends at an own home (multi-depot);
- windows: every third visit may also be served in a second window a third of a day later;
- overfull: the fleet is cut to 60 % and visits carry priorities, so not all fit;
- all: every feature above, plus at most 60 % of the day of work per technician.
Times and travel are DIMACS tenths, so one unit is exact for every solver. A visit left
unplanned costs 0.5 to 2.5 days' worth of travel by priority (Task.unplanned_cost).
"""

from __future__ import annotations

import math
import random

from bench.vrptw.instances import SCALE, Instance
from dispatch.routing.engine import Break, Problem, Task, TimeWindow, Vehicle

VARIANTS = ("skills", "lunch", "homes", "windows", "overfull", "all")
SKILLS = (1, 2, 3)


def field_day(instance: Instance, variant: str, seed: int = 1) -> Problem:
    """Return the field day of an instance for one variant; the same seed, the same day."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
    on = {variant} if variant != "all" else set(VARIANTS)
    rng = random.Random(f"{instance.name}-{variant}-{seed}")
    day = instance.due[0] * SCALE
    fleet = math.ceil(instance.fleet * 0.6) if "overfull" in on else instance.fleet
    coords = list(instance.coords)
    homes = []
    if "homes" in on:
        xs, ys = [x for x, _ in coords], [y for _, y in coords]
        for _ in range(fleet):
            homes.append(len(coords))
            coords.append((rng.randint(min(xs), max(xs)), rng.randint(min(ys), max(ys))))
    lunch = Break(1, (TimeWindow(round(0.4 * day), round(0.6 * day)),), round(0.04 * day))
    vehicles = tuple(
        Vehicle(
            id=k + 1,
            shift=TimeWindow(instance.ready[0] * SCALE, day),
            start_index=homes[k] if homes else 0,
            end_index=homes[k] if homes else 0,
            skills=frozenset(rng.sample(SKILLS, 2)) if "skills" in on else frozenset(),
            breaks=(lunch,) if "lunch" in on else (),
            capacity=instance.capacity * SCALE,
            max_duration=round(0.6 * day) if variant == "all" else None,
        )
        for k in range(fleet)
    )
    tasks = []
    for c in range(1, instance.customers + 1):
        service = instance.service[c] * SCALE
        windows = [TimeWindow(instance.ready[c] * SCALE, instance.due[c] * SCALE)]
        if "windows" in on and c % 3 == 0:
            later = windows[0].start + day // 3
            if later <= day - service:
                windows.append(TimeWindow(later, min(windows[0].end + day // 3, day - service)))
        priority = rng.choice((10, 50, 100)) if "overfull" in on else 100
        tasks.append(
            Task(
                id=c,
                location_index=c,
                service=service,
                skills=frozenset({rng.choice(SKILLS)}) if "skills" in on else frozenset(),
                windows=tuple(windows),
                demand=instance.demand[c] * SCALE,
                priority=priority,
                unplanned_cost=round(day * (0.5 + priority / 50)),
            )
        )
    durations = [
        [math.isqrt(100 * ((ax - bx) ** 2 + (ay - by) ** 2)) for bx, by in coords]
        for ax, ay in coords
    ]
    return Problem(
        vehicles=vehicles,
        tasks=tuple(tasks),
        durations=durations,
        distances=durations,
        coordinates=coords,
    )
