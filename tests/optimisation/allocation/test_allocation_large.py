"""The large-problem path (sweep + Lagrangian bound): valid plans and bounds that never pass the optimum."""

from __future__ import annotations

import pytest
from allocation_builders import tight_random

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import generate
from homecoming.optimisation.allocation.solve import allocate


@pytest.mark.parametrize("seed", range(3))
def test_sweep_plan_is_valid_and_its_bound_is_below_the_exact_optimum(seed: int) -> None:
    problem = generate(1500, 20, 30, seed)
    exact = allocate(problem, time_limit=30)
    assert exact.status == "optimal"
    fast = allocate(problem, time_limit=4, exact_households=0)
    assert fast.status == "feasible"
    assert check(problem, fast).ok
    assert fast.lower_bound <= exact.objective <= fast.objective
    assert fast.objective <= 1.03 * exact.objective


@pytest.mark.parametrize("seed", range(25))
def test_sweep_plan_is_valid_on_tight_problems(seed: int) -> None:
    problem = tight_random(seed)
    exact = allocate(problem, time_limit=5)
    fast = allocate(problem, time_limit=1, exact_households=0)
    assert check(problem, fast).ok
    assert fast.lower_bound <= exact.objective <= fast.objective


def test_no_time_left_still_gives_a_valid_plan_and_bound() -> None:
    problem = generate(300, 5, 20, seed=4)
    exact = allocate(problem, time_limit=30)
    rushed = allocate(problem, time_limit=0.0, exact_households=0)
    assert check(problem, rushed).ok
    assert rushed.lower_bound <= exact.objective <= rushed.objective
