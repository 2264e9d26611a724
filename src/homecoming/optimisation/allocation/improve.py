"""Moving households that accept alternatives, before and after the per-settlement sweep.

`rebalance` sends such households away from a settlement that has fewer houses of their size, or fewer convoy
places over the horizon, than households waiting for it. `fill_gaps` moves a household to an alternative when a
spare convoy place and a house nobody else uses there would house it earlier than its wait at home costs.
"""

from __future__ import annotations

import time
from collections import defaultdict

from homecoming.optimisation.allocation.model import (
    Household,
    Placement,
    Problem,
    never_opens,
    placement_cost,
    unplaced_cost,
)


class Site:
    """What one settlement offers over the horizon: houses at or above each room count, convoy places."""

    def __init__(self, problem: Problem, index: int, largest: int) -> None:
        s = problem.settlements[index]
        self.id = s.id
        self.open = not never_opens(s, problem.periods)
        self.opens = s.opens or 0
        self.supply_ge = [0] * (largest + 2)
        self.demand_ge = [0] * (largest + 2)
        self.places = (problem.periods - self.opens) * (
            s.convoy_households if s.convoy_households is not None else 10**9
        )
        self.people = 0

    def add(self, h: Household, sign: int = 1) -> None:
        self.people += sign
        for level in range(h.rooms_needed + 1):
            self.demand_ge[level] += sign

    def room_for(self, h: Household) -> bool:
        fits = all(self.supply_ge[lv] - self.demand_ge[lv] >= 1 for lv in range(1, h.rooms_needed + 1))
        return self.open and fits and self.people < self.places


def rebalance(problem: Problem, targets: dict[int, list[Household]]) -> dict[int, list[Household]]:
    """Move accepting households out of settlements that cannot house everyone sent there."""
    index = {s.id: i for i, s in enumerate(problem.settlements)}
    largest = max([b.rooms for b in problem.housing] + [h.rooms_needed for h in problem.households] + [1])
    sites = [Site(problem, i, largest) for i in range(len(problem.settlements))]
    for b in problem.housing:
        site = sites[index[b.settlement]]
        if b.count > 0 and max(b.ready, site.opens) < problem.periods:
            for level in range(b.rooms + 1):
                site.supply_ge[level] += b.count
    for s, people in targets.items():
        for h in people:
            sites[s].add(h)
    result = {s: list(people) for s, people in targets.items()}
    for s in sorted(result):
        site = sites[s]
        movable = sorted(
            (h for h in result[s] if h.accepts), key=lambda h: (-h.rooms_needed, h.size * (1 + h.priority), h.id)
        )
        for h in movable:
            short_rooms = any(site.demand_ge[lv] > site.supply_ge[lv] for lv in range(1, h.rooms_needed + 1))
            if not short_rooms and site.people <= site.places:
                continue
            options = [index[a] for a in h.accepts if index[a] != s and sites[index[a]].room_for(h)]
            if not options:
                continue
            target = min(options, key=lambda o: (sites[o].people / max(1, sites[o].supply_ge[1]), o))
            result[s].remove(h)
            site.add(h, -1)
            result.setdefault(target, []).append(h)
            sites[target].add(h)
    return result


class NextFree:
    """First period >= t with a spare convoy place in one settlement (a union-find over full periods)."""

    def __init__(self, periods: int, limit: int | None, used: dict[int, int], opens: int) -> None:
        self.limit = limit
        self.used = used
        self.periods = periods
        self.parent = list(range(periods + 1))
        for t in range(min(opens, periods)):
            self.parent[t] = t + 1
        if limit is not None:
            for t, n in used.items():
                if n >= limit:
                    self.parent[t] = t + 1

    def find(self, t: int) -> int:
        root = t
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[t] != root:
            self.parent[t], t = root, self.parent[t]
        return root

    def take(self, t: int) -> None:
        self.used[t] = self.used.get(t, 0) + 1
        if self.limit is not None and self.used[t] >= self.limit:
            self.parent[t] = t + 1

    def give_back(self, t: int) -> None:
        self.used[t] -= 1
        self.parent[t] = t


def spare_houses(problem: Problem, placements: list[Placement]) -> dict[str, dict[tuple[int, int], int]]:
    """Houses nobody uses, per settlement and (rooms, ready); only those with some left (a mover scans them all)."""
    spare: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for b in problem.housing:
        spare[b.settlement][(b.rooms, b.ready)] += b.count
    for p in placements:
        spare[p.settlement][(p.rooms, p.ready)] -= 1
    return defaultdict(dict, {s: {k: n for k, n in left.items() if n > 0} for s, left in spare.items()})


class _Offers:
    """The spare houses of each settlement as a mover needing r rooms sees them: (first usable period, rooms,
    ready), smallest house first, rebuilt only after a move changed that settlement (`version`). A mover who found
    nothing, unplaced, leaves a note: another unplaced household of the same origin, alternatives, rooms needed and
    availability finds nothing either until one of those settlements changes (its size and priority only change
    the cost, and any placement costs less than none)."""

    def __init__(self, spare: dict[str, dict[tuple[int, int], int]], opens: dict[str, int]) -> None:
        self.spare = spare
        self.opens = opens
        self.version: dict[str, int] = defaultdict(int)
        self.cache: dict[tuple[str, int], tuple[int, list[tuple[int, int, int]], int]] = {}
        self.failed: dict[tuple[str, tuple[str, ...], int, int], tuple[int, ...]] = {}

    def houses(self, a: str, need: int) -> tuple[list[tuple[int, int, int]], int]:
        """(usable from, rooms, ready) of the spare houses of `a` with at least `need` rooms, and the earliest."""
        cached = self.cache.get((a, need))
        if cached is None or cached[0] != self.version[a]:
            found = sorted((r, rd, max(rd, self.opens[a])) for r, rd in self.spare[a] if r >= need)
            cached = (self.version[a], [(u, r, rd) for r, rd, u in found], min((x[2] for x in found), default=-1))
            self.cache[(a, need)] = cached
        return cached[1], cached[2]

    def take(self, site: str, rooms: int, ready: int, sign: int) -> None:
        left = self.spare[site]
        left[(rooms, ready)] = left.get((rooms, ready), 0) - sign
        if left[(rooms, ready)] == 0:
            del left[(rooms, ready)]
        self.version[site] += 1

    def stamp(self, h: Household) -> tuple[tuple[str, tuple[str, ...], int, int], tuple[int, ...]]:
        key = (h.origin, h.accepts, h.rooms_needed, h.available)
        return key, tuple(self.version[a] for a in (h.origin, *h.accepts))


def _best_move(
    problem: Problem, h: Household, current: Placement | None, offers: _Offers, free: dict[str, NextFree]
) -> Placement | None:
    best: tuple[int, Placement] | None = None
    limit_cost = (
        unplaced_cost(problem, h)
        if current is None
        else placement_cost(problem, h, current.settlement, current.rooms, current.period)
    )
    for a in (h.origin, *h.accepts):
        if a not in free or (current is not None and a == current.settlement):
            continue
        houses, earliest = offers.houses(a, h.rooms_needed)
        if not houses:
            continue
        t = free[a].find(max(h.available, offers.opens[a], earliest))
        if t >= problem.periods:
            continue
        rooms, ready = next((r, rd) for u, r, rd in houses if u <= t)
        cost = placement_cost(problem, h, a, rooms, t)
        if cost < limit_cost and (best is None or cost < best[0]):
            best = (cost, Placement(h.id, a, rooms, ready, t))
    return None if best is None else best[1]


def fill_gaps(
    problem: Problem, placements: list[Placement], unplaced: list[str], until: float | None = None
) -> tuple[list[Placement], list[str]]:
    """Move households into spare places and spare houses where that lowers their own cost; nobody else moves.
    The heaviest unplaced households try first, then the heaviest placed ones, until `until`."""
    opens = {s.id: s.opens or 0 for s in problem.settlements if not never_opens(s, problem.periods)}
    used: dict[str, dict[int, int]] = defaultdict(dict)
    for p in placements:
        used[p.settlement][p.period] = used[p.settlement].get(p.period, 0) + 1
    free = {
        s.id: NextFree(problem.periods, s.convoy_households, used[s.id], opens[s.id])
        for s in problem.settlements
        if s.id in opens
    }
    offers = _Offers(spare_houses(problem, placements), opens)
    current: dict[str, Placement | None] = {p.household: p for p in placements}
    current.update((u, None) for u in unplaced)
    movers = sorted(
        (h for h in problem.households if h.accepts or current[h.id] is None),
        key=lambda h: (current[h.id] is not None, -h.size * (1 + h.priority), h.id),
    )
    for h in movers:
        if until is not None and time.perf_counter() > until:
            break
        old = current[h.id]
        key, stamp = offers.stamp(h) if old is None else (None, ())
        if key is not None and offers.failed.get(key) == stamp:
            continue
        new = _best_move(problem, h, old, offers, free)
        if new is None:
            if key is not None:
                offers.failed[key] = stamp
            continue
        free[new.settlement].take(new.period)
        offers.take(new.settlement, new.rooms, new.ready, 1)
        if old is not None:
            free[old.settlement].give_back(old.period)
            offers.take(old.settlement, old.rooms, old.ready, -1)
        current[h.id] = new
    placed = [p for p in current.values() if p is not None]
    return placed, sorted(u for u, p in current.items() if p is None)
