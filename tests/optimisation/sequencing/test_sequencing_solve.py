"""Our engine and the two peers on instances whose optimum is known.

Optimality is asserted only of solves without a time limit (`time_limit=math.inf`: they end with the proof), so
a slow or loaded machine takes longer but reaches the same answer; solves with a time limit are held only to what
holds at any speed (a valid plan, never worse than the planner's rule or the warm start, a bound below it)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from sequencing_builders import problem_dict

from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.io import parse_problem, read_problem
from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.solve import solve
from sequencing_peers import solve_plain_cpsat, solve_planner_rule


def test_big_settlement_first_school_squeezed_in_before() -> None:
    problem = parse_problem(json.dumps(problem_dict()))
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == ("optimal", 51, 51)
    assert dict(result.starts) == {"big-clearance": 0, "big-houses": 2, "small-school": 0}
    assert dict(result.goals) == {"big": 5, "small": 1}


def test_heavier_per_period_goes_first_on_one_machine() -> None:
    """Weights 1 and 3, durations 2 and 1 on one crew: the short heavy one first gives 3*1 + 1*3 = 6."""
    problem = Problem(
        "smith",
        4,
        (Resource("crew", 1),),
        (Task("a", 2, {"crew": 1}), Task("b", 1, {"crew": 1})),
        (Goal("ga", 1, ("a",)), Goal("gb", 3, ("b",))),
    )
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, dict(result.starts)) == ("optimal", 6, {"a": 1, "b": 0})
    assert solve_plain_cpsat(problem, time_limit=math.inf).objective == 6


def test_budget_calendar_delays_the_start() -> None:
    """No money in the first two periods: the works start in period 2 and end in 3; 5 * 3 = 15."""
    problem = Problem(
        "budget-year",
        6,
        (Resource("budget", 2, (CalendarWindow(0, 2, 0),)),),
        (Task("x", 1, {"budget": 2}),),
        (Goal("g", 5, ("x",)),),
    )
    for result in (solve(problem, time_limit=math.inf), solve_plain_cpsat(problem, time_limit=math.inf)):
        assert (result.objective, dict(result.starts), result.status) == (15, {"x": 2}, "optimal")
    assert solve_planner_rule(problem).objective == 15


@pytest.mark.parametrize(("name", "optimum"), [("J30_1.txt", 43), ("J30_5.txt", 39), ("J30_45.txt", 76)])
def test_psplib_j30_solved_to_known_optimum(psplib: Path, name: str, optimum: int) -> None:
    problem = read_problem(psplib / name)
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == ("optimal", optimum, optimum)
    assert check_solution(problem, result.starts, result.goals, result.objective, result.lower_bound) == []


def test_warm_start_is_never_worsened_and_the_optimum_still_found() -> None:
    problem = parse_problem(json.dumps(problem_dict()))
    given = {"big-clearance": 0, "big-houses": 2, "small-school": 5}  # objective 56
    assert solve(problem, time_limit=0.0, warm_start=given).objective <= 56  # no time at all: never worse
    assert solve(problem, time_limit=math.inf, warm_start=given).objective == 51


def test_generated_programme_is_valid_and_never_worse_than_the_planner() -> None:
    """A programme too big to prove: at any speed, the plan is checked, no worse than the planner's rule, and
    its bound is no higher than the plan."""
    problem = generate(12, seed=3)
    ours = solve(problem, time_limit=2)
    rule = solve_planner_rule(problem)
    assert ours.objective is not None and rule.objective is not None
    assert ours.lower_bound <= ours.objective <= rule.objective
    assert check_solution(problem, ours.starts, ours.goals, ours.objective, ours.lower_bound) == []
    assert check_solution(problem, rule.starts, rule.goals, rule.objective) == []


def test_generator_is_seeded() -> None:
    first, again, other = generate(20, seed=7), generate(20, seed=7), generate(20, seed=8)
    assert first == again
    assert first != other
    assert len(first.goals) == 20
    assert len(first.tasks) == 20 * 5 + 4 * 2  # 5 per settlement, 4 per district (20 / 8 -> 2 districts)
    assert {r.id for r in first.resources} == {"surveyors", "deminers", "crews", "budget"}
    assert len(first.resources[3].calendar) > 0
