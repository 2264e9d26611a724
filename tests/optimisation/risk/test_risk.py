"""Schedule risk on small plans whose re-timing can be worked out by hand, and the fast path against the plain loop."""

from __future__ import annotations

import numpy as np
import pytest

from homecoming.errors import RuleViolation
from homecoming.optimisation.risk import RiskInput, ThreePoint, compile_input, simulate, summarise
from homecoming.optimisation.risk.retime import retime
from homecoming.optimisation.risk.sample import durations
from homecoming.optimisation.risk.summary import run_chunk
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import activity_list, goal_rules, layout, serial_sgs, task_priority
from risk_peers import critical_tasks, goal_ready, retime_numpy, retime_plain

# One demining team clears A (2 months) then B (3 months); houses H (4 months, crews) follow A.
HAND = Problem(
    "hand",
    24,
    (Resource("deminers", 1), Resource("crews", 1)),
    (
        Task("A", 2, {"deminers": 1}, ("H",)),
        Task("B", 3, {"deminers": 1}),
        Task("H", 4, {"crews": 1}),
    ),
    (Goal("north", 100, ("H",)), Goal("south", 10, ("B",))),
)
PLAN = {"A": 0, "B": 2, "H": 2}


def test_without_uncertainty_every_scenario_is_the_plan() -> None:
    c = compile_input(RiskInput(HAND, PLAN, {}))
    summary = summarise(c, simulate(c, 50, seed=1, chunk=20), by=5, checkpoints=[5, 6])
    assert [(g.goal, g.plan, g.percentiles, g.on_time, g.by) for g in summary.goals] == [
        ("north", 6, (6, 6, 6, 6), 1.0, 0.0),
        ("south", 5, (5, 5, 5, 5), 1.0, 1.0),
    ]
    assert [(b.checkpoint, b.p10, b.p50, b.p90) for b in summary.people_home] == [(5, 10, 10, 10), (6, 110, 110, 110)]
    assert summary.tasks == ()
    assert summary.people_months == (650, 650, 650) == (summary.plan_people_months,) * 3


def test_a_clearance_at_half_the_rate_delays_both_settlements_and_is_on_both_chains() -> None:
    half = ThreePoint(0.5, 0.5, 0.5, productivity=True)  # m² per team-month halved: A takes 4 months, not 2
    c = compile_input(RiskInput(HAND, PLAN, {"A": half}))
    summary = summarise(c, simulate(c, 10, seed=1))
    assert [(g.goal, g.percentiles, g.on_time) for g in summary.goals] == [
        ("north", (8, 8, 8, 8), 0.0),  # H waits for A: 4 + 4
        ("south", (7, 7, 7, 7), 0.0),  # B waits for the team: 4 + 3
    ]
    assert [(t.task, t.index) for t in summary.tasks] == [("A", 1.0), ("B", 1.0), ("H", 1.0)]


def test_a_slow_second_clearance_delays_only_its_own_settlement() -> None:
    c = compile_input(RiskInput(HAND, PLAN, {"B": ThreePoint(2, 2, 2)}))
    summary = summarise(c, simulate(c, 10, seed=3))
    assert [(g.goal, g.percentiles) for g in summary.goals] == [("north", (6, 6, 6, 6)), ("south", (8, 8, 8, 8))]
    # B waited for A to release the team, but A ended on time: only B made "south" late
    assert [(t.task, t.index) for t in summary.tasks] == [("B", 1.0)]


def test_clearance_work_is_the_exact_months_not_the_rounded_ones() -> None:
    c = compile_input(RiskInput(HAND, PLAN, {"A": ThreePoint(0.8, 0.8, 0.8, productivity=True)}, {"A": 1.5}))
    assert durations(c, seed=0, chunk=0, size=2)[:, 0].tolist() == [2, 2]  # ceil(1.5 / 0.8) = 2, not ceil(2 / 0.8)


def test_pert_durations_stay_between_optimistic_and_pessimistic_and_the_seed_repeats_them() -> None:
    c = compile_input(RiskInput(HAND, PLAN, {"H": ThreePoint(1.0, 1.25, 2.0)}))
    first, again = durations(c, 9, 0, 2000), durations(c, 9, 0, 2000)
    assert np.array_equal(first, again)
    assert set(np.unique(first[:, 2]).tolist()) == {5, 6, 7, 8}  # 4 x (1.0 .. 2.0], rounded up
    assert not np.array_equal(first, durations(c, 9, 1, 2000))


def test_the_compiled_and_numpy_re_timings_equal_the_plain_loop_and_the_plan_rule_schedule() -> None:
    problem = generate(20, seed=4)
    lay = layout(problem)
    start = serial_sgs(lay, activity_list(lay, task_priority(lay, goal_rules(lay)["planner"])))
    assert start is not None
    plan = {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
    spread = {t.id: ThreePoint(0.7, 1.0, 1.8) for t in problem.tasks}
    c = compile_input(RiskInput(problem, plan, spread))
    assert retime(c, c.nominal[None, :]).start[0].tolist() == start
    assert retime_numpy(c, c.nominal[None, :]).start[0].tolist() == start
    sampled = durations(c, 5, 0, 40)
    compiled, vectorised = retime(c, sampled), retime_numpy(c, sampled)
    for name in ("start", "end", "cause"):
        assert np.array_equal(getattr(compiled, name), getattr(vectorised, name)), name
    ready = goal_ready(c, compiled.end)
    assert ready.tolist() == retime_plain(c, sampled.tolist())
    chunk = run_chunk(c, 5, 0, 40)  # the compiled chain walk counts what the NumPy one marks
    assert np.array_equal(chunk.ready, ready)
    assert chunk.critical.tolist() == critical_tasks(c, compiled, ready).sum(axis=0).tolist()
    assert chunk.critical.sum() > 0


def test_a_three_point_out_of_order_is_refused_naming_the_task() -> None:
    with pytest.raises(RuleViolation) as error:
        compile_input(RiskInput(HAND, PLAN, {"H": ThreePoint(1.5, 1.0, 2.0)}))
    assert error.value.code == "risk.bad_three_point"
    assert "uncertainty[H]" in error.value.message
