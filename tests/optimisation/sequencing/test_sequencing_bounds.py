"""The lower bounds are valid and stronger than the critical path where resources bind."""

from __future__ import annotations

import io
import math
import pickle

import pytest

from homecoming.optimisation.sequencing.bounds import energy_delays
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.guided import ENERGY_CELLS, _answers
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


@pytest.mark.parametrize(("settlements", "seed"), [(2, 5), (3, 1)])
def test_goal_energy_bound_on_every_bucket_width_is_never_above_a_proven_optimum(settlements: int, seed: int) -> None:
    problem = generate(settlements, seed)
    result = solve(problem, time_limit=math.inf, workers=2)
    assert result.status == "optimal" and result.objective is not None
    lay = layout(problem)
    for most in (ENERGY_CELLS, 40_000, 50):  # 50 cells: buckets of several periods
        bound = lp_bound(lay, time_limit=math.inf, max_cells=most)
        assert bound is not None and 0 < bound <= result.objective


def test_a_stopped_lp_process_leaves_its_last_whole_answer() -> None:
    first, second = pickle.dumps((5, None)), pickle.dumps((7, [1.0, 2.0]))
    assert list(_answers(io.BytesIO(first + second))) == [(5, None), (7, [1.0, 2.0])]
    assert list(_answers(io.BytesIO(first + second[:-3]))) == [(5, None)]  # stopped while writing its second answer
    assert list(_answers(io.BytesIO(b""))) == []
