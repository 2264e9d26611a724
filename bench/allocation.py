"""Allocation benchmark: a family of problem shapes at three scales; objective, bounds, gap, wall time, peak memory.

    python bench/allocation.py                                  # every shape at 5,000 / 35,000 / 350,000 households
    python bench/allocation.py --shapes national --sizes 35000  # one shape, one scale
    python bench/allocation.py --scales generated/5000:100:60 planned/314415:300:120 --no-peer
    python bench/allocation.py --engine-src /tmp/old/src ...    # the same problems solved by another engine copy

A scale is shape/households:settlements:periods. Shapes: `generated` (`generate`: alternatives, late availability,
convoy-paced), `planned` (`generate_planned`: the planning pipeline's national shape) and every entry of
`generate.SHAPES` (`generate_shaped`, issue 18): `national` (lognormal settlements, 70 % with convoy limits of 8-40
households per period, housing 70-110 % of need in batches, 30 % accepting two alternatives, 20 % available later),
`shortage` (housing at half the need), `unlimited` (no convoy limits), `alternatives` (everyone accepts two),
`giant` (one settlement of 20,000 households, or half of all); and the bench's own `latecomers` (see
`_extra_shapes`), not in `generate.SHAPES`, so not in the tests. With --shapes/--sizes the settlements scale with the
households (one per 1,167, at least 5) over 60 periods.

Each scale runs in a child process that does what `homecoming allocate solve` does (load, solve, write; here also
check) under one time limit for the whole: the engine gets what is left after loading, less the writing time
(cli/clock.py, as the command).
Its peak memory is its own (VmHWM); `LP MiB` is the peak of its own child, the merged LP the engine runs beside the
sweep at 100,000 households and more (background.py; pages shared by the fork count in both). The parent computes
the time-free LP bound of issue 18 for comparison.
The exact per-household peer (a MILP solved by HiGHS, peer.py) runs on the issue's small problem of each shape
(1,500 households, 20 settlements, 60 periods) with the same time limit as the engine, and its placements go
through the same checker. Rows whose bound is above a checked objective, or whose
solution the checker rejects, say INVALID.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src"
OTHER = "--child" in sys.argv and "--engine-src" in sys.argv
if OTHER:  # the child solves with another copy of the engine (a "before" run)
    sys.path.insert(0, sys.argv[sys.argv.index("--engine-src") + 1])
sys.path.insert(1 if OTHER else 0, str(HERE))

from homecoming.optimisation.allocation import io  # noqa: E402
from homecoming.optimisation.allocation.check import check  # noqa: E402
from homecoming.optimisation.allocation.convoys import pack_convoys  # noqa: E402
from homecoming.optimisation.allocation.model import Problem, Result  # noqa: E402
from homecoming.optimisation.allocation.solve import allocate  # noqa: E402

SIZES = [5_000, 35_000, 350_000]
PEER_SIZE = "1500:20:60"  # the small instance of its national shape
CHECK_CPU_SECONDS = 4e-6  # per household, the checker (350,000 households: 1.0-1.2 s)


def child(problem_path: str, solution_path: str, time_limit: float, peer: bool) -> None:
    from homecoming.cli import allocate as command
    from homecoming.cli.clock import command_started, engine_seconds

    command_started()
    started = time.perf_counter()
    problem = io.load_problem(Path(problem_path))
    loaded = time.perf_counter()
    # the command's own budget (cli/allocate.py, clock.py), and the bench's check kept out of it as well as the writing
    after_cpu_s = (command.WRITE_CPU_SECONDS + CHECK_CPU_SECONDS) * len(problem.households)
    result = allocate(problem, time_limit=engine_seconds(time_limit, after_cpu_s))
    solved = time.perf_counter()
    io.write_solution(result, Path(solution_path))
    written = time.perf_counter()
    report = check(problem, result)
    row = {
        "households": len(problem.households),
        "settlements": len(problem.settlements),
        "periods": problem.periods,
        "status": result.status,
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "valid": report.ok,
        "load_s": loaded - started,
        "solve_s": solved - loaded,
        "write_s": written - solved,
        "check_s": time.perf_counter() - written,
        "peak_mib": _peak_mib(),
        # the engine's own children (the merged LP beside the sweep, background.py): their peak resident memory,
        # pages shared with this process by the fork counted in both
        "beside_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if peer:
        row |= _peer(problem, time_limit)
    print(json.dumps(row))


def _worst_group(problem: Problem, result: Result) -> int:
    """The most vehicles any settlement-period uses above a lower bound on its vehicles (the floor allows 1): the
    seats bound, or where that is more than one below, the cutting-stock LP's (computed by this tree, also for a
    solution of another engine copy)."""
    from homecoming.optimisation.allocation.convoys import packing_bound, strong_bound  # this tree's, not the child's

    size = {h.id: h.size for h in problem.households}
    seats = problem.vehicle_seats
    worst = 0
    for c in result.convoys:
        sizes = [size[m] for m in c.households]
        excess = c.vehicles - packing_bound(sizes, seats)
        worst = max(worst, excess if excess <= 1 else c.vehicles - strong_bound(sizes, seats))
    return worst


def _peak_mib() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would keep the parent's peak from
    before the fork (the parent holds the generated 350,000-household problem)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peer(problem: Problem, time_limit: float) -> dict[str, object]:
    from homecoming.optimisation.allocation.peer import solve_peer

    found = solve_peer(problem, time_limit=time_limit)
    row: dict[str, object] = {"peer_status": found.status, "peer_objective": found.objective, "peer_s": found.seconds}
    if found.objective is not None:
        placements = list(found.placements)
        plan = Result(
            found.status,
            found.objective,
            0,
            found.placements,
            found.unplaced,
            pack_convoys(problem, placements),
            found.seconds,
        )
        row["peer_valid"] = check(problem, plan).ok
    return row


def _extra_shapes() -> dict[str, object]:
    """Shapes of the bench's own, kept out of `generate.SHAPES` (and so out of the engine's tests), to see that the
    engine is not tuned to the family it was built on: `latecomers` has half the households available late (up to
    period 40), settlements opening late (10-45) with tight convoys (3-15 households per period) almost everywhere,
    housing 90-130 % of need ready up to 15 periods after opening, 60 % accepting one settlement within 10, and
    priorities 0/1/2 in 50/30/20 %."""
    from homecoming.optimisation.allocation.generate import Shape

    return {
        "latecomers": Shape(
            size_sigma=1.4,
            convoy_share=0.95,
            convoy_range=(3, 15),
            opens_range=(10, 45),
            housing_range=(0.9, 1.3),
            batch_range=(2, 30),
            ready_within=15,
            accept_share=0.6,
            accept_count=1,
            accept_window=10,
            late_share=0.5,
            late_range=(0, 40),
            priority_weights=(50, 30, 20),
        )
    }


def _make(shape: str, households: int, settlements: int, periods: int, seed: int) -> Problem:
    from homecoming.optimisation.allocation import generate as g

    if shape == "generated":
        return g.generate(households, settlements, periods, seed)
    if shape == "planned":
        return g.generate_planned(households, settlements, periods, seed)
    shapes = g.SHAPES | _extra_shapes()
    return g.generate_shaped(households, settlements, periods, seed, shapes[shape])


def run(
    scale: str, seed: int, time_limit: float, peer: bool, folder: Path, engine_src: str | None
) -> dict[str, object]:
    from homecoming.optimisation.allocation.timefree import timefree

    shape, _, numbers = scale.rpartition("/")
    households, settlements, periods = (int(x) for x in numbers.split(":"))
    path = folder / f"problem-{households}.json"
    problem = _make(shape or "generated", households, settlements, periods, seed)
    io.write_problem(problem, path)
    command = [sys.executable, __file__, "--child", str(path), str(folder / "solution.json"), str(time_limit)]
    command += ["--peer"] if peer else []
    command += ["--engine-src", engine_src] if engine_src else []
    started, cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    row: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    excess = _worst_group(problem, io.load_solution(folder / "solution.json"))
    extra = {"shape": shape or "generated", "wall_s": wall, "cpu_s": cpu, "worst_group_excess": excess}
    return row | extra | {"timefree": timefree(problem, deadline=math.inf).bound}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished children: on a shared machine wall time includes waiting."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gap(upper: float, lower: float) -> float:
    return 100.0 * (upper - lower) / max(1.0, upper)


def show(rows: list[dict[str, object]]) -> None:
    print(
        f"{'shape':>12} {'households':>10} {'sett':>4} {'per':>3} {'status':>8} {'objective':>14} {'bound':>14} "
        f"{'gap %':>7} {'time-free LP':>14} {'tf gap %':>8} {'wall s':>6} {'cpu s':>6} {'load':>5} {'solve':>6} "
        f"{'MiB':>6} {'LP MiB':>6} {'+veh':>4} "
        f"{'peer':>8} {'peer obj':>12} {'peer s':>6}"
    )
    for r in rows:
        objective, bound, tf = (float(r[k]) for k in ("objective", "lower_bound", "timefree"))  # type: ignore[arg-type]
        invalid = not r["valid"] or bound > objective or r.get("peer_valid") is False
        status = "INVALID" if invalid else str(r["status"])
        peer_obj = str(r["peer_objective"]) if r.get("peer_objective") is not None else "-"
        peer_s = f"{float(r['peer_s']):.1f}" if "peer_s" in r else "-"  # type: ignore[arg-type]
        print(
            f"{r['shape']!s:>12} {r['households']:>10} {r['settlements']:>4} {r['periods']:>3} {status:>8} "
            f"{int(objective):>14} {int(bound):>14} {_gap(objective, bound):>7.3f} {int(tf):>14} "
            f"{_gap(objective, tf):>8.3f} {float(r['wall_s']):>6.1f} {float(r['cpu_s']):>6.1f} "  # type: ignore[arg-type]
            f"{float(r['load_s']):>5.1f} "  # type: ignore[arg-type]
            f"{float(r['solve_s']):>6.1f} "  # type: ignore[arg-type]
            f"{float(r['peak_mib']):>6.0f} {float(r.get('beside_mib', 0)):>6.0f} "  # type: ignore[arg-type]
            f"{r['worst_group_excess']:>4} "
            f"{r.get('peer_status', '-')!s:>8} {peer_obj:>12} {peer_s:>6}",
            flush=True,
        )


def _scales(args: argparse.Namespace) -> list[tuple[str, bool]]:
    if args.scales:
        return [(s, False) for s in args.scales]
    from homecoming.optimisation.allocation.generate import SHAPES

    shapes = args.shapes or [*SHAPES, *_extra_shapes()]
    scales = [] if args.no_peer else [(f"{shape}/{PEER_SIZE}", True) for shape in shapes]
    for shape in shapes:
        scales += [(f"{shape}/{n}:{max(5, round(n / 1167))}:60", False) for n in args.sizes]
    return scales


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=3, metavar=("PROBLEM", "SOLUTION", "TIME_LIMIT"))
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine-src", help="solve with the engine in this src folder (e.g. an older commit's)")
    parser.add_argument("--shapes", nargs="*", help="shapes of generate.SHAPES (default: all)")
    parser.add_argument("--sizes", nargs="*", type=int, default=SIZES)
    parser.add_argument("--scales", nargs="*", help="explicit shape/households:settlements:periods (no peer)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="for the whole child: load, solve, write (s)")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]), args.peer)
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for scale, peer in _scales(args):
            rows.append(run(scale, args.seed, args.time_limit, peer, Path(folder), args.engine_src))
            show(rows[-1:])
    print()
    show(rows)
    print(f"\n{os.cpu_count()} cores; time limit {args.time_limit:g} s for the whole child")


if __name__ == "__main__":
    main()
