"""A fast allocation for problems too large for the exact model: one sweep over the periods per settlement.

Each household is first sent to one settlement (chosen from the Lagrangian prices, see lagrange.py). Then, per
settlement and period, the heaviest waiting households (size * (1 + priority)) take the convoy places, each into
the smallest fitting ready house, unless that house is bigger than needed and is the last one left for the
households still waiting for that many rooms. With unit moves and a per-period limit, serving the heaviest first
is the exchange-argument optimum of the waiting cost; the house rule protects large families.
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

    With `full`, each period whose convoy places all went while households still wait records the weight
    (size * (1 + priority)) of the heaviest one left waiting, or of the lightest one served if that is less: what a
    place was worth there (used to price places, large.py)."""
    largest = max([b.rooms for b in houses] + [h.rooms_needed for h in people] + [1])
    by_ready = _houses(houses, opens)
    supply_ge = [0] * (largest + 2)
    batches: dict[int, list[list[int]]] = defaultdict(list)  # rooms -> [[ready, houses left]], oldest first
    for counts in by_ready.values():
        for (r, ready_period), n in counts.items():
            batches[r].append([ready_period, n])
            for level in range(r + 1):
                supply_ge[level] += n
    for r in batches:
        batches[r].sort()
    levels = sorted(batches)
    demand_ge = [0] * (largest + 2)
    for h in people:
        for level in range(h.rooms_needed + 1):
            demand_ge[level] += 1
    arrivals = sorted(people, key=lambda h: (max(h.available, opens), h.id))
    waiting: dict[int, list[tuple[int, str]]] = defaultdict(list)  # rooms needed -> heap of (-weight, id)
    index = {h.id: h for h in people}
    ready: dict[int, int] = defaultdict(int)
    placements: list[Placement] = []
    nxt = 0
    for t in range(opens, problem.periods):
        while nxt < len(arrivals) and max(arrivals[nxt].available, opens) <= t:
            h = arrivals[nxt]
            heapq.heappush(waiting[h.rooms_needed], (-h.size * (1 + h.priority), h.id))
            nxt += 1
        for (r, _), n in by_ready.get(t, {}).items():
            ready[r] += n
        places = len(people) if limit is None else limit
        lightest = 0  # weight of the lightest household served this period
        while places > 0:
            best: tuple[tuple[int, str], int, int] | None = None
            for rooms, heap in waiting.items():
                if heap and (best is None or heap[0] < best[0]):
                    fitting = _pick_house(rooms, ready, levels, supply_ge, demand_ge)
                    if fitting is not None:
                        best = (heap[0], rooms, fitting)
            if best is None:
                break
            (weight, household), rooms, r = best
            lightest = -weight
            heapq.heappop(waiting[rooms])
            oldest_batch = next(b for b in batches[r] if b[1] > 0)  # ready[r] > 0: the oldest one is usable
            oldest_batch[1] -= 1
            ready[r] -= 1
            for level in range(r + 1):
                supply_ge[level] -= 1
            for level in range(rooms + 1):
                demand_ge[level] -= 1
            placements.append(Placement(household, settlement, r, oldest_batch[0], t))
            places -= 1
        if full is not None and places == 0 and limit is not None:
            heaviest = max((-heap[0][0] for heap in waiting.values() if heap), default=0)
            if heaviest > 0:
                full[t] = min(heaviest, lightest)
    left = [index[item[1]] for heap in waiting.values() for item in heap] + arrivals[nxt:]
    return placements, left
