"""The coarser relaxation of the merged network (network.build's `block`: time steps of several periods), which the
child process solves for its bound when the merged LP would not finish in time: its bound is never above a checked
optimum, one period a step is the merged network itself, and a batch ready within a step takes no more arrivals
than the convoys carry from its ready period.

Solved without a time limit, so the answers do not depend on the machine.
"""

from __future__ import annotations

import math
import time

import pytest
from allocation_builders import household, problem, tight_random

from homecoming.optimisation.allocation import lp
from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import SHAPES, generate_shaped
from homecoming.optimisation.allocation.model import HousingBatch, Settlement
from homecoming.optimisation.allocation.network import build
from homecoming.optimisation.allocation.solve import Answer, _merged_answers, allocate


def _coarse_bound(case: object, block: int) -> int:
    return lp.relaxation_bound(build(case, merged=True, block=block), time_limit=1e6)  # type: ignore[arg-type]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_coarser_bound_is_never_above_the_checked_optimum(shape: str) -> None:
    case = generate_shaped(1200, 4, 20, 3, SHAPES[shape])
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.status == "optimal" and check(case, optimum).ok
    merged = _coarse_bound(case, 1)
    for block in (2, 3, 7):
        assert _coarse_bound(case, block) <= merged <= optimum.objective


@pytest.mark.parametrize("seed", range(12))
def test_a_coarser_bound_is_below_the_optimum_where_limits_dates_and_rooms_bind(seed: int) -> None:
    case = tight_random(seed)
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.status == "optimal" and check(case, optimum).ok
    for block in (2, 3):
        assert _coarse_bound(case, block) <= optimum.objective


def test_one_period_a_step_is_the_merged_network() -> None:
    case = generate_shaped(800, 3, 12, 5, SHAPES["national"])
    one, merged = build(case, merged=True, block=1), build(case, merged=True)
    assert (one.tails, one.heads, one.capacities, one.costs) == (
        merged.tails,
        merged.heads,
        merged.capacities,
        merged.costs,
    )
    assert one.convoy_limits == merged.convoy_limits


def test_a_batch_ready_within_a_step_takes_only_what_the_convoys_carry_from_then() -> None:
    # one arrival a period; four houses ready at period 3, the last of the horizon: only one household can move in,
    # the other three stay out (unplaced 4 a period each over 4 periods = 16). Counting the houses ready from the
    # step's start (period 2) would let two move in and give a bound of 2 * 16 + 1 (one waits a period).
    case = problem(
        [Settlement("a", 0, 1)],
        [HousingBatch("a", 1, 3, 4)],
        [household(f"h{k}", "a") for k in range(4)],
        periods=4,
    )
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.objective == 3 * 4 * 1000 + 3  # three unplaced, one waits three periods
    assert _coarse_bound(case, 2) == 3 * 4 * 1000 + 2  # its wait counted from its step's start (period 2)


def test_the_child_tells_the_coarser_bound_when_the_merged_lp_would_not_fit() -> None:
    case = generate_shaped(1500, 3, 20, 2, SHAPES["national"])
    optimum = allocate(case, time_limit=math.inf)
    told: list[Answer] = []
    _merged_answers(case, time.perf_counter() + 60, told.append, cpu_per_arc=1e6)  # "would take a million years"
    assert len(told) == 1
    placements, unplaced, cost, bound = told[0]
    assert (placements, unplaced, cost) == ([], [], -1)
    assert 0 < bound <= optimum.objective
    told.clear()
    _merged_answers(case, time.perf_counter() + 60, told.append)
    assert told[0][2] == -1 and told[-1][2] >= told[-1][3] >= bound  # the merged bound first, then its plan
