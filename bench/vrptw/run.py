"""Run the VRPTW quality benchmark and report gaps to the DIMACS best-known solutions.

    nice -n 10 .venv/bin/python -m bench.vrptw.run --budgets 1 10 --solvers planner,pyvrp

One solver process at a time: instances and solvers run one after another in this process.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bench.vrptw.evaluate import evaluate
from bench.vrptw.instances import SHARED, read_instance, read_solution, write_solution
from bench.vrptw.solvers import available_solvers

RESULTS = Path(__file__).resolve().parents[1] / "results"
CLASSES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
FIELDS = ["set", "instance", "class", "solver", "budget_s", "wall_s", "cost", "bks", "gap_pct"]
FIELDS += ["feasible", "routes", "violations"]


def main() -> None:
    args = _arguments()
    solvers = available_solvers()
    chosen = [s for s in args.solvers.split(",") if s]
    missing = [s for s in chosen if s not in solvers]
    if missing:
        raise SystemExit(f"not installed here: {', '.join(missing)}")
    files = sorted((SHARED / "solomon" / "vrplib").glob(f"{args.instances}.vrp"))
    if args.gh:
        files += sorted((SHARED / "gehring_homberger" / "vrplib").glob(f"{args.instances}.vrp"))
    tag = args.tag or "-".join(f"{b:g}s" for b in args.budgets)
    csv_path = RESULTS / f"vrptw-{tag}.csv"
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for budget in args.budgets:
            for path in files:
                for solver in chosen:
                    row = _run(solvers[solver], solver, path, budget, args.gh_scale)
                    writer.writerow(row)
                    handle.flush()
                    rows.append(row)
                    print(_line(row), flush=True)
    _summary(rows)
    _chart(rows, RESULTS / f"vrptw-{tag}.png")
    print(f"wrote {csv_path} and {csv_path.with_suffix('.png')}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--instances", default="*", help="glob on instance names, e.g. 'R1*'")
    parser.add_argument("--solvers", default=",".join(available_solvers()))
    parser.add_argument("--gh", action="store_true", help="add the Gehring & Homberger instances")
    parser.add_argument(
        "--gh-scale",
        action="store_true",
        help="give G&H instances budget x customers/100 (200 customers: twice the budget)",
    )
    parser.add_argument("--tag", default="", help="name of the CSV/PNG; default from budgets")
    return parser.parse_args()


def _run(solve, solver: str, path: Path, budget: float, gh_scale: bool) -> dict:
    instance = read_instance(path)
    data_set = path.parent.parent.name
    if data_set == "gehring_homberger" and gh_scale:
        budget = budget * instance.customers / 100
    began = time.perf_counter()
    routes = solve(instance, path, budget)
    wall = time.perf_counter() - began
    result = evaluate(instance, routes)
    bks = read_solution(path.with_suffix(".sol")).cost_tenths
    out = RESULTS / data_set / f"{solver}-{budget:g}s" / f"{instance.name}.sol"
    write_solution(out, routes, result.cost_tenths)
    return {
        "set": data_set,
        "instance": instance.name,
        "class": instance.instance_class,
        "solver": solver,
        "budget_s": budget,
        "wall_s": round(wall, 2),
        "cost": result.cost,
        "bks": bks / 10,
        "gap_pct": round(100 * (result.cost_tenths - bks) / bks, 3) if result.feasible else "",
        "feasible": result.feasible,
        "routes": len(routes),
        "violations": "; ".join(result.violations[:3]),
    }


def _line(row: dict) -> str:
    gap = f"{row['gap_pct']:7.3f}%" if row["feasible"] else "INFEASIBLE"
    return (
        f"{row['instance']:9} {row['solver']:8} {row['budget_s']:>5g}s "
        f"wall {row['wall_s']:6.2f}s cost {row['cost']:9.1f} bks {row['bks']:9.1f} {gap}"
    )


def _summary(rows: list[dict]) -> None:
    groups = defaultdict(list)
    for row in rows:
        groups[(row["set"], row["budget_s"], row["solver"])].append(row)
    print(
        "\nset                budget solver    n  infeasible  mean%  median%   max%  "
        + "  ".join(f"{c:>6}" for c in CLASSES)
    )
    for (data_set, budget, solver), group in sorted(groups.items()):
        gaps = [r["gap_pct"] for r in group if r["feasible"]]
        by_class = {
            c: [r["gap_pct"] for r in group if r["feasible"] and r["class"] == c] for c in CLASSES
        }
        classes = "  ".join(
            f"{statistics.fmean(g):6.3f}" if g else "     -" for g in by_class.values()
        )
        stats = (
            f"{statistics.fmean(gaps):6.3f}  {statistics.median(gaps):7.3f} {max(gaps):6.3f}"
            if gaps
            else "     -        -      -"
        )
        print(
            f"{data_set:18} {budget:>5g}s {solver:8} {len(group):3}  {len(group) - len(gaps):10}"
            f"  {stats}  {classes}"
        )


def _chart(rows: list[dict], path: Path) -> None:
    """Draw mean gap per Solomon class, one bar per solver and budget."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = sorted({(r["solver"], r["budget_s"]) for r in rows if r["set"] == "solomon"})
    if not series:
        return
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(series)
    for k, (solver, budget) in enumerate(series):
        means = []
        for c in CLASSES:
            gaps = [
                r["gap_pct"]
                for r in rows
                if (r["solver"], r["budget_s"], r["class"]) == (solver, budget, c)
                and r["set"] == "solomon"
                and r["feasible"]
            ]
            means.append(statistics.fmean(gaps) if gaps else 0.0)
        ax.bar(
            [i + k * width for i in range(len(CLASSES))],
            means,
            width,
            label=f"{solver} {budget:g}s",
        )
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(CLASSES))], CLASSES)
    ax.set_ylabel("mean gap to DIMACS BKS (%)")
    ax.set_title("Solomon VRPTW, distance objective (DIMACS rounding)")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
