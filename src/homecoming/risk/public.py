"""A risk run's figures as the public may see them (the risk page and the overview's forecast band)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from homecoming.disclosure import plan_figures
from homecoming.disclosure.rule import rounded
from homecoming.planning.models import PlanRun
from homecoming.risk.models import PlanRisk


def public_years(session: Session, plan: PlanRun, risk: PlanRisk, threshold: int) -> list[dict[str, Any]]:
    """People whose settlement is ready by each year end: a year the plan's figures withhold keeps only its year;
    the bands are rounded while a planned settlement is withheld (homecoming.disclosure)."""
    figures = plan_figures(session, plan, threshold)
    shown = [figures.ready_by_end_of_shown(row["year"]) for row in risk.years]
    bands = ("p10", "p50", "p90") if figures.goal_withheld else ()
    return [
        {k: rounded(v, threshold) if k in bands else v for k, v in row.items()} if ok else {"year": row["year"]}
        for row, ok in zip(risk.years, shown, strict=True)
    ]
