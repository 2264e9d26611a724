"""The time-indexed LP bound: exact where worked by hand, never above a proven optimum, valid for any duals."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from ortools.linear_solver import linear_solver_pb2

from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.incumbent import Best
from homecoming.optimisation.sequencing.lagrangian import Relaxation
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.mpencode import model_proto
from homecoming.optimisation.sequencing.sgs import layout, objective, planner_rule
from homecoming.optimisation.sequencing.solve import _result, solve
from homecoming.optimisation.sequencing.timeindexed import (
    build,
    dual_bound,
    plan_point,
    time_indexed_bound,
    time_indexed_mip_bound,
)

THREE_ON_ONE_CREW = Problem(
    "three-houses",
    6,
    (Resource("crew", 1),),
    tuple(Task(f"h{k}", 2, {"crew": 1}) for k in range(3)),
    tuple(Goal(f"g{k}", 1, (f"h{k}",)) for k in range(3)),
)


@pytest.mark.parametrize("form", ["aggregated", "disaggregated"])
@pytest.mark.parametrize("solver", ["glop", "pdlp", "highs", "highs-ipm"])
def test_three_houses_on_one_crew_the_lp_is_the_optimum(form: str, solver: str) -> None:
    """By hand: X_t, the starting mass at t, has X_t + X_(t-1) <= 1 (one crew, two periods each) and sums to 3
    in periods 0..4, so X_0 + X_1 = X_2 + X_3 = X_4 = 1 and sum t X_t >= 0 + 2 + 4: completions >= 6 + 3 * 2 = 12,
    the optimum (2 + 4 + 6). The goal-energy LP of `lp` gives 11 here."""
    found = time_indexed_bound(layout(THREE_ON_ONE_CREW), form=form, solver=solver)
    assert found.bound == 12
    assert solve(THREE_ON_ONE_CREW, time_limit=math.inf).objective == 12


def test_the_lps_alpha_points_and_prices_worked_by_hand() -> None:
    """Three houses on one crew, each its own goal: the LP's optimum is whole here (one house at 0, one at 2, one
    at 4), so every α-point is a whole plan's start. The crew's prices are the duals of its rows: each >= 0, and
    the Lagrangian at them is the LP's value (12)."""
    lay = layout(THREE_ON_ONE_CREW)
    found = time_indexed_bound(lay, solver="glop")
    assert found.started_by is not None and found.prices is not None
    for points in found.started_by.values():
        assert sorted(points) == [0.0, 2.0, 4.0]
    assert found.prices.shape == lay.capacity.shape and (found.prices >= 0).all()
    assert Relaxation(lay).evaluate(found.prices).value == pytest.approx(12)


@pytest.mark.parametrize(("settlements", "seed"), [(3, 1), (6, 7), (12, 13)])
@pytest.mark.parametrize("solver", ["glop", "pdlp"])
def test_the_lps_prices_give_the_lagrangian_the_lps_value_at_once(settlements: int, seed: int, solver: str) -> None:
    """The resource rows' duals of the disaggregated LP, as the Lagrangian's prices, evaluate to the LP's optimum
    (less the rounding of the arcs' costs): the engine starts its subgradient method from them. The α-points are
    starts inside each task's window, later for a larger α."""
    lay = layout(generate(settlements, seed))
    found = time_indexed_bound(lay, solver=solver, time_limit=60)
    assert found.prices is not None and found.started_by is not None
    at_prices = Relaxation(lay).evaluate(found.prices).value
    assert found.value - 0.5 <= at_prices <= found.value + 0.5
    assert at_prices > 1.2 * Relaxation(lay).evaluate(np.zeros_like(found.prices)).value
    shares = sorted(found.started_by)
    for i in range(len(lay.durations)):
        points = [found.started_by[share][i] for share in shares]
        assert lay.earliest[i] <= points[0] and points == sorted(points)


def test_pdlp_stopped_at_a_loose_tolerance_still_bounds_the_lp() -> None:
    """The engine's guide stops PDLP at a relative tolerance, not at its default: it reports the stop as reached
    (no time limit here) short of where the default stops (6 settlements, seed 7: 0.970 x the LP's optimum at 1e-2,
    0.999998 x at the default), and its bound, the Lagrangian dual at its duals, stays at or below the LP's optimum
    (GLOP's)."""
    lay = layout(generate(6, 7))
    exact = time_indexed_bound(lay, solver="glop").value
    loose = time_indexed_bound(lay, solver="pdlp", tolerance=1e-2)
    default = time_indexed_bound(lay, solver="pdlp").value
    assert loose.status == "MPSOLVER_OPTIMAL" and loose.started_by is not None
    assert 0.95 * exact <= loose.value < 0.999 * exact <= default <= exact * (1 + 1e-9)


def test_a_chain_on_two_crews_worked_by_hand() -> None:
    """a (2 periods, both crews) -> b (1 period): goal g1 needs a, g2 needs b, weights 3 and 1. Nothing can run
    beside a, so a ends at 2 and b at 3: 3 * 2 + 1 * 3 = 9, and the LP cannot do better (no slack anywhere)."""
    problem = Problem(
        "chain",
        5,
        (Resource("crew", 2),),
        (Task("a", 2, {"crew": 2}, ("b",)), Task("b", 1, {"crew": 1})),
        (Goal("g1", 3, ("a",)), Goal("g2", 1, ("b",))),
    )
    for form in ("aggregated", "disaggregated"):
        assert time_indexed_bound(layout(problem), form=form, solver="glop").bound == 9
    assert solve(problem, time_limit=math.inf).objective == 9


@pytest.mark.parametrize(("settlements", "seed"), [(2, 5), (3, 1)])
def test_never_above_a_proven_optimum(settlements: int, seed: int) -> None:
    problem = generate(settlements, seed)
    result = solve(problem, time_limit=math.inf, workers=2)
    assert result.status == "optimal"
    assert result.objective is not None
    lay = layout(problem)
    bounds = [time_indexed_bound(lay, form=form, solver="glop").bound for form in ("aggregated", "disaggregated")]
    assert bounds[0] is not None and bounds[1] is not None
    assert 0 < bounds[0] <= bounds[1] <= result.objective


def test_the_integer_model_proves_the_optimum_the_engine_proves_and_shows_the_lp_gap() -> None:
    """Two settlements (seed 5): the engine proves 11,434, SCIP's branch and cut on the integer model proves the
    same, and the plain LP is far below both (its integrality gap: the figure the bench's MIP column measures)."""
    problem = generate(2, 5)
    result = solve(problem, time_limit=math.inf, workers=2)
    assert result.status == "optimal"
    mip = time_indexed_mip_bound(layout(problem), time_limit=120)
    assert mip.status == "MPSOLVER_OPTIMAL"
    assert mip.bound == mip.plan == result.objective
    lp = time_indexed_bound(layout(problem), form="aggregated", solver="glop").bound
    assert lp is not None and lp < 0.9 * mip.bound


def test_the_integer_models_bound_when_stopped_early_is_never_above_the_optimum() -> None:
    """Stopped long before its proof (three settlements, seed 1: about 20 s to prove), the best bound still holds."""
    problem = generate(3, 1)
    optimum = solve(problem, time_limit=math.inf, workers=2).objective
    assert optimum is not None
    mip = time_indexed_mip_bound(layout(problem), time_limit=0.5)
    assert 0 <= mip.bound <= optimum
    assert mip.plan is None or mip.plan >= optimum


def test_a_plan_is_a_point_of_the_integer_model_with_its_own_value() -> None:
    """The point a plan gives SCIP as its first incumbent keeps every row and costs the plan's objective."""
    lay = layout(generate(3, 1))
    plan = planner_rule(lay)
    assert plan is not None
    lp, steps = build(lay, "disaggregated")
    _, _, cost, row, col, value, lower, upper = lp.arrays()
    point = plan_point(lay, steps, lp.columns, plan)
    used = np.zeros(lp.rows)
    np.add.at(used, row, value * point[col])
    assert np.all(used >= lower - 1e-9) and np.all(used <= upper + 1e-9)
    assert cost @ point + lp.offset == pytest.approx(objective(lay, plan))


def test_the_integer_model_started_from_a_plan_reports_a_bound_at_once() -> None:
    """Given a plan, SCIP stopped by its limit has an incumbent no worse than it, and a bound that holds (with half a
    second, and with two seconds at a load of 5.8 on two cores, it had no bound yet)."""
    problem = generate(3, 1)
    optimum = solve(problem, time_limit=math.inf, workers=2).objective
    lay = layout(problem)
    plan = planner_rule(lay)
    assert optimum is not None and plan is not None and objective(lay, plan) > optimum
    mip = time_indexed_mip_bound(lay, time_limit=10.0, plan=plan)
    assert mip.plan is not None and optimum <= mip.plan <= objective(lay, plan)
    assert 0 < mip.bound <= optimum


def test_any_duals_give_a_bound_no_higher_than_the_lp() -> None:
    """The Lagrangian dual at arbitrary duals (wrong signs included) never exceeds the LP's optimum."""
    lay = layout(generate(3, 1))
    lp, _ = build(lay, "disaggregated")
    arrays = lp.arrays()
    optimum = time_indexed_bound(lay, form="disaggregated", solver="glop").value
    rng = random.Random(7)
    for _ in range(20):
        duals = np.array([rng.uniform(-50, 50) for _ in range(lp.rows)])
        assert dual_bound(arrays, lp.offset, duals) <= optimum + 1e-6
    assert dual_bound(arrays, lp.offset, np.zeros(lp.rows)) <= optimum


def test_the_encoded_model_is_the_one_built_message_by_message() -> None:
    lay = layout(generate(4, 2))
    for form in ("aggregated", "disaggregated"):
        lp, _ = build(lay, form)
        arrays = lp.arrays()
        var_lower, var_upper, cost, row, col, val, lower, upper = arrays
        expected = linear_solver_pb2.MPModelProto(objective_offset=lp.offset)
        for lo, hi, c in zip(var_lower, var_upper, cost, strict=True):
            expected.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
        edges = np.searchsorted(row, np.arange(len(lower) + 1))
        for k in range(len(lower)):
            a, b = edges[k], edges[k + 1]
            expected.constraint.add(lower_bound=lower[k], upper_bound=upper[k], var_index=col[a:b].tolist(),
                                    coefficient=val[a:b].tolist())  # fmt: skip
        assert model_proto(arrays, lp.offset) == expected


def test_a_bound_above_the_plan_is_reported_as_computed_and_proves_nothing() -> None:
    """A wrong bound (one above a feasible plan) is not capped into "optimal": it stays visible to the checker."""
    lay = layout(THREE_ON_ONE_CREW)
    best = Best(lay, [0, 2, 4], 0.0, None)
    best.raise_bound(13)
    result = _result(THREE_ON_ONE_CREW, lay, best, False, 0.0)
    assert (result.status, result.objective, result.lower_bound) == ("feasible", 12, 13)
    best.bound = 12
    assert _result(THREE_ON_ONE_CREW, lay, best, False, 0.0).status == "optimal"
