"""The problem in index form (`Layout`, and `Arrays` for compiled code), the serial schedule-generation scheme
(SGS) on it, and the priority rules that feed it.

The SGS takes tasks one by one in a precedence-feasible order and starts each at the earliest period where
its predecessors have ended and every resource it uses has room for its whole duration. It is written once,
compiled, in `kernel.py`; `activity_list` and `serial_sgs` are its doors for Python callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from homecoming.optimisation.sequencing.model import Problem, earliest_starts, predecessors, topological_order

IntArray = npt.NDArray[np.int64]


class Arrays(NamedTuple):
    """The problem as compiled code takes it: the one array encoding of every kernel (the SGS, the genetic search,
    the branch and bound, risk's re-timing). Lists are CSR: task i's predecessors are
    pred_idx[pred_ptr[i]:pred_ptr[i + 1]], its demands (dem_res, dem_amt)[dem_ptr[i]:dem_ptr[i + 1]] in the task's
    own order, goal g's required tasks goal_idx[goal_ptr[g]:goal_ptr[g + 1]]."""

    durations: IntArray  # [tasks]
    capacity: IntArray  # [resources, periods]
    demand: IntArray  # [tasks, resources]: the same demands as a matrix (0 where a task uses none)
    dem_ptr: IntArray
    dem_res: IntArray
    dem_amt: IntArray
    pred_ptr: IntArray
    pred_idx: IntArray
    succ_ptr: IntArray
    succ_idx: IntArray
    goal_ptr: IntArray
    goal_idx: IntArray

    @property
    def links(self) -> tuple[IntArray, IntArray]:
        return self.pred_ptr, self.pred_idx

    @property
    def reversed_links(self) -> tuple[IntArray, IntArray]:
        """Successors as predecessors: the network read from its end."""
        return self.succ_ptr, self.succ_idx

    @property
    def uses(self) -> tuple[IntArray, IntArray, IntArray]:
        return self.dem_ptr, self.dem_res, self.dem_amt


NO_CAUSE = np.empty(0, dtype=np.int64)  # `kernel.place` without recording what each start waited for
NO_RELEASED = np.empty((0, 0), dtype=np.int64)


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

    @cached_property
    def arrays(self) -> Arrays:
        return encode(self)


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


def encode(lay: Layout) -> Arrays:
    demand = np.zeros((len(lay.durations), lay.capacity.shape[0]), dtype=np.int64)
    for i, dem in enumerate(lay.demands):
        for r, amount in dem:
            demand[i, r] = amount
    return Arrays(
        durations=np.array(lay.durations, dtype=np.int64),
        capacity=np.ascontiguousarray(lay.capacity, dtype=np.int64),
        demand=demand,
        dem_ptr=_ptr(lay.demands),
        dem_res=np.array([r for dem in lay.demands for r, _ in dem], dtype=np.int64),
        dem_amt=np.array([a for dem in lay.demands for _, a in dem], dtype=np.int64),
        pred_ptr=_ptr(lay.predecessors),
        pred_idx=_idx(lay.predecessors),
        succ_ptr=_ptr(lay.successors),
        succ_idx=_idx(lay.successors),
        goal_ptr=_ptr(lay.goal_tasks),
        goal_idx=_idx(lay.goal_tasks),
    )


def _ptr(lists: Sequence[Sequence[object]]) -> IntArray:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    return ptr


def _idx(lists: Sequence[Sequence[int]]) -> IntArray:
    return np.array([j for x in lists for j in x], dtype=np.int64)


def activity_list(lay: Layout, priority: Sequence[float]) -> list[int]:
    """The precedence-feasible order that always takes the eligible task with the smallest priority value (ties:
    the smaller index)."""
    from homecoming.optimisation.sequencing.kernel import priority_order  # Numba loads only when plans are built

    a = lay.arrays
    out = np.empty(len(lay.durations), dtype=np.int64)
    size = priority_order(np.asarray(priority, dtype=np.float64), a.pred_ptr, a.succ_ptr, a.succ_idx, out)
    return [int(i) for i in out[:size]]


def serial_sgs(lay: Layout, order: Sequence[int]) -> list[int] | None:
    """Starts for the tasks in `order` (precedence feasible), or None if one does not fit in the horizon."""
    from homecoming.optimisation.sequencing.kernel import place

    a = lay.arrays
    start = np.zeros(len(lay.durations), dtype=np.int64)
    end = np.zeros(len(lay.durations), dtype=np.int64)
    place(np.asarray(order, dtype=np.int64), a.durations, a.links, a.uses, a.capacity.copy(), start, end, NO_CAUSE,
          NO_RELEASED)  # fmt: skip
    if len(order) and int(end.max()) > lay.horizon:
        return None
    return [int(s) for s in start]


def planner_rule(lay: Layout) -> list[int] | None:
    """What a planner does today: rank settlements by households per unit of work (task-periods), then place every
    task as early as the resources allow, best-ranked settlement first."""
    return serial_sgs(lay, activity_list(lay, task_priority(lay, goal_rules(lay)["planner"])))


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
