"""The two peers our engine is measured against by bench/sequencing.py (issue 3): plain CP-SAT and the planner's
rule."""

from __future__ import annotations

import time

from homecoming.optimisation.sequencing import cpsat
from homecoming.optimisation.sequencing.model import Problem, Result, Status, goal_completions, validate
from homecoming.optimisation.sequencing.sgs import layout, planner_rule


def _result(problem: Problem, engine: str, status: Status, start: list[int] | None, bound: int, began: float) -> Result:
    starts = {} if start is None else {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
    goals = goal_completions(problem, starts) if start is not None else {}
    value = None if start is None else sum(g.weight * goals[g.id] for g in problem.goals)
    return Result(problem.name, status, value, bound, starts, goals, time.monotonic() - began, engine)


def solve_plain_cpsat(
    problem: Problem, *, time_limit: float, workers: int = 2, progress: cpsat.Progress | None = None
) -> Result:
    """Interval variables, one cumulative per resource with calendar dips as fixed intervals, completion as
    the max of ends, weighted sum objective, default parameters: the model written in an afternoon."""
    began = time.monotonic()
    validate(problem)
    lay = layout(problem)
    built = cpsat.build(lay, tight=False)
    out = cpsat.run(
        built, time_limit=time_limit - (time.monotonic() - began), workers=workers, began=began, progress=progress
    )
    return _result(problem, "plain-cpsat", out.status, out.start, out.bound, began)


def solve_planner_rule(problem: Problem) -> Result:
    """What a planner does today (sgs.planner_rule) as a result."""
    began = time.monotonic()
    validate(problem)
    start = planner_rule(layout(problem))
    if start is None:
        return _result(problem, "planner-rule", "unknown", None, 0, began)
    return _result(problem, "planner-rule", "feasible", start, 0, began)
