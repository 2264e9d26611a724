"""Tiny problems solved by hand: the engine must find exactly these plans."""

from __future__ import annotations

import math

from allocation_builders import household, problem

from homecoming.optimisation.allocation.model import HousingBatch, Settlement, Weights
from homecoming.optimisation.allocation.solve import allocate


def periods_of(result: object) -> dict[str, tuple[str, int]]:
    return {p.household: (p.settlement, p.period) for p in result.placements}  # type: ignore[attr-defined]


def test_convoy_limit_forces_the_lighter_household_to_a_later_period() -> None:
    p = problem(
        [Settlement("a", 0, 1)],
        [HousingBatch("a", 2, 0, 2)],
        [household("big", "a", size=3, rooms=2), household("small", "a", size=1, rooms=2)],
    )
    result = allocate(p, time_limit=math.inf)
    assert periods_of(result) == {"big": ("a", 0), "small": ("a", 1)}
    assert result.objective == 1  # small waits one period
    assert result.lower_bound == 1
    assert result.status == "optimal"


def test_priority_goes_first_when_the_convoy_is_full() -> None:
    p = problem(
        [Settlement("a", 2, 1)],
        [HousingBatch("a", 1, 0, 2)],
        [household("plain", "a", size=2), household("urgent", "a", size=2, priority=1)],
    )
    result = allocate(p, time_limit=math.inf)
    assert periods_of(result) == {"urgent": ("a", 2), "plain": ("a", 3)}
    assert result.objective == 2 * 2 * 2 + 2 * 3 * 1  # urgent waits 2 at weight 4, plain waits 3 at weight 2


def test_alternative_settlement_beats_a_long_wait() -> None:
    p = problem(
        [Settlement("home", 0), Settlement("near", 0)],
        [HousingBatch("home", 2, 30, 5), HousingBatch("near", 2, 0, 5)],
        [household("flexible", "home", size=2, rooms=2, accepts=("near",))],
        periods=40,
    )
    result = allocate(p, time_limit=math.inf)
    assert periods_of(result) == {"flexible": ("near", 0)}
    assert result.objective == 2 * 24  # not_origin for two people, instead of 2 * 30 waiting


def test_waiting_for_home_beats_a_small_detour_cost_when_home_is_soon() -> None:
    p = problem(
        [Settlement("home", 0), Settlement("near", 0)],
        [HousingBatch("home", 2, 20, 5), HousingBatch("near", 2, 0, 5)],
        [household("flexible", "home", size=2, rooms=2, accepts=("near",))],
        periods=40,
    )
    result = allocate(p, time_limit=math.inf)
    assert periods_of(result) == {"flexible": ("home", 20)}
    assert result.objective == 2 * 20


def test_bigger_house_costs_extra_rooms_and_the_smallest_fitting_one_is_used() -> None:
    p = problem(
        [Settlement("a", 0)],
        [HousingBatch("a", 4, 0, 1), HousingBatch("a", 2, 0, 1)],
        [household("h", "a", size=2, rooms=1)],
    )
    result = allocate(p, time_limit=math.inf)
    assert [(x.rooms, x.period) for x in result.placements] == [(2, 0)]
    assert result.objective == 2  # one extra room


def test_household_without_a_house_is_unplaced_at_its_cost() -> None:
    p = problem(
        [Settlement("a", 0)],
        [HousingBatch("a", 3, 0, 1)],
        [household("first", "a", size=2, rooms=3), household("second", "a", size=5, rooms=3)],
        weights=Weights(unplaced=7),
    )
    result = allocate(p, time_limit=math.inf)
    assert periods_of(result) == {"second": ("a", 0)}
    assert result.unplaced == ("first",)
    assert result.objective == 2 * 7 * 10


def test_each_settlement_period_is_one_convoy_packed_into_full_vehicles() -> None:
    p = problem(
        [Settlement("a", 0)],
        [HousingBatch("a", 1, 0, 6)],
        [household(f"h{i}", "a", size=s) for i, s in enumerate([5, 4, 3, 3, 2, 1])],
        seats=6,
    )
    result = allocate(p, time_limit=math.inf)
    assert len(result.convoys) == 1
    convoy = result.convoys[0]
    assert (convoy.settlement, convoy.period, convoy.people, convoy.vehicles) == ("a", 0, 18, 3)
    assert sorted(sorted(load) for load in convoy.loads) == [["h0", "h5"], ["h1", "h4"], ["h2", "h3"]]
