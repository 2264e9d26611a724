"""Budget figures per year and source. Official figures disagree, so each is kept with what it claims to be."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique
from homecoming.finance.models import BudgetAllocation, BudgetFigureKind
from homecoming.finance.schemas import BudgetAllocationCreate


def record_allocation(session: Session, data: BudgetAllocationCreate) -> BudgetAllocation:
    return add_unique(session, BudgetAllocation(**data.model_dump()))


def budget_by_year(session: Session) -> dict[int, dict[BudgetFigureKind, float]]:
    """AZN per year and kind of figure, each amount converted at the rate recorded with it."""
    rows = session.execute(
        select(
            BudgetAllocation.year,
            BudgetAllocation.figure_kind,
            func.sum(BudgetAllocation.amount * BudgetAllocation.rate_to_azn),
        )
        .group_by(BudgetAllocation.year, BudgetAllocation.figure_kind)
        .order_by(BudgetAllocation.year)
    )
    years: dict[int, dict[BudgetFigureKind, float]] = {}
    for year, kind, azn in rows:
        years.setdefault(year, {})[BudgetFigureKind(kind)] = float(azn)
    return years


def budget_bn_azn_by_year(session: Session) -> dict[int, dict[str, float]]:
    """budget_by_year in billions of AZN, keyed by the figure kind's name: what summaries and pages show."""
    return {
        year: {str(kind): azn / 1e9 for kind, azn in kinds.items()} for year, kinds in budget_by_year(session).items()
    }
