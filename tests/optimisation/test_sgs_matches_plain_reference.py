"""The one serial schedule-generation scheme (sequencing/kernel.py, compiled) places every task where a plain Python
loop does (issue 17, item 5).

Every caller goes through it: the priority rules (`sgs.serial_sgs`), the ranking search (`ranking.decode`), the
genetic search (its forward pass over a fixed-capacity horizon) and risk's re-timing (`retime`, with causes). This
holds each of them to the plain loop of bench/risk_peers.py, `plain_sgs`, on random networks with resource
calendars (money that runs out for a year, crews on leave), horizons too short for some orders, zero durations,
and PSPLIB samples; the activity list is held to a heap in plain Python.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from homecoming.optimisation.risk import RiskInput, ThreePoint, compile_input
from homecoming.optimisation.risk.retime import retime
from homecoming.optimisation.risk.sample import durations
from homecoming.optimisation.sequencing.genetic import _pass_c
from homecoming.optimisation.sequencing.io import read_problem
from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.ranking import _positions, decode
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, layout, serial_sgs, task_priority
from risk_peers import plain_sgs, retime_numpy

PSPLIB = Path(__file__).parent.parent / "data" / "psplib"
ORDERS_PER_INSTANCE = 5


def random_problem(seed: int) -> Problem:
    """A random precedence network on 2-3 resources, half of the instances with calendar windows (some at zero),
    and a horizon that is sometimes too short for every order."""
    rng = random.Random(seed)
    n = rng.randint(8, 30)
    resources = []
    for k in range(rng.randint(2, 3)):
        capacity = rng.randint(1, 6)
        calendar: tuple[CalendarWindow, ...] = ()
        if seed % 2:
            first = rng.randint(0, 6)
            calendar = (CalendarWindow(first, first + rng.randint(1, 8), rng.randint(0, capacity)),
                        CalendarWindow(first + 10, first + 12 + rng.randint(0, 6), 0))  # fmt: skip
        resources.append(Resource(f"r{k}", capacity, calendar))
    tasks = []
    for i in range(n):
        successors = tuple(f"t{j}" for j in range(i + 1, n) if rng.random() < 3 / n)
        demand = {r.id: rng.randint(1, r.capacity) for r in resources if rng.random() < 0.6}
        tasks.append(Task(f"t{i}", rng.choice([0, 1, 1, 2, 3, 4, 6]), demand, successors))
    goals = tuple(
        Goal(f"g{k}", rng.randint(1, 50), tuple(sorted(rng.sample([t.id for t in tasks], rng.randint(1, 4)))))
        for k in range(rng.randint(1, 5))
    )
    total = sum(t.duration for t in tasks) + 20
    periods = total if seed % 3 else max(1, total // 3)
    return Problem(f"random-{seed}", periods, tuple(resources), tuple(tasks), goals)


def cases() -> list[tuple[str, Problem]]:
    found = [(f"random-{seed}", random_problem(seed)) for seed in range(60)]
    return found + [(path.name, read_problem(path)) for path in sorted(PSPLIB.glob("*.txt"))]


def plain_order(lay: Layout, priority: list[float]) -> list[int]:
    waiting = [len(p) for p in lay.predecessors]
    heap = [(priority[i], i) for i, w in enumerate(waiting) if w == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        _, i = heapq.heappop(heap)
        order.append(i)
        for j in lay.successors[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(heap, (priority[j], j))
    return order


def plain_starts(lay: Layout, order: list[int], capacity: np.ndarray, duration: list[int] | None = None) -> list[int]:
    durations_ = lay.durations if duration is None else duration
    return plain_sgs(capacity.tolist(), capacity.shape[1], order, durations_, lay.predecessors, lay.demands)


def within(lay: Layout, start: list[int]) -> list[int] | None:
    """The sequencing answer: the starts if every task ends inside the horizon, else None."""
    return start if all(s + d <= lay.horizon for s, d in zip(start, lay.durations, strict=True)) else None


@pytest.mark.parametrize(("name", "problem"), cases(), ids=[name for name, _ in cases()])
def test_the_serial_sgs_of_every_caller_gives_the_plain_loops_schedule(name: str, problem: Problem) -> None:
    lay = layout(problem)
    rng = random.Random(name)
    for _ in range(ORDERS_PER_INSTANCE):
        keys = [rng.choice([0.0, 0.5, rng.random()]) for _ in lay.durations]  # ties too: the smaller index first
        order = activity_list(lay, keys)
        assert order == plain_order(lay, keys)
        expected = within(lay, plain_starts(lay, order, lay.capacity))
        assert serial_sgs(lay, order) == expected
        ranking = list(range(len(lay.weights)))
        rng.shuffle(ranking)
        decoded = plain_order(lay, task_priority(lay, _positions(ranking)))
        assert decode(lay, ranking) == within(lay, plain_starts(lay, decoded, lay.capacity))
        if all(int(row.min()) == int(row.max()) for row in lay.capacity):  # the genetic search: fixed capacities
            assert genetic_pass(lay, order) == plain_starts(lay, order, wide_capacity(lay))


def wide_capacity(lay: Layout) -> np.ndarray:
    """The genetic search's capacity: the fixed capacity over a horizon any serial schedule fits in."""
    fixed = lay.capacity[:, :1] if lay.horizon else np.zeros((len(lay.capacity), 1), dtype=np.int64)
    return np.ascontiguousarray(np.repeat(fixed, sum(lay.durations) + 1, axis=1))


def genetic_pass(lay: Layout, order: list[int]) -> list[int]:
    a = lay.arrays
    capacity = wide_capacity(lay)
    start, end = np.zeros(len(order), dtype=np.int64), np.zeros(len(order), dtype=np.int64)
    span = _pass_c(np.array(order, dtype=np.int64), a.durations, a.links, a.uses, capacity, np.empty_like(capacity),
                   start, end)  # fmt: skip
    assert span == max((s + d for s, d in zip(start.tolist(), lay.durations, strict=True)), default=0)
    return start.tolist()


@pytest.mark.parametrize(("name", "problem"), cases(), ids=[name for name, _ in cases()])
def test_risk_re_timing_gives_the_plain_loops_schedule_and_the_numpy_peers_causes(name: str, problem: Problem) -> None:
    problem = replace(problem, periods=sum(t.duration for t in problem.tasks) + 20)  # a plan that fits
    lay = layout(problem)
    rng = random.Random(name)
    order = activity_list(lay, [rng.random() for _ in lay.durations])
    plan = {t.id: s for t, s in zip(problem.tasks, plain_starts(lay, order, lay.capacity), strict=True)}
    spread = {t.id: ThreePoint(0.5, 1.0, 2.5) for t in problem.tasks}
    c = compile_input(RiskInput(problem, plan, spread))
    sampled = durations(c, 3, 0, 8)
    timed, peer = retime(c, sampled), retime_numpy(c, sampled)
    for s, row in enumerate(sampled.tolist()):
        assert timed.start[s].tolist() == plain_starts(lay, c.order.tolist(), c.arrays.capacity, row)
    for field in ("start", "end", "cause"):
        assert np.array_equal(getattr(timed, field), getattr(peer, field)), field
    assert timed.overrun == peer.overrun
