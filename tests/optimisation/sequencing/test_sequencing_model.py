"""Every bad problem gets a stable code and a message naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sequencing_builders import problem_dict

from homecoming.errors import RuleViolation
from homecoming.optimisation.sequencing.io import parse_problem, read_problem


def _error(data: dict[str, Any] | str) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        parse_problem(data if isinstance(data, str) else json.dumps(data))
    return caught.value


def test_unknown_successor_is_named() -> None:
    data = problem_dict()
    data["tasks"][0]["successors"] = ["big-roof"]
    error = _error(data)
    assert error.code == "sequencing.unknown_task"
    assert error.details == {"field": "tasks[big-clearance].successors", "task": "big-roof"}


def test_unknown_required_task_is_named() -> None:
    data = problem_dict()
    data["goals"][1]["requires"] = ["small-clinic"]
    error = _error(data)
    assert error.code == "sequencing.unknown_task"
    assert error.details["field"] == "goals[small].requires"


def test_unknown_resource_is_named() -> None:
    data = problem_dict()
    data["tasks"][2]["demand"] = {"teachers": 1}
    assert _error(data).code == "sequencing.unknown_resource"


def test_cycle_is_named_in_order() -> None:
    data = problem_dict()
    data["tasks"][1]["successors"] = ["small-school"]
    data["tasks"][2]["successors"] = ["big-clearance"]
    error = _error(data)
    assert error.code == "sequencing.cycle"
    assert error.details["cycle"] == ["big-clearance", "big-houses", "small-school", "big-clearance"]
    assert "big-clearance -> big-houses -> small-school -> big-clearance" in error.message


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("periods",), -1, "periods"),
        (("tasks", 0, "duration"), -2, "tasks[big-clearance].duration"),
        (("tasks", 1, "demand", "crews"), -1, "tasks[big-houses].demand.crews"),
        (("resources", 0, "capacity"), -3, "resources[deminers].capacity"),
        (("goals", 0, "weight"), -10, "goals[big].weight"),
    ],
)
def test_negative_numbers_are_refused(path: tuple[Any, ...], value: int, field: str) -> None:
    data = problem_dict()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    error = _error(data)
    assert error.code == "sequencing.negative"
    assert error.details == {"field": field, "value": value}


def test_demand_above_capacity_in_every_period_is_refused() -> None:
    data = problem_dict()
    data["tasks"][1]["demand"] = {"crews": 2}
    error = _error(data)
    assert error.code == "sequencing.demand_exceeds_capacity"
    assert error.details == {"task": "big-houses", "resource": "crews", "demand": 2, "max_capacity": 1}


def test_calendar_that_never_leaves_room_long_enough_is_refused() -> None:
    data = problem_dict()
    data["resources"][1]["calendar"] = [{"from": 2, "to": 3, "capacity": 0}, {"from": 5, "to": 6, "capacity": 0}]
    data["tasks"][1]["duration"] = 3  # room only in 0..1, 3..4, 6..7
    error = _error(data)
    assert error.code == "sequencing.demand_exceeds_capacity"


def test_short_horizon_says_by_how_much() -> None:
    error = _error(problem_dict(periods=3))
    assert error.code == "sequencing.horizon_too_short"
    assert error.details == {"periods": 3, "critical_path": 5, "short_by": 2}
    assert "by at least 2" in error.message


def test_duplicate_ids_are_refused() -> None:
    data = problem_dict()
    data["tasks"][2]["id"] = "big-houses"
    assert _error(data).code == "sequencing.duplicate_id"


def test_schema_violation_names_the_path() -> None:
    data = problem_dict()
    data["tasks"][0]["duration"] = "two"
    error = _error(data)
    assert error.code == "sequencing.invalid_file"
    assert error.details["field"] == "tasks/0/duration"


def test_broken_json_says_where() -> None:
    error = _error('{"format": "homecoming-sequencing/1",')
    assert error.code == "sequencing.invalid_file"
    assert "line 1" in error.message


def test_other_files_are_not_problems(tmp_path: Path) -> None:
    assert _error("name,households\nSos,179\n").code == "sequencing.not_a_problem_file"
    assert _error('{"format": "ocds"}').code == "sequencing.not_a_problem_file"
    with pytest.raises(RuleViolation) as caught:
        read_problem(tmp_path / "missing.json")
    assert caught.value.code == "sequencing.unreadable_file"


def test_truncated_patterson_file_is_refused() -> None:
    assert _error("32 4\n12 13 4 12\n0 0 0 0 0 3 2 3 4\n").code == "sequencing.bad_psplib"
