"""Packing one settlement-period's households into vehicles, never splitting a household."""

from __future__ import annotations

from ortools.sat.python import cp_model


def seats_bound(sizes: list[int], seats: int) -> int:
    """The bin-packing lower bound: total seats needed over seats per vehicle, rounded up."""
    return -(-sum(sizes) // seats)


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


def pack(sizes: list[int], seats: int, time_limit: float = 2.0) -> list[list[int]]:
    """First-fit decreasing; when it needs more than the bound + 1 vehicles, try CP-SAT for fewer."""
    vehicles = first_fit_decreasing(sizes, seats)
    bound = seats_bound(sizes, seats)
    target = bound
    while len(vehicles) > bound + 1 and target < len(vehicles):
        better = _exact(sizes, seats, target, time_limit)
        if better is not None:
            return [v for v in better if v]
        target += 1
    return vehicles
