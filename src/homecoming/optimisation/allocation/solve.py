"""`allocate`: the aggregated network solved exactly, then households, houses and convoys put back in."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from homecoming.optimisation.allocation import background, components, large, lp, refine, timefree
from homecoming.optimisation.allocation.convoys import pack_convoys
from homecoming.optimisation.allocation.disaggregate import disaggregate
from homecoming.optimisation.allocation.model import (
    Placement,
    Problem,
    Result,
    placement_cost,
    unplaced_cost,
    validate,
)
from homecoming.optimisation.allocation.network import build
from homecoming.optimisation.pace import slowness

Progress = Callable[[str, float], None]  # (stage, fraction done)


def _noop(stage: str, done: float) -> None:
    return None


EXACT_HOUSEHOLDS = 1_000_000  # parts above this never try the exact LP; the sweep and the bounds take over
# Seconds the exact LP of a part of n households over 60 periods is expected to take (build, model, HiGHS), measured
# on 2 cores on the national shape (bench/allocation.py): 6 s at 35,000, 110 s at 350,000; the network grows with
# the periods. A part whose estimate exceeds its time goes to the sweep at once instead of spending that time on an
# LP that would not finish.
EXACT_SECONDS, EXACT_SCALE, EXACT_POWER = 1.7e-4, 35_000, 0.3
# The merged relaxation's LP (network.py: chains per settlement and room need only) takes about a fifth of the
# exact LP's time and its bound was within 0.02 % of the exact LP's on the national shape at 35,000 and 350,000
# households. At 350,000 households (seed 1, 2 cores at load 8) it took 22-29 s of CPU for national, unlimited and
# giant (build, LP, disaggregation), its plan within 0.035 % of its bound. A part the exact LP does not fit tries it
# when its share of the exact estimate fits.
MERGED_SHARE = 0.25
# The exact LP's share of a part's time: on a loaded machine it took ten times its estimate (35,000 households: 63 s),
# and the merged relaxation, tried next, needs the rest.
EXACT_SHARE = 0.5
# CPU seconds per household the sweep's first plan needs (national shape, 350,000 households: 10-12 s), kept in
# reserve times the slowness seen so far while parts are solved: the plan that always comes when an LP does not
# finish in its time.
SWEEP_CPU_SECONDS = 40e-6
# A problem that is one part of at least this many households has its merged relaxation's LP solved in a child
# process from the start, beside the sweep: at 350,000 households it takes 22-29 s of CPU (national, unlimited and
# giant shapes), which the time left after the time-free LP and the sweep's reserve did not hold; at 35,000 (1-2 s)
# it is solved in the parent.
BESIDE_HOUSEHOLDS = 100_000
# CPU seconds per household taking the merged LP's plan from its child process and costing both plans (background.py;
# 350,000 households: about 2 s), kept in reserve the same way.
COLLECT_CPU_SECONDS = 6e-6
# CPU seconds per arc the merged network's LP takes (HiGHS dual simplex, 350,000 households, one core: national
# 490,677 arcs 18 s, alternatives 697,238 arcs 32 s). When the child process (background.py) sees, after building the
# network at its own pace (optimisation/pace.py), that it would not finish in time, it solves the coarser relaxation
# instead (network.build with COARSE_BLOCK periods a step; national: 12.5 s of CPU for 19.5 s, a bound 0.08 % lower)
# and tells only its bound: on a loaded machine the bound then stays near the merged LP's instead of falling to the
# time-free LP's (1.3 % lower on national). Its flows, split over settlements and swept (large.py), made a plan 3.6 %
# above the bound: the plan stays the parent's.
MERGED_CPU_PER_ARC = 5e-5
COARSE_BLOCK = 2
# CPU seconds per household packing the convoys, costing the plan and building the result take (national shape,
# 350,000 households: 1.8 s), kept in reserve times the slowness the engine has seen so far (optimisation/pace.py) and a
# quarter more: on a shared machine a CPU second took 2-4 s of wall (bench/README.md), and the time limit covers it.
RESULT_CPU_SECONDS = 5e-6
# The time-free LP of the whole problem (timefree.py) runs first and always to its end: its bound is the floor of the
# reported one whatever happens later. It costs 0.5 s of CPU at 35,000 households and 1.7-4 s at 350,000 (national
# shape), less than the first plan, which also always completes; cut at a share of the time limit it missed under
# load (load 12 on 2 cores: 12 s of wall for 1.7 s of CPU) and the bound fell to the zero-price Lagrangian's (99.8 %
# gaps, bench/README.md).

Solved = tuple[list[Placement], list[str], int, bool]  # placements, unplaced, lower bound, proven optimal


def allocate(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    exact_households: int = EXACT_HOUSEHOLDS,
    beside_households: int = BESIDE_HOUSEHOLDS,
) -> Result:
    """Place households into houses and periods at least cost, and pack each settlement-period into vehicles.

    The problem splits into independent parts (components.py). A part of up to `exact_households` households has
    its aggregated network solved exactly (status "optimal" when every part's LP optimum is integral or its integer
    model is proven); larger parts, and parts the time limit does not reach, go together to the per-settlement
    sweep with the Lagrangian lower bound (status "feasible"); a problem that is one part of at least
    `beside_households` households has its merged LP solved in a child process beside the sweep, and its bound and
    plan count when they come in time (background.py). Every path stops by `time_limit` seconds, keeping
    only the time to pack convoys and build the result. `time_limit=math.inf` means no time limit: every part
    within `exact_households` is solved exactly, the bound runs until its step has shrunk to nothing, and each
    convoy is packed by CP-SAT until proven, so the result no longer depends on the machine's speed.
    """
    started, started_cpu = time.perf_counter(), time.process_time()
    deadline = started + time_limit
    report = progress or _noop
    validate(problem)
    report("model", 0.05)
    parts = components.split(problem)
    beside = _beside(parts, beside_households, exact_households, deadline)
    floor = timefree.timefree(problem, deadline=math.inf)
    report("time-free bound", 0.1)
    pace = slowness(time.perf_counter() - started, time.process_time() - started_cpu)
    reserve = 1.25 * RESULT_CPU_SECONDS * len(problem.households) * pace
    finish = deadline - 0.3 - reserve
    placements, unplaced, lower_bound, exact = _solve_parts(
        problem, parts, finish, exact_households, report, floor, pace, beside
    )
    report("convoys", 0.9)
    packed = pack_convoys(problem, placements, deadline=deadline)
    objective = objective_of(problem, placements, unplaced)
    report("done", 1.0)
    return Result(
        status="optimal" if exact and objective == lower_bound else "feasible",
        objective=objective,
        lower_bound=max(lower_bound, floor.bound),  # as computed: a bound above the objective is a bug to see
        placements=tuple(sorted(placements, key=lambda p: p.household)),
        unplaced=tuple(sorted(unplaced)),
        convoys=packed,
        seconds=round(time.perf_counter() - started, 3),
    )


def _solve_exact(part: Problem, limit: float, prices: lp.Prices | None = None, merged: bool = False) -> Solved | None:
    """The part's network LP (network.py; `merged`: its relaxation with one chain per settlement and room need),
    its flows put back into placements, and its bound; None when it does not finish within `limit`."""
    net = build(part, merged=merged)
    try:
        flows, lower_bound, exact = lp.solve_network(net, time_limit=limit, prices=prices)
    except lp.OutOfTime:
        return None
    placements, unplaced = disaggregate(part, net, flows)
    if merged:  # the flows are feasible, their households' own waits may cost more than the relaxation says
        exact = exact and objective_of(part, placements, unplaced) == lower_bound
    return placements, unplaced, lower_bound, exact


def _merged_then_polished(part: Problem, deadline: float) -> Solved | None:
    """The merged relaxation's LP (network.py): its bound, and its flows as a plan whose settlements are then
    re-solved exactly one by one (refine.py) until `deadline`; None when the LP does not finish in time."""
    solved = _solve_exact(part, deadline - time.perf_counter(), merged=True)
    if solved is None or solved[3]:
        return solved
    placements, unplaced, bound, _ = solved
    placements, unplaced = refine.refine(part, placements, unplaced, _settlement_solver(False), deadline, lp.Prices())
    return placements, unplaced, bound, objective_of(part, placements, unplaced) == bound


def _settlement_solver(merged: bool) -> refine.Exact:
    """What refine.py calls for one settlement's households: the exact network LP, or its merged relaxation (faster;
    the households' own waits follow its flows heaviest first)."""

    def solve_one(part: Problem, limit: float, prices: lp.Prices) -> tuple[list[Placement], list[str]] | None:
        solved = _solve_exact(part, limit, prices, merged) if limit > 0.05 else None
        return None if solved is None else (solved[0], solved[1])

    return solve_one


def _solve_parts(
    problem: Problem,
    parts: list[Problem],
    deadline: float,
    exact_households: int,
    report: Progress,
    floor: timefree.TimeFree,
    pace: float,
    beside: Beside | None,
) -> Solved:
    """Each small part exactly while the time lasts (keeping the sweep's time for the rest), then the rest (with
    `floor`, the whole problem's time-free LP, when the rest is the whole problem). `pace`: wall seconds per CPU
    second so far (pace.py), which scales the CPU estimates of the LPs and the sweep. `beside`: the merged LP of
    the only part, already running in a child process: the part goes to the large path at once."""
    placements: list[Placement] = []
    unplaced: list[str] = []
    lower_bound, exact = 0, True
    rest: list[Problem] = []
    waiting = len(problem.households)
    for k, part in enumerate(parts):
        waiting -= len(part.households)
        now = time.perf_counter()
        limit = deadline - now - 0.5 - pace * SWEEP_CPU_SECONDS * (waiting + len(part.households))
        expected = pace * exact_seconds(len(part.households)) * part.periods / 60
        small = len(part.households) <= exact_households and beside is None
        fits = small and expected <= limit and limit > 0.05
        solved = _solve_exact(part, limit * EXACT_SHARE) if fits else None
        if solved is None and small and MERGED_SHARE * expected <= limit - (time.perf_counter() - now):
            solved = _merged_then_polished(part, now + limit)
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
        whole = floor if len(rest) == len(parts) else None
        more, missing, bound, proven = _solve_rest(problem, rest, deadline, whole, pace, beside)
        placements.extend(more)
        unplaced.extend(missing)
        lower_bound += bound
        exact = exact and proven
    return placements, unplaced, lower_bound, exact


def _solve_rest(
    problem: Problem,
    rest: list[Problem],
    deadline: float,
    whole: timefree.TimeFree | None,
    pace: float,
    beside: Beside | None,
) -> Solved:
    """The parts no LP took in time, together through the large path (large.py); with `beside` (the one part's
    merged LP in a child process), its bound counts if it comes by `deadline`, and its plan is taken when it comes
    too and costs less."""
    left = rest[0] if len(rest) == 1 else components.merge(problem, rest)
    until = max(time.perf_counter(), deadline)
    collect = 0.2 + pace * COLLECT_CPU_SECONDS * len(left.households) if beside is not None else 0.0
    more, missing, bound = large.solve_large(
        left, deadline=until - collect, exact=_settlement_solver(True), time_free=whole
    )
    answer = None if beside is None else beside.result(until - collect / 2)
    if answer is None:
        return more, missing, bound, False
    if answer[2] < 0:  # the bound came, the plan not
        return more, missing, max(bound, answer[3]), False
    lp_placements = [
        Placement(left.households[h].id, left.settlements[s].id, rooms, ready, t) for h, s, rooms, ready, t in answer[0]
    ]
    lp_unplaced = [left.households[h].id for h in answer[1]]
    cost, lp_bound = answer[2], answer[3]
    if cost < objective_of(left, more, missing):
        return lp_placements, lp_unplaced, max(bound, lp_bound), cost <= max(bound, lp_bound)
    return more, missing, max(bound, lp_bound), False


Answer = tuple[list[tuple[int, int, int, int, int]], list[int], int, int]  # placements, unplaced, cost, bound
Beside = background.Background[Answer]


def _beside(parts: list[Problem], beside_households: int, exact_households: int, deadline: float) -> Beside | None:
    """The merged LP of the only part in a child process (background.py) when the part has at least
    `beside_households` households (see BESIDE_HOUSEHOLDS) and the time limit is finite."""
    if len(parts) != 1 or not beside_households <= len(parts[0].households) <= exact_households:
        return None
    if deadline == math.inf or deadline - time.perf_counter() < 1.0:
        return None
    part = parts[0]
    # what the parent keeps after collecting, at the pace of an idle machine: the child's answer is of no use later
    until = deadline - 0.3 - 1.25 * (RESULT_CPU_SECONDS + COLLECT_CPU_SECONDS) * len(part.households)
    return background.Background(lambda tell: _merged_answers(part, until, tell))


def _merged_answers(
    part: Problem, until: float, tell: Callable[[Answer], None], cpu_per_arc: float = MERGED_CPU_PER_ARC
) -> None:
    """The merged relaxation's bound as soon as its LP is solved (no plan yet: cost -1), then its plan too
    (network.py), in indices: compact to send from a child process (background.py); only the coarser relaxation's
    bound when the merged LP would not be solved by `until` at the pace the child has seen (`cpu_per_arc`)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    net = build(part, merged=True)
    pace = slowness(time.perf_counter() - started, time.process_time() - started_cpu)
    if pace * cpu_per_arc * len(net.tails) > until - time.perf_counter():
        coarse = build(part, merged=True, block=COARSE_BLOCK)
        del net
        try:
            bound = lp.relaxation_bound(coarse, time_limit=until - time.perf_counter())
        except lp.OutOfTime:
            return
        tell(([], [], -1, bound))
        return
    try:
        flows, bound, _ = lp.solve_network(net, time_limit=until - time.perf_counter())
    except lp.OutOfTime:
        return
    tell(([], [], -1, bound))
    placements, unplaced = disaggregate(part, net, flows)
    index = {h.id: k for k, h in enumerate(part.households)}
    sites = {s.id: k for k, s in enumerate(part.settlements)}
    compact = [(index[p.household], sites[p.settlement], p.rooms, p.ready, p.period) for p in placements]
    tell((compact, [index[u] for u in unplaced], objective_of(part, placements, unplaced), bound))


def exact_seconds(households: int) -> float:
    """The expected time of the exact LP of a part (see EXACT_SECONDS)."""
    return float(EXACT_SECONDS * households * (max(households, 1) / EXACT_SCALE) ** EXACT_POWER)


def objective_of(problem: Problem, placements: list[Placement], unplaced: list[str]) -> int:
    by_id = {h.id: h for h in problem.households}
    total = sum(placement_cost(problem, by_id[p.household], p.settlement, p.rooms, p.period) for p in placements)
    return total + sum(unplaced_cost(problem, by_id[u]) for u in unplaced)
