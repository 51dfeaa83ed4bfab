"""The seeded Shanghai field day shared by the routing and booking benchmarks.

Technicians and visits are solver objects; times are seconds since local midnight. The draws
happen in the order the callers make them, so one seed always gives the same day.
"""

from __future__ import annotations

import random

from dispatch.routing.engine import Break, Task, TimeWindow, Vehicle

HOUR = 3600
CENTRE = (31.23, 121.47)
SPREAD_DEG = 0.06  # about +-6.7 km north-south, +-5.7 km east-west: one service region
PRODUCTS = 5  # skill ids: product lines such as air conditioners, washers, boilers
LUNCH = Break(1, (TimeWindow(11 * HOUR + 1800, 13 * HOUR + 1800),), 45 * 60)


def point(rng: random.Random) -> tuple[float, float]:
    """Draw a (lat, lon) inside the region."""
    return (
        CENTRE[0] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
        CENTRE[1] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
    )


def technician(rng: random.Random, k: int) -> Vehicle:
    """Draw a technician starting and ending at home, with 2-3 product skills at levels 1-3."""
    products = rng.sample(range(1, PRODUCTS + 1), rng.choice((2, 3)))
    start = rng.choice((8, 8, 9))
    return Vehicle(
        id=k + 1,
        shift=TimeWindow(start * HOUR, (start + 9) * HOUR),
        start_index=k,
        end_index=k,
        skills=frozenset((p, rng.randint(1, 3)) for p in products),
        breaks=(LUNCH,),
        max_tasks=12,
    )


def visit(rng: random.Random, tid: int, where: int) -> Task:
    """Draw a repair visit: a 2-hour arrival window, one product skill, 30-60 minutes on site."""
    opens = rng.choice((8, 9, 10, 11, 13, 14, 15, 16)) * HOUR
    return Task(
        id=tid,
        location_index=where,
        service=rng.choice((30, 45, 45, 60)) * 60,
        skills=frozenset({(rng.randint(1, PRODUCTS), rng.choice((1, 1, 2)))}),
        windows=(TimeWindow(opens, opens + 2 * HOUR),),
        priority=50 if rng.random() < 0.1 else 0,  # one in ten is a warranty escalation
    )
