"""The makespan case (PSPLIB): one goal that needs every task, fixed capacities.

On top of the tight model (start windows against the warm start's makespan, energy delays, the incumbent
as hint and as a ceiling), this case gets:

* a preemptive lower bound as a floor on the objective: every period runs a set of tasks that may run
  together (an antichain that fits every capacity), so the fewest periods that give each task its duration
  bound the makespan (Mingozzi et al.'s LB3, here solved as a small integer programme). On the
  resource-scarce J30 families it lifts the bound from near the critical path to within a few periods;
* redundant no-overlap constraints on cliques of tasks that pairwise cannot run together (a precedence
  between them, or demands summing above a capacity), so disjunctive edge finding works on the highly
  cumulative instances where the cumulative propagators alone stay weak;
* the order of the starts of identical tasks (same duration, demands, predecessors and successors).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise

from ortools.sat.python import cp_model

from homecoming.optimisation.sequencing.bounds import peaks
from homecoming.optimisation.sequencing.cpsat import Model
from homecoming.optimisation.sequencing.model import Problem
from homecoming.optimisation.sequencing.sgs import Layout

PROOF_TASKS = 40  # up to J30 size this path pays; on J120 (measured) plans suffer without CP-SAT's LNS
MAX_ANTICHAINS = 5_000  # beyond this (plentiful resources) the bound is weak and slow to compute


def is_makespan(problem: Problem, lay: Layout) -> bool:
    """One goal of positive weight requiring every task, and capacities that never change."""
    if len(problem.goals) != 1 or problem.goals[0].weight <= 0:
        return False
    if set(problem.goals[0].requires) != {t.id for t in problem.tasks}:
        return False
    return all(int(row.min()) == int(row.max()) for row in lay.capacity)


def conflicts(lay: Layout, after: list[set[int]]) -> list[set[int]]:
    """Pairs of tasks (with a duration) that can never overlap: a precedence path or too much demand."""
    highest = peaks(lay)
    demand = [dict(d) for d in lay.demands]
    n = len(lay.durations)
    out: list[set[int]] = [set() for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if lay.durations[i] == 0 or lay.durations[j] == 0:
                continue
            if j in after[i] or i in after[j] or any(demand[i].get(r, 0) + a > highest[r] for r, a in lay.demands[j]):
                out[i].add(j)
                out[j].add(i)
    return out


def conflict_cliques(lay: Layout, after: list[set[int]]) -> list[list[int]]:
    """Greedy maximal cliques of the conflict graph, grown from every task, once taking the longest tasks
    first and once the most conflicting ones (more, different cliques: stronger edge finding)."""
    graph = conflicts(lay, after)
    orders: list[Callable[[int], tuple[int, int]]] = [
        lambda k: (-lay.durations[k], k),
        lambda k: (-len(graph[k]), k),
        lambda k: (-sum(a for _, a in lay.demands[k]) * lay.durations[k], k),
    ]
    found: set[tuple[int, ...]] = set()
    for order in orders:
        for seed in range(len(lay.durations)):
            clique = [seed]
            for j in sorted(graph[seed], key=order):
                if all(j in graph[k] for k in clique):
                    clique.append(j)
            if len(clique) >= 3:
                found.add(tuple(sorted(clique)))
    sets = [set(c) for c in found]
    return [list(c) for c, s in zip(found, sets, strict=True) if not any(s < other for other in sets)]


def antichains(
    lay: Layout, after: list[set[int]], limit: int = MAX_ANTICHAINS, seconds: float = 0.5
) -> list[list[int]] | None:
    """Every set of tasks that may run at once (no precedence path, demands within capacity), or None past
    `limit` sets or `seconds`."""
    deadline = time.monotonic() + seconds
    highest = peaks(lay)
    found: list[tuple[list[int], list[int]]] = []  # (tasks, summed demand per resource)
    for t in (i for i in range(len(lay.durations)) if lay.durations[i] > 0):
        use = [0] * len(highest)
        for r, a in lay.demands[t]:
            use[r] = a
        grown = [([t], use)]
        for tasks, load in found:
            if any(t in after[k] or k in after[t] for k in tasks):
                continue
            total = [x + y for x, y in zip(load, use, strict=True)]
            if all(x <= p for x, p in zip(total, highest, strict=True)):
                grown.append(([*tasks, t], total))
        found.extend(grown)
        if len(found) > limit or time.monotonic() > deadline:
            return None
    return [tasks for tasks, _ in found]


def preemptive_bound(lay: Layout, after: list[set[int]], *, time_limit: float, workers: int) -> int:
    """The fewest periods, each running one antichain, that give every task its duration (0 if too big)."""
    sets = antichains(lay, after, seconds=time_limit / 4)
    if not sets or time_limit <= 0:
        return 0
    m = cp_model.CpModel()
    runs: dict[int, list[cp_model.IntVar]] = {}
    counts = []
    for k, tasks in enumerate(sets):
        count = m.new_int_var(0, min(lay.durations[i] for i in tasks), f"a{k}")
        counts.append(count)
        for i in tasks:
            runs.setdefault(i, []).append(count)
    for i, used in runs.items():
        m.add(sum(used) >= lay.durations[i])
    m.minimize(sum(counts))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
        return 0
    return max(0, int(solver.best_objective_bound))  # a proven bound even when the time ran out


def identical_tasks(lay: Layout) -> list[list[int]]:
    """Groups of tasks with the same duration, demands, predecessors and successors: any plan stays a plan
    when two of them swap starts, so their starts may be ordered (symmetry breaking)."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, d in enumerate(lay.durations):
        key = (d, tuple(sorted(lay.demands[i])), tuple(sorted(lay.predecessors[i])), tuple(sorted(lay.successors[i])))
        groups.setdefault(key, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def strengthen(built: Model, lay: Layout, after: list[set[int]], lower: int) -> None:
    """Add to the tight model (one goal: the makespan) what only the makespan case allows."""
    built.model.add(built.objective >= lay.weights[0] * lower)
    for group in identical_tasks(lay):
        for i, j in pairwise(group):
            built.model.add(built.starts[i] <= built.starts[j])
    for clique in conflict_cliques(lay, after):
        built.model.add_no_overlap([built.intervals[i] for i in clique])


def proof_portfolio(solver: cp_model.CpSolver) -> None:
    """Every worker a full tree search (with and without the LP), none on LNS: the warm start is usually
    near the optimum already, and the proof is what is left (2-4x faster to optimality on the hard J30).
    A single worker searches without the LP (measured on the hard J30 proofs: 2.5 s against 6.5 s, 6 s
    against more than 20)."""
    p = solver.parameters
    if p.num_workers < 2:
        p.linearization_level = 0
    else:
        for name in ("default_lp", "no_lp", "max_lp", "quick_restart", "core", "pseudo_costs")[: p.num_workers]:
            p.subsolvers.append(name)
        p.num_full_subsolvers = p.num_workers
        p.use_lns = False
