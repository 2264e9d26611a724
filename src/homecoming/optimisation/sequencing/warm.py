"""Compile the sequencing engine's Numba code into its cache once, when the package is installed (the Makefile
runs `python -m homecoming.optimisation.sequencing.warm`), so that no solve spends its time limit compiling:
about 15 s for the branch and bound, 2 s for the serial SGS and the genetic search, 0.3 s to load them from the
cache after.

A solve that finds no cache still works: the genetic search compiles on its first call, and CP-SAT answers
alone while the branch and bound compiles in its thread."""

from __future__ import annotations

from homecoming.optimisation.sequencing import branch, genetic
from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.optimisation.sequencing.sgs import layout, planner_rule

TINY = Problem(
    "warm",
    4,
    (Resource("crew", 1),),
    (Task("a", 1, {"crew": 1}, ("b",)), Task("b", 1, {"crew": 1})),
    (Goal("end", 1, ("a", "b")),),
)


def main() -> None:
    lay = layout(TINY)
    planner_rule(lay)  # the SGS and its activity list, as every Python caller runs them
    branch.decide(lay, 2, seconds=600.0)
    genetic.evolve(lay, [[0, 1]], deadline=0.0)


if __name__ == "__main__":
    main()
