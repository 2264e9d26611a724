"""One chunk of scenarios end to end, the deterministic merge of chunks, and the figures leaders ask for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homecoming.errors import RuleViolation
from homecoming.optimisation.risk.model import Compiled, IntArray
from homecoming.optimisation.risk.retime import retime
from homecoming.optimisation.risk.sample import durations

PERCENTILES = (10, 50, 80, 90)


SmallArray = npt.NDArray[np.int16]


@dataclass(frozen=True)
class ChunkResult:
    index: int
    ready: SmallArray  # [scenarios, goals] completion periods (int16: a quarter of the bytes to send back)
    critical: IntArray  # [tasks] scenarios in which the task is on a late settlement's critical chain
    overrun: int


def run_chunk(c: Compiled, seed: int, index: int, size: int) -> ChunkResult:
    """Sample `size` scenarios of chunk `index` and re-time the plan under each; pure and deterministic."""
    from homecoming.optimisation.risk.kernel import chains  # Numba loads only when scenarios run

    timed = retime(c, durations(c, seed, index, size))
    ready = np.zeros((size, len(c.goal_ids)), dtype=np.int64)
    critical = np.zeros(len(c.task_ids), dtype=np.int64)
    chains(timed.end, timed.cause, c.arrays.goal_ptr, c.arrays.goal_idx, c.plan_end, c.plan_ready, ready, critical)
    if ready.size and int(ready.max()) > np.iinfo(np.int16).max:
        raise RuleViolation("risk.too_long", "a re-timed settlement is ready only after 32,767 months: check durations")
    return ChunkResult(index, ready.astype(np.int16), critical, timed.overrun)


@dataclass(frozen=True)
class Outcome:
    ready: IntArray  # [scenarios, goals], chunks in index order
    critical: IntArray  # [tasks] counts
    overrun: int

    @property
    def scenarios(self) -> int:
        return int(self.ready.shape[0])


def merge(chunks: Sequence[ChunkResult]) -> Outcome:
    """Chunks in index order whatever order they arrived in: the same seed gives the same outcome."""
    ordered = sorted(chunks, key=lambda x: x.index)
    if [x.index for x in ordered] != list(range(len(ordered))):
        raise ValueError("chunks missing or repeated")
    return Outcome(
        ready=np.concatenate([x.ready for x in ordered]).astype(np.int64),
        critical=np.sum([x.critical for x in ordered], axis=0).astype(np.int64),
        overrun=sum(x.overrun for x in ordered),
    )


@dataclass(frozen=True)
class GoalBand:
    goal: str
    weight: int
    plan: int  # the plan's ready period
    percentiles: tuple[int, ...]  # ready period at PERCENTILES
    mean: float
    on_time: float  # share of scenarios ready no later than the plan
    by: float | None  # share of scenarios ready by the chosen period


@dataclass(frozen=True)
class TaskCriticality:
    task: str
    index: float  # share of scenarios in which it is on the critical chain of a settlement later than planned


@dataclass(frozen=True)
class Band:
    checkpoint: int  # a period: people whose settlement is ready at or before it
    p10: int
    p50: int
    p90: int


@dataclass(frozen=True)
class Summary:
    scenarios: int
    goals: tuple[GoalBand, ...]
    tasks: tuple[TaskCriticality, ...]  # most critical first; tasks never critical left out
    people_home: tuple[Band, ...]
    people_months: tuple[int, int, int]  # P10, P50, P90 of the objective
    plan_people_months: int
    overrun: int


def _pct(values: IntArray, q: float) -> int:
    return int(np.percentile(values, q, method="inverted_cdf"))


def summarise(c: Compiled, out: Outcome, *, by: int | None = None, checkpoints: Sequence[int] = ()) -> Summary:
    """Percentile bands per settlement, people ready by each checkpoint, and the criticality of every task."""
    ready = out.ready
    goals = tuple(
        GoalBand(
            goal=gid,
            weight=int(c.weights[g]),
            plan=int(c.plan_ready[g]),
            percentiles=tuple(_pct(ready[:, g], q) for q in PERCENTILES),
            mean=round(float(ready[:, g].mean()), 3),
            on_time=round(float((ready[:, g] <= c.plan_ready[g]).mean()), 4),
            by=None if by is None else round(float((ready[:, g] <= by).mean()), 4),
        )
        for g, gid in enumerate(c.goal_ids)
    )
    home = []
    for checkpoint in checkpoints:
        people = ((ready <= checkpoint) * c.weights).sum(axis=1)
        home.append(Band(checkpoint, _pct(people, 10), _pct(people, 50), _pct(people, 90)))
    months = (ready * c.weights).sum(axis=1)
    share = out.critical / max(1, out.scenarios)
    ranked = sorted((i for i in range(len(c.task_ids)) if out.critical[i]), key=lambda i: (-out.critical[i], i))
    return Summary(
        scenarios=out.scenarios,
        goals=goals,
        tasks=tuple(TaskCriticality(c.task_ids[i], round(float(share[i]), 4)) for i in ranked),
        people_home=tuple(home),
        people_months=(_pct(months, 10), _pct(months, 50), _pct(months, 90)),
        plan_people_months=int((c.plan_ready * c.weights).sum()),
        overrun=out.overrun,
    )
