"""The sweep serves households of one weight and rooms needed as a group (issue 18): hand-solved cases."""

from __future__ import annotations

from homecoming.optimisation.allocation.model import Household, HousingBatch, Placement, Problem, Settlement
from homecoming.optimisation.allocation.sweep import sweep_settlement


def _problem(households: tuple[Household, ...], housing: tuple[HousingBatch, ...], limit: int) -> Problem:
    return Problem(
        periods=6,
        settlements=(Settlement("s", 0, limit),),
        housing=housing,
        households=households,
        vehicle_seats=45,
    )


def test_heaviest_first_in_id_order_and_the_big_house_kept_for_the_family_that_needs_it() -> None:
    """Period 0: b (weight 2) then a1 take the two 1-room houses (2 places). Period 1: a2 and a3 may not take the
    2-room house, the only one left for c, who needs 2 rooms and comes in period 2."""
    people = (
        Household("a2", "s", 1, 1),
        Household("a1", "s", 1, 1),
        Household("a3", "s", 1, 1),
        Household("b", "s", 2, 1),
        Household("c", "s", 3, 2, available=2),
    )
    houses = (HousingBatch("s", 1, 0, 2), HousingBatch("s", 2, 0, 1))
    problem = _problem(people, houses, limit=2)
    placed, left = sweep_settlement(problem, "s", 0, 2, list(people), list(houses))
    assert sorted(placed, key=lambda p: p.household) == [
        Placement("a1", "s", 1, 0, 0),
        Placement("b", "s", 1, 0, 0),
        Placement("c", "s", 2, 0, 2),
    ]
    assert sorted(h.id for h in left) == ["a2", "a3"]


def test_a_group_takes_the_oldest_batch_first_and_waits_for_the_next() -> None:
    """Five alike households, 2 houses ready in period 0 and 3 in period 1, 10 places a period."""
    people = tuple(Household(f"h{k}", "s", 1, 1) for k in range(5))
    houses = (HousingBatch("s", 1, 1, 3), HousingBatch("s", 1, 0, 2))
    problem = _problem(people, houses, limit=10)
    placed, left = sweep_settlement(problem, "s", 0, 10, list(reversed(people)), list(houses))
    assert left == []
    assert sorted(placed, key=lambda p: p.household) == [
        Placement("h0", "s", 1, 0, 0),
        Placement("h1", "s", 1, 0, 0),
        Placement("h2", "s", 1, 1, 1),
        Placement("h3", "s", 1, 1, 1),
        Placement("h4", "s", 1, 1, 1),
    ]


def test_places_split_a_group_across_periods() -> None:
    """Three alike households, three houses, one place a period: one arrives each period, in id order."""
    people = tuple(Household(f"h{k}", "s", 1, 1) for k in range(3))
    houses = (HousingBatch("s", 1, 0, 3),)
    problem = _problem(people, houses, limit=1)
    placed, left = sweep_settlement(problem, "s", 0, 1, list(people), list(houses), full := {})
    assert left == []
    assert [(p.household, p.period) for p in sorted(placed, key=lambda p: p.period)] == [
        ("h0", 0),
        ("h1", 1),
        ("h2", 2),
    ]
    assert full == {0: 1, 1: 1}  # the places ran out while a household of weight 1 still waited
