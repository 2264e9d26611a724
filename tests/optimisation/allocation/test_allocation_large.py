"""The large-problem path (sweep + Lagrangian bound): valid plans and bounds that never pass the optimum.

The exact optimum is computed without a time limit (`time_limit=math.inf`), so it is the optimum on any machine.
The sweep's quality is asserted only without a time limit (the bound runs until its step has shrunk to nothing,
the steered second plan is always made: the same plan at any speed); with a time limit, only what holds however
little of it the machine gives: a checked plan, and a bound at or below the optimum at or below the plan."""

from __future__ import annotations

import math

import pytest
from allocation_builders import tight_random

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import generate
from homecoming.optimisation.allocation.model import Problem, Result
from homecoming.optimisation.allocation.solve import allocate


def _optimum(problem: Problem) -> int:
    exact = allocate(problem, time_limit=math.inf)
    assert exact.status == "optimal" and exact.lower_bound == exact.objective
    return exact.objective


def _sandwiched(problem: Problem, plan: Result, optimum: int) -> None:
    assert check(problem, plan).ok
    assert plan.status == "feasible"
    assert plan.lower_bound <= optimum <= plan.objective


@pytest.mark.parametrize("seed", range(3))
def test_sweep_plan_is_within_three_percent_of_the_optimum_and_its_bound_below_it(seed: int) -> None:
    """Measured without a time limit: 0.37 %, 0.17 % and 0.19 % above the optimum."""
    problem = generate(1500, 20, 30, seed)
    optimum = _optimum(problem)
    sweep = allocate(problem, time_limit=math.inf, exact_households=0)
    _sandwiched(problem, sweep, optimum)
    assert sweep.objective <= 1.03 * optimum


@pytest.mark.parametrize("seed", range(25))
def test_sweep_plan_is_valid_on_tight_problems(seed: int) -> None:
    problem = tight_random(seed)
    _sandwiched(problem, allocate(problem, time_limit=1, exact_households=0), _optimum(problem))


def test_no_time_left_still_gives_a_valid_plan_and_bound() -> None:
    problem = generate(300, 5, 20, seed=4)
    _sandwiched(problem, allocate(problem, time_limit=0.0, exact_households=0), _optimum(problem))
