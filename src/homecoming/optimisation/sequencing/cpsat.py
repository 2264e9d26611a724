"""The CP-SAT model of the problem: interval per task, one cumulative per resource, weighted goal completions."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from homecoming.optimisation.sequencing.model import Status
from homecoming.optimisation.sequencing.sgs import Layout

Progress = Callable[[float, int | None, int], None]  # seconds, best objective, best bound


@dataclass
class Model:
    model: cp_model.CpModel
    starts: list[cp_model.IntVar]
    completions: list[cp_model.IntVar]
    objective: cp_model.LinearExpr
    intervals: list[cp_model.IntervalVar] = field(default_factory=list)


def calendar_dips(capacity_row: Sequence[int]) -> tuple[int, list[tuple[int, int, int]]]:
    """The peak capacity and the runs `(start, length, dip)` where the capacity is below it."""
    peak = max(capacity_row, default=0)
    dips: list[tuple[int, int, int]] = []
    p = 0
    while p < len(capacity_row):
        dip = peak - capacity_row[p]
        q = p
        while q < len(capacity_row) and peak - capacity_row[q] == dip:
            q += 1
        if dip > 0:
            dips.append((p, q - p, dip))
        p = q
    return peak, dips


def build(lay: Layout, *, tight: bool = False) -> Model:
    """The model an OR engineer writes in an afternoon; `tight` adds the bounds our engine knows."""
    m = cp_model.CpModel()
    horizon = lay.horizon
    starts, intervals = [], []
    for i, d in enumerate(lay.durations):
        lo, hi = (lay.earliest[i], lay.latest[i]) if tight else (0, horizon - d)
        s = m.new_int_var(lo, hi, f"s{i}")
        starts.append(s)
        intervals.append(m.new_fixed_size_interval_var(s, d, f"x{i}"))
    for i, succ in enumerate(lay.successors):
        for j in succ:
            m.add(starts[j] >= starts[i] + lay.durations[i])
    for r in range(lay.capacity.shape[0]):
        peak, dips = calendar_dips([int(c) for c in lay.capacity[r]])
        users = [(i, a) for i, dem in enumerate(lay.demands) for (rr, a) in dem if rr == r and lay.durations[i] > 0]
        if not users:
            continue
        fixed = [m.new_fixed_size_interval_var(s, n, f"dip{r}_{s}") for s, n, _ in dips]
        m.add_cumulative(
            [intervals[i] for i, _ in users] + fixed, [a for _, a in users] + [d for _, _, d in dips], peak
        )
    completions = []
    for g, tasks in enumerate(lay.goal_tasks):
        lo = max((lay.earliest[i] + lay.durations[i] for i in tasks), default=0) if tight else 0
        c = m.new_int_var(lo, horizon, f"c{g}")
        if tight:
            for i in tasks:
                m.add(c >= starts[i] + lay.durations[i])
        else:
            ends: list[cp_model.LinearExprT] = [starts[i] + lay.durations[i] for i in tasks]
            m.add_max_equality(c, ends or [0])
        completions.append(c)
    objective = cp_model.LinearExpr.weighted_sum(completions, lay.weights)
    m.minimize(objective)
    return Model(m, starts, completions, objective, intervals)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, began: float, progress: Progress | None) -> None:
        super().__init__()
        self.began = began
        self.progress = progress

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(time.monotonic() - self.began, int(self.objective_value), int(self.best_objective_bound))


@dataclass(frozen=True)
class Run:
    status: Status
    start: list[int] | None
    objective: int | None
    bound: int


def run(
    built: Model,
    *,
    time_limit: float,
    workers: int,
    began: float,
    progress: Progress | None = None,
    hint: Sequence[int] | None = None,
    configure: Callable[[cp_model.CpSolver], None] | None = None,
) -> Run:
    if hint is not None:
        built.model.clear_hints()  # type: ignore[no-untyped-call]
        for var, value in zip(built.starts, hint, strict=True):
            built.model.add_hint(var, value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    if configure is not None:
        configure(solver)
    code = solver.solve(built.model, _Watcher(began, progress))
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start = [int(solver.value(s)) for s in built.starts]
        value = int(solver.objective_value)
        status: Status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        return Run(status, start, value, value if code == cp_model.OPTIMAL else int(solver.best_objective_bound))
    status = "infeasible" if code == cp_model.INFEASIBLE else "unknown"
    bound = int(solver.best_objective_bound) if code != cp_model.INFEASIBLE else 0
    return Run(status, None, None, max(bound, 0))
