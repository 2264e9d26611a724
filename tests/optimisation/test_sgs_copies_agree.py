"""Every copy of the serial schedule-generation scheme places every task at the same period (issue 17, item 5).

The scheme is written in sequencing (`sgs.serial_sgs`, the ranking search's resumable `_run`, the genetic search's
compiled `_sgs`) and in risk (`retime` compiled, `retime_numpy`, `retime_plain`). Before they become one kernel, this
pins what each gives for the same precedence-feasible order on random instances and PSPLIB samples, with the plain
Python loop as the reference, so the one kernel can be checked against the same cases.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from homecoming.optimisation.risk import RiskInput, compile_input
from homecoming.optimisation.risk.model import Compiled
from homecoming.optimisation.risk.retime import goal_ready, retime, retime_numpy, retime_plain
from homecoming.optimisation.sequencing.genetic import _sgs_c
from homecoming.optimisation.sequencing.io import read_problem
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.ranking import _run
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, completions, flat_arrays, layout, serial_sgs

PSPLIB = Path(__file__).parent.parent / "data" / "psplib"
ORDERS_PER_INSTANCE = 5


def random_problem(seed: int) -> Problem:
    """A random precedence network on 2-3 resources of fixed capacity, with a horizon every order fits in."""
    rng = random.Random(seed)
    n = rng.randint(8, 30)
    resources = tuple(Resource(f"r{k}", rng.randint(1, 6)) for k in range(rng.randint(2, 3)))
    tasks = []
    for i in range(n):
        successors = tuple(f"t{j}" for j in range(i + 1, n) if rng.random() < 3 / n)
        demand = {r.id: rng.randint(1, r.capacity) for r in resources if rng.random() < 0.6}
        tasks.append(Task(f"t{i}", rng.choice([0, 1, 1, 2, 3, 4, 6]), demand, successors))
    goals = tuple(
        Goal(f"g{k}", rng.randint(1, 50), tuple(sorted(rng.sample([t.id for t in tasks], rng.randint(1, 4)))))
        for k in range(rng.randint(1, 5))
    )
    return Problem(f"random-{seed}", sum(t.duration for t in tasks) + 1, resources, tuple(tasks), goals)


def cases() -> list[tuple[str, Problem]]:
    found = [(f"random-{seed}", random_problem(seed)) for seed in range(40)]
    return found + [(path.name, read_problem(path)) for path in sorted(PSPLIB.glob("*.txt"))]


def genetic_sgs(lay: Layout, order: list[int]) -> list[int]:
    dur, dem, cap, pp, pi, _, _ = flat_arrays(lay)
    free = np.zeros((int(dur.sum()) + 1, dem.shape[1]), dtype=np.int64)
    start = np.zeros(len(dur), dtype=np.int64)
    _sgs_c(np.array(order, dtype=np.int64), dur, dem, cap, pp, pi, free, start)
    return [int(s) for s in start]


def risk_input(problem: Problem, lay: Layout, start: list[int]) -> Compiled:
    return compile_input(RiskInput(problem, {t.id: s for t, s in zip(problem.tasks, start, strict=True)}, {}))


@pytest.mark.parametrize(("name", "problem"), cases(), ids=[name for name, _ in cases()])
def test_every_copy_of_the_serial_sgs_gives_the_plain_loops_schedule(name: str, problem: Problem) -> None:
    lay = layout(problem)
    rng = random.Random(name)
    for _ in range(ORDERS_PER_INSTANCE):
        order = activity_list(lay, [rng.random() for _ in lay.durations])
        start = serial_sgs(lay, order)
        assert start is not None
        c = replace(risk_input(problem, lay, start), order=tuple(order))
        nominal = c.nominal[None, :]
        assert retime_plain(c, nominal.tolist()) == [completions(lay, start)]  # the reference: goal completions
        assert retime(c, nominal).start[0].tolist() == start
        assert retime_numpy(c, nominal).start[0].tolist() == start
        assert goal_ready(c, retime(c, nominal).end).tolist() == [completions(lay, start)]
        decoded = _run(lay, order, None)
        assert decoded is not None and decoded.start == start
        assert genetic_sgs(lay, order) == start
