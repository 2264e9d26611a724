"""An independent check of a solution: every rule of the problem, and the objective recomputed.

It shares nothing with the solver but the dataclasses and the cost formula's definition in the issue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from homecoming.optimisation.allocation.model import Problem, Result


@dataclass(frozen=True, slots=True)
class Check:
    violations: tuple[str, ...]
    objective: int
    vehicles: int
    vehicle_bound: int  # sum over settlement-periods of ceil(people / seats)

    @property
    def ok(self) -> bool:
        return not self.violations


def _placements(problem: Problem, result: Result, out: list[str]) -> int:
    households = {h.id: h for h in problem.households}
    settlements = {s.id: s for s in problem.settlements}
    stock: Counter[tuple[str, int, int]] = Counter()
    for b in problem.housing:
        stock[(b.settlement, b.rooms, b.ready)] += b.count
    used: Counter[tuple[str, int, int]] = Counter()
    arrivals: Counter[tuple[str, int]] = Counter()
    seen: set[str] = set()
    w = problem.weights
    total = 0
    for p in result.placements:
        h = households.get(p.household)
        if h is None:
            out.append(f"placement of unknown household {p.household!r}")
            continue
        if p.household in seen:
            out.append(f"household {p.household!r} is placed twice")
        seen.add(p.household)
        where = f"household {h.id!r} in {p.settlement!r} at period {p.period}"
        site = settlements.get(p.settlement)
        if site is None:
            out.append(f"{where}: unknown settlement")
            continue
        if p.settlement != h.origin and p.settlement not in h.accepts:
            out.append(f"{where}: neither its origin nor a settlement it accepts")
        if not h.available <= p.period < problem.periods:
            out.append(f"{where}: outside its window [{h.available}, {problem.periods})")
        if site.opens is None or p.period < site.opens:
            out.append(f"{where}: the settlement opens at {site.opens}")
        if p.rooms < h.rooms_needed:
            out.append(f"{where}: house of {p.rooms} rooms, needs {h.rooms_needed}")
        if p.ready > p.period:
            out.append(f"{where}: house ready only at {p.ready}")
        used[(p.settlement, p.rooms, p.ready)] += 1
        arrivals[(p.settlement, p.period)] += 1
        total += h.size * (p.period - h.available) * w.wait * (1 + h.priority)
        total += h.size * w.not_origin if p.settlement != h.origin else 0
        total += w.extra_room * (p.rooms - h.rooms_needed)
    for key, n in sorted(used.items()):
        if n > stock[key]:
            out.append(f"{n} households in houses {key} but only {stock[key]} are listed")
    for (s, t), n in sorted(arrivals.items()):
        limit = settlements[s].convoy_households if s in settlements else None
        if limit is not None and n > limit:
            out.append(f"{n} households arrive in {s!r} at period {t}, over the convoy limit {limit}")
    for u in result.unplaced:
        if u in seen:
            out.append(f"household {u!r} is both placed and unplaced")
        elif u not in households:
            out.append(f"unplaced household {u!r} is unknown")
        else:
            total += households[u].size * w.unplaced * problem.periods
        seen.add(u)
    for h in problem.households:
        if h.id not in seen:
            out.append(f"household {h.id!r} is neither placed nor unplaced")
    return total


def _convoys(problem: Problem, result: Result, out: list[str]) -> tuple[int, int]:
    sizes = {h.id: h.size for h in problem.households}
    moves: dict[tuple[str, int], set[str]] = defaultdict(set)
    for p in result.placements:
        moves[(p.settlement, p.period)].add(p.household)
    carried: dict[tuple[str, int], set[str]] = defaultdict(set)
    vehicles = 0
    bound = 0
    for c in result.convoys:
        where = f"convoy to {c.settlement!r} at period {c.period}"
        members = set(c.households)
        if len(members) != len(c.households):
            out.append(f"{where}: a household is listed twice")
        carried[(c.settlement, c.period)] |= members
        people = sum(sizes.get(m, 0) for m in members)
        if people != c.people:
            out.append(f"{where}: says {c.people} people, its households have {people}")
        if len(c.loads) != c.vehicles:
            out.append(f"{where}: {c.vehicles} vehicles but {len(c.loads)} loads")
        loaded = [m for load in c.loads for m in load]
        if sorted(loaded) != sorted(c.households):
            out.append(f"{where}: the vehicle loads do not carry exactly its households (a household split or missing)")
        for k, load in enumerate(c.loads):
            seats = sum(sizes.get(m, 0) for m in load)
            if seats > problem.vehicle_seats:
                out.append(f"{where}: vehicle {k + 1} carries {seats} people in {problem.vehicle_seats} seats")
        vehicles += c.vehicles
        bound += -(-people // problem.vehicle_seats)
    for key in sorted(set(moves) | set(carried)):
        if moves[key] != carried[key]:
            missing = sorted(moves[key] - carried[key])[:3]
            extra = sorted(carried[key] - moves[key])[:3]
            out.append(
                f"convoys to {key[0]!r} at period {key[1]} do not match its moves: missing {missing}, extra {extra}"
            )
    return vehicles, bound


def check(problem: Problem, result: Result) -> Check:
    """Every violated rule (empty when the solution is valid) and the objective recomputed from scratch."""
    out: list[str] = []
    objective = _placements(problem, result, out)
    vehicles, bound = _convoys(problem, result, out)
    if objective != result.objective:
        out.append(f"objective is {objective}, the solution says {result.objective}")
    if result.lower_bound > objective:
        out.append(f"lower bound {result.lower_bound} is above the objective {objective}")
    return Check(tuple(out), objective, vehicles, bound)
