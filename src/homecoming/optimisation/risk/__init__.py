"""Schedule risk (issue 8): how sure is a plan? Sample task durations, re-time the plan under each scenario with
its own priorities, and report bands of ready dates and the works that make settlements late.

`compile_input(RiskInput(...))` checks and lays out a plan; `simulate(compiled, scenarios, seed)` runs it (in this
process or on a Dask cluster, same numbers); `summarise` turns the outcome into percentiles and criticality.
"""

from homecoming.optimisation.risk.distribute import dask_client, simulate
from homecoming.optimisation.risk.model import Compiled, RiskInput, ThreePoint, compile_input
from homecoming.optimisation.risk.summary import Outcome, Summary, summarise

__all__ = [
    "Compiled",
    "Outcome",
    "RiskInput",
    "Summary",
    "ThreePoint",
    "compile_input",
    "dask_client",
    "simulate",
    "summarise",
]
