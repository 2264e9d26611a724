"""The branch and bound that proves makespans: answers checked against hand-worked and PSPLIB optima."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from test_sequencing_makespan import TWO_CREWS

from homecoming.optimisation.sequencing.branch import FEASIBLE, INFEASIBLE, UNKNOWN, Attempt, decide
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.io import read_problem
from homecoming.optimisation.sequencing.model import CalendarWindow, Problem, Resource
from homecoming.optimisation.sequencing.sgs import layout

WAIT_S = 120.0  # how long a test waits for the search's thread, far above what it needs; searches have no limit


def _plan_errors(problem: Problem, starts: list[int] | None, horizon: int) -> list[str]:
    assert starts is not None
    named = {t.id: s for t, s in zip(problem.tasks, starts, strict=True)}
    span = max(s + t.duration for s, t in zip(starts, problem.tasks, strict=True))
    assert span <= horizon
    return check_solution(problem, named, {problem.goals[0].id: span}, span, 0)


def test_two_crews_fit_in_seven_periods_and_not_in_six() -> None:
    """c needs both crews (2 periods), a and b one each (4 side by side), d follows a: 7 at best."""
    lay = layout(TWO_CREWS)
    outcome, starts = decide(lay, 7, math.inf)
    assert outcome == FEASIBLE
    assert _plan_errors(TWO_CREWS, starts, 7) == []
    assert decide(lay, 6, math.inf) == (INFEASIBLE, None)


@pytest.mark.parametrize(("name", "optimum"), [("J30_1", 43), ("J30_5", 39), ("J30_45", 76), ("J30_442", 125)])
def test_j30_optimum_is_reached_and_one_period_less_is_refuted(psplib: Path, name: str, optimum: int) -> None:
    problem = read_problem(psplib / f"{name}.txt")
    lay = layout(problem)
    outcome, starts = decide(lay, optimum, math.inf)
    assert outcome == FEASIBLE
    assert _plan_errors(problem, starts, optimum) == []
    assert decide(lay, optimum - 1, math.inf)[0] == INFEASIBLE


def test_a_hard_j30_instance_is_refuted_below_its_optimum(psplib: Path) -> None:
    """J30_126 (j3013_6, optimum 64): one of the instances where CP-SAT alone needs well over 10 seconds to
    prove that 63 periods are too few."""
    lay = layout(read_problem(psplib / "J30_126.txt"))
    assert decide(lay, 63, math.inf)[0] == INFEASIBLE


def test_capacities_that_change_are_left_to_the_other_engines() -> None:
    dip = Problem("dip", 20, (Resource("crew", 2, (CalendarWindow(0, 2, 1),)),), TWO_CREWS.tasks, TWO_CREWS.goals)
    assert decide(layout(dip), 9, math.inf) == (UNKNOWN, None)


def test_an_attempt_reports_from_its_thread_and_stops_when_asked(psplib: Path) -> None:
    answered = threading.Event()
    outcomes: list[int] = []

    def on_done(outcome: int) -> None:
        outcomes.append(outcome)
        answered.set()

    attempt = Attempt(layout(TWO_CREWS), 6, math.inf, on_done)
    assert answered.wait(WAIT_S)
    assert attempt.finish(wait=WAIT_S) == INFEASIBLE
    assert outcomes == [INFEASIBLE]
    hard = Attempt(layout(read_problem(psplib / "J30_126.txt")), 63, math.inf, lambda _: None)
    assert hard.finish(wait=WAIT_S) in (UNKNOWN, INFEASIBLE)  # stopped at once unless it had already proven it
