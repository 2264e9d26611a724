"""The planning pipeline's shape: every family goes home only, so the problem splits into one part per settlement,
each solved exactly; and when the time is short the result is still a checked plan with its gap reported."""

from __future__ import annotations

import math

from allocation_builders import household, problem

from homecoming.optimisation.allocation import components, lp
from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.convoys import first_fit_decreasing, least_slack, seats_bound
from homecoming.optimisation.allocation.generate import generate_planned
from homecoming.optimisation.allocation.model import HousingBatch, Settlement
from homecoming.optimisation.allocation.network import build
from homecoming.optimisation.allocation.solve import allocate


def test_settlements_linked_by_an_alternative_form_one_part() -> None:
    p = problem(
        [Settlement(n, 0) for n in ("a", "b", "c", "d")],
        [HousingBatch(n, 1, 0, 1) for n in ("a", "b", "c", "d")],
        [household("h1", "a", accepts=("c",)), household("h2", "b"), household("h3", "c"), household("h4", "b")],
    )
    parts = components.split(p)
    assert [[s.id for s in part.settlements] for part in parts] == [["a", "c"], ["b"]]  # d has nobody to house
    assert [[h.id for h in part.households] for part in parts] == [["h1", "h3"], ["h2", "h4"]]


def test_planned_shape_is_solved_to_the_optimum_of_the_whole_network() -> None:
    p = generate_planned(1500, 8, 30, seed=3)
    assert len(components.split(p)) == 8
    result = allocate(p, time_limit=math.inf)
    assert result.status == "optimal"
    assert check(p, result).ok
    _, whole_bound, whole_exact = lp.solve_network(build(p), time_limit=math.inf)
    assert whole_exact
    assert result.objective == result.lower_bound == whole_bound


def test_planned_shape_leaves_families_unplaced_only_where_no_house_fits_them() -> None:
    p = generate_planned(3000, 30, 40, seed=6)  # houses enough for all but the largest families of some
    result = allocate(p, time_limit=math.inf)
    largest = {s.id: max((b.rooms for b in p.housing if b.settlement == s.id), default=0) for s in p.settlements}
    by_id = {h.id: h for h in p.households}
    assert len(result.unplaced) == 4
    assert all(by_id[u].rooms_needed > largest[by_id[u].origin] for u in result.unplaced)


def test_short_time_on_the_planned_shape_gives_a_checked_plan_and_a_true_gap() -> None:
    p = generate_planned(2500, 10, 36, seed=4)
    optimum = allocate(p, time_limit=math.inf)
    assert optimum.status == "optimal"
    for rushed in (allocate(p, time_limit=0.0), allocate(p, time_limit=1.0, exact_households=0)):
        assert rushed.status == "feasible"
        assert check(p, rushed).ok
        assert rushed.lower_bound <= optimum.objective <= rushed.objective
        assert rushed.lower_bound > 0


def test_least_slack_fills_vehicles_first_fit_decreasing_leaves_half_empty() -> None:
    sizes = [3, 5, 6, 7, 9, 9]
    assert len(first_fit_decreasing(sizes, 20)) == 3
    vehicles = least_slack(sizes, 20)
    assert len(vehicles) == seats_bound(sizes, 20) == 2
    assert sorted(i for v in vehicles for i in v) == list(range(6))
    assert all(sum(sizes[i] for i in v) <= 20 for v in vehicles)


def test_the_integer_model_is_readable_and_solves_to_no_less_than_the_lp_bound() -> None:
    """The integer model (used when the LP's flows are fractional) is valid MPS: its markers once made it unreadable."""
    net = build(generate_planned(300, 3, 12, seed=4))
    relaxed = lp._solve(net, "glop", False, math.inf)
    integer = lp._solve(net, "scip", True, math.inf)
    assert integer.status() == lp.mbh.SolveStatus.OPTIMAL
    assert round(integer.objective_value()) >= math.floor(relaxed.objective_value())
