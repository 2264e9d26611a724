"""Independent parts of a problem: settlements linked by households that accept one another's settlements.

Two settlements are in one part when some household may move to both (its origin and its alternatives). Parts
share no household, house or convoy, so each is solved on its own: their optimal costs add up, and so do their
lower bounds. A national registry where families go home only splits into one part per settlement.
"""

from __future__ import annotations

from collections import defaultdict

from homecoming.optimisation.allocation.model import Household, HousingBatch, Problem


def _roots(problem: Problem) -> dict[str, str]:
    parent = {s.id: s.id for s in problem.settlements}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for h in problem.households:
        a = find(h.origin)
        for other in h.accepts:
            b = find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
                a = min(a, b)
    return {s: find(s) for s in parent}


def split(problem: Problem) -> list[Problem]:
    """The parts with at least one household, fewest households first (ties by their first settlement)."""
    roots = _roots(problem)
    people: dict[str, list[Household]] = defaultdict(list)
    for h in problem.households:
        people[roots[h.origin]].append(h)
    houses: dict[str, list[HousingBatch]] = defaultdict(list)
    for b in problem.housing:
        houses[roots[b.settlement]].append(b)
    parts = []
    for root in sorted(people, key=lambda r: (len(people[r]), r)):
        parts.append(
            Problem(
                periods=problem.periods,
                settlements=tuple(s for s in problem.settlements if roots[s.id] == root),
                housing=tuple(houses[root]),
                households=tuple(people[root]),
                vehicle_seats=problem.vehicle_seats,
                weights=problem.weights,
            )
        )
    return parts


def merge(problem: Problem, parts: list[Problem]) -> Problem:
    """One problem holding `parts` (parts of `problem`), for the solvers that take them together."""
    keep = {s.id for part in parts for s in part.settlements}
    return Problem(
        periods=problem.periods,
        settlements=tuple(s for s in problem.settlements if s.id in keep),
        housing=tuple(b for part in parts for b in part.housing),
        households=tuple(h for part in parts for h in part.households),
        vehicle_seats=problem.vehicle_seats,
        weights=problem.weights,
    )
