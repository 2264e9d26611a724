"""An independent check of a solution: recomputes everything from the problem and the starts alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from homecoming.optimisation.sequencing.model import Problem


@dataclass(frozen=True)
class Violation:
    kind: str  # missing_start | unknown_task | precedence | capacity | horizon | goal | objective | bound
    message: str


def check_solution(
    problem: Problem,
    starts: Mapping[str, int],
    goals: Mapping[str, int] | None = None,
    objective: int | None = None,
    lower_bound: int | None = None,
) -> list[Violation]:
    """Every broken constraint, in a stable order (starts, precedences, horizon, capacity, goals, objective)."""
    found: list[Violation] = []
    durations = {t.id: t.duration for t in problem.tasks}
    for task_id in starts:
        if task_id not in durations:
            found.append(Violation("unknown_task", f"starts names task {task_id!r}, which is not in the problem"))
    missing = [t.id for t in problem.tasks if t.id not in starts]
    found += [Violation("missing_start", f"task {t!r} has no start") for t in missing]
    start = {t: s for t, s in starts.items() if t in durations}
    end = {t: s + durations[t] for t, s in start.items()}
    for task in problem.tasks:
        if task.id not in start:
            continue
        for successor in task.successors:
            if successor in start and start[successor] < end[task.id]:
                found.append(
                    Violation(
                        "precedence",
                        f"{successor!r} starts at {start[successor]} before its predecessor {task.id!r} ends at "
                        f"{end[task.id]}",
                    )
                )
    for task_id, s in start.items():
        if s < 0 or end[task_id] > problem.periods:
            found.append(
                Violation("horizon", f"{task_id!r} runs {s}..{end[task_id] - 1}, outside 0..{problem.periods - 1}")
            )
    found += _capacity_violations(problem, start)
    found += _goal_violations(problem, end, missing, goals, objective, lower_bound)
    return found


def _capacity_violations(problem: Problem, start: Mapping[str, int]) -> list[Violation]:
    found = []
    for resource in problem.resources:
        used: dict[int, int] = {}
        for task in problem.tasks:
            amount = task.demand.get(resource.id, 0)
            if task.id not in start or amount == 0:
                continue
            for p in range(start[task.id], start[task.id] + task.duration):
                used[p] = used.get(p, 0) + amount
        for period in sorted(used):
            capacity = resource.capacity
            for window in resource.calendar:
                if window.start <= period < window.end:
                    capacity = window.capacity
                    break
            if used[period] > capacity:
                found.append(
                    Violation(
                        "capacity", f"{resource.id!r} is used {used[period]} in period {period}; capacity {capacity}"
                    )
                )
    return found


def _goal_violations(
    problem: Problem,
    end: Mapping[str, int],
    missing: list[str],
    goals: Mapping[str, int] | None,
    objective: int | None,
    lower_bound: int | None,
) -> list[Violation]:
    if missing:
        return []
    found = []
    total = 0
    for goal in problem.goals:
        completion = max((end[t] for t in goal.requires), default=0)
        total += goal.weight * completion
        if goals is not None and goals.get(goal.id) != completion:
            found.append(
                Violation("goal", f"goal {goal.id!r} completes at {completion}, the solution says {goals.get(goal.id)}")
            )
    if objective is not None and objective != total:
        found.append(Violation("objective", f"the objective is {total}, the solution says {objective}"))
    if lower_bound is not None and lower_bound > total:
        found.append(Violation("bound", f"the lower bound {lower_bound} is above the plan's objective {total}"))
    return found
