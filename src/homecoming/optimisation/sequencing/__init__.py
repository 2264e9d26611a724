"""Works sequencing: the order of works that brings the most people home soonest (issue 3).

`solve(problem, time_limit=...)` returns a plan and a proven lower bound; `io` reads and writes the
documented files (and PSPLIB); `check` verifies a plan independently; `generate` builds seeded programmes.
"""

from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Result, Task
from homecoming.optimisation.sequencing.solve import solve

__all__ = ["CalendarWindow", "Goal", "Problem", "Resource", "Result", "Task", "solve"]
