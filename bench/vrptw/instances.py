"""Read VRPTW instances (VRPLIB .vrp or Solomon .txt) and solutions (.sol)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "vrptw"
SCALE = 10  # DIMACS: one decimal, so everything is exact in tenths


@dataclass(frozen=True)
class Instance:
    """A VRPTW instance; node 0 is the depot, node k is customer k."""

    name: str
    fleet: int
    capacity: int
    coords: tuple[tuple[int, int], ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]

    @property
    def customers(self) -> int:
        return len(self.coords) - 1

    @property
    def instance_class(self) -> str:
        """Return the Solomon class (C1, C2, R1, R2, RC1, RC2) of a Solomon or G&H name."""
        return re.match(r"[A-Z]+\d", self.name.upper()).group(0)

    def distances(self) -> list[list[int]]:
        """Return DIMACS distances in tenths: floor(10 * euclidean), exact in integers."""
        return [
            [math.isqrt(100 * ((ax - bx) ** 2 + (ay - by) ** 2)) for bx, by in self.coords]
            for ax, ay in self.coords
        ]


@dataclass(frozen=True)
class SolutionFile:
    routes: tuple[tuple[int, ...], ...]
    cost_tenths: int | None


def read_instance(path: Path) -> Instance:
    """Read a .vrp (VRPLIB) or .txt (Solomon) instance."""
    text = Path(path).read_text()
    return _read_vrplib(text) if Path(path).suffix == ".vrp" else _read_solomon(text)


def read_solution(path: Path) -> SolutionFile:
    """Read `Route #k: c1 c2 ...` lines and an optional `Cost x` line."""
    routes, cost = [], None
    for line in Path(path).read_text().splitlines():
        if line.startswith("Route"):
            routes.append(tuple(int(c) for c in line.split(":", 1)[1].split()))
        elif line.startswith("Cost"):
            cost = int(Decimal(line.split()[1]) * SCALE)
    return SolutionFile(routes=tuple(routes), cost_tenths=cost)


def write_solution(path: Path, routes: list[list[int]], cost_tenths: int) -> None:
    """Write routes in the BKS .sol format."""
    lines = [f"Route #{k}: {' '.join(map(str, r))}" for k, r in enumerate(routes, start=1)]
    lines.append(f"Cost {cost_tenths // SCALE}.{cost_tenths % SCALE}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def _read_vrplib(text: str) -> Instance:
    header, sections, current = {}, {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if ":" in line and not line[0].isdigit():
            key, value = (part.strip() for part in line.split(":", 1))
            header[key] = value
        elif line.endswith("SECTION"):
            current = line
            sections[current] = []
        else:
            sections[current].append([int(x) for x in line.split()])
    coords = [tuple(row[1:3]) for row in sections["NODE_COORD_SECTION"]]
    windows = sections["TIME_WINDOW_SECTION"]
    service = int(header.get("SERVICE_TIME", 0))
    return Instance(
        name=header["NAME"],
        fleet=int(header["VEHICLES"]),
        capacity=int(header["CAPACITY"]),
        coords=tuple(coords),
        demand=tuple(row[1] for row in sections["DEMAND_SECTION"]),
        ready=tuple(row[1] for row in windows),
        due=tuple(row[2] for row in windows),
        service=tuple(0 if k == 0 else service for k in range(len(coords))),
    )


def _read_solomon(text: str) -> Instance:
    lines = [line.split() for line in text.splitlines() if line.strip()]
    fleet, capacity = (int(x) for x in lines[3])
    rows = [[int(x) for x in line] for line in lines if line[0].isdigit() and len(line) == 7]
    return Instance(
        name=lines[0][0].upper(),
        fleet=fleet,
        capacity=capacity,
        coords=tuple((r[1], r[2]) for r in rows),
        demand=tuple(r[3] for r in rows),
        ready=tuple(r[4] for r in rows),
        due=tuple(r[5] for r in rows),
        service=tuple(r[6] for r in rows),
    )
