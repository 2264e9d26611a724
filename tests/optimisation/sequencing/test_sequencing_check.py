"""The checker catches each kind of violation."""

from __future__ import annotations

import json

from sequencing_builders import problem_dict

from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.io import parse_problem
from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task

PROBLEM = parse_problem(json.dumps(problem_dict()))
GOOD = {"big-clearance": 0, "big-houses": 2, "small-school": 0}


def _kinds(starts: dict[str, int], **kwargs: object) -> list[str]:
    return [v.kind for v in check_solution(PROBLEM, starts, **kwargs)]  # type: ignore[arg-type]


def test_good_plan_passes() -> None:
    assert check_solution(PROBLEM, GOOD, {"big": 5, "small": 1}, 51, 51) == []


def test_precedence() -> None:
    found = check_solution(PROBLEM, {**GOOD, "big-houses": 1})
    assert [v.kind for v in found] == ["precedence"]
    assert "'big-houses' starts at 1 before its predecessor 'big-clearance' ends at 2" in found[0].message


def test_capacity_per_period() -> None:
    found = check_solution(PROBLEM, {**GOOD, "small-school": 3})
    assert [(v.kind, v.message) for v in found] == [("capacity", "'crews' is used 2 in period 3; capacity 1")]


def test_capacity_follows_the_calendar() -> None:
    problem = Problem("cal", 4, (Resource("budget", 2, (CalendarWindow(1, 2, 1),)),),
                      (Task("x", 2, {"budget": 2}),), (Goal("g", 1, ("x",)),))  # fmt: skip
    assert [v.message for v in check_solution(problem, {"x": 0})] == ["'budget' is used 2 in period 1; capacity 1"]
    assert check_solution(problem, {"x": 2}) == []


def test_horizon() -> None:
    assert _kinds({**GOOD, "big-houses": 6}) == ["horizon"]
    assert _kinds({**GOOD, "small-school": -1}) == ["horizon"]


def test_missing_and_unknown_tasks() -> None:
    assert _kinds({"big-clearance": 0, "big-houses": 2, "roof": 1}) == ["unknown_task", "missing_start"]


def test_goal_completion_and_objective_mismatch() -> None:
    assert _kinds(GOOD, goals={"big": 4, "small": 1}, objective=41) == ["goal", "objective"]


def test_bound_above_the_plan() -> None:
    assert _kinds(GOOD, objective=51, lower_bound=52) == ["bound"]
