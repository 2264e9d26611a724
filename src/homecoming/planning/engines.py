"""The two engines behind one narrow door: the core's problem dataclasses in, its result dataclasses out.

The engines (and OR-Tools under them) are imported on first use, so that commands which never solve start fast.
"""

from __future__ import annotations

from homecoming.optimisation.allocation import model as allocation
from homecoming.optimisation.sequencing import model as sequencing


def solve_sequencing(problem: sequencing.Problem, *, seconds: float, workers: int = 2) -> sequencing.Result:
    from homecoming.optimisation.sequencing.solve import solve

    return solve(problem, time_limit=seconds, workers=workers)


def solve_allocation(problem: allocation.Problem, *, seconds: float) -> allocation.Result:
    from homecoming.optimisation.allocation.solve import allocate

    return allocate(problem, time_limit=seconds)
