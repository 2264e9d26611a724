"""The Lagrangian bound (resources priced, the rest a minimum cut): exact where worked by hand, valid for any
prices, never above a proven optimum or the disaggregated LP's optimum."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pytest

from homecoming.optimisation.sequencing import guided
from homecoming.optimisation.sequencing import solve as solve_module
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.guided import ALPHAS, GUIDE_CELLS, MIP_CELLS, LpRun, guidance
from homecoming.optimisation.sequencing.incumbent import Best
from homecoming.optimisation.sequencing.lagrangian import WINDOW, Relaxation, _subgradient, lagrangian_bound
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout, objective, planner_rule
from homecoming.optimisation.sequencing.solve import solve
from homecoming.optimisation.sequencing.timeindexed import cells, time_indexed_bound

THREE_ON_ONE_CREW = Problem(
    "three-houses",
    6,
    (Resource("crew", 1),),
    tuple(Task(f"h{k}", 2, {"crew": 1}) for k in range(3)),
    tuple(Goal(f"g{k}", 1, (f"h{k}",)) for k in range(3)),
)

CHAIN = Problem(
    "chain",
    5,
    (Resource("crew", 2),),
    (Task("a", 2, {"crew": 2}, ("b",)), Task("b", 1, {"crew": 1})),
    (Goal("g1", 3, ("a",)), Goal("g2", 1, ("b",))),
)


def test_three_houses_on_one_crew_priced_by_hand_give_the_optimum() -> None:
    """Crew prices (2, 2, 1, 1, 0, 0): a house started at s pays s + 2 (its completion) + the prices of its two
    periods, 6 at every start 0..4, so the three houses pay 18, less the prices times the capacity (6): 12, the
    optimum (2 + 4 + 6). At zero prices the houses overlap: the critical path, 3 * 2 = 6."""
    relaxed = Relaxation(layout(THREE_ON_ONE_CREW))
    assert relaxed.evaluate(np.array([[2.0, 2.0, 1.0, 1.0, 0.0, 0.0]])).value == pytest.approx(12)
    assert relaxed.evaluate(np.zeros((1, 6))).value == pytest.approx(6)
    assert solve(THREE_ON_ONE_CREW, time_limit=math.inf).objective == 12


def test_a_chain_keeps_its_precedence_inside_the_cut() -> None:
    """a -> b with b's goal: at zero prices b cannot start before a ends (3 * 2 + 1 * 3 = 9, the optimum), and the
    cut's starts say so; prices only add what they cost less what capacity pays back, never above 9."""
    relaxed = Relaxation(layout(CHAIN))
    cut = relaxed.evaluate(np.zeros((1, 5)))
    assert cut.value == pytest.approx(9) and list(cut.starts) == [0, 2]
    assert relaxed.evaluate(np.array([[5.0, 5.0, 0.0, 0.0, 0.0]])).value <= 9 + 1e-9


@pytest.mark.parametrize(("settlements", "seed"), [(2, 5), (3, 1)])
def test_random_and_wrong_prices_never_give_a_bound_above_a_proven_optimum(settlements: int, seed: int) -> None:
    problem = generate(settlements, seed)
    result = solve(problem, time_limit=math.inf, workers=2)
    assert result.status == "optimal" and result.objective is not None
    lay = layout(problem)
    relaxed = Relaxation(lay)
    lp = time_indexed_bound(lay, form="disaggregated", solver="glop").value
    rng = np.random.default_rng(seed)
    for scale in (0.01, 1.0, 100.0, 10_000.0):
        prices = rng.random(relaxed.capacity.shape) * scale
        assert relaxed.evaluate(prices).value <= lp + 1e-6 <= result.objective + 1e-6
    found = lagrangian_bound(lay, target=result.objective, deadline=math.inf, max_iterations=40)
    assert 0 < found.bound <= result.objective
    assert found.value <= lp + 1e-6  # the disaggregated LP is the best any prices can do


def test_the_subgradient_method_closes_most_of_the_gap_on_a_programme() -> None:
    """On 8 settlements, from the critical path most of the way to the LP's optimum (and never above a plan)."""
    lay = layout(generate(8, 3))
    plan = objective(lay, planner_rule(lay) or [])
    relaxed = Relaxation(lay)
    zero = relaxed.evaluate(np.zeros_like(relaxed.capacity)).value
    lp = time_indexed_bound(lay, form="aggregated", solver="glop").value
    found = lagrangian_bound(lay, target=plan, deadline=math.inf, max_iterations=60)
    assert zero < lp and found.bound <= plan
    assert found.value - zero >= 0.9 * (lp - zero)


def test_the_bound_process_answers_with_the_lagrangian_and_its_relaxed_schedule() -> None:
    """Its last answer: a bound no higher than the optimum, and a relaxed start per task whose orders decode to
    valid plans."""
    problem = generate(3, 1)
    lay = layout(problem)
    run = LpRun(lay, deadline=math.inf, plan=planner_rule(lay))
    run.stop(wait_until=time.monotonic() + 300)
    count, bound, mean = run.latest()
    optimum = solve(problem, time_limit=math.inf, workers=2)
    assert count > 0 and bound is not None and optimum.objective is not None
    assert bound <= optimum.objective
    assert mean is not None and len(mean) == len(lay.durations)
    plans = guidance(lay, bound, mean).plans
    assert len(plans) == len(ALPHAS) + 1
    for start in plans:
        starts = {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
        assert check_solution(problem, starts) == []
        assert objective(lay, start) >= optimum.objective


def test_with_a_deadline_the_bound_process_answers_the_lps_bound_and_alpha_points() -> None:
    """With a deadline, on a programme past the integer model's size, the disaggregated LP by PDLP comes before
    the Lagrangian: the bound is the LP's (a hair below it at most, never above a plan) and the relaxed schedule is
    the LP's α-points, whole periods inside each task's window, whose orders decode to valid plans, better than the
    planner's rule. The process ends with the LP's answer (the goal-energy LP's may come before it): no
    Lagrangian after it, so the plans get its core back."""
    problem = generate(20, 13)  # 10,850 start cells: above the integer model's programmes, which keep the Lagrangian
    lay = layout(problem)
    assert MIP_CELLS < cells(lay) <= GUIDE_CELLS
    plan = planner_rule(lay)
    run = LpRun(lay, deadline=time.monotonic() + 15, plan=plan)
    run.stop(wait_until=time.monotonic() + 60)
    count, bound, mean = run.latest()
    lp = time_indexed_bound(lay, form="disaggregated", solver="glop")
    assert plan is not None and bound is not None and mean is not None and count <= 2
    assert 0.999 * lp.value <= bound <= objective(lay, plan)
    assert all(float(m).is_integer() and lay.earliest[i] <= m for i, m in enumerate(mean))
    plans = guidance(lay, bound, mean).plans
    for start in plans:
        assert check_solution(problem, {t.id: s for t, s in zip(problem.tasks, start, strict=True)}) == []
    assert min(objective(lay, start) for start in plans) < objective(lay, plan)


def test_cpsat_takes_one_worker_fewer_while_the_bound_process_runs() -> None:
    """The bound's process has a core of its own: the rule every CP-SAT call of the programme path asks
    (`Best.workers`) gives one worker fewer while it runs (never none), and all of them once it has ended."""
    lay = layout(generate(20, 13))
    best = Best(lay, planner_rule(lay), time.monotonic(), None)
    assert best.workers(2) == 2
    best.lp = LpRun(lay, deadline=time.monotonic() + 15, plan=best.start)
    assert (best.workers(2), best.workers(1)) == (1, 1)
    best.collect(wait_until=time.monotonic() + 60)
    assert best.lp is None and best.workers(2) == 2


def test_where_pdlp_solves_the_lp_it_takes_the_workers_and_the_search_waits_for_its_alpha_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a programme of the LP's size, with a time limit: the bound's process is given the solve's workers as
    PDLP's threads, PDLP is asked for them, and the goal-ranking search starts only once the α-points have come or
    the LP is past its due time (before, it started at once and PDLP ran beside it on one thread; on a loaded machine
    the LP can be late, and then the search must not wait longer)."""
    problem = generate(20, 13)
    lay = layout(problem)
    assert MIP_CELLS < cells(lay) <= GUIDE_CELLS
    asked: list[int] = []
    real_bound = guided.time_indexed_bound

    def bound(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["threads"])
        return real_bound(*args, **kwargs)

    monkeypatch.setattr(guided, "time_indexed_bound", bound)
    found, guide = guided._lp_guide(lay, time.monotonic() + 15, 2)
    assert asked == [2] and found is not None and guide is not None

    runs: list[LpRun] = []
    threads: list[int] = []
    due: list[float] = []

    class Run(LpRun):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            runs.append(self)
            threads.append(kwargs["threads"])
            due.append(kwargs["deadline"])

    waited_when_ranked: list[bool] = []  # the α-points had come, or the LP was past its due time
    real_ranking = solve_module.improve_ranking

    def ranking(*args: Any, **kwargs: Any) -> Any:
        # (a timed wait may wake a clock tick early: 50 ms of slack, where not waiting at all starts seconds early)
        waited_when_ranked.append(runs[-1].latest()[2] is not None or time.monotonic() >= due[-1] - 0.05)
        return real_ranking(*args, **kwargs)

    monkeypatch.setattr(solve_module, "LpRun", Run)
    monkeypatch.setattr(solve_module, "improve_ranking", ranking)
    result = solve(problem, time_limit=10, workers=2)
    assert result.objective is not None and threads == [2]
    assert waited_when_ranked and all(waited_when_ranked)


def test_the_subgradient_method_stops_once_the_bound_has_converged() -> None:
    """A chain on an ample crew: the first cut is the optimum, so the method stops after WINDOW more evaluations,
    whatever the iteration limit, and its relaxed schedule is the optimal plan."""
    lay = layout(CHAIN)
    found = lagrangian_bound(lay, target=10, deadline=math.inf, max_iterations=10_000)
    assert found.bound == 9 and found.iterations <= WINDOW + 2
    assert found.guide == [0.0, 2.0]


def test_prices_found_on_a_sample_of_districts_bound_the_whole_programme() -> None:
    """Every other district, capacities cut to their share of the work: its prices, evaluated on the whole
    programme, lift the bound above the critical path and stay below a plan (any prices are valid)."""
    lay = layout(generate(24, 1))
    relaxed = Relaxation(lay)
    sample = relaxed.sample(2)
    assert 0 < len(sample.parts) < len(relaxed.parts)
    plan = objective(lay, planner_rule(lay) or [])
    zero = np.zeros_like(relaxed.capacity)
    share = sample.constant / relaxed.constant
    prices = _subgradient(relaxed, zero, share * plan, math.inf, 20, sample=sample).prices
    assert relaxed.evaluate(zero).value < relaxed.evaluate(prices).value <= plan


def test_on_a_small_programme_the_bound_process_ends_with_the_integer_models_bound() -> None:
    """With a deadline, after the Lagrangian, SCIP's branch and cut lifts the bound well above the time-indexed LP
    (two settlements, seed 1: the optimum is 1.43 x the plain LP), never above the proven optimum."""
    problem = generate(2, 1)
    lay = layout(problem)
    run = LpRun(lay, deadline=time.monotonic() + 30, plan=planner_rule(lay))
    run.stop(wait_until=time.monotonic() + 60)
    _, bound, _ = run.latest()
    optimum = solve(problem, time_limit=math.inf, workers=2).objective
    lp = time_indexed_bound(lay, form="disaggregated", solver="glop").value
    assert bound is not None and optimum is not None
    assert 1.1 * lp < bound <= optimum
