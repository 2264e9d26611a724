"""`allocate`: the aggregated network solved exactly, then households, houses and convoys put back in."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable

from homecoming.optimisation.allocation import components, large, lp
from homecoming.optimisation.allocation import convoys as packing
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


EXACT_HOUSEHOLDS = 1_000_000  # parts above this never try the exact LP; the sweep and the bounds take over
# Seconds the exact LP of a part of n households over 60 periods is expected to take (build, model, HiGHS), measured
# on 2 cores on the national shape (bench/allocation.py): 6 s at 35,000, 110 s at 350,000; the network grows with
# the periods. A part whose estimate exceeds its time goes to the sweep at once instead of spending that time on an
# LP that would not finish.
EXACT_SECONDS, EXACT_SCALE, EXACT_POWER = 1.7e-4, 35_000, 0.3
SWEEP_SECONDS = 80e-6  # per household: what the sweep's first plan needs, kept in reserve while parts are solved
RESULT_SECONDS = 12e-6  # per household: packing the convoys and building the result, kept in reserve from the start

Solved = tuple[list[Placement], list[str], int, bool]  # placements, unplaced, lower bound, proven optimal


def allocate(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    exact_households: int = EXACT_HOUSEHOLDS,
) -> Result:
    """Place households into houses and periods at least cost, and pack each settlement-period into vehicles.

    The problem splits into independent parts (components.py). A part of up to `exact_households` households has
    its aggregated network solved exactly (status "optimal" when every part's LP optimum is integral or its integer
    model is proven); larger parts, and parts the time limit does not reach, go together to the per-settlement
    sweep with the Lagrangian lower bound (status "feasible"). Every path stops by `time_limit` seconds, keeping
    only the time to pack convoys and build the result. `time_limit=math.inf` means no time limit: every part
    within `exact_households` is solved exactly, the bound runs until its step has shrunk to nothing, and each
    convoy is packed by CP-SAT until proven, so the result no longer depends on the machine's speed.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    report = progress or _noop
    validate(problem)
    report("model", 0.05)
    finish = deadline - 0.3 - RESULT_SECONDS * len(problem.households)
    placements, unplaced, lower_bound, exact = _solve_parts(problem, finish, exact_households, report)
    report("convoys", 0.9)
    packed = pack_convoys(problem, placements, deadline=deadline)
    objective = objective_of(problem, placements, unplaced)
    report("done", 1.0)
    return Result(
        status="optimal" if exact and objective == lower_bound else "feasible",
        objective=objective,
        lower_bound=lower_bound,  # as computed: a bound above the objective is a bug the checker must see
        placements=tuple(sorted(placements, key=lambda p: p.household)),
        unplaced=tuple(sorted(unplaced)),
        convoys=packed,
        seconds=round(time.perf_counter() - started, 3),
    )


def _solve_exact(part: Problem, limit: float, prices: lp.Prices | None = None) -> Solved | None:
    net = build(part)
    try:
        flows, lower_bound, exact = lp.solve_network(net, time_limit=limit, prices=prices)
    except lp.OutOfTime:
        return None
    placements, unplaced = disaggregate(part, net, flows)
    return placements, unplaced, lower_bound, exact


def _refine_part(part: Problem, limit: float, prices: lp.Prices) -> tuple[list[Placement], list[str]] | None:
    """One settlement's households re-solved exactly (refine.py), or None when its LP does not finish in time."""
    solved = _solve_exact(part, limit, prices) if limit > 0.05 else None
    return None if solved is None else (solved[0], solved[1])


def _solve_parts(problem: Problem, deadline: float, exact_households: int, report: Progress) -> Solved:
    """Each small part exactly while the time lasts (keeping the sweep's time for the rest), then the rest."""
    parts = components.split(problem)
    placements: list[Placement] = []
    unplaced: list[str] = []
    lower_bound, exact = 0, True
    rest: list[Problem] = []
    waiting = len(problem.households)
    for k, part in enumerate(parts):
        waiting -= len(part.households)
        limit = deadline - time.perf_counter() - 0.5 - SWEEP_SECONDS * (waiting + len(part.households))
        expected = exact_seconds(len(part.households)) * part.periods / 60
        fits = len(part.households) <= exact_households and expected <= limit
        solved = _solve_exact(part, limit) if fits and limit > 0.05 else None
        if solved is None:
            rest.append(part)
            continue
        placements.extend(solved[0])
        unplaced.extend(solved[1])
        lower_bound += solved[2]
        exact = exact and solved[3]
        report("exact parts", 0.1 + 0.5 * (k + 1) / len(parts))
    if rest:
        report("sweep and bound", 0.6)
        left = components.merge(problem, rest)
        more, missing, bound = large.solve_large(left, deadline=max(time.perf_counter(), deadline), exact=_refine_part)
        placements.extend(more)
        unplaced.extend(missing)
        lower_bound += bound
        exact = False
    return placements, unplaced, lower_bound, exact


def exact_seconds(households: int) -> float:
    """The expected time of the exact LP of a part (see EXACT_SECONDS)."""
    return float(EXACT_SECONDS * households * (max(households, 1) / EXACT_SCALE) ** EXACT_POWER)


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
    houses = _HouseFlows(net, flows)
    placements: list[Placement] = []
    for (s, t, rooms), people in sorted(arrivals.items()):
        level = next(lv for lv in net.house_levels[s] if lv >= rooms)
        position = 0
        for (_, house_rooms, ready), n in houses.route(net.house_nodes[(s, t, level)], len(people)):
            placements.extend(
                Placement(problem.households[i].id, s, house_rooms, ready, t) for i in people[position : position + n]
            )
            position += n
    return placements, unplaced


class _HouseFlows:
    """The flow left on each arc of the house network, followed from a node down to the batches (a DAG: rooms only
    go up and periods only back, so every unit that enters a node leaves through some batch)."""

    def __init__(self, net: Network, flows: list[int]) -> None:
        self.remaining = flows
        self.kinds = net.kinds
        self.heads = net.heads
        self.batch_of = {arc: key for key, arc in net.batch_arcs.items()}
        house_nodes = set(net.house_nodes.values())
        self.out_arcs: dict[int, list[int]] = defaultdict(list)
        for a, f in enumerate(flows):
            if f > 0 and net.tails[a] in house_nodes:
                self.out_arcs[net.tails[a]].append(a)

    def route(self, node: int, n: int) -> list[tuple[tuple[str, int, int], int]]:
        """Send `n` units on from `node`: how many end in each batch, taking each arc's flow in turn."""
        ends: list[tuple[tuple[str, int, int], int]] = []
        arcs = self.out_arcs[node]
        while n > 0:
            arc = arcs[0]
            k = min(n, self.remaining[arc])
            self.remaining[arc] -= k
            if self.remaining[arc] == 0:
                arcs.pop(0)
            if self.kinds[arc] == BATCH:
                ends.append((self.batch_of[arc], k))
            else:
                ends.extend(self.route(self.heads[arc], k))
            n -= k
        return ends


def pack_convoys(problem: Problem, placements: list[Placement], deadline: float | None = None) -> tuple[Convoy, ...]:
    """Vehicles per settlement-period; CP-SAT (for small groups first-fit and least slack leave above the bound + 1)
    only until `deadline`, and without a limit per group when `deadline` is `math.inf`."""
    sizes = {h.id: h.size for h in problem.households}
    seconds = math.inf if deadline == math.inf else packing.GROUP_SECONDS
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in placements:
        groups[(p.settlement, p.period)].append(p.household)
    result = []
    for (s, t), members in sorted(groups.items()):
        members.sort()
        vehicles = packing.pack([sizes[m] for m in members], problem.vehicle_seats, seconds, deadline)
        loads = tuple(tuple(sorted(members[i] for i in v)) for v in vehicles)
        result.append(Convoy(s, t, len(vehicles), tuple(members), sum(sizes[m] for m in members), loads))
    return tuple(result)
