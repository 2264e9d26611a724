"""Schedule risk and sweeps: how fast, on how many workers (issue 8).

    .venv/bin/python bench/risk.py [--scenarios 10000] [--chunk 1000] [--peer-scenarios 100]
                                   [--sweep 4] [--sweep-seconds 10] [--no-risk]

Risk: the seeded 300-settlement programme of `homecoming.optimisation.sequencing.generate` (about 1,650 tasks),
planned by the planner's rule (serial SGS), re-timed under N sampled scenarios with the default uncertainties of
docs/risk.md. Timed: the plain-Python loop and the NumPy vectorisation (on --peer-scenarios scenarios,
extrapolated), the compiled re-timing in this process, and the same run on a local Dask cluster of 1 and 2 worker
processes (cluster start timed apart), plus the round trip of an empty task (the overhead per chunk). Every mode
must give identical numbers.

Sweep: --sweep variants of the 100-settlement programme (demining teams x crews x budget scaled), each solved by
the sequencing engine for --sweep-seconds on 2 Dask workers; the time for 100 variants is extrapolated from it.
The machine is shared (2 cores, several jobs): times are pessimistic.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import numpy as np

from homecoming.optimisation.risk import RiskInput, ThreePoint, compile_input, dask_client, simulate
from homecoming.optimisation.risk.distribute import map_ordered
from homecoming.optimisation.risk.sample import durations
from homecoming.optimisation.risk.summary import run_chunk
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.io import problem_to_dict
from homecoming.optimisation.sequencing.model import Problem, Resource
from homecoming.optimisation.sequencing.sgs import layout, planner_rule
from homecoming.risk.sweep import solve_one
from homecoming.risk.uncertainty import DEFAULTS
from risk_peers import retime_numpy, retime_plain

KIND = {
    "clearance": "clearance", "houses": "houses", "trunk-road": "works:road", "substation": "works:power",
    "water-main": "works:water", "utilities": "works:water", "school": "works:school", "survey": "works",
}  # fmt: skip
T = TypeVar("T")


def risk_input(settlements: int, seed: int) -> RiskInput:
    problem = generate(settlements, seed)
    start = planner_rule(layout(problem))
    assert start is not None
    plan = {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
    points: dict[str, ThreePoint] = {}
    for task in problem.tasks:
        kind = next((k for suffix, k in KIND.items() if task.id.endswith(suffix)), "works")
        points[task.id] = DEFAULTS[kind].three_point()
    return RiskInput(problem, plan, points)


def _noop(x: int) -> int:
    return x


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def bench_risk(args: argparse.Namespace) -> None:
    c = compile_input(risk_input(300, 1))
    print(f"programme: 300 settlements, {len(c.task_ids):,} tasks, {len(c.goal_ids)} goals, "
          f"{c.plan_periods} periods (re-timing horizon {c.horizon})")  # fmt: skip
    n = args.scenarios
    _, compile_s, _ = _timed(lambda: run_chunk(c, 0, 0, 2))  # Numba compiles (or loads its cache) once
    sample = durations(c, 1, 0, args.peer_scenarios)
    _, plain_wall, plain_cpu = _timed(lambda: retime_plain(c, sample.tolist()))
    scale = n / args.peer_scenarios
    _, numpy_wall, numpy_cpu = _timed(lambda: retime_numpy(c, sample))
    alone, wall, cpu = _timed(lambda: simulate(c, n, seed=7, chunk=args.chunk))
    rows = [
        ("plain Python loop (extrapolated)", plain_wall * scale, plain_cpu * scale, "re-timing only"),
        ("NumPy vectorised (extrapolated)", numpy_wall * scale, numpy_cpu * scale, "re-timing only"),
        ("compiled (Numba), this process", wall, cpu, f"whole run; JIT/cache load {compile_s:.1f} s apart"),
    ]
    per_task = 0.0
    for workers in (1, 2):
        began = time.perf_counter()
        with dask_client(workers=workers) as client:
            simulate(c, 2 * workers, seed=0, chunk=2, client=client)  # workers load the compiled kernels
            started = time.perf_counter() - began
            spread, run, _ = _timed(lambda: simulate(c, n, seed=7, chunk=args.chunk, client=client))
            same = np.array_equal(spread.ready, alone.ready) and np.array_equal(spread.critical, alone.critical)
            rows.append((f"Dask, {workers} local worker(s)", run, float("nan"),
                         f"whole run; cluster start {started:.1f} s apart; identical: {same}"))  # fmt: skip
            if workers == 2:
                _, seconds, _ = _timed(lambda: map_ordered(client, _noop, list(range(200)), lambda _: None))
                per_task = seconds / 200
    print(f"\n{n:,} scenarios, chunks of {args.chunk:,} (machine shared: wall times pessimistic, CPU fairer)")
    print(f"{'mode':34} {'wall s':>8} {'CPU s':>8} {'x plain (CPU)':>14}  note")
    for name, seconds, cpu_s, note in rows:
        ratio = f"{plain_cpu * scale / cpu_s:14.1f}" if cpu_s == cpu_s else f"{'-':>14}"
        print(f"{name:34} {seconds:8.2f} {cpu_s:8.2f} {ratio}  {note}")
    one, two = rows[3][1], rows[4][1]
    chunks = math.ceil(n / args.chunk)
    overhead = max(0.0, one - wall) / chunks
    print(f"\n1 -> 2 workers: x{one / two:.2f}; overhead per chunk: {overhead * 1000:.0f} ms (1-worker Dask minus "
          f"in-process, per chunk); empty task round trip: {per_task * 1000:.1f} ms")  # fmt: skip
    per_scenario = cpu / n  # CPU seconds of one core per scenario, the whole chunk pipeline
    for total in (n, 100_000, 1_000_000):
        waves = math.ceil(math.ceil(total / args.chunk) / 64)
        estimate = waves * (args.chunk * per_scenario + max(overhead, per_task)) + 5.0
        print(f"estimate, {total:,} scenarios on 64 cores: {estimate:.1f} s ({waves} wave(s) of 64 chunks x "
              f"{args.chunk * per_scenario:.2f} s + per-chunk overhead + ~5 s scatter/merge)")  # fmt: skip


def variants(base: Problem, count: int) -> list[Problem]:
    """Demining teams x crews x budget, each scaled 0.8 .. 1.4, the first `count` combinations."""
    factors = (1.0, 0.8, 1.2, 1.4, 0.9)
    out = []
    for deminers, crews, budget in itertools.islice(itertools.product(factors, factors, factors[:4]), count):
        scale = {"deminers": deminers, "crews": crews, "budget": budget}
        resources = tuple(_scaled(r, scale.get(r.id, 1.0)) for r in base.resources)
        out.append(replace(base, name=f"{base.name}-d{deminers}-c{crews}-b{budget}", resources=resources))
    return out


def _scaled(resource: Resource, factor: float) -> Resource:
    calendar = tuple(replace(w, capacity=max(1, round(w.capacity * factor))) for w in resource.calendar)
    return replace(resource, capacity=max(1, round(resource.capacity * factor)), calendar=calendar)


def bench_sweep(args: argparse.Namespace) -> None:
    problems = variants(generate(100, 1), args.sweep)
    items = [(problem_to_dict(p), args.sweep_seconds) for p in problems]
    with dask_client(workers=2) as client:
        began = time.perf_counter()
        solutions = map_ordered(client, solve_one, items, lambda _: None)
        seconds = time.perf_counter() - began
    print(f"\nsweep: {len(items)} variants of the 100-settlement programme at {args.sweep_seconds:g} s per solve, "
          f"2 Dask workers: {seconds:.1f} s ({seconds / len(items):.1f} s per variant)")  # fmt: skip
    for problem, solution in zip(problems, solutions, strict=True):
        print(f"  {problem.name:40} {solution['status']:9} people-months {solution['objective']:,}")
    print(
        f"estimate for 100 variants on 2 workers: {100 * seconds / len(items):.0f} s "
        f"(ideal {100 * args.sweep_seconds / 2:.0f} s); on 64 cores: {2 * seconds * 2 / len(items):.0f} s "
        "(2 waves of 64 single-core solves)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--peer-scenarios", type=int, default=100)
    parser.add_argument("--sweep", type=int, default=0, help="variants to solve (0: no sweep)")
    parser.add_argument("--sweep-seconds", type=float, default=10.0)
    parser.add_argument("--no-risk", action="store_true", help="only the sweep")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
    if not args.no_risk:
        bench_risk(args)
    if args.sweep:
        bench_sweep(args)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
