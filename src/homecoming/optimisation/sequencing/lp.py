"""A time-indexed LP lower bound on the weighted completion (solved with GLOP through pywraplp).

Variable z[g,b] = "goal g is complete by the end of bucket b" (monotone in b). If goal g is complete by
period T, each of its own tasks on resource r has ended by T - tail[g,r], so for every resource r and
every time T the own energy of the goals complete by T + tail[g,r] fits in the capacity of [0, T).
Goal g's completion is at least the number of periods before it is complete, which the buckets
underestimate by less than one bucket. Tasks shared by several goals (district works) are left out of
the energy, which keeps the bound valid. The plain CP-SAT model never sees this energy argument, which
is why its bound stays near the critical path on programmes limited by deminers, crews and money.
"""

from __future__ import annotations

import bisect
import math
import time

import numpy as np
from ortools.linear_solver import pywraplp

from homecoming.optimisation.sequencing.sgs import Layout


def _own_energy(lay: Layout) -> tuple[list[list[float]], list[list[int]]]:
    """Per goal and resource: the energy of the tasks only this goal needs, and their shortest tail."""
    n_res = lay.capacity.shape[0]
    energy = [[0.0] * n_res for _ in lay.weights]
    tail = [[lay.horizon] * n_res for _ in lay.weights]
    owners: dict[int, list[int]] = {}
    for i in reversed(lay.order):  # successors first
        if len(lay.feeds[i]) == 1:
            owners.setdefault(lay.feeds[i][0], []).append(i)
    for g, tasks in owners.items():
        after: dict[int, int] = {}  # at least this many periods from the task's end to the goal's completion
        for i in tasks:
            after[i] = max((lay.durations[j] + after[j] for j in lay.successors[i] if j in after), default=0)
        for i in tasks:
            for r, amount in lay.demands[i]:
                energy[g][r] += amount * lay.durations[i]
                tail[g][r] = min(tail[g][r], after[i])
    return energy, tail


def lp_bound(lay: Layout, *, time_limit: float, max_cells: int = 40_000) -> int | None:
    """The LP bound rounded up, or None when GLOP does not finish in time (`math.inf`: no time limit)."""
    began = time.monotonic()
    goals = len(lay.weights)
    horizon = lay.horizon
    if goals == 0 or horizon == 0:
        return 0
    width = max(1, math.ceil(goals * horizon / max_cells))
    points = [*range(width, horizon, width), horizon]  # bucket b ends before period points[b]
    energy, tail = _own_energy(lay)
    earliest = [max((lay.earliest[i] + lay.durations[i] for i in t), default=0) for t in lay.goal_tasks]
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    z: list[dict[int, pywraplp.Variable]] = []
    constant = 0.0
    objective = solver.Objective()
    for g in range(goals):
        row: dict[int, pywraplp.Variable] = {}
        previous = None
        low = 0
        for b, end in enumerate(points):
            covered = max(0, end - max(low, earliest[g]))  # periods of this bucket at or after the earliest end
            low = end
            if end - 1 < earliest[g]:
                continue
            var = solver.NumVar(0.0, 1.0, "")
            row[b] = var
            constant += lay.weights[g] * covered
            objective.SetCoefficient(var, -lay.weights[g] * covered)
            if previous is not None:
                solver.Add(previous <= var)
            previous = var
        constant += lay.weights[g] * earliest[g]
        z.append(row)
    _capacity_rows(solver, lay, z, points, energy, tail)
    objective.SetMinimization()
    if math.isfinite(time_limit):
        solver.SetTimeLimit(max(1, int((time_limit - (time.monotonic() - began)) * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = float(constant + objective.Value())
    return math.ceil(value - 1e-6 * max(1.0, constant))


def _capacity_rows(
    solver: pywraplp.Solver,
    lay: Layout,
    z: list[dict[int, pywraplp.Variable]],
    points: list[int],
    energy: list[list[float]],
    tail: list[list[int]],
) -> None:
    cumulative = np.concatenate(
        [np.zeros((lay.capacity.shape[0], 1), dtype=np.int64), np.cumsum(lay.capacity, axis=1)], axis=1
    )
    for r in range(lay.capacity.shape[0]):
        for end in points:
            # a goal complete by period T + tail (T = end - 1) has its own r-tasks ended by T: inside [0, T)
            T = end - 1
            terms = []
            for g, row in enumerate(z):
                if energy[g][r] <= 0:
                    continue
                b = bisect.bisect_right(points, T + tail[g][r] + 1) - 1  # last bucket ending by T + tail
                if b in row:
                    terms.append(energy[g][r] * row[b])
            if terms:
                solver.Add(solver.Sum(terms) <= float(cumulative[r, T]))
