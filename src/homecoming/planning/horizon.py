"""What fits in the horizon: when the works all settlements wait for need more crews (deminers, money) than the
horizon holds, or a chain of them takes longer than the horizon, the plan takes the settlements that bring the most
people home per unit of the scarce capacity until it is used up, and says which are left outside and how much more
capacity would bring them in. Only when no settlement fits at all is it an error (`plan.capacity_short`)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from homecoming.disclosure.rule import words
from homecoming.errors import RuleViolation
from homecoming.optimisation.sequencing.model import Goal, Problem
from homecoming.phrases import Message
from homecoming.planning import messages


@dataclass(frozen=True)
class Fitted:
    problem: Problem  # the goals that fit and the tasks they need
    outside: tuple[Goal, ...]  # goals left outside the horizon
    said: tuple[Message, ...]  # what was left out and what would bring it in


def fit_in_horizon(problem: Problem, threshold: int) -> Fitted:
    """`threshold`: the small-count rule's, for the number of people left outside (a sentence everyone reads)."""
    available = {r.id: sum(r.profile(problem.periods)) for r in problem.resources}
    work = {t.id: {r: n * t.duration for r, n in t.demand.items() if r in available} for t in problem.tasks}
    needed = _sum(work, work)
    short = {r: n for r, n in needed.items() if n > available[r]}
    closure = _closures(problem)
    too_long = {t for t, finish in _earliest_finish(problem).items() if finish > problem.periods}
    if not short and not too_long:
        return Fitted(problem, (), ())

    def cost(goal: Goal) -> float:  # share of the scarce capacity the goal's works take
        return sum(_sum(work, closure[goal.id]).get(r, 0) / available[r] for r in short)

    kept: list[Goal] = []
    taken: set[str] = set()
    used: dict[str, int] = defaultdict(int)
    possible = [g for g in problem.goals if not closure[g.id] & too_long]  # a chain longer than the horizon: never
    for goal in sorted(possible, key=lambda g: (-g.weight / max(cost(g), 1e-9), g.id)):
        extra = _sum(work, closure[goal.id] - taken)
        if all(used[r] + n <= available[r] for r, n in extra.items()):
            kept.append(goal)
            taken |= closure[goal.id]
            for r, n in extra.items():
                used[r] += n
    if not kept:
        resource, amount = next(iter(short.items()), next(iter(needed.items())))
        raise RuleViolation(
            "plan.capacity_short",
            f"no settlement's works fit: they need {amount:,} {resource}-months but only {available[resource]:,} "
            f"exist in the {problem.periods}-month horizon; add {resource} or lengthen the horizon",
            {"resource": resource, "needed": amount, "available": available[resource]},
        )
    outside = tuple(g for g in problem.goals if g not in kept)
    tasks = tuple(
        replace(t, successors=tuple(s for s in t.successors if s in taken)) for t in problem.tasks if t.id in taken
    )
    fitted = replace(problem, tasks=tasks, goals=tuple(kept))
    return Fitted(fitted, outside, _said(problem, outside, short, threshold))


def _said(problem: Problem, outside: tuple[Goal, ...], short: dict[str, int], threshold: int) -> tuple[Message, ...]:
    capacity = {r.id: r.capacity for r in problem.resources}
    people = words(sum(g.weight for g in outside), threshold)
    said = [messages.OUTSIDE_HORIZON(settlements=len(outside), people=people, months=problem.periods)]
    for resource, amount in short.items():
        said.append(
            messages.CAPACITY_TO_FIT(
                resource=resource, needed=amount, months=problem.periods,
                per_month=math.ceil(amount / problem.periods), capacity=capacity[resource],
            )
        )  # fmt: skip
    return tuple(said)


def _sum(work: dict[str, dict[str, int]], tasks: Iterable[str]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for task in tasks:
        for resource, amount in work[task].items():
            total[resource] += amount
    return dict(total)


def _earliest_finish(problem: Problem) -> dict[str, int]:
    """Task id -> the earliest month it can end, after every predecessor (with capacity to spare). Empty when the
    precedences hold a cycle: the sequencing model's own check names it (sequencing.cycle)."""
    predecessors: dict[str, list[str]] = defaultdict(list)
    for task in problem.tasks:
        for successor in task.successors:
            predecessors[successor].append(task.id)
    waiting = {t.id: len(predecessors[t.id]) for t in problem.tasks}
    finish = {t.id: t.duration for t in problem.tasks if not waiting[t.id]}
    ready = list(finish)
    by_id = {t.id: t for t in problem.tasks}
    while ready:
        done = ready.pop()
        for successor in by_id[done].successors:
            if successor not in waiting:
                continue
            waiting[successor] -= 1
            if not waiting[successor]:
                start = max(finish[p] for p in predecessors[successor])
                finish[successor] = start + by_id[successor].duration
                ready.append(successor)
    return finish if len(finish) == len(problem.tasks) else {}


def _closures(problem: Problem) -> dict[str, set[str]]:
    """Goal id -> the tasks it waits for, directly or through a predecessor."""
    predecessors: dict[str, list[str]] = defaultdict(list)
    for task in problem.tasks:
        for successor in task.successors:
            predecessors[successor].append(task.id)
    closures = {}
    for goal in problem.goals:
        seen: set[str] = set()
        stack = list(goal.requires)
        while stack:
            task_id = stack.pop()
            if task_id not in seen:
                seen.add(task_id)
                stack.extend(predecessors[task_id])
        closures[goal.id] = seen
    return closures
