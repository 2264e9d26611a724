"""Packing one settlement-period's households into vehicles, never splitting a household.

First-fit decreasing is tried first; when it needs more than the bin-packing bound + 1 vehicles, each vehicle is
filled in turn as full as its seats allow (the "minimum bin slack" rule, a subset-sum over the household sizes
left, which are few distinct numbers). A group still above the bound + 1 is a cutting-stock problem over its few
household sizes: its LP (column generation, the columns being vehicle loads priced by a knapsack) gives both a
stronger bound and, rounded down, most of the vehicles; the households left over are packed by least slack, or
the pattern counts are chosen by CP-SAT. Only a small group still above the bound + 1 goes to the exact
per-household model, within the time the caller still has.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from homecoming.optimisation.allocation.cutting import cut, stock
from homecoming.optimisation.allocation.model import Convoy, Placement, Problem

EXACT_ITEMS = 40  # CP-SAT only for groups up to this many households: larger ones are not worth its time
GROUP_SECONDS = 2.0  # CP-SAT's time per group by default


def seats_bound(sizes: list[int], seats: int) -> int:
    """The bin-packing lower bound: total seats needed over seats per vehicle, rounded up."""
    return -(-sum(sizes) // seats)


def packing_bound(sizes: list[int], seats: int) -> int:
    """A stronger lower bound on the vehicles: people over the fullest load the sizes allow (households of 2, 4, 6
    and 8 never fill 45 seats, only 44), or for any size s, the households of at least s people over seats // s
    (100 families of 8 need 20 vehicles of 45 seats, not 18)."""
    if not sizes:
        return 0
    fullest = sum(s * m for s, m in _fullest(dict(Counter(sizes)), seats).items())
    best = -(-sum(sizes) // max(1, fullest))
    for k, size in enumerate(sorted(sizes, reverse=True)):
        best = max(best, -(-(k + 1) // (seats // size)))
    return best


def strong_bound(sizes: list[int], seats: int) -> int:
    """The cutting-stock LP's bound (cutting.py), at least `packing_bound`: dearer, for a group above it + 1."""
    if not sizes:
        return 0
    return max(packing_bound(sizes, seats), stock(dict(Counter(sizes)), seats).bound)


def first_fit_decreasing(sizes: list[int], seats: int) -> list[list[int]]:
    """Indices of `sizes` per vehicle (largest households first, each into the first vehicle it fits)."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    free: list[int] = []
    vehicles: list[list[int]] = []
    for i in order:
        for v, room in enumerate(free):
            if room >= sizes[i]:
                free[v] -= sizes[i]
                vehicles[v].append(i)
                break
        else:
            free.append(seats - sizes[i])
            vehicles.append([i])
    return vehicles


def _fullest(counts: dict[int, int], seats: int) -> dict[int, int]:
    """How many households of each size fill one vehicle as full as possible (bitset subset-sum, largest first)."""
    sizes = sorted(counts, reverse=True)
    full = (1 << (seats + 1)) - 1
    masks = [1]
    for s in sizes:
        mask = masks[-1]
        step = mask
        for _ in range(min(counts[s], seats // s)):
            step = (step << s) & full
            mask |= step
        masks.append(mask)
    target = masks[-1].bit_length() - 1
    used: dict[int, int] = {}
    for j in range(len(sizes) - 1, -1, -1):
        s = sizes[j]
        m = 0
        while not (masks[j] >> (target - m * s)) & 1:
            m += 1
        if m:
            used[s] = m
            target -= m * s
    return used


def least_slack(sizes: list[int], seats: int) -> list[list[int]]:
    """Indices of `sizes` per vehicle, each vehicle filled as full as the households left allow."""
    by_size: dict[int, list[int]] = {}
    for i in sorted(range(len(sizes)), key=lambda i: (sizes[i], -i)):
        by_size.setdefault(sizes[i], []).append(i)
    left = Counter({s: len(v) for s, v in by_size.items()})
    vehicles: list[list[int]] = []
    while left:
        load = _fullest(dict(left), seats)
        vehicle: list[int] = []
        for s, m in load.items():
            vehicle.extend(by_size[s].pop() for _ in range(m))
            left[s] -= m
            if left[s] == 0:
                del left[s]
        vehicles.append(sorted(vehicle))
    return vehicles


def _exact(sizes: list[int], seats: int, bins: int, time_limit: float) -> list[list[int]] | None:
    """A packing into `bins` vehicles found by CP-SAT, or None if none was found in time."""
    model = cp_model.CpModel()
    x = {(i, b): model.new_bool_var(f"x{i}_{b}") for i in range(len(sizes)) for b in range(bins)}
    for i in range(len(sizes)):
        model.add_exactly_one(x[i, b] for b in range(bins))
    for b in range(bins):
        model.add(sum(sizes[i] * x[i, b] for i in range(len(sizes))) <= seats)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [[i for i in range(len(sizes)) if solver.value(x[i, b])] for b in range(bins)]


def pack(
    sizes: list[int], seats: int, time_limit: float = GROUP_SECONDS, deadline: float | None = None
) -> list[list[int]]:
    """Vehicles for `sizes`: the fewer of first-fit decreasing and least slack; CP-SAT for a small group still
    above the bound + 1, for at most `time_limit` seconds (`math.inf`: until proven) and never past `deadline`
    (a perf_counter time)."""
    bound = packing_bound(sizes, seats)
    vehicles = first_fit_decreasing(sizes, seats)
    if len(vehicles) <= bound + 1:
        return vehicles
    fuller = least_slack(sizes, seats)
    if len(fuller) < len(vehicles):
        vehicles = fuller
    if len(vehicles) > bound + 1:
        left = time_limit if deadline is None else min(time_limit, deadline - time.perf_counter())
        lp_bound, cut_vehicles = cut(sizes, seats, left, least_slack)
        bound = max(bound, lp_bound)
        if len(cut_vehicles) < len(vehicles):
            vehicles = cut_vehicles
    target = bound
    while len(vehicles) > bound + 1 and target < len(vehicles) and len(sizes) <= EXACT_ITEMS:
        left = time_limit if deadline is None else min(time_limit, deadline - time.perf_counter())
        if left <= 0.05:
            break
        better = _exact(sizes, seats, target, left)
        if better is not None:
            return [v for v in better if v]
        target += 1
    return vehicles


def pack_convoys(problem: Problem, placements: list[Placement], deadline: float | None = None) -> tuple[Convoy, ...]:
    """Vehicles per settlement-period; CP-SAT (for small groups first-fit and least slack leave above the bound + 1)
    only until `deadline`, and without a limit per group when `deadline` is `math.inf`."""
    sizes = {h.id: h.size for h in problem.households}
    seconds = math.inf if deadline == math.inf else GROUP_SECONDS
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in placements:
        groups[(p.settlement, p.period)].append(p.household)
    result = []
    for (s, t), members in sorted(groups.items()):
        members.sort()
        vehicles = pack([sizes[m] for m in members], problem.vehicle_seats, seconds, deadline)
        loads = tuple(tuple(sorted(members[i] for i in v)) for v in vehicles)
        result.append(Convoy(s, t, len(vehicles), tuple(members), sum(sizes[m] for m in members), loads))
    return tuple(result)
