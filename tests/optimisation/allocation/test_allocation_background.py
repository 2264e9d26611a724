"""The merged LP beside the sweep (background.py): a child process's answers, and plans that stay valid with it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pytest

from homecoming.optimisation.allocation.background import Background
from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import SHAPES, generate_shaped
from homecoming.optimisation.allocation.solve import allocate


def _counts(tell: Callable[[int], None]) -> None:
    tell(1)
    tell(2)


def _fails(tell: Callable[[int], None]) -> None:
    tell(1)
    raise ValueError("the child's own failure")


def _sleeps(tell: Callable[[int], None]) -> None:
    time.sleep(600)


def test_the_last_answer_told_is_the_result() -> None:
    assert Background(_counts).result(time.perf_counter() + 60) == 2


def test_a_child_that_fails_leaves_what_it_told_before() -> None:
    assert Background(_fails).result(time.perf_counter() + 60) == 1


def test_a_child_that_has_not_answered_by_the_deadline_gives_nothing_and_is_stopped() -> None:
    child: Background[int] = Background(_sleeps)
    assert child.result(time.perf_counter() + 0.2) is None
    assert not child._process.is_alive()


@pytest.mark.parametrize("shape", ["national", "alternatives"])
def test_a_plan_with_the_merged_lp_beside_it_is_valid_and_its_bound_below_the_optimum(shape: str) -> None:
    """The merged LP in a child process for any problem of one part (beside_households=0), whichever of its bound
    and plan come in time: the plan checks, and the bound is at most the optimum, which is at most the plan."""
    problem = generate_shaped(1500, 3, 20, 2, SHAPES[shape])
    optimum = allocate(problem, time_limit=math.inf)
    assert optimum.status == "optimal"
    beside = allocate(problem, time_limit=3, exact_households=10**6, beside_households=0)
    assert check(problem, beside).ok
    assert beside.lower_bound <= optimum.objective <= beside.objective
