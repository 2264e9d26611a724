"""Allocation benchmark: objective, lower bound, gap, seconds and peak memory per scale; the peer where it fits.

    python bench/allocation.py                      # 5,000 / 35,000 / 350,000 households, peer on small sizes
    python bench/allocation.py --scales 5000:100:60 planned/314415:300:120 --no-peer

A scale is households:settlements:periods from `generate` (alternatives, late availability, convoy-paced), or
planned/households:settlements:periods from `generate_planned`: the shape the planning pipeline builds at national
scale (Pareto-sized settlements opening late, houses finishing in batches, some settlements without their largest
houses, every family going home only).

Each scale runs in a child process (load, solve, check, write) so that its peak memory is its own
(resource.getrusage(RUSAGE_SELF).ru_maxrss of the child). Problems come from the seeded generator.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from homecoming.optimisation.allocation import io
from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import generate, generate_planned
from homecoming.optimisation.allocation.solve import allocate

DEFAULT_SCALES = ["5000:100:60", "35000:100:60", "350000:300:120", "planned/314415:300:120"]
PEER_SCALES = ["200:5:16", "600:10:24"]


def child(problem_path: str, solution_path: str, time_limit: float, peer: bool) -> None:
    started = time.perf_counter()
    problem = io.load_problem(Path(problem_path))
    loaded = time.perf_counter()
    result = allocate(problem, time_limit=time_limit)
    solved = time.perf_counter()
    report = check(problem, result)
    checked = time.perf_counter()
    io.write_solution(result, Path(solution_path))
    written = time.perf_counter()
    row = {
        "households": len(problem.households),
        "people": sum(h.size for h in problem.households),
        "settlements": len(problem.settlements),
        "periods": problem.periods,
        "status": result.status,
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "valid": report.ok,
        "load_s": loaded - started,
        "solve_s": solved - loaded,
        "check_s": checked - solved,
        "write_s": written - checked,
        "vehicles": report.vehicles,
        "vehicle_bound": report.vehicle_bound,
        "worst_group_excess": _worst_group(problem, result),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if peer:
        from homecoming.optimisation.allocation.peer import solve_peer

        found = solve_peer(problem, time_limit=120, workers=2)
        row |= {"peer_status": found.status, "peer_objective": found.objective, "peer_s": found.seconds}
    print(json.dumps(row))


def _worst_group(problem: object, result: object) -> int:
    seats = problem.vehicle_seats  # type: ignore[attr-defined]
    return max(
        (c.vehicles - -(-c.people // seats) for c in result.convoys),  # type: ignore[attr-defined]
        default=0,
    )


def run(scale: str, seed: int, limits: tuple[float, float], peer: bool, folder: Path) -> dict[str, object]:
    shape, _, numbers = scale.rpartition("/")
    households, settlements, periods = (int(x) for x in numbers.split(":"))
    time_limit = limits[0] if households >= 100_000 else limits[1]
    path = folder / f"problem-{households}.json"
    make = generate_planned if shape == "planned" else generate
    io.write_problem(make(households, settlements, periods, seed), path)
    command = [sys.executable, __file__, "--child", str(path), str(folder / "solution.json"), str(time_limit)]
    if peer:
        command.append("--peer")
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    row: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return row | {"shape": shape or "generated"}


def show(rows: list[dict[str, object]]) -> None:
    head = (
        f"{'shape':>9} {'households':>10} {'people':>9} {'sett':>4} {'per':>3} {'status':>8} "
        f"{'objective':>12} {'bound':>12} {'gap %':>6} {'load':>5} {'solve':>6} {'check':>5} "
        f"{'write':>5} {'total':>6} {'MiB':>6} "
        f"{'vehicles':>8} {'bound':>8} {'+max':>4} {'peer':>8} {'peer obj':>10} {'peer s':>7}"
    )
    print(head)
    for r in rows:
        gap = 100.0 * (float(r["objective"]) - float(r["lower_bound"])) / max(1.0, float(r["objective"]))  # type: ignore[arg-type]
        total = sum(float(r[k]) for k in ("load_s", "solve_s", "check_s", "write_s"))  # type: ignore[arg-type]
        peer_obj = f"{r['peer_objective']}" if "peer_objective" in r else "-"
        peer_s = f"{float(r['peer_s']):.1f}" if "peer_s" in r else "-"  # type: ignore[arg-type]
        peer_status = str(r.get("peer_status", "-"))
        print(
            f"{r['shape']!s:>9} {r['households']:>10} {r['people']:>9} {r['settlements']:>4} {r['periods']:>3} "
            f"{r['status']:>8} "
            f"{r['objective']:>12} {r['lower_bound']:>12} {gap:>6.3f} {float(r['load_s']):>5.1f} "  # type: ignore[arg-type]
            f"{float(r['solve_s']):>6.1f} {float(r['check_s']):>5.1f} {float(r['write_s']):>5.1f} {total:>6.1f} "  # type: ignore[arg-type]
            f"{float(r['peak_mib']):>6.0f} {r['vehicles']:>8} {r['vehicle_bound']:>8} {r['worst_group_excess']:>4} "  # type: ignore[arg-type]
            f"{peer_status:>8} {peer_obj:>10} {peer_s:>7}"
        )
        if not r["valid"]:
            print("  ^ the checker found violations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=3, metavar=("PROBLEM", "SOLUTION", "TIME_LIMIT"))
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scales", nargs="*", default=DEFAULT_SCALES, help="households:settlements:periods")
    parser.add_argument("--peer-scales", nargs="*", default=PEER_SCALES)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=45.0, help="solver time limit from 100,000 households (s)")
    parser.add_argument("--small-time-limit", type=float, default=300.0, help="solver time limit below that (s)")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]), args.peer)
        return
    rows = []
    limits = (args.time_limit, args.small_time_limit)
    with tempfile.TemporaryDirectory() as folder:
        if not args.no_peer:
            for scale in args.peer_scales:
                rows.append(run(scale, args.seed, limits, True, Path(folder)))
        for scale in args.scales:
            rows.append(run(scale, args.seed, limits, False, Path(folder)))
    show(rows)


if __name__ == "__main__":
    main()
