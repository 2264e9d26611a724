"""Schedule risk and sweeps: how fast, on how many workers (issue 8).

    .venv/bin/python bench/risk.py [--scenarios 10000] [--chunk 1000] [--peer-scenarios 100]
                                   [--sweep 4] [--sweep-seconds 10]

Risk: the seeded 300-settlement programme of `homecoming.optimisation.sequencing.generate` (about 1,650 tasks),
planned by the planner's rule (serial SGS), re-timed under N sampled scenarios with the default uncertainties of
docs/risk.md. Timed: the plain-Python loop (on --peer-scenarios scenarios, per scenario), the vectorised re-timing
in this process, and the same run on a local Dask cluster of 1 and 2 worker processes (cluster start timed apart),
plus the round trip of an empty task (the overhead per chunk). Every mode must give identical numbers.

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
from dataclasses import replace

import numpy as np

from homecoming.optimisation.risk import RiskInput, ThreePoint, compile_input, dask_client, simulate
from homecoming.optimisation.risk.distribute import map_ordered
from homecoming.optimisation.risk.retime import retime_plain
from homecoming.optimisation.risk.sample import durations
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.io import problem_to_dict
from homecoming.optimisation.sequencing.model import Problem, Resource
from homecoming.optimisation.sequencing.sgs import activity_list, goal_rules, layout, serial_sgs, task_priority
from homecoming.risk.sweep import solve_one
from homecoming.risk.uncertainty import DEFAULTS

KIND = {
    "clearance": "clearance", "houses": "houses", "trunk-road": "works:road", "substation": "works:power",
    "water-main": "works:water", "utilities": "works:water", "school": "works:school", "survey": "works",
}  # fmt: skip


def risk_input(settlements: int, seed: int) -> RiskInput:
    problem = generate(settlements, seed)
    lay = layout(problem)
    start = serial_sgs(lay, activity_list(lay, task_priority(lay, goal_rules(lay)["planner"])))
    assert start is not None
    plan = {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
    points: dict[str, ThreePoint] = {}
    for task in problem.tasks:
        kind = next((k for suffix, k in KIND.items() if task.id.endswith(suffix)), "works")
        points[task.id] = DEFAULTS[kind].three_point()
    return RiskInput(problem, plan, points)


def _noop(x: int) -> int:
    return x


def bench_risk(args: argparse.Namespace) -> None:
    c = compile_input(risk_input(300, 1))
    print(f"programme: 300 settlements, {len(c.task_ids):,} tasks, {len(c.goal_ids)} goals, "
          f"{c.plan_periods} periods (re-timing horizon {c.horizon})")  # fmt: skip
    sample = durations(c, 1, 0, args.peer_scenarios)
    began = time.perf_counter()
    retime_plain(c, sample.tolist())
    plain_per = (time.perf_counter() - began) / args.peer_scenarios
    began = time.perf_counter()
    alone = simulate(c, args.scenarios, seed=7, chunk=args.chunk)
    vector = time.perf_counter() - began
    rows = [("plain Python loop (extrapolated)", plain_per * args.scenarios, "-"),
            ("vectorised, this process", vector, "-")]  # fmt: skip
    for workers in (1, 2):
        began = time.perf_counter()
        with dask_client(workers=workers) as client:
            started = time.perf_counter() - began
            began = time.perf_counter()
            spread = simulate(c, args.scenarios, seed=7, chunk=args.chunk, client=client)
            run = time.perf_counter() - began
            same = np.array_equal(spread.ready, alone.ready) and np.array_equal(spread.critical, alone.critical)
            rows.append((f"Dask, {workers} local worker(s)", run, f"start {started:.1f} s; identical: {same}"))
            if workers == 2:
                began = time.perf_counter()
                map_ordered(client, _noop, list(range(200)), lambda _: None)
                per_task = (time.perf_counter() - began) / 200
    print(f"\n{args.scenarios:,} scenarios, chunks of {args.chunk:,} (machine shared: pessimistic)")
    print(f"{'mode':38} {'seconds':>9} {'x plain':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:38} {seconds:9.2f} {plain_per * args.scenarios / seconds:8.1f}  {note}")
    per_scenario = rows[2][1] / args.scenarios  # one worker, including its per-chunk costs
    chunks = -(-args.scenarios // args.chunk)
    overhead = max(0.0, rows[2][1] - vector) / chunks
    print(f"\noverhead per chunk: {overhead * 1000:.0f} ms (1-worker Dask minus in-process, per chunk); "
          f"empty task round trip on 2 workers: {per_task * 1000:.1f} ms")  # fmt: skip
    for n, cores in ((args.scenarios, 64), (100_000, 64), (1_000_000, 64)):
        waves = math.ceil(math.ceil(n / args.chunk) / cores)
        estimate = waves * args.chunk * per_scenario + 2.0
        print(
            f"estimate, {n:,} scenarios on {cores} cores: {estimate:.1f} s "
            f"({waves} wave(s) of {cores} chunks x {args.chunk * per_scenario:.2f} s + ~2 s scatter/merge)"
        )


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
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
    bench_risk(args)
    if args.sweep:
        bench_sweep(args)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
