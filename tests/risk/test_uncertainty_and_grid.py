"""Which three-point a task gets, bad uncertainty files, and the variants a sweep grid makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from homecoming.errors import RuleViolation
from homecoming.planning.scenario import Scenario
from homecoming.risk.sweep import grid, listed
from homecoming.risk.uncertainty import DEFAULTS, Overrides, Point, load_overrides, point_for


def test_a_task_takes_its_own_override_then_kind_and_sector_then_kind() -> None:
    own = Point(optimistic=1, likely=1, pessimistic=3)
    road = Point(optimistic=1, likely=2, pessimistic=4)
    overrides = Overrides(kinds={"works:road": road}, tasks={"works:RD-1": own})
    assert point_for("works", "road", "works:RD-1", overrides) == ("task works:RD-1", own)
    assert point_for("works", "road", "works:RD-2", overrides) == ("works:road", road)
    assert point_for("works", "school", "works:SC-1", overrides) == ("works:school", DEFAULTS["works:school"])
    assert point_for("works", "telecom", "works:TC-1", overrides) == ("works", DEFAULTS["works"])
    assert point_for("proposed", "school", "proposed:sus:school", Overrides()) == ("proposed", DEFAULTS["proposed"])


def test_an_uncertainty_file_with_a_bad_shape_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    path.write_text(json.dumps({"kinds": {"houses": {"optimistic": 1, "likely": 1, "pessimistic": 2,
                                                     "shape": "uniform"}}}))  # fmt: skip
    with pytest.raises(RuleViolation) as error:
        load_overrides(path)
    assert error.value.code == "risk.bad_uncertainty"
    assert "kinds.houses.shape" in error.value.message


def test_a_grid_makes_every_combination_and_scales_each_years_budget() -> None:
    variants = grid(Scenario(), [0.5, 2.0], [10, 20], [], {2026: 100.0, 2027: 200.0})
    assert [v.name for v in variants] == [
        "budget x0.5, 10 teams", "budget x0.5, 20 teams", "budget x2, 10 teams", "budget x2, 20 teams",
    ]  # fmt: skip
    assert variants[3].changes == {"budget_azn_per_year": {2026: 200.0, 2027: 400.0}, "demining_teams": 20}
    assert [v.name for v in listed([{"name": "lean", "crews": 90}, {"demining_teams": 5}])] == ["lean", "variant 2"]


def test_a_budget_factor_without_any_budget_is_refused() -> None:
    with pytest.raises(RuleViolation) as error:
        grid(Scenario(), [1.2], [], [], {})
    assert error.value.code == "sweep.no_budget"
