"""The straightforward model, as a peer to compare with: one binary per household x house batch x period.

`x[h, b, t] = 1` when household h moves into a house of batch b in period t; at most one move a household, at most
a batch's houses, at most a settlement's convoy limit a period. It knows nothing of classes, chains or the house
network; it only fits small problems (the variable count is the product). Solved as a MILP by HiGHS (the default,
the issue's reference) or by CP-SAT.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from homecoming.optimisation.allocation.lp import mbh, rounded_up
from homecoming.optimisation.allocation.model import Placement, Problem, placement_cost, unplaced_cost

Option = tuple[int, int, int, int]  # household index, batch index, period, cost


@dataclass(frozen=True, slots=True)
class PeerResult:
    status: str  # "optimal", "feasible" or "unknown"
    objective: int | None
    bound: int
    variables: int
    seconds: float
    placements: tuple[Placement, ...] = ()  # of the best solution found, for the checker
    unplaced: tuple[str, ...] = ()


def _options(problem: Problem) -> list[Option]:
    """(household index, batch index, period, cost) for every allowed move."""
    opens = {s.id: s.opens for s in problem.settlements}
    options = []
    for i, h in enumerate(problem.households):
        allowed = {h.origin, *h.accepts}
        for j, b in enumerate(problem.housing):
            opening = opens[b.settlement]
            if b.settlement not in allowed or b.rooms < h.rooms_needed or b.count <= 0 or opening is None:
                continue
            for t in range(max(h.available, b.ready, opening), problem.periods):
                options.append((i, j, t, placement_cost(problem, h, b.settlement, b.rooms, t)))
    return options


def _rows(problem: Problem, options: list[Option]) -> list[tuple[list[int], int]]:
    """Each "at most" row as (options, right-hand side): per household 1, per batch its houses, per settlement
    and period its convoy limit."""
    by_household: dict[int, list[int]] = defaultdict(list)
    by_batch: dict[int, list[int]] = defaultdict(list)
    by_arrival: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, (i, j, t, _) in enumerate(options):
        by_household[i].append(k)
        by_batch[j].append(k)
        by_arrival[(problem.housing[j].settlement, t)].append(k)
    limits = {s.id: s.convoy_households for s in problem.settlements}
    rows = [(ks, 1) for ks in by_household.values()]
    rows += [(ks, problem.housing[j].count) for j, ks in by_batch.items()]
    for (s, _), ks in by_arrival.items():
        limit = limits[s]
        if limit is not None:
            rows.append((ks, limit))
    return rows


def _result(
    problem: Problem, options: list[Option], chosen: list[int], status: str, value: int, bound: int, seconds: float
) -> PeerResult:
    moves = [options[k] for k in chosen]
    placements = tuple(
        Placement(
            problem.households[i].id,
            problem.housing[j].settlement,
            problem.housing[j].rooms,
            problem.housing[j].ready,
            t,
        )
        for i, j, t, _ in moves
    )
    placed_ids = {i for i, *_ in moves}
    unplaced = tuple(h.id for i, h in enumerate(problem.households) if i not in placed_ids)
    return PeerResult(status, value, bound, len(options), seconds, placements, unplaced)


def solve_peer(problem: Problem, *, time_limit: float, workers: int = 1, solver: str = "highs") -> PeerResult:
    """The exact per-household model by HiGHS (`solver="highs"`, one thread) or CP-SAT (`"cpsat"`, `workers`)."""
    if solver == "highs":
        return _solve_highs(problem, time_limit)
    return _solve_cpsat(problem, time_limit, workers)


def _mps(problem: Problem, options: list[Option]) -> str:
    """The model as MPS text: placing household i by option k costs the option's cost less i's unplaced cost."""
    rows = _rows(problem, options)
    lines = ["NAME peer", "ROWS", " N cost", *(f" L r{r}" for r in range(len(rows)))]
    row_of: dict[int, list[int]] = defaultdict(list)
    for r, (ks, _) in enumerate(rows):
        for k in ks:
            row_of[k].append(r)
    lines += ["COLUMNS", " MARKER 'MARKER' 'INTORG'"]
    for k, (i, _, _, cost) in enumerate(options):
        lines.append(f" x{k} cost {cost - unplaced_cost(problem, problem.households[i])}")
        lines.extend(f" x{k} r{r} 1" for r in row_of[k])
    lines += [" MARKER 'MARKER' 'INTEND'", "RHS", *(f" rhs r{r} {rhs}" for r, (_, rhs) in enumerate(rows))]
    lines += ["BOUNDS", *(f" UP bnd x{k} 1" for k in range(len(options))), "ENDATA"]
    return "\n".join(lines)


def _solve_highs(problem: Problem, time_limit: float) -> PeerResult:
    """The MILP by HiGHS; the unplaced costs of all households are the objective's constant."""
    started = time.perf_counter()
    options = _options(problem)
    households = problem.households
    unplaced_total = sum(unplaced_cost(problem, h) for h in households)
    if not options:  # nobody can move: everyone stays unplaced
        return _result(problem, options, [], "optimal", unplaced_total, unplaced_total, time.perf_counter() - started)
    model = mbh.ModelBuilderHelper()
    if not model.import_from_mps_string(_mps(problem, options)):
        raise ValueError("the peer's model is not a valid MILP")
    engine = mbh.ModelSolverHelper("highs")
    left = min(time_limit, 1e7) - (time.perf_counter() - started)  # building the model counts against the limit
    engine.set_time_limit_in_seconds(max(0.01, left))
    engine.set_solver_specific_parameters("output_flag=false\nthreads=1")
    engine.solve(model)
    seconds = time.perf_counter() - started
    status = engine.status()
    # HiGHS's best bound only from a proof: stopped by its limit, OR-Tools' model builder reports an unknown status and
    # 0 for it (measured: "bound" 384,420,000, twelve times the optimum, at 1,500 households), so the bound is then
    # each household's best move taken alone
    if status == mbh.SolveStatus.OPTIMAL:
        bound = unplaced_total + rounded_up(engine.best_objective_bound())
    else:
        bound = _best_moves_bound(problem, options, unplaced_total)
    if status not in (mbh.SolveStatus.OPTIMAL, mbh.SolveStatus.FEASIBLE):
        return PeerResult("unknown", None, bound, len(options), seconds)
    chosen = np.flatnonzero(np.asarray(engine.variable_values()) > 0.5).tolist()
    value = unplaced_total + sum(options[k][3] - unplaced_cost(problem, households[options[k][0]]) for k in chosen)
    optimal = status == mbh.SolveStatus.OPTIMAL
    word = "optimal" if optimal else "feasible"
    return _result(problem, options, chosen, word, value, value if optimal else bound, seconds)


def _best_moves_bound(problem: Problem, options: list[Option], unplaced_total: int) -> int:
    """A lower bound with no solver: every household makes its cheapest move, if one beats staying unplaced."""
    gain = [0] * len(problem.households)
    for i, _, _, cost in options:
        gain[i] = min(gain[i], cost - unplaced_cost(problem, problem.households[i]))
    return unplaced_total + sum(gain)


def _solve_cpsat(problem: Problem, time_limit: float, workers: int) -> PeerResult:
    started = time.perf_counter()
    model = cp_model.CpModel()
    options = _options(problem)
    x = [model.new_bool_var(f"x{k}") for k in range(len(options))]
    for ks, rhs in _rows(problem, options):
        model.add(sum(x[k] for k in ks) <= rhs)
    households = problem.households
    unplaced_total = sum(unplaced_cost(problem, h) for h in households)
    model.minimize(
        unplaced_total
        + sum((cost - unplaced_cost(problem, households[i])) * x[k] for k, (i, _, _, cost) in enumerate(options))
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PeerResult("unknown", None, math.ceil(solver.best_objective_bound - 1e-6), len(options), seconds)
    chosen = [k for k in range(len(options)) if solver.value(x[k])]
    value = round(solver.objective_value)
    optimal = status == cp_model.OPTIMAL
    bound = value if optimal else math.ceil(solver.best_objective_bound - 1e-6)
    return _result(problem, options, chosen, "optimal" if optimal else "feasible", value, bound, seconds)
