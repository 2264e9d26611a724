"""The lower bounds are valid and stronger than the critical path where resources bind."""

from __future__ import annotations

import math

from homecoming.optimisation.sequencing.bounds import energy_delays
from homecoming.optimisation.sequencing.lp import lp_bound
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout
from homecoming.optimisation.sequencing.solve import solve

THREE_ON_ONE_CREW = Problem(
    "three-houses",
    6,
    (Resource("crew", 1),),
    tuple(Task(f"h{k}", 2, {"crew": 1}) for k in range(3)),
    tuple(Goal(f"g{k}", 1, (f"h{k}",)) for k in range(3)),
)


def test_lp_bound_sees_the_crew_the_critical_path_ignores() -> None:
    """Optimum 2 + 4 + 6 = 12; critical path 3 * 2 = 6; the LP allows half-finished goals: 11 (worked by hand)."""
    assert lp_bound(layout(THREE_ON_ONE_CREW), time_limit=math.inf) == 11
    result = solve(THREE_ON_ONE_CREW, time_limit=math.inf)
    assert (result.objective, result.status) == (12, "optimal")


def test_energy_delay_between_tasks_that_share_a_crew() -> None:
    """a -> {b, c} -> d with b and c on one crew: d starts at least 1 + 2 + 2 = 5 after a."""
    problem = Problem(
        "diamond",
        10,
        (Resource("crew", 1),),
        (
            Task("a", 1, {}, ("b", "c")),
            Task("b", 2, {"crew": 1}, ("d",)),
            Task("c", 2, {"crew": 1}, ("d",)),
            Task("d", 1, {}, ()),
        ),
        (Goal("g", 1, ("d",)),),
    )
    delays = energy_delays(layout(problem))
    assert (0, 3, 5) in delays.tasks
    assert solve(problem, time_limit=math.inf).objective == 6
