"""Reported returns: events for staff; the programme's progress against its targets for everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming import disclosure
from homecoming.accounts.models import User
from homecoming.disclosure.figures import Count
from homecoming.http.deps import Comment, DbSession, Requires, StaffUnit, public
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of
from homecoming.http.schemas import ReturnEventOut, build
from homecoming.returns import actions, read_models, service
from homecoming.returns.models import ReturnEvent
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory.models import District, Settlement

router = APIRouter(prefix="/api", tags=["returns"])


class ProgressOut(BaseModel):
    families_returned: int | None  # None: withheld (homecoming.disclosure: too few, or one would follow)
    people_returned: int | None
    settlements_with_returns: int
    families_target: int | None
    people_target: int | None


def event_out(codes: Codes, event: ReturnEvent, shown: Count | None = None) -> ReturnEventOut:
    """`shown`: the event's protected counts, for a reader who may not see exact ones."""
    out = build(ReturnEventOut, event, settlement_code=codes.settlement(event.settlement_id))
    if shown is not None and shown.households is None:
        out.families, out.people = None, None
    return out


@router.get("/return-events", response_model=Page[ReturnEventOut])
async def list_events(
    unit: StaffUnit,
    paging: PagingDep,
    settlement: str | None = None,
    district: str | None = None,
) -> Response:
    """Staff's list; families and people are exact for the roles that read the registry, else protected as on the
    public pages (homecoming.disclosure)."""
    threshold = int(unit.request.app.state.settings.small_count_threshold)

    def page(session: Session, user: User | None) -> Page[ReturnEventOut]:
        assert user is not None  # the route's rule lets only an account through
        settlement_id = id_for(session, Settlement, settlement, "settlement")
        query = read_models.return_events_listed(settlement_id, id_for(session, District, district, "district"))
        total, rows = page_of(session, query, ReturnEvent, actions.sortable_for(user), paging)
        codes = Codes(session)
        shown = actions.visible_event_counts(session, user, rows, threshold)
        items = [event_out(codes, e, None if shown is None else shown[e.code]) for e in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.kept(page, setting=("small_count_threshold", threshold))


@router.post("/return-events", status_code=status.HTTP_201_CREATED)
def record_event(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.RECORDERS))],
    data: ReturnEventCreate,
    comment: Comment = None,
) -> ReturnEventOut:
    return event_out(Codes(session), actions.record_event(session, user, data, comment=comment))


@router.get("/returns/progress", dependencies=[Depends(public)])
def progress(request: Request, session: DbSession) -> ProgressOut:
    """The programme's returns against its targets; the totals pass the disclosure rule as the overview's do."""
    summary = service.progress_summary(session)
    returned = disclosure.returns(session, int(request.app.state.settings.small_count_threshold)).total
    shown = {"families_returned": returned.households, "people_returned": returned.people}
    return ProgressOut(**summary.__dict__ | shown)
