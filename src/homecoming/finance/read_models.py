"""What the pages read of the budget beyond the reports: where each budget line's figure was published."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.finance.models import BudgetAllocation


def budget_sources(session: Session) -> dict[str, str]:
    """Each budget line's source address, by code (house rule 6: every figure traceable to its source)."""
    query = select(BudgetAllocation.code, BudgetAllocation.source_url).where(BudgetAllocation.source_url.is_not(None))
    return {code: url or "" for code, url in session.execute(query)}
