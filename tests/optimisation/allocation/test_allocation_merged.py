"""The merged relaxation of the network (one wait chain per settlement and room need, waiting at its lightest w):
its LP is a valid bound, its flows a valid plan, and a merged chain lets the heaviest household out first.

Solved without a time limit, so the answers do not depend on the machine.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from allocation_builders import household, problem

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.convoys import pack_convoys
from homecoming.optimisation.allocation.generate import SHAPES, generate_shaped
from homecoming.optimisation.allocation.model import HousingBatch, Problem, Result, Settlement
from homecoming.optimisation.allocation.network import build
from homecoming.optimisation.allocation.solve import (
    _merged_then_polished,
    _solve_exact,
    allocate,
    objective_of,
)


def _checked(case: Problem, placements: list, unplaced: list, bound: int) -> Result:  # type: ignore[type-arg]
    objective = objective_of(case, placements, unplaced)
    plan = Result("feasible", objective, bound, tuple(placements), tuple(unplaced), pack_convoys(case, placements), 0)
    assert check(case, plan).ok
    return plan


def test_a_merged_chain_lets_the_heavier_household_out_first() -> None:
    # one arrival per period; the urgent family (w = 4) and the plain one (w = 2) share the chain of room need 1,
    # which waits at w = 2: the LP says one family waits one period at cost 2, and only the urgent family first
    # makes the plan cost that much
    case = problem(
        [Settlement("a", 0, 1)],
        [HousingBatch("a", 1, 0, 2)],
        [household("plain", "a", size=2), household("urgent", "a", size=2, priority=1)],
    )
    net = build(case, merged=True)
    assert len(net.chains) == 1
    solved = _solve_exact(case, 1e6, merged=True)
    assert solved is not None
    placements, unplaced, bound, exact = solved
    assert {p.household: p.period for p in placements} == {"urgent": 0, "plain": 1}
    assert bound == 2 and exact
    assert _checked(case, placements, unplaced, bound).objective == 2


def test_merged_bound_is_below_the_exact_one_when_weights_differ_in_a_wait() -> None:
    # the convoy is full for three periods; the plain family must wait behind two urgent ones (w = 4 each):
    # the merged chain charges every wait at w = 2, so its bound is below the optimum, never above
    case = problem(
        [Settlement("a", 0, 1)],
        [HousingBatch("a", 1, 0, 3)],
        [
            household("plain", "a", size=2),
            household("u1", "a", size=2, priority=1),
            household("u2", "a", size=2, priority=1),
        ],
    )
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.objective == 4 * 1 + 2 * 2  # u2 waits one period at 4, plain two at 2
    solved = _merged_then_polished(case, math.inf)
    assert solved is not None
    placements, unplaced, bound, _ = solved
    assert bound == 2 * 1 + 2 * 2  # the relaxation: waits of 1 and 2 periods at w = 2
    assert _checked(case, placements, unplaced, bound).objective == optimum.objective


def _small(shape: str, seed: int) -> Problem:
    squeezed = dataclasses.replace(SHAPES[shape], opens_range=(0, 4), ready_within=4, late_range=(0, 5))
    squeezed = dataclasses.replace(squeezed, convoy_range=(1, 4) if squeezed.convoy_range else None)
    return generate_shaped(80, 3, 10, seed, squeezed, vehicle_seats=12)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("seed", range(3))
def test_merged_bound_never_passes_the_optimum_and_its_plan_is_valid(shape: str, seed: int) -> None:
    case = _small(shape, seed)
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.status == "optimal"
    solved = _merged_then_polished(case, math.inf)
    assert solved is not None
    placements, unplaced, bound, exact = solved
    plan = _checked(case, placements, unplaced, bound)
    assert bound <= optimum.objective <= plan.objective
    assert exact == (plan.objective == bound)
