"""Works sequencing: the order of works that brings the most people home soonest (issue 3).

`solve(problem, time_limit=...)` returns a plan and a proven lower bound; `io` reads and writes the
documented files (and PSPLIB); `check` verifies a plan independently; `generate` builds seeded programmes.
The solver (and OR-Tools under it) is imported on first use of `solve`, so that building a problem from the
model's dataclasses (homecoming.planning) costs no solver import.
"""

from typing import Any

from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Result, Task

__all__ = ["CalendarWindow", "Goal", "Problem", "Resource", "Result", "Task", "solve"]


def __getattr__(name: str) -> Any:
    if name == "solve":
        from homecoming.optimisation.sequencing.solve import solve

        return solve
    raise AttributeError(name)
