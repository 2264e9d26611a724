"""A plan made better settlement by settlement: each settlement's households re-solved exactly (issue 18).

The sweep decides who goes where and then places each settlement's households greedily. Here each settlement in
turn gets the households the plan sends there, plus those still unplaced that accept it, and its aggregated network
(network.py) is solved exactly by HiGHS: the best plan for that settlement and those households. The old plan for
them is a feasible solution of the same sub-problem, so the new one never costs more; it replaces the old only when
it costs less. Settlements are taken in order of their share of the plan's cost, while the time lasts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from homecoming.optimisation.allocation.lp import Prices
from homecoming.optimisation.allocation.model import (
    Household,
    Placement,
    Problem,
    Settlement,
    allowed_settlements,
    placement_cost,
    unplaced_cost,
)

# (sub-problem, seconds, prices to fill) -> placements, unplaced; None when it did not finish
Exact = Callable[[Problem, float, Prices], "tuple[list[Placement], list[str]] | None"]


def _sub_problem(problem: Problem, site: Settlement, people: list[Household]) -> Problem:
    """Settlement `site` with `people`, who may go only there (their origins kept, never opening, for the cost)."""
    others = {h.origin for h in people} - {site.id}
    closed = tuple(Settlement(s, None) for s in sorted(others))
    movers = tuple(
        Household(
            h.id, h.origin, h.size, h.rooms_needed, h.available, h.priority, (site.id,) if h.origin != site.id else ()
        )
        for h in people
    )
    return Problem(
        periods=problem.periods,
        settlements=(site, *closed),
        housing=tuple(b for b in problem.housing if b.settlement == site.id),
        households=movers,
        vehicle_seats=problem.vehicle_seats,
        weights=problem.weights,
    )


def refine(
    problem: Problem, placements: list[Placement], unplaced: list[str], exact: Exact, deadline: float, prices: Prices
) -> tuple[list[Placement], list[str]]:
    """The plan with every settlement reached before `deadline` re-solved exactly (never costing more); `prices`
    receives each re-solved settlement's LP prices of arrivals and houses (for the Lagrangian bound)."""
    if time.perf_counter() >= deadline:
        return placements, unplaced
    by_id = {h.id: h for h in problem.households}
    here: dict[str, list[Placement]] = defaultdict(list)
    for p in placements:
        here[p.settlement].append(p)
    waiting = set(unplaced)
    cost = {
        s: sum(placement_cost(problem, by_id[p.household], s, p.rooms, p.period) for p in ps) for s, ps in here.items()
    }
    hopeful: dict[str, list[str]] = defaultdict(list)
    for u in sorted(waiting):
        for s in allowed_settlements(by_id[u]):
            hopeful[s].append(u)
    order = sorted(problem.settlements, key=lambda s: (-(cost.get(s.id, 0) + len(hopeful[s.id])), s.id))
    for site in order:
        if time.perf_counter() >= deadline:
            break
        extra = [u for u in hopeful[site.id] if u in waiting]
        if not here[site.id] and not extra:
            continue
        people = [by_id[p.household] for p in here[site.id]] + [by_id[u] for u in extra]
        solved = exact(_sub_problem(problem, site, people), deadline - time.perf_counter(), prices)
        if solved is None:
            continue
        new_placed, new_unplaced = solved
        before = cost.get(site.id, 0) + sum(unplaced_cost(problem, by_id[u]) for u in extra)
        after = sum(placement_cost(problem, by_id[p.household], site.id, p.rooms, p.period) for p in new_placed)
        after += sum(unplaced_cost(problem, by_id[u]) for u in new_unplaced if u in waiting)
        dropped = [u for u in new_unplaced if u not in waiting]  # placed before, unplaced now: counted as such
        after += sum(unplaced_cost(problem, by_id[u]) for u in dropped)
        if after >= before:
            continue
        here[site.id] = new_placed
        cost[site.id] = sum(placement_cost(problem, by_id[p.household], site.id, p.rooms, p.period) for p in new_placed)
        waiting -= {p.household for p in new_placed}
        waiting |= set(dropped)
    return [p for ps in here.values() for p in ps], sorted(waiting)
