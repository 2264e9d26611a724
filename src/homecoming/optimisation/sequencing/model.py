"""The sequencing problem as frozen dataclasses, and the checks that make a problem well formed.

A task started at period `s` occupies periods `s .. s+duration-1`; a goal completes at the latest end of
the tasks it requires; the objective is `sum(weight * completion)` (people-months still displaced).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from homecoming.errors import RuleViolation

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True)
class CalendarWindow:
    """Periods `start .. end-1` (half open, like the file's `from`/`to`) have `capacity` instead of the default."""

    start: int
    end: int
    capacity: int


@dataclass(frozen=True)
class Resource:
    id: str
    capacity: int
    calendar: tuple[CalendarWindow, ...] = ()

    def capacity_at(self, period: int) -> int:
        for window in self.calendar:
            if window.start <= period < window.end:
                return window.capacity
        return self.capacity

    def profile(self, periods: int) -> list[int]:
        """Capacity of every period of the horizon."""
        return [self.capacity_at(p) for p in range(periods)]


@dataclass(frozen=True)
class Task:
    id: str
    duration: int
    demand: Mapping[str, int] = field(default_factory=dict)
    successors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Goal:
    id: str
    weight: int
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    name: str
    periods: int
    resources: tuple[Resource, ...]
    tasks: tuple[Task, ...]
    goals: tuple[Goal, ...]

    def task_index(self) -> dict[str, int]:
        return {task.id: i for i, task in enumerate(self.tasks)}


@dataclass(frozen=True)
class Result:
    problem: str
    status: Status
    objective: int | None
    lower_bound: int
    starts: Mapping[str, int]
    goals: Mapping[str, int]
    seconds: float
    engine: str = "homecoming"


def goal_completions(problem: Problem, starts: Mapping[str, int]) -> dict[str, int]:
    """Completion of every goal: the latest end of its required tasks."""
    ends = {task.id: starts[task.id] + task.duration for task in problem.tasks if task.id in starts}
    return {goal.id: max((ends[t] for t in goal.requires), default=0) for goal in problem.goals}


def objective_of(problem: Problem, completions: Mapping[str, int]) -> int:
    return sum(goal.weight * completions[goal.id] for goal in problem.goals)


def predecessors(problem: Problem) -> list[list[int]]:
    index = problem.task_index()
    preds: list[list[int]] = [[] for _ in problem.tasks]
    for i, task in enumerate(problem.tasks):
        for successor in task.successors:
            preds[index[successor]].append(i)
    return preds


def topological_order(problem: Problem) -> list[int]:
    """Task indices, every predecessor before its successors (Kahn); raises sequencing.cycle naming one cycle."""
    index = problem.task_index()
    indegree = [0] * len(problem.tasks)
    for task in problem.tasks:
        for successor in task.successors:
            indegree[index[successor]] += 1
    ready = [i for i, d in enumerate(indegree) if d == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for successor in problem.tasks[i].successors:
            j = index[successor]
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
    if len(order) < len(problem.tasks):
        cycle = _find_cycle(problem, {i for i, d in enumerate(indegree) if d > 0})
        raise RuleViolation(
            "sequencing.cycle",
            f"the successors form a cycle: {' -> '.join(cycle)}; remove one of these links",
            {"cycle": cycle},
        )
    return order


def _find_cycle(problem: Problem, stuck: set[int]) -> list[str]:
    """Walk backwards along predecessors inside the stuck set until a task repeats."""
    preds = predecessors(problem)
    node = min(stuck)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(p for p in preds[node] if p in stuck)
    cycle = path[seen[node] :][::-1]
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    return [problem.tasks[i].id for i in [*cycle, cycle[0]]]


def earliest_starts(problem: Problem, order: Sequence[int] | None = None) -> list[int]:
    """Earliest start of every task from precedences alone (the critical path), ignoring resources."""
    index = problem.task_index()
    order = topological_order(problem) if order is None else order
    start = [0] * len(problem.tasks)
    for i in order:
        end = start[i] + problem.tasks[i].duration
        for successor in problem.tasks[i].successors:
            j = index[successor]
            start[j] = max(start[j], end)
    return start


def validate(problem: Problem) -> None:
    """Raise a RuleViolation naming the field and what to fix for the first thing wrong with `problem`."""
    _check_numbers(problem)
    _check_references(problem)
    order = topological_order(problem)
    _check_capacity(problem)
    starts = earliest_starts(problem, order)
    critical = max((s + t.duration for s, t in zip(starts, problem.tasks, strict=True)), default=0)
    if critical > problem.periods:
        raise RuleViolation(
            "sequencing.horizon_too_short",
            f"periods is {problem.periods} but the longest chain of successors takes {critical} periods: "
            f"raise periods by at least {critical - problem.periods}",
            {"periods": problem.periods, "critical_path": critical, "short_by": critical - problem.periods},
        )


def _negative(where: str, value: int) -> RuleViolation:
    return RuleViolation(
        "sequencing.negative", f"{where} is {value}: it must be zero or more", {"field": where, "value": value}
    )


def _check_numbers(problem: Problem) -> None:
    if problem.periods < 0:
        raise _negative("periods", problem.periods)
    for resource in problem.resources:
        if resource.capacity < 0:
            raise _negative(f"resources[{resource.id}].capacity", resource.capacity)
        for k, window in enumerate(resource.calendar):
            for name, value in (("from", window.start), ("to", window.end), ("capacity", window.capacity)):
                if value < 0:
                    raise _negative(f"resources[{resource.id}].calendar[{k}].{name}", value)
    for task in problem.tasks:
        if task.duration < 0:
            raise _negative(f"tasks[{task.id}].duration", task.duration)
        for rid, amount in task.demand.items():
            if amount < 0:
                raise _negative(f"tasks[{task.id}].demand.{rid}", amount)
    for goal in problem.goals:
        if goal.weight < 0:
            raise _negative(f"goals[{goal.id}].weight", goal.weight)


def _check_references(problem: Problem) -> None:
    for kind, ids in (
        ("resource", [r.id for r in problem.resources]),
        ("task", [t.id for t in problem.tasks]),
        ("goal", [g.id for g in problem.goals]),
    ):
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                raise RuleViolation(
                    "sequencing.duplicate_id", f"two {kind}s have the id {item!r}: ids must be unique", {"id": item}
                )
            seen.add(item)
    tasks = {t.id for t in problem.tasks}
    resources = {r.id for r in problem.resources}
    for task in problem.tasks:
        for successor in task.successors:
            if successor not in tasks:
                raise _unknown_task(f"tasks[{task.id}].successors", successor)
        for rid in task.demand:
            if rid not in resources:
                raise RuleViolation(
                    "sequencing.unknown_resource",
                    f"tasks[{task.id}].demand names resource {rid!r}, which is not in resources",
                    {"field": f"tasks[{task.id}].demand", "resource": rid},
                )
    for goal in problem.goals:
        for required in goal.requires:
            if required not in tasks:
                raise _unknown_task(f"goals[{goal.id}].requires", required)


def _unknown_task(where: str, name: str) -> RuleViolation:
    return RuleViolation(
        "sequencing.unknown_task",
        f"{where} names task {name!r}, which is not in tasks",
        {"field": where, "task": name},
    )


def _check_capacity(problem: Problem) -> None:
    """Every task must fit somewhere: `duration` consecutive periods with enough of each resource."""
    profiles = {r.id: r.profile(problem.periods) for r in problem.resources}
    for task in problem.tasks:
        for rid, amount in task.demand.items():
            if amount == 0 or task.duration == 0:
                continue
            fits = [amount <= cap for cap in profiles[rid]]
            run = best = 0
            for ok in fits:
                run = run + 1 if ok else 0
                best = max(best, run)
            if best < task.duration:
                most = max(profiles[rid], default=0)
                raise RuleViolation(
                    "sequencing.demand_exceeds_capacity",
                    f"tasks[{task.id}].demand.{rid} is {amount} for {task.duration} periods but {rid} never has "
                    f"that much for that long (at most {most}, enough for {best} consecutive periods): lower the "
                    "demand or raise the capacity",
                    {"task": task.id, "resource": rid, "demand": amount, "max_capacity": most},
                )
