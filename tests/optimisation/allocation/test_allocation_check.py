"""The checker catches every broken rule and recomputes the objective on its own."""

from __future__ import annotations

import dataclasses
import math

import pytest
from allocation_builders import household, problem

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.model import Convoy, HousingBatch, Placement, Problem, Result, Settlement
from homecoming.optimisation.allocation.solve import allocate


@pytest.fixture(scope="module")
def case() -> tuple[Problem, Result]:
    p = problem(
        [Settlement("a", 1, 2), Settlement("b", 0, None), Settlement("c", 0, None)],
        [HousingBatch("a", 2, 1, 3), HousingBatch("b", 3, 0, 1), HousingBatch("c", 1, 0, 5)],
        [
            household("h1", "a", size=3, rooms=2),
            household("h2", "a", size=2, rooms=2, available=2),
            household("h3", "b", size=4, rooms=3, accepts=("a",)),
            household("h4", "a", size=3, rooms=1),
        ],
        seats=5,
    )
    result = allocate(p, time_limit=math.inf)
    assert check(p, result).ok
    return p, result


def with_placement(result: Result, household_id: str, **changes: object) -> Result:
    placements = tuple(
        dataclasses.replace(x, **changes) if x.household == household_id else x  # type: ignore[arg-type]
        for x in result.placements
    )
    return dataclasses.replace(result, placements=placements)


def placement(result: Result, household_id: str) -> Placement:
    return next(x for x in result.placements if x.household == household_id)


def violations(p: Problem, result: Result) -> str:
    found = check(p, result)
    assert not found.ok
    return "\n".join(found.violations)


def test_valid_solution_passes_with_the_objective_recomputed(case: tuple[Problem, Result]) -> None:
    p, result = case
    report = check(p, result)
    assert report.violations == ()
    assert report.objective == result.objective
    assert report.vehicles == sum(c.vehicles for c in result.convoys)


def test_settlement_neither_origin_nor_accepted(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "neither its origin nor a settlement it accepts" in violations(
        p, with_placement(result, "h1", settlement="c")
    )


def test_move_before_available(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "outside its window" in violations(p, with_placement(result, "h2", period=1))


def test_move_after_the_horizon(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "outside its window" in violations(p, with_placement(result, "h2", period=10))


def test_move_before_the_settlement_opens(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "opens at 1" in violations(p, with_placement(result, "h1", period=0, ready=0))


def test_house_too_small(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "needs 2" in violations(p, with_placement(result, "h1", rooms=1))


def test_house_not_ready(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "ready only at" in violations(p, with_placement(result, "h1", ready=placement(result, "h1").period + 1))


def test_more_houses_than_listed(case: tuple[Problem, Result]) -> None:
    p, result = case
    h3 = placement(result, "h3")
    assert h3.settlement == "b"
    moved = with_placement(result, "h1", settlement="b", rooms=3, ready=0)
    assert "only 1 are listed" in violations(p, moved)


def test_convoy_limit_exceeded(case: tuple[Problem, Result]) -> None:
    p, result = case
    same = with_placement(with_placement(result, "h2", period=2), "h1", period=2)
    same = with_placement(same, "h4", period=2)
    assert "over the convoy limit 2" in violations(p, same)


def test_vehicle_over_its_seats(case: tuple[Problem, Result]) -> None:
    p, result = case
    convoys = list(result.convoys)
    k = next(i for i, c in enumerate(convoys) if c.people > p.vehicle_seats)
    one_vehicle = (tuple(convoys[k].households),)
    convoys[k] = dataclasses.replace(convoys[k], vehicles=1, loads=one_vehicle)
    assert "seats" in violations(p, dataclasses.replace(result, convoys=tuple(convoys)))


def test_household_split_or_missing_from_the_vehicles(case: tuple[Problem, Result]) -> None:
    p, result = case
    convoys = list(result.convoys)
    c = convoys[0]
    convoys[0] = dataclasses.replace(c, loads=(*c.loads, (c.households[0],)), vehicles=c.vehicles + 1)
    assert "split or missing" in violations(p, dataclasses.replace(result, convoys=tuple(convoys)))


def test_household_moved_without_a_convoy(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "do not match its moves" in violations(p, dataclasses.replace(result, convoys=result.convoys[1:]))


def test_wrong_people_count(case: tuple[Problem, Result]) -> None:
    p, result = case
    convoys = list(result.convoys)
    convoys[0] = dataclasses.replace(convoys[0], people=convoys[0].people + 1)
    assert "people" in violations(p, dataclasses.replace(result, convoys=tuple(convoys)))


def test_household_neither_placed_nor_unplaced(case: tuple[Problem, Result]) -> None:
    p, result = case
    kept = tuple(x for x in result.placements if x.household != "h4")
    assert "neither placed nor unplaced" in violations(p, dataclasses.replace(result, placements=kept))


def test_household_both_placed_and_unplaced(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "both placed and unplaced" in violations(p, dataclasses.replace(result, unplaced=("h4",)))


def test_household_placed_twice(case: tuple[Problem, Result]) -> None:
    p, result = case
    twice = (*result.placements, placement(result, "h4"))
    assert "placed twice" in violations(p, dataclasses.replace(result, placements=twice))


def test_objective_that_does_not_add_up(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert f"objective is {result.objective}" in violations(
        p, dataclasses.replace(result, objective=result.objective - 1)
    )


def test_lower_bound_above_the_objective(case: tuple[Problem, Result]) -> None:
    p, result = case
    assert "lower bound" in violations(p, dataclasses.replace(result, lower_bound=result.objective + 1))


def test_convoy_to_an_unknown_household_is_reported(case: tuple[Problem, Result]) -> None:
    p, result = case
    convoys = list(result.convoys)
    convoys.append(Convoy("a", 5, 1, ("ghost",), 0, (("ghost",),)))
    assert "extra ['ghost']" in violations(p, dataclasses.replace(result, convoys=tuple(convoys)))
