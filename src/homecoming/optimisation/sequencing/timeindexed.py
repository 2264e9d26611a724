"""The time-indexed LP lower bound on the weighted completion, and a bound that stays valid when the LP solver
stops before its optimum.

Variables (the "step" form): z[i,t] = "task i has started by period t", for t in its critical-path window
[earliest_i, latest_i) (before the window it is 0, from latest_i on 1), non-decreasing in t. Task i runs in
period p exactly when z[i,p] - z[i,p-d_i] = 1, so each resource's use in each period is a short sum (two terms
per task) that must fit the calendar's capacity. The mean start of task i is earliest_i + sum_t (1 - z[i,t]).

* `aggregated` (the plain LP, the reference the benchmark prints): a successor's mean start >= its
  predecessor's mean start + duration, and each goal's completion >= each required task's mean end (each mean
  start written out as its sum of z in every such row: with a column of its own per task, tied to its z by one
  row, the LP has 3.8 M terms instead of 5.4 M at 1,000 settlements, but PDLP reaches a weaker bound in the
  same time: 0.78 M against 0.93 M at 100 settlements in 8 s).
* `disaggregated` (tighter, what the engine uses): z[j,t] <= z[i,t-d_i] for every link i -> j and period t,
  and u[g,t] = "goal g is complete by period t" <= z[i,t-d_i] for each task i it requires; its completion is
  earliest_g + sum_t (1 - u[g,t]).

Every integer plan is a point of either LP, so either optimum is a lower bound. The bound returned is not the
solver's objective but the value of the Lagrangian dual at the solver's row duals (clipped to the signs a
dual must have, every variable boxed): that is a valid bound for any duals at all, exact or not, so a solver
stopped by its time limit, or PDLP's approximate answer at scale, still gives a bound that holds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp

from homecoming.optimisation.sequencing.mpencode import model_proto
from homecoming.optimisation.sequencing.sgs import Layout, completions

Form = str  # "aggregated" | "disaggregated"
INF = math.inf


@dataclass(frozen=True)
class LpBound:
    bound: int | None  # the dual bound rounded up; None when the solver gave no duals
    value: float  # the dual bound before rounding (-inf when none)
    mean_starts: list[float] | None  # the LP's mean start of every task (None when the solver gave no point)
    seconds: float
    status: str  # the solver's, e.g. OPTIMAL, NOT_SOLVED (stopped by the time limit)
    started_by: dict[float, list[float]] | None = None  # per share α (SHARES), per task its α-point (`_started_by`)
    prices: np.ndarray | None = None  # the resource rows' duals as prices >= 0 [resource, period] (None: no duals)


class _Lp:
    """A sparse LP being built: min cost'x + offset, lower <= A x <= upper, var_lower <= x <= var_upper (COO)."""

    def __init__(self) -> None:
        self.var_lower: list[np.ndarray] = []
        self.var_upper: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.columns = 0
        self.offset = 0.0
        self.rows = 0
        self.coo: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []

    def variables(self, count: int, high: float = 1.0, low: float = 0.0, cost: float = 0.0) -> int:
        first = self.columns
        self.var_lower.append(np.full(count, low))
        self.var_upper.append(np.full(count, high))
        self.cost.append(np.full(count, cost))
        self.columns += count
        return first

    def rows_of(self, count: int, low: np.ndarray | float, high: np.ndarray | float) -> int:
        """`count` new rows with these sides; returns the first row's index (add terms with `terms`)."""
        first = self.rows
        self.lower.append(np.broadcast_to(np.asarray(low, dtype=float), (count,)).copy())
        self.upper.append(np.broadcast_to(np.asarray(high, dtype=float), (count,)).copy())
        self.rows += count
        return first

    def terms(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | float) -> None:
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        self.coo.append((rows, cols, np.broadcast_to(np.asarray(values, dtype=float), rows.shape).copy()))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """(var_lower, var_upper, cost, row, col, value, lower, upper), the rows in row-major order."""
        cat = np.concatenate
        row, col, val = (cat([c[k] for c in self.coo]) if self.coo else np.zeros(0) for k in range(3))
        order = np.argsort(row, kind="stable")
        return (cat(self.var_lower), cat(self.var_upper), cat(self.cost), row[order].astype(np.int64),
                col[order].astype(np.int64), val[order], cat(self.lower), cat(self.upper))  # fmt: skip


def windows(lay: Layout) -> tuple[list[int], list[int]]:
    """Per task, [low, high): the periods where z[i,t] is a variable (from high on it is 1: the latest start)."""
    high = [
        max(e, min(lat, lay.horizon - d)) for e, lat, d in zip(lay.earliest, lay.latest, lay.durations, strict=True)
    ]
    return list(lay.earliest), high


def cells(lay: Layout) -> int:
    """The LP's size: the number of (task, period) start variables."""
    low, high = windows(lay)
    return sum(high) - sum(low)


class _Steps:
    """The columns of z[i,t] for t in each task's window."""

    def __init__(self, lay: Layout, lp: _Lp) -> None:
        self.low, self.high = windows(lay)
        self.first = [lp.variables(h - e) for e, h in zip(self.low, self.high, strict=True)]
        self.goals: list[tuple[int, int, int, int]] = []  # the u[g,t] of the disaggregated form: (g, column, t0, count)
        self.resource_rows = 0  # the first of the resource rows, [resource, period] in row-major order

    def col(self, i: int, t: np.ndarray) -> np.ndarray:
        return self.first[i] + t - self.low[i]

    def width(self, i: int) -> int:
        return self.high[i] - self.low[i]


def build(lay: Layout, form: Form) -> tuple[_Lp, _Steps]:
    lp = _Lp()
    steps = _Steps(lay, lp)
    for i in range(len(lay.durations)):
        n = steps.width(i)
        if n > 1:  # z[i,t] <= z[i,t+1]
            first = lp.rows_of(n - 1, -INF, 0.0)
            rows = np.arange(first, first + n - 1)
            lp.terms(rows, steps.first[i] + np.arange(n - 1), 1.0)
            lp.terms(rows, steps.first[i] + np.arange(1, n), -1.0)
    _resources(lay, lp, steps)
    if form == "aggregated":
        _aggregated(lay, lp, steps)
    else:
        _disaggregated(lay, lp, steps)
    return lp, steps


def _resources(lay: Layout, lp: _Lp, steps: _Steps) -> None:
    """Per resource and period: sum_i a_i (z[i,p] - z[i,p-d_i]) <= capacity; z is 1 from high_i on."""
    n_res, horizon = lay.capacity.shape
    first = lp.rows_of(n_res * horizon, -INF, lay.capacity.reshape(-1).astype(float))
    steps.resource_rows = first
    rhs = lp.upper[-1]
    for i, demand in enumerate(lay.demands):
        d, low, high = lay.durations[i], steps.low[i], steps.high[i]
        if d == 0:
            continue
        for r, a in demand:
            base = first + r * horizon
            running = np.arange(low, high)  # +a z[i,p] for p in the window
            lp.terms(base + running, steps.col(i, running), float(a))
            rhs[base - first + high : base - first + high + d] -= a  # z[i,p] = 1 for p in [high, high + d)
            later = np.arange(low + d, high + d)  # -a z[i,p-d]
            lp.terms(base + later, steps.col(i, later - d), -float(a))


def _mean_start(steps: _Steps, i: int) -> tuple[np.ndarray, float]:
    """Columns of task i's mean start as (columns, constant): earliest + width - sum z."""
    return np.arange(steps.first[i], steps.first[i] + steps.width(i)), float(steps.high[i])


def _aggregated(lay: Layout, lp: _Lp, steps: _Steps) -> None:
    for i, succ in enumerate(lay.successors):
        cols_i, const_i = _mean_start(steps, i)
        for j in succ:  # S_j - S_i >= d_i  <=>  sum z_i - sum z_j >= d_i + const_i - const_j
            cols_j, const_j = _mean_start(steps, j)
            row = lp.rows_of(1, lay.durations[i] + const_i - const_j, INF)
            lp.terms(np.full(len(cols_i), row), cols_i, 1.0)
            lp.terms(np.full(len(cols_j), row), cols_j, -1.0)
    for g, tasks in enumerate(lay.goal_tasks):
        earliest = max((lay.earliest[i] + lay.durations[i] for i in tasks), default=0)
        c = lp.variables(1, high=float(lay.horizon), low=float(earliest), cost=float(lay.weights[g]))
        for i in tasks:  # C_g >= S_i + d_i  <=>  C_g + sum z_i >= const_i + d_i
            cols, const = _mean_start(steps, i)
            row = lp.rows_of(1, const + lay.durations[i], INF)
            lp.terms(np.full(len(cols) + 1, row), np.append(cols, c), 1.0)


def _precedence_rows(lp: _Lp, steps: _Steps, lhs: np.ndarray, t: np.ndarray, i: int, d: int) -> None:
    """lhs[k] <= z[i, t[k] - d] for each k (rows dropped where z[i, .] is 1; a 0 there pins lhs to 0)."""
    shifted = t - d
    keep = shifted < steps.high[i]
    lhs, shifted = lhs[keep], shifted[keep]
    if not len(lhs):
        return
    first = lp.rows_of(len(lhs), -INF, 0.0)
    rows = np.arange(first, first + len(lhs))
    lp.terms(rows, lhs, 1.0)
    inside = shifted >= steps.low[i]
    lp.terms(rows[inside], steps.col(i, shifted[inside]), -1.0)


def _disaggregated(lay: Layout, lp: _Lp, steps: _Steps) -> None:
    for i, succ in enumerate(lay.successors):
        for j in succ:  # z[j,t] <= z[i,t-d_i]
            t = np.arange(steps.low[j], steps.high[j])
            _precedence_rows(lp, steps, steps.col(j, t), t, i, lay.durations[i])
    for g, tasks in enumerate(lay.goal_tasks):
        if not tasks:
            continue
        earliest = max(steps.low[i] + lay.durations[i] for i in tasks)
        surely = max(steps.high[i] + lay.durations[i] for i in tasks)  # complete by then in every plan
        t = np.arange(earliest, surely)
        u = lp.variables(len(t), cost=-float(lay.weights[g]))  # u[g,t]: complete by period t
        steps.goals.append((g, u, earliest, len(t)))
        lp.offset += lay.weights[g] * float(surely)  # C_g = earliest + sum (1 - u) = surely - sum u
        for i in tasks:
            _precedence_rows(lp, steps, u + np.arange(len(t)), t, i, lay.durations[i])


def dual_bound(arrays: tuple[np.ndarray, ...], offset: float, duals: np.ndarray) -> float:
    """The Lagrangian dual value at `duals` (any values: each is clipped to the sign its finite sides allow)."""
    var_lower, var_upper, cost, row, col, val, lower, upper = arrays
    y = np.where(np.isfinite(lower), np.maximum(duals, 0.0), 0.0) + np.where(
        np.isfinite(upper), np.minimum(duals, 0.0), 0.0
    )
    sides = np.where(y > 0, np.where(np.isfinite(lower), lower, 0.0), np.where(np.isfinite(upper), upper, 0.0))
    reduced = cost - np.bincount(col, weights=val * y[row], minlength=len(cost))
    box = np.where(reduced > 0, reduced * var_lower, reduced * var_upper)
    return float(offset + np.dot(y, sides) + box.sum())


OPTIMUM_TOLERANCE = 1e-7  # relative: what a proven LP optimum may be above the true one (solvers' tolerances)
SOLVERS = {
    "pdlp": linear_solver_pb2.MPModelRequest.PDLP_LINEAR_PROGRAMMING,
    "glop": linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
    "highs": linear_solver_pb2.MPModelRequest.HIGHS_LINEAR_PROGRAMMING,  # to optimality: the reference figure
    # HiGHS's interior point, no crossover: the same optimum within its tolerances (100 settlements, seed 13:
    # 1,065,552.69, the simplex's 1,065,552.7), about 6 min of one core at 300 settlements
    "highs-ipm": linear_solver_pb2.MPModelRequest.HIGHS_LINEAR_PROGRAMMING,
    "scip": linear_solver_pb2.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING,  # the integer model (its own function)
}


def _parameters(solver: str, threads: int, tolerance: float | None) -> str:
    if solver == "pdlp":
        stop = "" if tolerance is None else (
            " termination_criteria { simple_optimality_criteria { "
            f"eps_optimal_relative: {tolerance} eps_optimal_absolute: {tolerance} }} }}"
        )  # fmt: skip
        return f"num_threads: {threads} termination_check_frequency: 16{stop}"
    return "solver=ipm\nrun_crossover=off\noutput_flag=false" if solver == "highs-ipm" else ""


def _request(
    arrays: tuple[np.ndarray, ...],
    offset: float,
    solver: str,
    time_limit: float,
    threads: int,
    integers: int = 0,
    tolerance: float | None = None,
) -> linear_solver_pb2.MPModelRequest:
    """The solver's request; the first `integers` columns take whole values; PDLP stops at `tolerance` (relative
    and absolute optimality: gap and residuals), at its own default (1e-6) when None."""
    parameters = _parameters(solver, threads, tolerance)
    request = linear_solver_pb2.MPModelRequest(solver_type=SOLVERS[solver], solver_specific_parameters=parameters)
    if math.isfinite(time_limit):
        request.solver_time_limit_seconds = max(0.1, time_limit)
    request.model.CopyFrom(model_proto(arrays, offset))
    for column in range(integers):
        request.model.variable[column].is_integer = True
    return request


def time_indexed_bound(
    lay: Layout,
    *,
    form: Form = "disaggregated",
    solver: str = "pdlp",
    time_limit: float = INF,
    threads: int = 1,
    tolerance: float | None = None,
) -> LpBound:
    """The time-indexed LP bound (see the module's docstring), valid whether or not the solver finished (PDLP's
    `tolerance`: see `_request`)."""
    began = time.monotonic()
    lp, steps = build(lay, form)
    arrays = lp.arrays()
    request = _request(arrays, lp.offset, solver, time_limit - (time.monotonic() - began), threads, tolerance=tolerance)
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    status = linear_solver_pb2.MPSolverResponseStatus.Name(response.status)
    duals = np.asarray(response.dual_value, dtype=float)
    # either sign convention: each is a valid bound, the better one is kept
    signed = None
    if len(duals) == lp.rows:
        signed = max((dual_bound(arrays, lp.offset, sign * duals), sign) for sign in (1.0, -1.0))
    value = -INF if signed is None else signed[0]
    if status == "MPSOLVER_OPTIMAL" and solver != "pdlp":
        # a simplex or barrier solver's proven optimum, less its tolerance (HiGHS's duals, through OR-Tools, do not
        # evaluate to a bound in the convention above; its optimal objective is the LP's optimum)
        value = max(value, response.objective_value - OPTIMUM_TOLERANCE * max(1.0, abs(response.objective_value)))
    prices = None
    if signed is not None:  # a <= row's dual is <= 0 in the bound's convention: its price is minus it
        rows = duals[steps.resource_rows : steps.resource_rows + lay.capacity.size] * signed[1]
        prices = np.maximum(-rows, 0.0).reshape(lay.capacity.shape)
    mean = points = None
    if len(response.variable_value) == lp.columns:
        z = np.asarray(response.variable_value)
        mean = [steps.high[i] - float(z[steps.first[i] : steps.first[i] + steps.width(i)].sum())
                for i in range(len(lay.durations))]  # fmt: skip
        points = {share: _started_by(steps, z, share) for share in SHARES}
    bound = None if not math.isfinite(value) else math.ceil(value - 1e-9 * max(1.0, abs(value)))
    return LpBound(bound, value, mean, time.monotonic() - began, status, points, prices)


SHARES = (0.3, 0.4, 0.5, 0.6, 0.7)  # the α of the LP's α-points returned


def _started_by(steps: _Steps, z: np.ndarray, share: float) -> list[float]:
    """Per task the first period by which the LP has started at least `share` of it (its α-point; the latest
    start when it never has: z is 1 from there on). A first-order solver's z may be a little off monotone: the
    running maximum is taken."""
    out = []
    for i in range(len(steps.first)):
        started = np.maximum.accumulate(z[steps.first[i] : steps.first[i] + steps.width(i)])
        reached = np.flatnonzero(started >= share - 1e-9)
        out.append(float(steps.low[i] + reached[0]) if len(reached) else float(steps.high[i]))
    return out


@dataclass(frozen=True)
class MipBound:
    bound: int  # the branch and cut's best bound, rounded up: no plan is below it (0 when it had none)
    plan: int | None  # the best integer plan it found, if any
    status: str  # the solver's: MPSOLVER_OPTIMAL (bound = plan), MPSOLVER_FEASIBLE (stopped by the limit), ...
    seconds: float


MIP_TOLERANCE = 1e-6  # relative: what the solver's best bound may be above the true one (its feasibility tolerance)


def plan_point(lay: Layout, steps: _Steps, columns: int, start: list[int]) -> np.ndarray:
    """A plan as a point of the disaggregated model: z[i,t] = 1 from the task's start on, u[g,t] = 1 from the
    goal's completion on."""
    point = np.zeros(columns)
    for i, s in enumerate(start):
        t = np.arange(steps.low[i], steps.high[i])
        point[steps.col(i, t)] = t >= s
    done = completions(lay, start)
    for g, first, t0, count in steps.goals:
        point[first : first + count] = np.arange(t0, t0 + count) >= done[g]
    return point


def time_indexed_mip_bound(lay: Layout, *, time_limit: float, plan: list[int] | None = None) -> MipBound:
    """The disaggregated model with whole starts (every z[i,t] 0 or 1) by SCIP's branch and cut (one thread): the
    best bound it has when it stops holds for every plan, and on small programmes its cuts lift it well above the
    LP's (`bench/sequencing.py --mip-limit`; the engine's bound process on small programmes). The whole model at
    once: for programmes of tens of settlements, not hundreds. `plan` (starts), if given, is SCIP's first
    incumbent: without one SCIP reports no bound (it found no plan at 12 settlements in 90 s)."""
    began = time.monotonic()
    lp, steps = build(lay, "disaggregated")
    z_columns = sum(steps.width(i) for i in range(len(lay.durations)))  # they come first (`_Steps`), then the u
    left = time_limit - (time.monotonic() - began)
    request = _request(lp.arrays(), lp.offset, "scip", left, 1, integers=z_columns)
    if plan is not None:
        request.model.solution_hint.var_index.extend(range(lp.columns))
        request.model.solution_hint.var_value.extend(plan_point(lay, steps, lp.columns, plan).tolist())
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    status = linear_solver_pb2.MPSolverResponseStatus.Name(response.status)
    solved = status in ("MPSOLVER_OPTIMAL", "MPSOLVER_FEASIBLE")
    found = response.best_objective_bound if solved and response.HasField("best_objective_bound") else -INF
    bound = max(0, math.ceil(found - MIP_TOLERANCE * max(1.0, abs(found)))) if math.isfinite(found) else 0
    value = round(response.objective_value) if solved else None
    return MipBound(bound, value, status, time.monotonic() - began)
