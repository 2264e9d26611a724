"""A group's vehicles as a cutting-stock problem: households of a few distinct sizes, vehicles of equal seats.

A vehicle load is a pattern (how many households of each size it carries). The LP over all patterns, "fewest
vehicles such that every size is carried", is solved by column generation: GLOP solves the LP over the patterns
found so far, and a bounded knapsack over the seats finds the pattern its duals value most; none worth more than
one vehicle means the LP is optimal. Its value rounded up is a lower bound on the vehicles (Gilmore and Gomory),
never weaker than seats / fullest load. Rounding its pattern counts down and packing what is left gives a packing
that is, in practice, within one vehicle of that bound; where it is not, CP-SAT chooses integer pattern counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

EPS = 1e-7
MAX_COLUMNS = 400  # column generation stops here (the bound below stays valid: Farley's)
Pattern = tuple[tuple[int, int], ...]  # (size, households of that size) in one vehicle


@dataclass(frozen=True)
class Stock:
    """The LP's answer: a valid lower bound on the vehicles, and the patterns with their (fractional) counts."""

    bound: int
    patterns: list[Pattern]
    counts: list[float]


def _best_pattern(values: dict[int, float], caps: dict[int, int], seats: int) -> tuple[float, Pattern]:
    """The load of at most `seats` people (at most caps[s] households of size s) of greatest value: a bounded
    knapsack, each size split into items of 1, 2, 4, ... households."""
    items = []
    for s, cap in sorted(caps.items()):
        k, left = 1, min(cap, seats // s)
        while left > 0:
            m = min(k, left)
            items.append((s, m))
            left -= m
            k *= 2
    best = [0.0] * (seats + 1)
    took: list[list[bool]] = []
    for s, m in items:
        weight, value = s * m, values.get(s, 0.0) * m
        row = [False] * (seats + 1)
        for c in range(seats, weight - 1, -1):
            if best[c - weight] + value > best[c] + EPS:
                best[c] = best[c - weight] + value
                row[c] = True
        took.append(row)
    c = max(range(seats + 1), key=lambda c: best[c])
    value = best[c]
    chosen: dict[int, int] = {}
    for j in range(len(items) - 1, -1, -1):
        if took[j][c]:
            s, m = items[j]
            chosen[s] = chosen.get(s, 0) + m
            c -= s * m
    return value, tuple(sorted(chosen.items()))


def _solve_lp(patterns: list[Pattern], need: dict[int, int]) -> tuple[float, list[float], dict[int, float]]:
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = [solver.NumVar(0.0, solver.infinity(), f"p{k}") for k in range(len(patterns))]
    rows = {}
    for s, n in need.items():
        rows[s] = solver.Constraint(float(n), solver.infinity())
    for k, pattern in enumerate(patterns):
        for s, m in pattern:
            rows[s].SetCoefficient(x[k], float(m))
    objective = solver.Objective()
    for var in x:
        objective.SetCoefficient(var, 1.0)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        raise RuntimeError("the cutting-stock LP did not solve")  # cannot happen: single-size patterns cover all
    duals = {s: max(0.0, row.dual_value()) for s, row in rows.items()}
    return objective.Value(), [var.solution_value() for var in x], duals


def stock(need: dict[int, int], seats: int) -> Stock:
    """Column generation for `need` (households per size, each size at most `seats`)."""
    patterns: list[Pattern] = [((s, min(n, seats // s)),) for s, n in sorted(need.items())]
    while True:
        value, counts, duals = _solve_lp(patterns, need)
        price, pattern = _best_pattern(duals, need, seats)
        if price <= 1.0 + 1e-9 or pattern in patterns or len(patterns) >= MAX_COLUMNS:
            # Farley: the LP over all patterns is at least value / price (value itself once no column prices above 1)
            return Stock(math.ceil(value / max(1.0, price) - 1e-6), patterns, counts)
        patterns.append(pattern)


def _integer_counts(plan: Stock, need: dict[int, int], time_limit: float) -> list[int] | None:
    """Pattern counts covering `need` in fewest vehicles, among the LP's patterns (CP-SAT), or None if none in time."""
    model = cp_model.CpModel()
    top = sum(need.values())
    x = [model.new_int_var(0, top, f"p{k}") for k in range(len(plan.patterns))]
    for s, n in need.items():
        model.add(sum(m * x[k] for k, p in enumerate(plan.patterns) for size, m in p if size == s) >= n)
    model.add(sum(x) >= plan.bound)
    model.minimize(sum(x))
    for k, c in enumerate(plan.counts):
        model.add_hint(x[k], math.ceil(c - 1e-6))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [solver.value(v) for v in x]


def _loads(patterns: list[Pattern], counts: list[int], by_size: dict[int, list[int]]) -> list[list[int]]:
    """Household indices per vehicle: each pattern copy takes households of its sizes while any are left."""
    vehicles = []
    for pattern, count in zip(patterns, counts, strict=True):
        for _ in range(count):
            load = [by_size[s].pop() for s, m in pattern for _ in range(min(m, len(by_size[s])))]
            if load:
                vehicles.append(sorted(load))
    return vehicles


Packer = Callable[[list[int], int], list[list[int]]]


def cut(sizes: list[int], seats: int, time_limit: float, pack_rest: Packer) -> tuple[int, list[list[int]]]:
    """A lower bound on the vehicles for `sizes`, and a packing: the LP's patterns rounded down and what is left
    packed by `pack_rest`, or (when that is above the bound + 1) integer pattern counts from CP-SAT."""
    by_size: dict[int, list[int]] = {}
    for i in sorted(range(len(sizes)), key=lambda i: -i):
        by_size.setdefault(sizes[i], []).append(i)
    need = {s: len(v) for s, v in by_size.items()}
    plan = stock(need, seats)
    vehicles = _loads(plan.patterns, [math.floor(c + 1e-9) for c in plan.counts], by_size)
    rest = [i for v in by_size.values() for i in v]
    vehicles += [[rest[j] for j in load] for load in pack_rest([sizes[i] for i in rest], seats)]
    if len(vehicles) > plan.bound + 1 and time_limit > 0.01:
        counts = _integer_counts(plan, need, time_limit)
        if counts is not None and sum(counts) < len(vehicles):
            by_size = {s: sorted((i for i in range(len(sizes)) if sizes[i] == s), reverse=True) for s in need}
            vehicles = _loads(plan.patterns, counts, by_size)
    return plan.bound, vehicles
