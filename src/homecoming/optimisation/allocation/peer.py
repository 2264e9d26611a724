"""The straightforward model, as a peer to compare with: one binary per household x house batch x period.

CP-SAT on `x[h, b, t] = 1` when household h moves into a house of batch b in period t. It knows nothing of
classes, chains or the house network; it only fits small problems (the variable count is the product).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from homecoming.optimisation.allocation.model import Placement, Problem, placement_cost, unplaced_cost


@dataclass(frozen=True, slots=True)
class PeerResult:
    status: str  # "optimal", "feasible" or "unknown"
    objective: int | None
    bound: int
    variables: int
    seconds: float
    placements: tuple[Placement, ...] = ()  # of the best solution found, for the checker
    unplaced: tuple[str, ...] = ()


def _options(problem: Problem) -> list[tuple[int, int, int, int]]:
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


def solve_peer(problem: Problem, *, time_limit: float, workers: int = 1) -> PeerResult:
    started = time.perf_counter()
    model = cp_model.CpModel()
    options = _options(problem)
    x = [model.new_bool_var(f"x{k}") for k in range(len(options))]
    by_household: dict[int, list[int]] = defaultdict(list)
    by_batch: dict[int, list[int]] = defaultdict(list)
    by_arrival: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, (i, j, t, _) in enumerate(options):
        by_household[i].append(k)
        by_batch[j].append(k)
        by_arrival[(problem.housing[j].settlement, t)].append(k)
    placed = []
    for i in range(len(problem.households)):
        y = model.new_bool_var(f"placed{i}")
        model.add(sum(x[k] for k in by_household[i]) == y)
        placed.append(y)
    for j, ks in by_batch.items():
        model.add(sum(x[k] for k in ks) <= problem.housing[j].count)
    limits = {s.id: s.convoy_households for s in problem.settlements}
    for (s, _), ks in by_arrival.items():
        limit = limits[s]
        if limit is not None:
            model.add(sum(x[k] for k in ks) <= limit)
    unplaced_total = sum(unplaced_cost(problem, h) for h in problem.households)
    model.minimize(
        sum(options[k][3] * x[k] for k in range(len(options)))
        + unplaced_total
        - sum(unplaced_cost(problem, h) * placed[i] for i, h in enumerate(problem.households))
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PeerResult("unknown", None, round(solver.best_objective_bound), len(options), seconds)
    chosen = [options[k] for k in range(len(options)) if solver.value(x[k])]
    placements = tuple(
        Placement(
            problem.households[i].id,
            problem.housing[j].settlement,
            problem.housing[j].rooms,
            problem.housing[j].ready,
            t,
        )
        for i, j, t, _ in chosen
    )
    placed_ids = {i for i, *_ in chosen}
    unplaced = tuple(h.id for i, h in enumerate(problem.households) if i not in placed_ids)
    value = round(solver.objective_value)
    bound = value if status == cp_model.OPTIMAL else round(solver.best_objective_bound)
    word = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return PeerResult(word, value, bound, len(options), seconds, placements, unplaced)
