"""Seeded national programmes: districts with trunk works, settlements with survey -> clearance -> rebuilding.

Per district: a trunk road, a substation and a water main, each after a corridor clearance. Per settlement:
non-technical survey -> clearance -> houses, utilities (needs the substation and water main) and a school
(needs the trunk road); the settlement is ready when houses, utilities and school are done, and its goal
weight is its households. Deminers, survey teams, construction crews and a monthly budget (a different
amount each year: a yearly calendar) are the resources, sized so that the programme takes about six years.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace

from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout, planner_rule

TARGET_MONTHS = 72
YEAR_FACTORS = (0.55, 0.8, 1.0, 1.15, 1.25, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3)


def _district_tasks(rng: random.Random, d: int) -> list[Task]:
    code = f"d{d:03d}"
    return [
        Task(f"{code}-corridor-clearance", rng.randint(2, 5), {"deminers": rng.randint(2, 4)},
             (f"{code}-trunk-road", f"{code}-substation", f"{code}-water-main")),
        Task(f"{code}-trunk-road", rng.randint(6, 14), {"crews": rng.randint(2, 4), "budget": rng.randint(8, 20)}),
        Task(f"{code}-substation", rng.randint(4, 8), {"crews": 1, "budget": rng.randint(5, 12)}),
        Task(f"{code}-water-main", rng.randint(5, 10), {"crews": rng.randint(1, 2), "budget": rng.randint(4, 10)}),
    ]  # fmt: skip


def _settlement(rng: random.Random, s: int, d: int) -> tuple[list[Task], Goal]:
    code, _district = f"s{s:04d}", f"d{d:03d}"
    households = max(20, int(rng.lognormvariate(5.3, 0.7)))
    hazard = rng.choice((1, 1, 2, 2, 3, 4))  # demining teams the contamination calls for
    house_crews = 1 + households // 250
    tasks = [
        Task(f"{code}-survey", rng.randint(1, 2), {"surveyors": 1}, (f"{code}-clearance",)),
        Task(f"{code}-clearance", rng.randint(2, 3 + 2 * hazard), {"deminers": hazard},
             (f"{code}-houses", f"{code}-utilities", f"{code}-school")),
        Task(f"{code}-houses", rng.randint(8, 16), {"crews": house_crews, "budget": max(1, households // 40)}),
        Task(f"{code}-utilities", rng.randint(3, 6), {"crews": 1, "budget": max(1, households // 120)}),
        Task(f"{code}-school", rng.randint(6, 12), {"crews": 1, "budget": rng.randint(2, 4)}),
    ]  # fmt: skip
    goal = Goal(code, households, (f"{code}-houses", f"{code}-utilities", f"{code}-school"))
    return tasks, goal


def _link(tasks: dict[str, Task], before: str, after: str) -> None:
    tasks[before] = replace(tasks[before], successors=(*tasks[before].successors, after))


def generate(settlements: int, seed: int) -> Problem:
    """A programme of `settlements` settlements in about settlements/8 districts; same seed, same problem."""
    rng = random.Random(seed)
    districts = max(1, round(settlements / 8))
    tasks: dict[str, Task] = {}
    goals: list[Goal] = []
    for d in range(districts):
        for task in _district_tasks(rng, d):
            tasks[task.id] = task
    for s in range(settlements):
        d = s % districts if s < districts else rng.randrange(districts)
        own, goal = _settlement(rng, s, d)
        for task in own:
            tasks[task.id] = task
        goals.append(goal)
        district = f"d{d:03d}"
        _link(tasks, f"{district}-trunk-road", f"{goal.id}-houses")
        _link(tasks, f"{district}-trunk-road", f"{goal.id}-school")
        _link(tasks, f"{district}-substation", f"{goal.id}-utilities")
        _link(tasks, f"{district}-water-main", f"{goal.id}-utilities")
    resources = _resources(list(tasks.values()))
    draft = Problem(f"programme-{settlements}-seed{seed}", 12 * len(YEAR_FACTORS), resources,
                    tuple(tasks.values()), tuple(goals))  # fmt: skip
    return replace(draft, periods=_horizon(draft))


def _resources(tasks: list[Task]) -> tuple[Resource, ...]:
    energy: dict[str, int] = {}
    peak: dict[str, int] = {}
    for task in tasks:
        for rid, amount in task.demand.items():
            energy[rid] = energy.get(rid, 0) + amount * task.duration
            peak[rid] = max(peak.get(rid, 0), amount)
    out = []
    for rid in ("surveyors", "deminers", "crews"):
        out.append(Resource(rid, max(peak[rid], math.ceil(energy[rid] / TARGET_MONTHS))))
    monthly = energy["budget"] / TARGET_MONTHS
    calendar = tuple(
        CalendarWindow(12 * y, 12 * y + 12, max(peak["budget"], round(monthly * f))) for y, f in enumerate(YEAR_FACTORS)
    )
    out.append(Resource("budget", max(peak["budget"], round(monthly * YEAR_FACTORS[-1])), calendar))
    return tuple(out)


def _horizon(problem: Problem) -> int:
    """Whole years, a quarter more than the planner's rule needs, so that every plan has room."""
    lay = layout(problem)
    start = planner_rule(lay)
    if start is None:  # the draft horizon is generous; this only guards against odd seeds
        return problem.periods
    makespan = max(s + d for s, d in zip(start, lay.durations, strict=True))
    return min(problem.periods, 12 * math.ceil(1.25 * makespan / 12))
