from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import AMOUNT, str_enum


class FundingSource(enum.StrEnum):
    STATE_BUDGET = "state_budget"
    FOREIGN_STATE = "foreign_state"
    INVESTOR = "investor"
    DONOR = "donor"


class BudgetFigureKind(enum.StrEnum):
    """Official figures disagree; each one is kept with what it claims to be."""

    PLANNED = "planned"
    REVISED = "revised"
    ALLOCATED = "allocated"
    SPENT = "spent"


class MoneyFigure(SourcedMixin):
    """A budget figure as its source gives it: the amount in its own currency, the rate it converts to AZN at, and
    a note; yearly (BudgetAllocation) or over several years (CumulativeBudget)."""

    amount: Mapped[float] = mapped_column(Float, info=AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    rate_to_azn: Mapped[float] = mapped_column(Float, info={"gt": 0})
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def amount_azn(self) -> float:
        return self.amount * self.rate_to_azn


class BudgetAllocation(MoneyFigure, Base):
    __tablename__ = "budget_allocations"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("rate_to_azn > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True, info={"min": 1990, "max": 2100})
    source_kind: Mapped[FundingSource] = mapped_column(str_enum(FundingSource, "funding_source"))
    figure_kind: Mapped[BudgetFigureKind] = mapped_column(str_enum(BudgetFigureKind, "budget_figure_kind"))


class CumulativeBudget(MoneyFigure, Base):
    """A running total over several years ("nearly 12 bn AZN by end of 2023"): kept apart from the yearly figures,
    which it would otherwise be added to. `figure_kind` is None when the source does not say what it counts."""

    __tablename__ = "cumulative_budgets"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("rate_to_azn > 0", name="rate_positive"),
        CheckConstraint("last_year >= first_year", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    first_year: Mapped[int] = mapped_column(Integer, info={"min": 1990, "max": 2100})
    last_year: Mapped[int] = mapped_column(Integer, info={"min": 1990, "max": 2100})
    figure_kind: Mapped[BudgetFigureKind | None] = mapped_column(str_enum(BudgetFigureKind, "budget_figure_kind"))
