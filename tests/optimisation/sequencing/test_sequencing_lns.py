"""The LNS neighbourhoods chosen where the LP and the plan disagree, and the SGS repair from the LP's starts."""

from __future__ import annotations

import random

from homecoming.optimisation.sequencing import lns
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout, objective, planner_rule
from homecoming.optimisation.sequencing.timeindexed import time_indexed_bound

# One crew, three houses of two periods; the plan serves the biggest settlement last, the LP first
THREE_ON_ONE_CREW = Problem(
    "three-houses",
    6,
    (Resource("crew", 1),),
    tuple(Task(f"h{k}", 2, {"crew": 1}) for k in range(3)),
    tuple(Goal(f"g{k}", w, (f"h{k}",)) for k, w in enumerate((1, 2, 5))),
)


def test_the_task_furthest_after_its_lp_start_is_freed_with_what_runs_in_its_way() -> None:
    lay = layout(THREE_ON_ONE_CREW)
    plan = [0, 2, 4]  # h2, the heaviest, last
    mean = [4.0, 2.0, 0.0]  # the LP's order: h2 first
    drawn = [lns.lp_late(lay, plan, 2, random.Random(seed), mean) for seed in range(40)]
    assert all(1 <= len(free) <= 2 for free in drawn)
    assert sum(2 in free for free in drawn) > 30  # four periods later than the LP says: drawn most often


def test_the_repair_puts_the_free_tasks_where_the_lp_has_them() -> None:
    lay = layout(THREE_ON_ONE_CREW)
    plan, mean = [0, 2, 4], [4.0, 2.0, 0.0]
    repaired = lns.lp_repair(lay, plan, {0, 2}, mean)
    assert repaired == [4, 2, 0]
    assert objective(lay, repaired) < objective(lay, plan)


def test_repairs_from_the_lp_on_a_programme_are_valid_plans() -> None:
    problem = generate(20, seed=4)
    lay = layout(problem)
    plan = planner_rule(lay)
    assert plan is not None
    mean = time_indexed_bound(lay, form="aggregated", solver="glop").mean_starts
    assert mean is not None
    rng = random.Random(3)
    for size in (5, 30, len(plan)):
        free = lns.lp_late(lay, plan, size, rng, mean)
        assert free and all(0 <= i < len(plan) for i in free)
        repaired = lns.lp_repair(lay, plan, free, mean)
        assert repaired is not None
        starts = {t.id: s for t, s in zip(problem.tasks, repaired, strict=True)}
        assert check_solution(problem, starts) == []


def test_the_pickers_try_each_kind_first_then_favour_the_one_that_gains() -> None:
    pickers = lns.Pickers(["time", "goals"], 120, 500, random.Random(0))
    assert pickers.draw() == "time"
    pickers.tell("time", 0.0, 1.0, None)
    assert pickers.draw() == "goals"  # untried: drawn next
    pickers.tell("goals", 0.01, 0.5, True)
    pickers.add("relaxed")
    assert pickers.draw() == "relaxed"  # one that joins late is tried at once
    pickers.tell("relaxed", 0.0, 1.0, False)
    drawn = [pickers.draw() for _ in range(400)]
    assert drawn.count("goals") > 0.7 * len(drawn)  # the only one that gained (82 % expected: 15 % drawn uniformly)
    assert {"time", "relaxed"} <= set(drawn)  # the others keep being tried
    # no answer or not closed: smaller; closed: larger
    assert (pickers.size["time"], pickers.size["goals"], pickers.size["relaxed"]) == (96, 145, 96)


def test_the_pickers_sizes_stay_within_the_tasks() -> None:
    pickers = lns.Pickers(["time"], 120, 40, random.Random(1))
    assert pickers.size["time"] == 40
    for _ in range(5):
        pickers.tell("time", 0.0, 1.0, True)
    assert pickers.size["time"] == 40
    for _ in range(50):
        pickers.tell("time", 0.0, 1.0, False)
    assert pickers.size["time"] == 30
    tiny = lns.Pickers(["time"], 120, 10, random.Random(1))
    for _ in range(5):
        tiny.tell("time", 0.0, 1.0, False)
    assert tiny.size["time"] == 10
