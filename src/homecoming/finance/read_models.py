"""What the pages read of the budget beyond the reports: where each budget line's figure was published."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.db.crud import where_equal
from homecoming.finance.models import BudgetAllocation, BudgetFigureKind, FundingSource


def budget_sources(session: Session) -> dict[str, str]:
    """Each budget line's source address, by code (house rule 6: every figure traceable to its source)."""
    query = select(BudgetAllocation.code, BudgetAllocation.source_url).where(BudgetAllocation.source_url.is_not(None))
    return {code: url or "" for code, url in session.execute(query)}


def allocations_listed(
    year: int | None, figure_kind: BudgetFigureKind | None, source_kind: FundingSource | None
) -> Select[BudgetAllocation]:
    """The budget figures a list pages through, filtered by year, kind of figure and source when given."""
    return where_equal(
        select(BudgetAllocation),
        (BudgetAllocation.year, year),
        (BudgetAllocation.figure_kind, figure_kind),
        (BudgetAllocation.source_kind, source_kind),
    )
