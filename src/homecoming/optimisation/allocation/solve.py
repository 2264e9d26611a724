"""`allocate`: the aggregated network solved exactly, then households, houses and convoys put back in."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from homecoming.optimisation.allocation import convoys as packing
from homecoming.optimisation.allocation import large, lp
from homecoming.optimisation.allocation.model import (
    Convoy,
    Placement,
    Problem,
    Result,
    placement_cost,
    unplaced_cost,
    validate,
)
from homecoming.optimisation.allocation.network import BATCH, Network, build

Progress = Callable[[str, float], None]  # (stage, fraction done)


def _noop(stage: str, done: float) -> None:
    return None


EXACT_HOUSEHOLDS = 40_000  # above this the exact LP takes minutes; the sweep and the Lagrangian bound take over


def allocate(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    exact_households: int = EXACT_HOUSEHOLDS,
) -> Result:
    """Place households into houses and periods at least cost, and pack each settlement-period into vehicles.

    Up to `exact_households` households the aggregated network is solved exactly (status "optimal" when its
    LP optimum is integral or the integer model is proven); above, or when that runs out of time, the per-settlement
    sweep gives the plan and the Lagrangian relaxation the lower bound (status "feasible").
    """
    started = time.perf_counter()
    deadline = started + time_limit
    report = progress or _noop
    validate(problem)
    report("model", 0.05)
    solved = None
    if len(problem.households) <= exact_households:
        net = build(problem)
        report("exact model", 0.1)
        try:
            flows, lower_bound, exact = lp.solve_network(net, time_limit=max(1.0, deadline - time.perf_counter() - 1))
            placements, unplaced = disaggregate(problem, net, flows)
            solved = placements, unplaced, lower_bound, exact
        except lp.OutOfTime:
            solved = None
    if solved is None:
        report("sweep and bound", 0.2)
        reserve = 1.0 + 10e-6 * len(problem.households)  # packing the convoys and building the result
        finish = max(time.perf_counter() + 1.0, deadline - reserve)
        placements, unplaced, lower_bound = large.solve_large(problem, deadline=finish)
        solved = placements, unplaced, lower_bound, False
    placements, unplaced, lower_bound, exact = solved
    report("convoys", 0.9)
    packed = pack_convoys(problem, placements)
    objective = objective_of(problem, placements, unplaced)
    report("done", 1.0)
    return Result(
        status="optimal" if exact and objective == lower_bound else "feasible",
        objective=objective,
        lower_bound=min(lower_bound, objective),
        placements=tuple(sorted(placements, key=lambda p: p.household)),
        unplaced=tuple(sorted(unplaced)),
        convoys=packed,
        seconds=round(time.perf_counter() - started, 3),
    )


def objective_of(problem: Problem, placements: list[Placement], unplaced: list[str]) -> int:
    by_id = {h.id: h for h in problem.households}
    total = sum(placement_cost(problem, by_id[p.household], p.settlement, p.rooms, p.period) for p in placements)
    return total + sum(unplaced_cost(problem, by_id[u]) for u in unplaced)


def _chain_arrivals(net: Network, flows: list[int]) -> dict[tuple[str, int, int], list[int]]:
    """Household indices arriving at (settlement, period, rooms_needed), matched first-in first-out per chain."""
    entries: dict[tuple[str, int, int], list[tuple[int, int, int]]] = defaultdict(list)  # chain -> (t0, class, n)
    for c, arcs in enumerate(net.entry_arcs):
        rooms = net.classes[c][3]
        for arc, s, t0 in arcs:
            if flows[arc] > 0:
                entries[(s, rooms, net.class_weights[c])].append((t0, c, flows[arc]))
    taken = [0] * len(net.classes)
    arrivals: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for key, exits in net.exit_arcs.items():
        queue: list[int] = []
        for _t0, c, n in sorted(entries.get(key, [])):
            members = net.class_members[c]
            queue.extend(members[taken[c] : taken[c] + n])
            taken[c] += n
        position = 0
        for t in sorted(exits):
            n = flows[exits[t]]
            if n > 0:
                arrivals[(key[0], t, key[1])].extend(queue[position : position + n])
                position += n
    return arrivals


def disaggregate(problem: Problem, net: Network, flows: list[int]) -> tuple[list[Placement], list[str]]:
    """Individual placements from the integral aggregated flow (deterministic: households in id order)."""
    unplaced: list[str] = []
    for c, arc in enumerate(net.unplaced_arcs):
        n = flows[arc]
        members = net.class_members[c]
        unplaced.extend(problem.households[i].id for i in members[len(members) - n :])
    arrivals = _chain_arrivals(net, flows)
    placements: list[Placement] = []
    remaining = {a: flows[a] for a in range(len(flows)) if flows[a] > 0}
    house_nodes = set(net.house_nodes.values())
    out_arcs: dict[int, list[int]] = defaultdict(list)
    for a in remaining:
        if net.tails[a] in house_nodes:
            out_arcs[net.tails[a]].append(a)
    batch_of = {arc: key for key, arc in net.batch_arcs.items()}
    for (s, t, rooms), people in sorted(arrivals.items()):
        level = next(lv for lv in net.house_levels[s] if lv >= rooms)
        for i in people:
            node = net.house_nodes[(s, t, level)]
            while True:
                arc = next(a for a in out_arcs[node] if remaining[a] > 0)
                remaining[arc] -= 1
                if net.kinds[arc] == BATCH:
                    _, house_rooms, ready = batch_of[arc]
                    placements.append(Placement(problem.households[i].id, s, house_rooms, ready, t))
                    break
                node = net.heads[arc]
    return placements, unplaced


def pack_convoys(problem: Problem, placements: list[Placement]) -> tuple[Convoy, ...]:
    sizes = {h.id: h.size for h in problem.households}
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in placements:
        groups[(p.settlement, p.period)].append(p.household)
    result = []
    for (s, t), members in sorted(groups.items()):
        members.sort()
        vehicles = packing.pack([sizes[m] for m in members], problem.vehicle_seats)
        loads = tuple(tuple(sorted(members[i] for i in v)) for v in vehicles)
        result.append(Convoy(s, t, len(vehicles), tuple(members), sum(sizes[m] for m in members), loads))
    return tuple(result)
