"""What a caller sends to the finance services."""

from __future__ import annotations

from pydantic import Field, model_validator

from homecoming.db.types import AMOUNT
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.input_rules import InputModel, within


class BudgetAllocationCreate(InputModel):
    code: str = Field(min_length=1, max_length=64)
    year: int = Field(ge=1990, le=2100)
    source_kind: FundingSource
    figure_kind: BudgetFigureKind
    amount: float = within(AMOUNT)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    rate_to_azn: float = Field(gt=0)
    source_url: str | None = None

    @model_validator(mode="after")
    def _azn_is_azn(self) -> BudgetAllocationCreate:
        if self.currency == "AZN" and self.rate_to_azn != 1:
            raise ValueError("an amount in AZN converts to AZN at rate 1")
        return self
