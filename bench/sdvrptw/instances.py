"""Read the site-dependent VRPTW instances (VRPLIB with per-vehicle allowed customers).

Node 1 of the file is the depot; customer k is node k + 1, as in the `.sol` files. Times and
distances are kept in integer thousandths: a distance is round(1000 x Euclidean), which
reproduces every best-known `Cost:` exactly (tests/unit/test_sdvrptw_evaluator.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "field" / "sdvrptw"
SCALE = 1000
CORDEAU = tuple(f"PR{k:02d}" for k in range(1, 25))  # the 24 instances of 48-288 customers


@dataclass(frozen=True)
class Instance:
    """Node 0 is the depot, node k is customer k; vehicle k (1-based) is vehicles[k - 1]."""

    name: str
    coords: tuple[tuple[float, float], ...]
    demand: tuple[int, ...]
    service: tuple[int, ...]  # thousandths
    ready: tuple[int, ...]  # thousandths
    due: tuple[int, ...]  # thousandths
    capacities: tuple[int, ...]  # per vehicle
    allowed: tuple[frozenset[int], ...]  # customers each vehicle may serve
    max_duration: int  # thousandths, per route

    @property
    def customers(self) -> int:
        return len(self.coords) - 1

    @property
    def fleet(self) -> int:
        return len(self.capacities)

    def distances(self) -> list[list[int]]:
        """Return round(1000 x Euclidean distance) between every pair of nodes."""
        return [[round(math.dist(a, b) * SCALE) for b in self.coords] for a in self.coords]


@dataclass(frozen=True)
class SolutionFile:
    routes: tuple[tuple[int, ...], ...]  # route k is vehicle k + 1's; customers numbered 1..n
    cost: int | None  # thousandths


def read_instance(path: Path) -> Instance:
    """Read one .vrp file of the set."""
    header, sections, current = {}, {}, None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("SECTION"):
            current = line
            sections[current] = []
        elif current is None:
            key, value = (part.strip() for part in line.split(":", 1))
            header[key] = value
        else:
            sections[current].append(line.split())
    coords = tuple((float(r[1]), float(r[2])) for r in sections["NODE_COORD_SECTION"])
    windows = sections["TIME_WINDOW_SECTION"]
    allowed = tuple(
        frozenset(int(node) - 1 for node in row[1:])
        for row in sections["VEHICLES_ALLOWED_CLIENTS_SECTION"]
    )
    return Instance(
        name=header["NAME"],
        coords=coords,
        demand=tuple(int(r[1]) for r in sections["DEMAND_SECTION"]),
        service=tuple(_thousandths(r[1]) for r in sections["SERVICE_TIME_SECTION"]),
        ready=tuple(_thousandths(r[1]) for r in windows),
        due=tuple(_thousandths(r[2]) for r in windows),
        capacities=tuple(int(r[1]) for r in sections["CAPACITY_SECTION"]),
        allowed=allowed,
        max_duration=_thousandths(header["VEHICLES_MAX_DURATION"]),
    )


def read_solution(path: Path) -> SolutionFile:
    """Read `Route #k: c1 c2 ...` lines (one per vehicle, maybe empty) and `Cost: x`."""
    routes, cost = [], None
    for line in Path(path).read_text().splitlines():
        if line.startswith("Route"):
            routes.append(tuple(int(c) for c in line.split(":", 1)[1].split()))
        elif line.startswith("Cost"):
            cost = int(re.split(r"[:\s]+", line.strip(), maxsplit=1)[1])
    return SolutionFile(routes=tuple(routes), cost=cost)


def write_solution(path: Path, routes: list[list[int]], cost: int) -> None:
    """Write routes aligned with the vehicles, in the set's own .sol format."""
    lines = [f"Route #{k}: {' '.join(map(str, r))}".rstrip() for k, r in enumerate(routes, 1)]
    lines.append(f"Cost: {cost}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def instance_paths(pattern: str = "*") -> list[Path]:
    """Return the instance files matching a glob on their names, Cordeau's first."""
    paths = SHARED.glob(f"{pattern}.vrp")
    return sorted(paths, key=lambda p: (p.stem not in CORDEAU, p.stem))


def _thousandths(text: str) -> int:
    return int(Decimal(text) * SCALE)
