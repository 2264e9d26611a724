"""Disclosure control: one rule for every count of households or people that the public or a viewer reads.

`rule` is the rule itself (pure); `figures` builds the protected tables from the database.
"""

from homecoming.disclosure.figures import Count, PlanFigures, Returns, Waiting, plan_figures, returns, waiting

__all__ = ["Count", "PlanFigures", "Returns", "Waiting", "plan_figures", "returns", "waiting"]
