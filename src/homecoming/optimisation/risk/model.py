"""What a risk run takes: a solved plan, an uncertainty per task, and the arrays every chunk shares.

A task's duration is its nominal work (months, possibly fractional) times a sampled multiplier, rounded up to whole
periods. A `ThreePoint` gives optimistic / most likely / pessimistic multipliers of the duration; with
`productivity=True` they are multipliers of the work *rate* (m² per team-month for clearance) and the duration is
divided by them. Re-timing follows the plan's priorities: tasks in the order the plan starts them (ties broken by a
topological order), each placed by the serial schedule-generation scheme of `homecoming.optimisation.sequencing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from homecoming.errors import RuleViolation
from homecoming.optimisation.sequencing.model import Problem, validate
from homecoming.optimisation.sequencing.sgs import Arrays, activity_list, layout

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Shape = Literal["pert", "triangular"]


@dataclass(frozen=True)
class ThreePoint:
    optimistic: float
    likely: float
    pessimistic: float
    shape: Shape = "pert"
    productivity: bool = False  # multipliers of the work rate: the duration is divided by the sample

    def check(self, where: str) -> None:
        values = (self.optimistic, self.likely, self.pessimistic)
        if not all(v > 0 for v in values) or not self.optimistic <= self.likely <= self.pessimistic:
            raise RuleViolation(
                "risk.bad_three_point",
                f"{where}: optimistic {self.optimistic}, likely {self.likely}, pessimistic {self.pessimistic} must be "
                "positive and in that order (optimistic <= likely <= pessimistic)",
                {"field": where, "values": list(values)},
            )
        if self.shape not in ("pert", "triangular"):
            raise RuleViolation("risk.bad_shape", f"{where}: shape must be 'pert' or 'triangular', not {self.shape!r}")


FIXED = ThreePoint(1.0, 1.0, 1.0)


@dataclass(frozen=True)
class RiskInput:
    """A plan to stress: the problem as solved, the plan's starts, and the uncertainty of each task."""

    problem: Problem
    plan_starts: Mapping[str, int]
    uncertainty: Mapping[str, ThreePoint]  # per task id; a task left out keeps its duration
    work_months: Mapping[str, float] = field(default_factory=dict)  # exact nominal months where durations were rounded
    horizon_factor: int = 2  # re-timed schedules may run this many times past the plan's horizon


@dataclass(frozen=True)
class Compiled:
    """Index form shared (read-only) by every chunk; cheap to pickle to Dask workers."""

    task_ids: tuple[str, ...]
    goal_ids: tuple[str, ...]
    order: IntArray  # [tasks] the plan's priority order (precedence feasible)
    base_months: FloatArray  # [tasks]
    low: FloatArray  # [tasks] multipliers
    mode: FloatArray
    high: FloatArray
    pert: BoolArray  # [tasks] PERT (else triangular)
    productivity: BoolArray  # [tasks] the multiplier divides the duration
    arrays: Arrays  # the problem for the compiled SGS: the plan's durations, capacity over the re-timing horizon
    weights: IntArray  # [goals] people waiting
    plan_ready: IntArray  # [goals] the plan's completion periods
    plan_end: IntArray  # [tasks] the plan's end periods
    plan_periods: int

    @property
    def horizon(self) -> int:
        return int(self.arrays.capacity.shape[1])

    @property
    def nominal(self) -> IntArray:
        """[tasks] the plan's durations."""
        return self.arrays.durations


def compile_input(inp: RiskInput) -> Compiled:
    """Check the input and lay it out as arrays; raises RuleViolation naming what to fix."""
    problem = inp.problem
    validate(problem)
    lay = layout(problem)
    missing = [t.id for t in problem.tasks if t.id not in inp.plan_starts]
    if missing:
        raise RuleViolation(
            "risk.plan_incomplete",
            f"the plan has no start for {len(missing)} task(s), e.g. {missing[0]!r}: re-run the plan",
            {"tasks": missing[:10]},
        )
    unknown = sorted(set(inp.uncertainty) - {t.id for t in problem.tasks})
    if unknown:
        raise RuleViolation(
            "risk.unknown_task", f"uncertainty names task {unknown[0]!r}, which is not in the plan", {"tasks": unknown}
        )
    if inp.horizon_factor < 1:
        raise RuleViolation("risk.bad_horizon_factor", "horizon_factor must be 1 or more")
    points = [inp.uncertainty.get(t.id, FIXED) for t in problem.tasks]
    for task, point in zip(problem.tasks, points, strict=True):
        point.check(f"uncertainty[{task.id}]")
    topo = {i: k for k, i in enumerate(lay.order)}
    n = len(problem.tasks)
    priority = [inp.plan_starts[t.id] * (n + 1) + topo[i] for i, t in enumerate(problem.tasks)]
    horizon = problem.periods * inp.horizon_factor + max(lay.durations, default=0)
    plan = [inp.plan_starts[t.id] for t in problem.tasks]
    ready = [max((plan[i] + lay.durations[i] for i in tasks), default=0) for tasks in lay.goal_tasks]
    return Compiled(
        task_ids=tuple(t.id for t in problem.tasks),
        goal_ids=tuple(g.id for g in problem.goals),
        order=np.array(activity_list(lay, priority), dtype=np.int64),
        base_months=np.array([inp.work_months.get(t.id, float(t.duration)) for t in problem.tasks], dtype=np.float64),
        low=np.array([p.optimistic for p in points], dtype=np.float64),
        mode=np.array([p.likely for p in points], dtype=np.float64),
        high=np.array([p.pessimistic for p in points], dtype=np.float64),
        pert=np.array([p.shape == "pert" for p in points], dtype=np.bool_),
        productivity=np.array([p.productivity for p in points], dtype=np.bool_),
        arrays=lay.arrays._replace(
            capacity=np.array([r.profile(horizon) for r in problem.resources], dtype=np.int64).reshape(
                len(problem.resources), horizon
            )
        ),
        weights=np.array(lay.weights, dtype=np.int64),
        plan_ready=np.array(ready, dtype=np.int64),
        plan_end=np.array([s + d for s, d in zip(plan, lay.durations, strict=True)], dtype=np.int64),
        plan_periods=problem.periods,
    )
