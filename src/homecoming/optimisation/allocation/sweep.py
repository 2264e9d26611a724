"""A fast allocation for problems too large for the exact model: one sweep over the periods per settlement.

Each household is first sent to one settlement (chosen from the Lagrangian prices, see lagrange.py). Then, per
settlement and period, the heaviest waiting households (size * (1 + priority)) take the convoy places, each into
the smallest fitting ready house, unless that house is bigger than needed and is the last one left for the
households still waiting for that many rooms. With unit moves and a per-period limit, serving the heaviest first
is the exchange-argument optimum of the waiting cost; the house rule protects large families. Households of the
same weight and rooms needed are served as a group (as many at once as places and houses allow): one decision per
group, not per household.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from homecoming.optimisation.allocation.model import Household, HousingBatch, Placement, Problem


def housing_by_settlement(problem: Problem) -> dict[str, list[HousingBatch]]:
    groups: dict[str, list[HousingBatch]] = defaultdict(list)
    for b in problem.housing:
        if b.count > 0:
            groups[b.settlement].append(b)
    return groups


def _houses(houses: list[HousingBatch], opens: int) -> dict[int, dict[tuple[int, int], int]]:
    """Usable period -> (rooms, ready) -> count."""
    by_ready: dict[int, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for b in houses:
        by_ready[max(b.ready, opens)][(b.rooms, b.ready)] += b.count
    return by_ready


def _pick_house(
    rooms: int, ready: dict[int, int], levels: list[int], supply_ge: list[int], demand_ge: list[int]
) -> int | None:
    """Smallest ready house with enough rooms (of `levels`, ascending) that leaves the larger ones for those who
    need them."""
    for r in levels:
        if r < rooms or ready[r] == 0:
            continue
        if r == rooms or all(supply_ge[level] - 1 >= demand_ge[level] for level in range(rooms + 1, r + 1)):
            return r
    return None


class _Stock:
    """The houses of one settlement as the sweep uses them up: ready per room count, oldest batch first, and the
    houses and households at or above each room count (for the rule that keeps big houses for big families)."""

    def __init__(self, houses: list[HousingBatch], opens: int, people: list[Household]) -> None:
        largest = max([b.rooms for b in houses] + [h.rooms_needed for h in people] + [1])
        self.by_ready = _houses(houses, opens)
        self.supply_ge = [0] * (largest + 2)
        self.batches: dict[int, list[list[int]]] = defaultdict(list)  # rooms -> [[ready, houses left]], oldest first
        for counts in self.by_ready.values():
            for (r, ready_period), n in counts.items():
                self.batches[r].append([ready_period, n])
                for level in range(r + 1):
                    self.supply_ge[level] += n
        for r in self.batches:
            self.batches[r].sort()
        self.levels = sorted(self.batches)
        self.demand_ge = [0] * (largest + 2)
        for h in people:
            self.demand_ge[h.rooms_needed] += 1
        for level in range(largest, -1, -1):
            self.demand_ge[level] += self.demand_ge[level + 1]
        self.ready: dict[int, int] = defaultdict(int)

    def open(self, t: int) -> None:
        for (r, _), n in self.by_ready.get(t, {}).items():
            self.ready[r] += n

    def fitting(self, rooms: int) -> tuple[int, int] | None:
        """The house size a household needing `rooms` takes now, and how many in a row may take it."""
        r = _pick_house(rooms, self.ready, self.levels, self.supply_ge, self.demand_ge)
        if r is None:
            return None
        spare = min((self.supply_ge[lv] - self.demand_ge[lv] for lv in range(rooms + 1, r + 1)), default=1 << 60)
        return r, min(self.ready[r], spare)

    def take(self, rooms: int, r: int, k: int) -> list[tuple[int, int]]:
        """`k` houses of `r` rooms for households needing `rooms`: (ready period, count) per batch, oldest first."""
        self.ready[r] -= k
        for level in range(r + 1):
            self.supply_ge[level] -= k
        for level in range(rooms + 1):
            self.demand_ge[level] -= k
        taken = []
        for batch in self.batches[r]:
            if k == 0:
                break
            n = min(k, batch[1])
            if n > 0:
                batch[1] -= n
                k -= n
                taken.append((batch[0], n))
        return taken


def sweep_settlement(
    problem: Problem,
    settlement: str,
    opens: int,
    limit: int | None,
    people: list[Household],
    houses: list[HousingBatch],
    full: dict[int, float] | None = None,
) -> tuple[list[Placement], list[Household]]:
    """Placements in one settlement (whose house batches are `houses`) and the households it could not take.

    Households waiting with the same rooms needed and weight (size * (1 + priority)) form a group, taken in id
    order; each step serves as many of the heaviest group with a fitting house as the places, the houses of that
    size and the rule for big houses allow (the same choices, household by household, made once per group).
    With `full`, each period whose convoy places all went while households still wait records the weight of the
    heaviest one left waiting, or of the lightest one served if that is less: what a place was worth there (used to
    price places, large.py)."""
    stock = _Stock(houses, opens, people)
    arrivals: dict[int, list[Household]] = defaultdict(list)
    for h in people:
        arrivals[max(h.available, opens)].append(h)
    waiting: dict[tuple[int, int], list[str]] = defaultdict(list)  # (weight, rooms needed) -> heap of ids
    index = {h.id: h for h in people}
    placements: list[Placement] = []
    for t in range(opens, problem.periods):
        for h in arrivals.pop(t, ()):
            heapq.heappush(waiting[(h.size * (1 + h.priority), h.rooms_needed)], h.id)
        stock.open(t)
        places = len(people) if limit is None else limit
        lightest = 0  # weight of the lightest household served this period
        groups = sorted((key for key, heap in waiting.items() if heap), reverse=True)
        for weight, rooms in groups:
            heap = waiting[(weight, rooms)]
            while places > 0 and heap:
                fit = stock.fitting(rooms)
                if fit is None:
                    break
                k = min(len(heap), places, fit[1])
                ids = [heapq.heappop(heap) for _ in range(k)]
                position = 0
                for ready_period, n in stock.take(rooms, fit[0], k):
                    placements.extend(
                        Placement(i, settlement, fit[0], ready_period, t) for i in ids[position : position + n]
                    )
                    position += n
                places -= k
                lightest = weight
        if full is not None and places == 0 and limit is not None:
            heaviest = max((weight for (weight, _), heap in waiting.items() if heap), default=0)
            if heaviest > 0:
                full[t] = min(heaviest, lightest)
    left = [index[i] for heap in waiting.values() for i in heap] + [h for rest in arrivals.values() for h in rest]
    return placements, left
