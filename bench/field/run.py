"""Generated field days: every solver on every variant at each budget, checked independently.

    nice -n 10 .venv/bin/python -m bench.field.run --budgets 1 10

One solver process at a time. Cost = travel (DIMACS tenths) + the unplanned cost of every visit
left out, both from `bench/field/check.py`; a plan it rejects counts as infeasible.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bench.field.check import check
from bench.field.generate import VARIANTS, field_day
from bench.field.solvers import available_solvers
from bench.vrptw.instances import SHARED, read_instance

RESULTS = Path(__file__).resolve().parents[1] / "results"
DEFAULT_INSTANCES = "C101,C201,R101,R201,RC101,RC201"
FIELDS = ["instance", "variant", "solver", "budget_s", "wall_s", "cost", "travel"]
FIELDS += ["unplanned", "feasible", "violations"]


def main() -> None:
    args = _arguments()
    if args.summarize:
        summary(merged(args.summarize))
        return
    solvers = available_solvers()
    chosen = [s for s in args.solvers.split(",") if s]
    variants = [v for v in args.variants.split(",") if v]
    tag = args.tag or "-".join(f"{b:g}s" for b in args.budgets)
    csv_path = RESULTS / f"field-{tag}.csv"
    rows = []
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for budget in args.budgets:
            for name in args.instances.split(","):
                instance = read_instance(SHARED / "solomon" / "vrplib" / f"{name}.vrp")
                for variant in variants:
                    problem = field_day(instance, variant, seed=args.seed)
                    for solver in chosen:
                        began = time.perf_counter()
                        plan = solvers[solver](problem, budget)
                        wall = time.perf_counter() - began
                        if plan is None:  # the solver cannot express this variant
                            continue
                        result = check(problem, plan)
                        row = {
                            "instance": name,
                            "variant": variant,
                            "solver": solver,
                            "budget_s": budget,
                            "wall_s": round(wall, 2),
                            "cost": result.cost,
                            "travel": result.travel,
                            "unplanned": len(result.unplanned),
                            "feasible": result.feasible,
                            "violations": "; ".join(result.violations[:3]),
                        }
                        writer.writerow(row)
                        handle.flush()
                        rows.append(row)
                        print(_line(row), flush=True)
    summary(rows)
    print(f"wrote {csv_path}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--instances", default=DEFAULT_INSTANCES)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--solvers", default=",".join(available_solvers()))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tag", default="")
    parser.add_argument(
        "--summarize", type=Path, nargs="+", help="summarise CSVs; later rows replace earlier"
    )
    return parser.parse_args()


def _line(row: dict) -> str:
    status = "ok" if row["feasible"] else "INFEASIBLE " + row["violations"]
    return (
        f"{row['instance']:6} {row['variant']:8} {row['solver']:8} {row['budget_s']:>4g}s "
        f"wall {row['wall_s']:6.2f}s cost {row['cost']:9} travel {row['travel']:8} "
        f"unplanned {row['unplanned']:3} {status}"
    )


def merged(paths: list[Path]) -> list[dict]:
    """Read result CSVs; a later file's row replaces an earlier one for the same run."""
    found = {}
    for path in paths:
        for row in csv.DictReader(path.open()):
            row["budget_s"] = float(row["budget_s"])
            row["cost"] = int(row["cost"])
            row["feasible"] = row["feasible"] == "True"
            found[(row["instance"], row["variant"], row["solver"], row["budget_s"])] = row
    return list(found.values())


def summary(rows: list[dict]) -> None:
    """Per budget and variant: each solver's mean gap to the best feasible cost, and its wins."""
    best = {}
    for row in rows:
        if row["feasible"]:
            key = (row["budget_s"], row["instance"], row["variant"])
            best[key] = min(best.get(key, row["cost"]), row["cost"])
    groups = defaultdict(list)
    for row in rows:
        groups[(row["budget_s"], row["variant"], row["solver"])].append(row)
    print("\nbudget variant  solver    n infeasible  mean gap to best %  best on")
    for (budget, variant, solver), group in sorted(groups.items()):
        feasible = [r for r in group if r["feasible"]]
        gaps = [
            100
            * (r["cost"] - best[(budget, r["instance"], variant)])
            / best[(budget, r["instance"], variant)]
            for r in feasible
        ]
        wins = sum(r["cost"] == best[(budget, r["instance"], variant)] for r in feasible)
        mean = f"{statistics.fmean(gaps):8.3f}" if gaps else "       -"
        print(
            f"{budget:>5g}s {variant:8} {solver:8} {len(group):2} {len(group) - len(feasible):10}"
            f"  {mean}            {wins}/{len(group)}"
        )


if __name__ == "__main__":
    main()
