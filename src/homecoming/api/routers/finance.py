"""Budget figures: public (where the money goes is the public's business); planners and procurement record them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.finance import actions, read_models
from homecoming.finance.models import BudgetAllocation, BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate
from homecoming.http.deps import Comment, DbSession, PublicUnit, Requires, public
from homecoming.http.listing import Page, PagingDep, page_of
from homecoming.http.schemas import build

router = APIRouter(prefix="/api/budget-allocations", tags=["finance"])


class BudgetAllocationOut(BaseModel):
    code: str
    year: int
    source_kind: FundingSource
    figure_kind: BudgetFigureKind
    amount: float
    currency: str
    rate_to_azn: float
    amount_azn: float
    note: str | None
    source_url: str | None
    source_date: dt.date | None


@router.get("", dependencies=[Depends(public)], response_model=Page[BudgetAllocationOut])
async def list_allocations(
    unit: PublicUnit,
    paging: PagingDep,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    figure_kind: BudgetFigureKind | None = None,
    source_kind: FundingSource | None = None,
) -> Response:
    def page(session: Session, _user: User | None) -> Page[BudgetAllocationOut]:
        query = read_models.allocations_listed(year, figure_kind, source_kind)
        total, rows = page_of(session, query, BudgetAllocation, ("code", "year", "amount", "figure_kind"), paging)
        items = [build(BudgetAllocationOut, row) for row in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.kept(page)


@router.post("", status_code=status.HTTP_201_CREATED)
def record_allocation(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.RECORDERS))],
    data: BudgetAllocationCreate,
    comment: Comment = None,
) -> BudgetAllocationOut:
    return build(BudgetAllocationOut, actions.record_allocation(session, user, data, comment=comment))
