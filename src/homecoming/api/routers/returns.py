"""Reported returns: events for staff; the programme's progress against its targets for everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel
from sqlalchemy import select

from homecoming.accounts.models import Role, User
from homecoming.api.deps import STAFF, Comment, DbSession, Requires, public
from homecoming.api.listing import Codes, Page, PagingDep, id_for, page_of
from homecoming.api.schemas import ReturnEventOut, build
from homecoming.audit import service as audit
from homecoming.returns import service
from homecoming.returns.models import ReturnEvent
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory.models import District, Settlement

router = APIRouter(prefix="/api", tags=["returns"])


class ProgressOut(BaseModel):
    families_returned: int
    people_returned: int
    settlements_with_returns: int
    families_target: int | None
    people_target: int | None


def event_out(codes: Codes, event: ReturnEvent) -> ReturnEventOut:
    return build(ReturnEventOut, event, settlement_code=codes.settlement(event.settlement_id))


@router.get("/return-events", dependencies=[Depends(Requires(*STAFF))])
def list_events(
    session: DbSession, paging: PagingDep, settlement: str | None = None, district: str | None = None
) -> Page[ReturnEventOut]:
    query = select(ReturnEvent)
    if settlement is not None:
        query = query.where(ReturnEvent.settlement_id == id_for(session, Settlement, settlement, "settlement"))
    if district is not None:
        district_id = id_for(session, District, district, "district")
        query = query.where(
            ReturnEvent.settlement_id.in_(select(Settlement.id).where(Settlement.district_id == district_id))
        )
    total, rows = page_of(session, query, ReturnEvent, ("code", "event_date", "families", "people"), paging)
    codes = Codes(session)
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=[event_out(codes, e) for e in rows])


@router.post("/return-events", status_code=status.HTTP_201_CREATED)
def record_event(
    session: DbSession,
    user: Annotated[User, Depends(Requires(Role.DATA_ENTRY, Role.REGISTRAR))],
    data: ReturnEventCreate,
    comment: Comment = None,
) -> ReturnEventOut:
    event = service.record_event(session, data, user)
    audit.record_change(session, user, "create", event, before=None, comment=comment)
    return event_out(Codes(session), event)


@router.get("/returns/progress", dependencies=[Depends(public)])
def progress(session: DbSession) -> ProgressOut:
    summary = service.progress_summary(session)
    return ProgressOut(**summary.__dict__)
