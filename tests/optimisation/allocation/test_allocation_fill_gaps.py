"""fill_gaps (improve.py): households move into spare places and houses only where that lowers their own cost, and
one unplaced household finding nothing does not stop a later one from taking what a move freed."""

from __future__ import annotations

from allocation_builders import household, problem

from homecoming.optimisation.allocation.improve import fill_gaps
from homecoming.optimisation.allocation.model import HousingBatch, Placement, Settlement


def test_unplaced_take_spare_houses_elsewhere_and_a_twin_finds_nothing_once_they_are_gone() -> None:
    """A's one house is taken; B has two. u1 and u2 (accepting B) move there at period 0 (24 each, not home); u3,
    their twin in all but id, finds nothing left; u4 accepts nothing and stays out."""
    case = problem(
        [Settlement("A", 0, 1), Settlement("B", 0, None)],
        [HousingBatch("A", 1, 0, 1), HousingBatch("B", 1, 0, 2)],
        [
            household("x", "A"),
            household("u1", "A", accepts=("B",)),
            household("u2", "A", accepts=("B",)),
            household("u3", "A", accepts=("B",)),
            household("u4", "A"),
        ],
        periods=5,
    )
    placed, unplaced = fill_gaps(case, [Placement("x", "A", 1, 0, 0)], ["u1", "u2", "u3", "u4"])
    assert sorted(placed, key=lambda p: p.household) == [
        Placement("u1", "B", 1, 0, 0),
        Placement("u2", "B", 1, 0, 0),
        Placement("x", "A", 1, 0, 0),
    ]
    assert unplaced == ["u3", "u4"]


def test_a_placed_household_moves_home_when_that_is_sooner_and_frees_its_place() -> None:
    """y (origin B, accepting A) waits in A until period 3 (3 + 24 = 27); B has a spare house from period 1 and no
    convoy limit, so y goes home at period 1 (cost 1) and A's house and period-3 place are free again, which
    nobody else wants."""
    case = problem(
        [Settlement("A", 0, 1), Settlement("B", 1, None)],
        [HousingBatch("A", 1, 3, 1), HousingBatch("B", 1, 1, 1)],
        [household("y", "B", accepts=("A",))],
        periods=5,
    )
    placed, unplaced = fill_gaps(case, [Placement("y", "A", 1, 3, 3)], [])
    assert placed == [Placement("y", "B", 1, 1, 1)]
    assert unplaced == []
