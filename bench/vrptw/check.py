"""Re-check a folder of .sol files with the DIMACS evaluator.

.venv/bin/python -m bench.vrptw.check bench/results/solomon/planner-1s
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.vrptw.evaluate import evaluate
from bench.vrptw.instances import SHARED, read_instance, read_solution


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args()
    instances = {p.stem.upper(): p for p in SHARED.glob("*/vrplib/*.vrp")}
    failures = checked = 0
    for sol in sorted(s for folder in args.folders for s in folder.glob("*.sol")):
        instance = read_instance(instances[sol.stem.upper()])
        claimed = read_solution(sol)
        result = evaluate(instance, claimed.routes)
        bks = read_solution(instances[sol.stem.upper()].with_suffix(".sol")).cost_tenths
        problems = list(result.violations)
        if claimed.cost_tenths != result.cost_tenths:
            problems.append(f"file says {claimed.cost_tenths / 10}, evaluator {result.cost}")
        checked += 1
        failures += bool(problems)
        gap = 100 * (result.cost_tenths - bks) / bks
        status = "ok" if not problems else "FAIL " + "; ".join(problems[:3])
        print(f"{sol.parent.name:16} {sol.stem:9} {result.cost:9.1f} gap {gap:7.3f}%  {status}")
    print(f"{checked} solutions checked, {failures} failed")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
