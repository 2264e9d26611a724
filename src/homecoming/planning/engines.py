"""The two engines behind one narrow door: problem documents in, solution documents out (docs/formats.md).

The engines (and OR-Tools under them) are imported on first use, so that commands which never solve start fast.
"""

from __future__ import annotations

from typing import Any


def solve_sequencing(problem: dict[str, Any], *, seconds: float, workers: int = 2) -> dict[str, Any]:
    from homecoming.optimisation.sequencing import io
    from homecoming.optimisation.sequencing.solve import solve

    result = solve(io.problem_from_dict(problem), time_limit=seconds, workers=workers)
    solution: dict[str, Any] = io.result_to_dict(result)
    return solution


def solve_allocation(problem: dict[str, Any], *, seconds: float) -> dict[str, Any]:
    from homecoming.optimisation.allocation import io
    from homecoming.optimisation.allocation.solve import allocate

    result = allocate(io.problem_from_dict(problem), time_limit=seconds)
    solution: dict[str, Any] = io.solution_to_dict(result)
    return solution
