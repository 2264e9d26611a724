"""The large path's first plan follows the time-free LP: where the LP sends a class, the plan sends its households."""

from __future__ import annotations

import math

from allocation_builders import household, problem

from homecoming.optimisation.allocation import lagrange, large
from homecoming.optimisation.allocation.model import HousingBatch, Problem, Settlement
from homecoming.optimisation.allocation.timefree import timefree


def _two_settlements(priorities: list[int]) -> Problem:
    """A and B have two one-room houses each; everyone comes from A and accepts B: the LP houses half in each."""
    people = [household(f"h{k}", "A", 1, 1, priority=p, accepts=("B",)) for k, p in enumerate(priorities)]
    return problem(
        [Settlement("A", 0), Settlement("B", 0)],
        [HousingBatch("A", 1, 0, len(people) // 2), HousingBatch("B", 1, 0, len(people) - len(people) // 2)],
        people,
    )


def _targets(case: Problem) -> dict[str, list[str]]:
    keys, members = large._classes(case)
    rel = lagrange.relaxation(case, keys, [len(m) for m in members])
    split = large.lp_split(case, rel, keys, timefree(case, deadline=math.inf))
    assert split is not None
    targets, unplaced = large._split(members, rel, *split)
    assert unplaced == []
    return {case.settlements[s].id: sorted(h.id for h in people) for s, people in targets.items() if people}


def test_the_lp_shares_say_where_each_coarse_class_goes() -> None:
    shares = timefree(_two_settlements([0, 0, 0, 0]), deadline=math.inf).shares
    assert shares == {("A", ("B",), 1, 1): {"A": 2.0, "B": 2.0}}


def test_a_class_is_split_over_its_settlements_as_the_lp_splits_it() -> None:
    targets = _targets(_two_settlements([0, 0, 0, 0]))
    assert {s: len(ids) for s, ids in targets.items()} == {"A": 2, "B": 2}


def test_classes_of_one_household_are_not_all_rounded_the_same_way() -> None:
    """Two classes of one household each (priorities 0 and 1), the LP's half and half: one goes to each."""
    targets = _targets(_two_settlements([0, 1]))
    assert {s: len(ids) for s, ids in targets.items()} == {"A": 1, "B": 1}
