"""Disclosure control: one rule for every count of households or people that the public or a viewer reads.

`rule` is the rule itself (pure); `figures` and `plans` build the protected tables from the database.
"""

from homecoming.disclosure.figures import Count, Returns, Waiting, returns, waiting
from homecoming.disclosure.plans import PlanFigures, plan_figures

__all__ = ["Count", "PlanFigures", "Returns", "Waiting", "plan_figures", "returns", "waiting"]
