"""The time limit under load: reserves scale with the wall seconds per CPU second seen (optimisation/pace.py), and
the first plan's second chance and gap filling stop at their deadline with a plan that still passes the checker.
No test asserts a time: a deadline already past stands for a loaded machine."""

from __future__ import annotations

from allocation_builders import household, problem

from homecoming.optimisation.allocation import large
from homecoming.optimisation.allocation.improve import fill_gaps
from homecoming.optimisation.allocation.model import HousingBatch, Placement, Problem, Settlement
from homecoming.optimisation.pace import SLOWEST, slowness


def test_slowness_is_wall_per_cpu_second_between_one_and_the_slowest() -> None:
    assert slowness(10.0, 0.05) == 1.0  # too little CPU seen to tell
    assert slowness(0.5, 1.0) == 1.0  # threads: more CPU than wall
    assert slowness(3.0, 1.0) == 3.0
    assert slowness(100.0, 1.0) == SLOWEST


def _case() -> tuple[Problem, list[Placement], list[str]]:
    case = problem(
        [Settlement("A", 0, 1), Settlement("B", 0, None)],
        [HousingBatch("A", 1, 0, 1), HousingBatch("B", 1, 0, 2)],
        [household("x", "A"), household("u1", "A", accepts=("B",)), household("u2", "A")],
        periods=5,
    )
    return case, [Placement("x", "A", 1, 0, 0)], ["u1", "u2"]


def test_gap_filling_past_its_deadline_leaves_the_plan_as_it_was() -> None:
    case, placed, unplaced = _case()
    assert fill_gaps(case, placed, unplaced, until=0.0) == (placed, ["u1", "u2"])
    moved, left = fill_gaps(case, placed, unplaced)
    assert Placement("u1", "B", 1, 0, 0) in moved and left == ["u2"]


def test_second_chance_past_its_deadline_keeps_the_plan_and_leaves_the_sent_out() -> None:
    case, placed, unplaced = _case()
    assert large._second_chance(case, placed, unplaced, until=0.0) == (placed, ["u2", "u1"])
    kept, still = large._second_chance(case, placed, unplaced)
    assert sorted(p.household for p in kept) == ["u1", "x"] and still == ["u2"]
