"""Reading our JSON and both PSPLIB layouts; writing reads back the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sequencing_builders import problem_dict

from homecoming.errors import RuleViolation
from homecoming.optimisation.sequencing.io import (
    parse_problem,
    problem_to_dict,
    read_problem,
    read_solution,
    write_problem,
    write_solution,
)
from homecoming.optimisation.sequencing.model import CalendarWindow, Result


def test_json_round_trip(tmp_path: Path) -> None:
    data = problem_dict()
    data["resources"][1]["calendar"] = [{"from": 0, "to": 2, "capacity": 1}]
    problem = parse_problem(json.dumps(data))
    assert problem.resources[1].calendar == (CalendarWindow(0, 2, 1),)
    write_problem(problem, tmp_path / "p.json")
    assert read_problem(tmp_path / "p.json") == problem
    assert problem_to_dict(problem) == data


def test_patterson_and_sm_layouts_give_the_same_problem(psplib: Path) -> None:
    patterson = read_problem(psplib / "J30_1.txt")
    sm = read_problem(psplib / "j301_1.sm")
    assert len(patterson.tasks) == 32
    assert [r.capacity for r in patterson.resources] == [12, 13, 4, 12]
    assert patterson.tasks[1].duration == 8 and dict(patterson.tasks[1].demand) == {"R1": 4}
    assert patterson.tasks[0].successors == ("2", "3", "4")
    assert patterson.periods == 158
    assert (sm.tasks, sm.resources, sm.goals, sm.periods) == (
        patterson.tasks,
        patterson.resources,
        patterson.goals,
        patterson.periods,
    )
    assert patterson.goals[0].weight == 1 and len(patterson.goals[0].requires) == 32


def test_solution_round_trip(tmp_path: Path) -> None:
    result = Result("p", "optimal", 51, 51, {"a": 0, "b": 2}, {"g": 5}, 0.25)
    write_solution(result, tmp_path / "s.json")
    assert read_solution(tmp_path / "s.json") == result
    assert json.loads((tmp_path / "s.json").read_text())["format"] == "homecoming-sequencing-solution/1"


def test_problem_given_as_solution_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem_dict()))
    with pytest.raises(RuleViolation) as caught:
        read_solution(path)
    assert caught.value.code == "sequencing.not_a_solution_file"
    path.write_text(json.dumps({"format": "other"}))
    with pytest.raises(RuleViolation) as caught:
        read_solution(path)
    assert caught.value.code == "sequencing.not_a_solution_file"
