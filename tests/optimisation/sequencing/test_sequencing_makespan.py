"""The makespan case (PSPLIB) gets its own bounds: preemptive antichains, conflict cliques, symmetry.

The proofs run without a time limit (`time_limit=math.inf`): they hold on a loaded machine too, only later."""

from __future__ import annotations

import math
from pathlib import Path

from ortools.sat.python import cp_model

from homecoming.optimisation.sequencing.bounds import closure
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.io import read_problem
from homecoming.optimisation.sequencing.makespan import (
    antichains,
    conflict_cliques,
    identical_tasks,
    is_makespan,
    preemptive_bound,
    proof_portfolio,
)
from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout
from homecoming.optimisation.sequencing.solve import solve

# a and b (one crew each) may run side by side; c needs both crews; d follows a.
TWO_CREWS = Problem(
    "two-crews",
    20,
    (Resource("crew", 2),),
    (
        Task("a", 4, {"crew": 1}, ("d",)),
        Task("b", 4, {"crew": 1}),
        Task("c", 2, {"crew": 2}),
        Task("d", 1, {"crew": 1}),
    ),
    (Goal("end", 1, ("a", "b", "c", "d")),),
)


def test_makespan_case_is_detected_only_for_one_goal_over_every_task_and_flat_capacity() -> None:
    assert is_makespan(TWO_CREWS, layout(TWO_CREWS))
    partial = Problem("partial", 20, TWO_CREWS.resources, TWO_CREWS.tasks, (Goal("end", 1, ("a", "b")),))
    assert not is_makespan(partial, layout(partial))
    dip = Problem("dip", 20, (Resource("crew", 2, (CalendarWindow(0, 2, 1),)),), TWO_CREWS.tasks, TWO_CREWS.goals)
    assert not is_makespan(dip, layout(dip))


def test_antichains_are_the_task_sets_that_fit_side_by_side() -> None:
    lay = layout(TWO_CREWS)
    sets = antichains(lay, closure(lay))
    assert sets is not None
    assert sorted(sorted(s) for s in sets) == [[0], [0, 1], [1], [1, 3], [2], [3]]


def test_preemptive_bound_counts_the_periods_the_crews_need() -> None:
    # a and b side by side for 4 periods, c alone for 2, d for 1 more (pairing d with b leaves a alone instead)
    lay = layout(TWO_CREWS)
    assert preemptive_bound(lay, closure(lay), time_limit=math.inf, workers=1) == 7
    result = solve(TWO_CREWS, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == ("optimal", 7, 7)


def test_conflict_cliques_join_tasks_linked_by_demand_or_precedence() -> None:
    lay = layout(TWO_CREWS)
    # c conflicts with everyone (both crews); a precedes d; b fits beside a and d
    assert sorted(sorted(c) for c in conflict_cliques(lay, closure(lay))) == [[0, 2, 3]]


def test_identical_tasks_are_grouped_for_symmetry_breaking() -> None:
    twins = Problem(
        "twins",
        10,
        (Resource("crew", 1),),
        (Task("x", 2, {"crew": 1}), Task("y", 2, {"crew": 1}), Task("z", 3, {"crew": 1})),
        (Goal("end", 1, ("x", "y", "z")),),
    )
    assert identical_tasks(layout(twins)) == [[0, 1]]
    result = solve(twins, time_limit=math.inf)
    assert (result.status, result.objective, result.starts["x"] < result.starts["y"]) == ("optimal", 7, True)


def test_resource_scarce_j30_instance_is_proven_optimal(psplib: Path) -> None:
    """j3045_2 (J30_442), optimum 125: the preemptive bound closes the gap the cumulative bound leaves open."""
    problem = read_problem(psplib / "J30_442.txt")
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == ("optimal", 125, 125)
    assert check_solution(problem, result.starts, result.goals, result.objective, result.lower_bound) == []


def test_hardest_kind_of_j30_instance_is_proven_optimal(psplib: Path) -> None:
    """j3013_6 (J30_126), optimum 64: the plan and its proof come from the branch and bound beside CP-SAT."""
    problem = read_problem(psplib / "J30_126.txt")
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == ("optimal", 64, 64)
    assert check_solution(problem, result.starts, result.goals, result.objective, result.lower_bound) == []


def test_proof_portfolio_drops_the_lp_for_one_worker_and_lns_for_several() -> None:
    one, two = cp_model.CpSolver(), cp_model.CpSolver()
    one.parameters.num_workers, two.parameters.num_workers = 1, 2
    proof_portfolio(one)
    proof_portfolio(two)
    assert one.parameters.linearization_level == 0
    assert (list(two.parameters.subsolvers), two.parameters.use_lns) == (["default_lp", "no_lp"], False)
