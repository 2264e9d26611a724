from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.finance import service
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate


def test_budget_by_year_converts_each_amount_at_its_own_rate(session: Session) -> None:
    rows = (
        ("a", 2023, BudgetFigureKind.PLANNED, 3.0e9, "AZN", 1.0),
        ("b", 2023, BudgetFigureKind.PLANNED, 100e6, "USD", 1.7),
        ("c", 2023, BudgetFigureKind.SPENT, 2.5e9, "AZN", 1.0),
        ("d", 2024, BudgetFigureKind.PLANNED, 4.0e9, "AZN", 1.0),
    )
    for code, year, kind, amount, currency, rate in rows:
        service.record_allocation(
            session,
            BudgetAllocationCreate(
                code=code,
                year=year,
                source_kind=FundingSource.STATE_BUDGET,
                figure_kind=kind,
                amount=amount,
                currency=currency,
                rate_to_azn=rate,
            ),
        )
    assert service.budget_by_year(session) == {
        2023: {BudgetFigureKind.PLANNED: 3.17e9, BudgetFigureKind.SPENT: 2.5e9},
        2024: {BudgetFigureKind.PLANNED: 4.0e9},
    }


def test_an_azn_amount_with_a_conversion_rate_is_refused() -> None:
    with pytest.raises(ValidationError, match="rate 1"):
        BudgetAllocationCreate(
            code="x",
            year=2023,
            source_kind=FundingSource.STATE_BUDGET,
            figure_kind=BudgetFigureKind.PLANNED,
            amount=1,
            currency="AZN",
            rate_to_azn=1.7,
        )
