"""The time-free LP bound of issue 18, and the prices it gives the Lagrangian bound to start from.

Households are aggregated into classes (origin, accepts, size, rooms_needed). Time and waiting are dropped: a class
may take a house of r >= rooms_needed rooms in any allowed settlement s that opens and has such a house ready within
the horizon, at cost size * not_origin (if s is not the origin) + extra_room * (r - rooms_needed), or stay unplaced.
The rows are the class counts, the houses of each (s, r), and the convoy total of each settlement with a limit:
limit x (periods - opens). Every allocation maps onto a solution of this LP at no more than its cost, so its
optimum, rounded up, is a valid bound.

Its duals are a house price per (s, r) and a convoy price per s. Put on every batch of (s, r) and every open period
of s, they are prices of the Lagrangian relaxation (lagrange.py) whose value is at least the LP's: the relaxation
adds each household's waiting, which is never negative. So the subgradient started there never reports a bound
below this LP. GLOP solves it (national shape, 350,000 households: a few seconds).

Its primal values say where each class goes (`shares`, per settlement): the large path's first plan sends households
there (large.lp_split).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from homecoming.optimisation.allocation.lp import mbh, rounded_up
from homecoming.optimisation.allocation.model import Problem, allowed_settlements, never_opens

CoarseKey = tuple[str, tuple[str, ...], int, int]  # origin, other allowed settlements, size, rooms_needed


@dataclass(frozen=True)
class TimeFree:
    bound: int  # 0 when the LP did not finish in time (still a bound)
    house_price: dict[tuple[str, int], float]  # (settlement, rooms) -> price of one house, >= 0
    convoy_price: dict[str, float]  # settlement -> price of one arrival in any open period, >= 0
    # (origin, other allowed settlements, size, rooms_needed) -> settlement -> households the LP sends there
    shares: dict[CoarseKey, dict[str, float]] = field(default_factory=dict)


def _houses(problem: Problem) -> dict[tuple[str, int], int]:
    """Houses per (settlement, rooms) usable within the horizon."""
    sites = {s.id: s for s in problem.settlements}
    count: dict[tuple[str, int], int] = defaultdict(int)
    for b in problem.housing:
        site = sites[b.settlement]
        if b.count > 0 and not never_opens(site, problem.periods) and max(b.ready, site.opens or 0) < problem.periods:
            count[(b.settlement, b.rooms)] += b.count
    return count


def _classes(problem: Problem) -> dict[CoarseKey, int]:
    classes: dict[CoarseKey, int] = defaultdict(int)
    for h in problem.households:
        classes[(h.origin, allowed_settlements(h)[1:], h.size, h.rooms_needed)] += 1
    return dict(sorted(classes.items()))


def _mps(
    problem: Problem, classes: dict[CoarseKey, int], houses: dict[tuple[str, int], int]
) -> tuple[str, list[str], list[tuple[int, str] | None]]:
    house_row = {key: k for k, key in enumerate(sorted(houses))}
    levels: dict[str, list[int]] = defaultdict(list)
    for s, r in sorted(houses):
        levels[s].append(r)
    limited = sorted(s.id for s in problem.settlements if s.convoy_households is not None and s.id in levels)
    convoy_row = {s: k for k, s in enumerate(limited)}
    w = problem.weights
    lines = ["NAME timefree", "ROWS", " N cost"]
    lines.extend(f" E n{c}" for c in range(len(classes)))
    lines.extend(f" L h{k}" for k in range(len(house_row)))
    lines.extend(f" L v{k}" for k in range(len(convoy_row)))
    lines.append("COLUMNS")
    k = 0
    columns: list[tuple[int, str] | None] = []  # the columns in order: None for u, (class, settlement) for x
    for c, (origin, others, size, need) in enumerate(classes):
        lines.append(f" u{c} cost {size * w.unplaced * problem.periods} n{c} 1")
        columns.append(None)
        for s in (origin, *others):
            for r in levels.get(s, []):
                if r >= need:
                    cost = w.extra_room * (r - need) + (size * w.not_origin if s != origin else 0)
                    lines.append(f" x{k} cost {cost} n{c} 1")
                    lines.append(f" x{k} h{house_row[(s, r)]} 1" + (f" v{convoy_row[s]} 1" if s in convoy_row else ""))
                    columns.append((c, s))
                    k += 1
    lines.append("RHS")
    lines.extend(f" rhs n{c} {n}" for c, n in enumerate(classes.values()))
    lines.extend(f" rhs h{k} {houses[key]}" for key, k in house_row.items())
    sites = {s.id: s for s in problem.settlements}
    for s, k in convoy_row.items():
        lines.append(f" rhs v{k} {(sites[s].convoy_households or 0) * (problem.periods - (sites[s].opens or 0))}")
    lines.append("ENDATA")
    return "\n".join(lines), limited, columns


def timefree(problem: Problem, *, deadline: float) -> TimeFree:
    """The LP of the module docstring, its bound and its prices; zero bound and prices if it is not solved in time."""
    nothing = TimeFree(0, {}, {})
    classes = _classes(problem)
    if not classes or deadline - time.perf_counter() <= 0.05:
        return nothing
    houses = _houses(problem)
    text, limited, columns = _mps(problem, classes, houses)
    model = mbh.ModelBuilderHelper()
    if not model.import_from_mps_string(text):
        raise ValueError("the time-free allocation LP is not a valid linear programme")
    left = deadline - time.perf_counter()
    if left <= 0.05:
        return nothing
    engine = mbh.ModelSolverHelper("glop")  # on this transportation LP GLOP was six times faster than HiGHS
    engine.set_time_limit_in_seconds(left)
    engine.solve(model)
    if engine.status() != mbh.SolveStatus.OPTIMAL:
        return nothing
    duals = np.maximum(0.0, -np.asarray(engine.dual_values())[len(classes) :])  # <= rows of a minimisation
    house_price = {key: float(duals[k]) for k, key in enumerate(sorted(houses))}
    convoy_price = {s: float(duals[len(houses) + k]) for k, s in enumerate(limited)}
    return TimeFree(
        max(0, rounded_up(engine.objective_value())),
        house_price,
        convoy_price,
        _shares(classes, columns, np.asarray(engine.variable_values())),
    )


def _shares(
    classes: dict[CoarseKey, int], columns: list[tuple[int, str] | None], values: np.ndarray
) -> dict[CoarseKey, dict[str, float]]:
    """The LP's placements per class and settlement (summed over room counts): where it sends each class. The
    solver numbers the columns in the order the MPS text first names them (`columns`)."""
    keys = list(classes)
    shares: dict[CoarseKey, dict[str, float]] = defaultdict(dict)
    for column, v in zip(columns, values, strict=True):
        if column is not None and v > 1e-9:
            c, s = column
            shares[keys[c]][s] = shares[keys[c]].get(s, 0.0) + float(v)
    return dict(shares)
