"""Run the site-dependent VRPTW benchmark and report gaps to the best-known solutions.

    nice -n 10 .venv/bin/python -m bench.sdvrptw.run --budgets 1 10 --instances 'PR[0-2][0-9]'
    .venv/bin/python -m bench.sdvrptw.run --check bench/results/sdvrptw/planner-1s

One solver process at a time: instances and solvers run one after another in this process.
Every cost and gap comes from `bench/sdvrptw/evaluate.py`, never from a solver.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.sdvrptw.evaluate import evaluate
from bench.sdvrptw.instances import (
    SHARED,
    instance_paths,
    read_instance,
    read_solution,
    write_solution,
)
from bench.sdvrptw.solvers import available_solvers

RESULTS = Path(__file__).resolve().parents[1] / "results"
FIELDS = ["instance", "customers", "solver", "budget_s", "wall_s", "cost", "bks", "gap_pct"]
FIELDS += ["feasible", "routes", "violations"]


def main() -> int:
    args = _arguments()
    if args.check:
        return _check(args.check)
    if args.summarize:  # a later file's row replaces an earlier one for the same run
        found = {}
        for path in args.summarize:
            for row in csv.DictReader(path.open()):
                found[(row["instance"], row["solver"], float(row["budget_s"]))] = row
        summary(list(found.values()))
        return 0
    solvers = available_solvers()
    chosen = [s for s in args.solvers.split(",") if s]
    missing = [s for s in chosen if s not in solvers]
    if missing:
        raise SystemExit(f"not installed here: {', '.join(missing)}")
    paths = instance_paths(args.instances)
    tag = args.tag or "-".join(f"{b:g}s" for b in args.budgets)
    csv_path = RESULTS / f"sdvrptw-{tag}.csv"
    rows = []
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for budget in args.budgets:
            for path in paths:
                for solver in chosen:
                    row = _run(solvers[solver], solver, path, budget)
                    writer.writerow(row)
                    handle.flush()
                    rows.append(row)
                    print(_line(row), flush=True)
    summary(rows)
    print(f"wrote {csv_path}")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--instances", default="PR[0-2][0-9]", help="glob; default Cordeau's 24")
    parser.add_argument("--solvers", default=",".join(available_solvers()))
    parser.add_argument("--tag", default="", help="name of the CSV; default from budgets")
    parser.add_argument("--check", type=Path, nargs="+", help="re-check folders of .sol files")
    parser.add_argument(
        "--summarize", type=Path, nargs="+", help="summarise CSVs; later rows replace earlier"
    )
    return parser.parse_args()


def _run(solve, solver: str, path: Path, budget: float) -> dict:
    instance = read_instance(path)
    began = time.perf_counter()
    routes = solve(instance, path, budget)
    wall = time.perf_counter() - began
    result = evaluate(instance, routes)
    bks = read_solution(path.with_suffix(".sol")).cost
    write_solution(
        RESULTS / "sdvrptw" / f"{solver}-{budget:g}s" / f"{path.stem}.sol", routes, result.cost
    )
    return {
        "instance": path.stem,
        "customers": instance.customers,
        "solver": solver,
        "budget_s": budget,
        "wall_s": round(wall, 2),
        "cost": result.cost / 1000,
        "bks": bks / 1000,
        "gap_pct": round(100 * (result.cost - bks) / bks, 3) if result.feasible else "",
        "feasible": result.feasible,
        "routes": sum(1 for r in routes if r),
        "violations": "; ".join(result.violations[:3]),
    }


def _line(row: dict) -> str:
    gap = f"{row['gap_pct']:7.3f}%" if row["feasible"] else "INFEASIBLE " + row["violations"]
    return (
        f"{row['instance']:6} {row['solver']:8} {row['budget_s']:>5g}s "
        f"wall {row['wall_s']:6.2f}s cost {row['cost']:10.3f} bks {row['bks']:10.3f} {gap}"
    )


def summary(rows: list[dict]) -> None:
    """Print mean, median and max gap per budget and solver (all instances, and the first 20,
    which have 48-288 customers), and on how many instances each solver was best."""
    groups = defaultdict(list)
    best: dict[tuple, float] = {}
    for row in rows:
        groups[(float(row["budget_s"]), row["solver"])].append(row)
        if str(row["feasible"]) == "True":
            key = (float(row["budget_s"]), row["instance"])
            best[key] = min(best.get(key, float(row["cost"])), float(row["cost"]))
    print("\nbudget solver     n  infeasible  mean%  median%   max%  mean% PR01-20  best on")
    for (budget, solver), group in sorted(groups.items()):
        feasible = [r for r in group if str(r["feasible"]) == "True"]
        gaps = [float(r["gap_pct"]) for r in feasible]
        small = [float(r["gap_pct"]) for r in feasible if r["instance"] <= "PR20"]
        stats = (
            f"{statistics.fmean(gaps):6.3f}  {statistics.median(gaps):7.3f} {max(gaps):6.3f}"
            if gaps
            else "     -        -      -"
        )
        small_mean = f"{statistics.fmean(small):8.3f}" if small else "       -"
        wins = sum(float(r["cost"]) == best[(budget, r["instance"])] for r in feasible)
        print(
            f"{budget:>5g}s {solver:8} {len(group):3}  {len(group) - len(gaps):10}  {stats}"
            f"  {small_mean}     {wins}/{len(group)}"
        )


def _check(folders: list[Path]) -> int:
    failures = checked = 0
    for sol in sorted(s for folder in folders for s in folder.glob("*.sol")):
        instance = read_instance(SHARED / f"{sol.stem}.vrp")
        claimed = read_solution(sol)
        result = evaluate(instance, claimed.routes)
        problems = list(result.violations)
        if claimed.cost != result.cost:
            problems.append(f"file says {claimed.cost}, evaluator {result.cost}")
        checked += 1
        failures += bool(problems)
        status = "ok" if not problems else "FAIL " + "; ".join(problems[:3])
        print(f"{sol.parent.name:16} {sol.stem:6} {result.cost / 1000:10.3f}  {status}")
    print(f"{checked} solutions checked, {failures} failed")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
