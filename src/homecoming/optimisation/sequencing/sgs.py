"""Serial schedule-generation scheme (SGS) and the priority rules that feed it.

The SGS takes tasks one by one in a precedence-feasible order and starts each at the earliest period where
its predecessors have ended and every resource it uses has room for its whole duration.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homecoming.optimisation.sequencing.model import Problem, earliest_starts, predecessors, topological_order

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Layout:
    """The problem in index form, computed once and shared by every SGS run and model builder."""

    durations: list[int]
    demands: list[list[tuple[int, int]]]  # per task: (resource index, amount > 0)
    successors: list[list[int]]
    predecessors: list[list[int]]
    goal_tasks: list[list[int]]  # per goal: the required task indices
    weights: list[int]
    capacity: IntArray  # resources x periods
    order: list[int]  # a topological order
    earliest: list[int]  # earliest start from precedences
    latest: list[int]  # latest start from precedences, against the horizon
    feeds: list[list[int]]  # per task: the goals that need it, directly or through successors
    horizon: int


def layout(problem: Problem) -> Layout:
    index = problem.task_index()
    rindex = {r.id: k for k, r in enumerate(problem.resources)}
    order = topological_order(problem)
    durations = [t.duration for t in problem.tasks]
    successors = [[index[s] for s in t.successors] for t in problem.tasks]
    latest = [problem.periods - d for d in durations]
    for i in reversed(order):
        for j in successors[i]:
            latest[i] = min(latest[i], latest[j] - durations[i])
    goal_tasks = [[index[t] for t in g.requires] for g in problem.goals]
    feeds: list[set[int]] = [set() for _ in problem.tasks]
    for g, tasks in enumerate(goal_tasks):
        for i in tasks:
            feeds[i].add(g)
    for i in reversed(order):
        for j in successors[i]:
            feeds[i] |= feeds[j]
    capacity = np.array([r.profile(problem.periods) for r in problem.resources], dtype=np.int64).reshape(
        len(problem.resources), problem.periods
    )
    return Layout(
        durations=durations,
        demands=[[(rindex[r], a) for r, a in t.demand.items() if a > 0] for t in problem.tasks],
        successors=successors,
        predecessors=predecessors(problem),
        goal_tasks=goal_tasks,
        weights=[g.weight for g in problem.goals],
        capacity=capacity,
        order=order,
        earliest=earliest_starts(problem, order),
        latest=latest,
        feeds=[sorted(f) for f in feeds],
        horizon=problem.periods,
    )


def flat_arrays(lay: Layout) -> tuple[IntArray, ...]:
    """The layout as the arrays compiled code takes (fixed capacities): durations, a demand matrix [task,
    resource], the capacities, then predecessors and successors as CSR lists (ptr, idx: task i's are
    idx[ptr[i]:ptr[i + 1]])."""
    n, resources = len(lay.durations), lay.capacity.shape[0]
    demand = np.zeros((n, resources), dtype=np.int64)
    for i, dem in enumerate(lay.demands):
        for r, amount in dem:
            demand[i, r] = amount
    lists = []
    for links in (lay.predecessors, lay.successors):
        ptr = np.zeros(n + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(x) for x in links])
        lists += [ptr, np.array([j for x in links for j in x], dtype=np.int64)]
    capacity = lay.capacity[:, 0].copy() if lay.capacity.shape[1] else np.zeros(resources, dtype=np.int64)
    return (np.array(lay.durations, dtype=np.int64), demand, capacity, *lists)


def activity_list(lay: Layout, priority: Sequence[float]) -> list[int]:
    """The precedence-feasible order that always takes the eligible task with the smallest priority value."""
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


def serial_sgs(lay: Layout, order: Sequence[int], remaining: IntArray | None = None) -> list[int] | None:
    """Starts for the tasks in `order` (precedence feasible), or None if one does not fit in the horizon."""
    free = lay.capacity.copy() if remaining is None else remaining
    start = [0] * len(lay.durations)
    ready = list(lay.earliest)
    horizon = lay.horizon
    for i in order:
        s = earliest_fit(free, lay.demands[i], lay.durations[i], ready[i], horizon)
        if s is None:
            return None
        start[i] = s
        end = s + lay.durations[i]
        for r, amount in lay.demands[i]:
            free[r, s:end] -= amount
        for j in lay.successors[i]:
            if ready[j] < end:
                ready[j] = end
    return start


def earliest_fit(free: IntArray, demand: list[tuple[int, int]], duration: int, ready: int, horizon: int) -> int | None:
    if ready + duration > horizon:
        return None
    if duration == 0 or not demand:
        return ready
    end = ready + duration
    if all(free[r, ready:end].min() >= amount for r, amount in demand):
        return ready
    r0, a0 = demand[0]
    ok = free[r0, ready:] >= a0
    for r, amount in demand[1:]:
        ok &= free[r, ready:] >= amount
    bad = np.concatenate(([0], np.cumsum(~ok)))
    fits = bad[duration:] == bad[:-duration]
    where = int(np.argmax(fits))
    return ready + where if fits[where] else None


def completions(lay: Layout, start: Sequence[int]) -> list[int]:
    return [max((start[i] + lay.durations[i] for i in tasks), default=0) for tasks in lay.goal_tasks]


def objective(lay: Layout, start: Sequence[int]) -> int:
    return sum(w * c for w, c in zip(lay.weights, completions(lay, start), strict=True))


def _goal_work(lay: Layout) -> tuple[list[float], list[float], list[float]]:
    """Per goal: task-periods, bottleneck energy share, total energy share of the tasks that feed it."""
    total_capacity = lay.capacity.sum(axis=1).astype(float) + 1e-9
    work = [0.0] * len(lay.weights)
    bottleneck = [[0.0] * len(total_capacity) for _ in lay.weights]
    for i, goals in enumerate(lay.feeds):
        for g in goals:
            work[g] += lay.durations[i]
            for r, amount in lay.demands[i]:
                bottleneck[g][r] += amount * lay.durations[i] / total_capacity[r]
    return work, [max(b, default=0.0) for b in bottleneck], [sum(b) for b in bottleneck]


def goal_rules(lay: Layout) -> dict[str, list[float]]:
    """Goal ranks (smaller first) of several rules; `planner` is weight per unit of work."""
    work, bottleneck, energy = _goal_work(lay)
    due = [max((lay.earliest[i] + lay.durations[i] for i in t), default=0) for t in lay.goal_tasks]
    w = lay.weights
    rules = {
        "planner": [-wg / max(x, 1e-9) for wg, x in zip(w, work, strict=True)],
        "weight": [-float(wg) for wg in w],
    }
    # weight per unit of scarce work, discounted by how soon the goal could be ready at best
    for name, load in (("bottleneck", bottleneck), ("energy", energy)):
        for a in (1.0, 1.5, 2.0):
            for b in (0.0, 1.0, 2.0, 3.0):
                rules[f"{name}^{a}/due^{b}"] = [
                    -wg / max(x, 1e-12) ** a / (1 + d) ** b for wg, x, d in zip(w, load, due, strict=True)
                ]
    return rules


def task_priority(lay: Layout, goal_rank: Sequence[float], tie: Callable[[int], float] | None = None) -> list[float]:
    """Each task takes the best rank of the goals it feeds; ties go to the smaller latest start."""
    ranked = sorted(range(len(goal_rank)), key=lambda g: goal_rank[g])
    position = {g: k for k, g in enumerate(ranked)}
    scale = float(lay.horizon + 1)
    priority = []
    for i, goals in enumerate(lay.feeds):
        first = min((position[g] for g in goals), default=len(ranked))
        priority.append(first * scale + (tie(i) if tie else lay.latest[i]))
    return priority


def task_rules(lay: Layout) -> dict[str, list[float]]:
    """Classic single-project rules: latest start, latest finish, most total successors, greatest rank weight."""
    n = len(lay.durations)
    reach: list[set[int]] = [set() for _ in range(n)]
    for i in reversed(lay.order):
        for j in lay.successors[i]:
            reach[i] |= reach[j] | {j}
    grpw = [lay.durations[i] + sum(lay.durations[j] for j in lay.successors[i]) for i in range(n)]
    return {
        "lst": [float(s) for s in lay.latest],
        "lft": [float(s + d) for s, d in zip(lay.latest, lay.durations, strict=True)],
        "mts": [-float(len(r)) for r in reach],
        "grpw": [-float(x) for x in grpw],
    }


def best_rule_schedule(lay: Layout, rules: dict[str, list[float]]) -> tuple[str, list[int]] | None:
    """Run the SGS with every rule (task priorities); keep the lowest objective."""
    best: tuple[int, str, list[int]] | None = None
    for name, priority in rules.items():
        start = serial_sgs(lay, activity_list(lay, priority))
        if start is not None:
            value = objective(lay, start)
            if best is None or value < best[0]:
                best = (value, name, start)
    return None if best is None else (best[1], best[2])
