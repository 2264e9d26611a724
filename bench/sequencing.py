"""Sequencing benchmark (issue 3): our engine vs plain CP-SAT vs the planner's rule, side by side.

    python bench/sequencing.py ../shared/benchmarks/psplib --j30 all --j60 20 --j120 20 \
        --psplib-limit 10 --programmes 100,300,1000 --programme-limit 60 --workers 2

Prints one table per instance family; numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.io import read_problem
from homecoming.optimisation.sequencing.model import Problem, Result
from homecoming.optimisation.sequencing.sgs import layout
from homecoming.optimisation.sequencing.solve import solve
from homecoming.optimisation.sequencing.timeindexed import LpBound, MipBound, time_indexed_bound, time_indexed_mip_bound
from sequencing_peers import solve_plain_cpsat, solve_planner_rule

ENGINES = ("ours", "plain", "rule")


@dataclass
class Row:
    family: str
    instance: str
    engine: str
    objective: int | None
    bound: int
    seconds: float
    status: str
    valid: bool
    best_known: int | None = None
    proven_optimum: bool = False
    lp: LpBound | None = None  # programmes: the time-indexed LP bound (the reference the bounds are compared with)
    mip: MipBound | None = None  # small programmes: the integer model's bound (how far the LP is from the optimum)
    starts: Mapping[str, int] | None = None  # the plan, when it holds


def best_known(folder: Path, family: str) -> dict[int, tuple[int, bool]]:
    """ID -> (best-known upper bound, proven optimal) from `<family>.bks.csv` (`;`, decimal commas, latin-1)."""
    path = folder / f"{family}.bks.csv"
    out: dict[int, tuple[int, bool]] = {}
    with path.open(encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            if len(row) > 10 and row[0].isdigit():
                upper, lower = int(row[7].split(",")[0]), int(row[4].split(",")[0])
                out[int(row[0])] = (upper, upper == lower)
    return out


def sample(ids: list[int], how: str) -> list[int]:
    """`all`, or N ids spread evenly over the family (every parameter set gets its turn)."""
    if how == "all" or int(how) >= len(ids):
        return ids
    n = int(how)
    return [ids[(k * len(ids)) // n] for k in range(n)]


def run(problem: Problem, engine: str, limit: float, workers: int) -> Result:
    if engine == "ours":
        return solve(problem, time_limit=limit, workers=workers)
    if engine == "plain":
        return solve_plain_cpsat(problem, time_limit=limit, workers=workers)
    return solve_planner_rule(problem)


def measure(family: str, name: str, problem: Problem, args: argparse.Namespace, limit: float) -> list[Row]:
    rows = []
    for engine in args.engines.split(","):
        result = run(problem, engine, limit, args.workers)
        valid = result.objective is not None and not check_solution(
            problem, result.starts, result.goals, result.objective, result.lower_bound
        )
        starts = result.starts if valid else None
        rows.append(Row(family, name, engine, result.objective, result.lower_bound, result.seconds, result.status,
                        valid, starts=starts))  # fmt: skip
        print(f"  {family} {name} {engine}: {result.status} {result.objective} lb {result.lower_bound} "
              f"{result.seconds:.1f}s{'' if valid else ' INVALID'}", flush=True)  # fmt: skip
    return rows


def psplib_rows(args: argparse.Namespace) -> list[Row]:
    rows = []
    for family in ("J30", "J60", "J120"):
        how = getattr(args, family.lower())
        if how == "0":
            continue
        known = best_known(args.psplib, family)
        for ident in sample(sorted(known), how):
            problem = read_problem(args.psplib / family / f"{family}_{ident}.txt")
            for row in measure(family, str(ident), problem, args, args.psplib_limit):
                row.best_known, row.proven_optimum = known[ident]
                rows.append(row)
    return rows


def mark_invalid(rows: list[Row]) -> None:
    """A figure that cannot be right marks its row INVALID: an "optimal" objective other than a proven optimum,
    a bound above the best-known upper bound or above any engine's plan."""
    for row in rows:
        same = [r for r in rows if r.family == row.family and r.instance == row.instance]
        plans = [r.objective for r in same if r.objective is not None and r.valid]
        wrong = [
            row.status == "optimal" and row.proven_optimum and row.objective != row.best_known,
            row.best_known is not None and row.bound > row.best_known,
            any(row.bound > p for p in plans),
            row.mip is not None and any(row.mip.bound > p for p in plans),
        ]
        if any(wrong) and row.valid:
            row.valid = False
            print(f"  INVALID {row.family} {row.instance} {row.engine}: {row.status} {row.objective} "
                  f"lb {row.bound} (best known {row.best_known}, plans {plans})")  # fmt: skip


def programme_rows(args: argparse.Namespace) -> list[Row]:
    rows = []
    for size in [int(s) for s in args.programmes.split(",") if s]:
        problem = generate(size, args.seed)
        measured = measure(f"programme-{size}", problem.name, problem, args, args.programme_limit)
        if args.lp_limit > 0:
            lp = time_indexed_bound(layout(problem), form="aggregated", solver=args.lp_solver,
                                    time_limit=args.lp_limit, threads=args.workers)  # fmt: skip
            print(f"  programme-{size} time-indexed LP: {lp.bound} ({lp.status}, {lp.seconds:.1f}s)", flush=True)
            for row in measured:
                row.lp = lp
        if args.mip_limit > 0:
            mip = time_indexed_mip_bound(layout(problem), time_limit=args.mip_limit, plan=best_plan(problem, measured))
            print(f"  programme-{size} time-indexed MIP: bound {mip.bound}, plan {mip.plan} ({mip.status}, "
                  f"{mip.seconds:.1f}s)", flush=True)  # fmt: skip
            for row in measured:
                row.mip = mip
        rows += measured
    return rows


def best_plan(problem: Problem, rows: list[Row]) -> list[int] | None:
    """The best valid plan of the engines, as starts by task index: the integer model's first incumbent (without
    one SCIP reports no bound)."""
    plans = [(r.objective, r.starts) for r in rows if r.starts is not None and r.objective is not None]
    if not plans:
        return None
    starts = min(plans, key=lambda plan: plan[0])[1]
    return [starts[task.id] for task in problem.tasks]


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f}" if values else "-"


def psplib_table(rows: list[Row], family: str) -> None:
    mine = [r for r in rows if r.family == family]
    if not mine:
        return
    print(f"\n{family}: {len({r.instance for r in mine})} instances")
    print(f"{'engine':8} {'optimal':>8} {'=BKS':>6} {'mean dev % vs BKS':>18} {'median obj/BKS':>15} "
          f"{'median s':>9} {'better than plain':>18}")  # fmt: skip
    plain = {r.instance: r.objective for r in mine if r.engine == "plain"}
    for engine in ENGINES:
        these = [r for r in mine if r.engine == engine and r.objective is not None and r.best_known]
        if not these:
            continue
        devs = [100 * (r.objective - r.best_known) / r.best_known for r in these]  # type: ignore[operator]
        better = sum(1 for r in these if plain.get(r.instance) is not None and r.objective < plain[r.instance])  # type: ignore[operator]
        print(f"{engine:8} {sum(r.status == 'optimal' for r in these):>8} "
              f"{sum(r.objective == r.best_known for r in these):>6} {statistics.mean(devs):>18.2f} "
              f"{_median([r.objective / r.best_known for r in these]):>15} "  # type: ignore[operator]
              f"{_median([r.seconds for r in these]):>9} {better if engine != 'plain' else '-':>18}")  # fmt: skip


def programme_table(rows: list[Row]) -> None:
    families = sorted({r.family for r in rows if r.family.startswith("programme")}, key=lambda f: int(f.split("-")[1]))
    if not families:
        return
    print("\nprogrammes (objective = people-months still displaced; lower is better; LP = the time-indexed LP bound)")
    print(f"{'size':>6} {'ours obj':>11} {'ours lb':>11} {'LP bound':>11} {'LP s':>6} {'ours/LP':>8} {'lb/LP':>6} "
          f"{'MIP lb':>11} {'MIP/LP':>7} {'ours/MIP':>9} "
          f"{'plain obj':>11} {'plain lb':>11} {'rule obj':>11} {'ours/best peer':>15} {'ours s':>7}")  # fmt: skip
    for family in families:
        by = {r.engine: r for r in rows if r.family == family}
        ours, plain, rule = by.get("ours"), by.get("plain"), by.get("rule")
        peers = [r.objective for r in (plain, rule) if r is not None and r.objective is not None]
        ratio = f"{ours.objective / min(peers):.4f}" if ours and ours.objective and peers else "-"
        lp = next((r.lp for r in by.values() if r.lp is not None), None)
        lp_value = lp.bound if lp is not None and lp.bound and lp.bound > 0 else None
        versus = f"{ours.objective / lp_value:.3f}" if ours and ours.objective and lp_value else "-"
        lb_versus = f"{ours.bound / lp_value:.3f}" if ours and lp_value else "-"
        mip = next((r.mip for r in by.values() if r.mip is not None), None)
        mip_value = mip.bound if mip is not None and mip.bound > 0 else None
        mip_cells = [
            f"{mip_value!s:>11}",
            f"{mip_value / lp_value:>7.3f}" if mip_value and lp_value else f"{'-':>7}",
            f"{ours.objective / mip_value:>9.3f}" if ours and ours.objective and mip_value else f"{'-':>9}",
        ]
        cells = [ours.objective if ours else None, ours.bound if ours else None, lp_value]
        peer_cells = [
            plain.objective if plain else None,
            plain.bound if plain else None,
            rule.objective if rule else None,
        ]
        print(f"{family.split('-')[1]:>6} " + " ".join(f"{c!s:>11}" for c in cells)
              + f" {(lp.seconds if lp else 0):>6.0f} {versus:>8} {lb_versus:>6} " + " ".join(mip_cells) + " "
              + " ".join(f"{c!s:>11}" for c in peer_cells)
              + f" {ratio:>15} {(ours.seconds if ours else 0):>7.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("psplib", type=Path, help="folder with J30/, J60/, J120/ and the *.bks.csv files")
    parser.add_argument("--j30", default="all", help="'all', a sample size, or 0 to skip")
    parser.add_argument("--j60", default="20")
    parser.add_argument("--j120", default="20")
    parser.add_argument("--psplib-limit", type=float, default=10.0, help="seconds per PSPLIB instance")
    parser.add_argument("--programmes", default="100,300,1000", help="settlement counts, comma separated")
    parser.add_argument("--programme-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lp-limit", type=float, default=600.0, help="seconds for the reference LP bound (0: none)")
    parser.add_argument(
        "--lp-solver", default="pdlp", help="pdlp (its bound holds when stopped early), highs, highs-ipm, glop"
    )
    parser.add_argument("--mip-limit", type=float, default=0.0, help="seconds for the integer model's bound (0: none)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="subset of ours,plain,rule")
    args = parser.parse_args()
    began = time.monotonic()
    rows = psplib_rows(args) + programme_rows(args)
    mark_invalid(rows)
    for family in ("J30", "J60", "J120"):
        psplib_table(rows, family)
    programme_table(rows)
    invalid = [r for r in rows if r.objective is not None and not r.valid]
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime  # the LP's processes included
    print(f"\ninvalid plans: {len(invalid)}; peak memory {own.ru_maxrss / 1024:.0f} MiB; "
          f"wall {time.monotonic() - began:.0f} s; CPU {cpu:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
