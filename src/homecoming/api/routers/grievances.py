"""Grievances and feedback: anyone files one and follows it by its tracking code; the staff it is routed to list
and answer them in the open (docs/grievances.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, UploadFile, status
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.files.checks import served_type
from homecoming.grievances import actions
from homecoming.grievances.models import Grievance, GrievanceStatus
from homecoming.grievances.schemas import GrievanceAnswer, GrievanceCreate, GrievancePublic, GrievanceStaff
from homecoming.http.deps import DbSession, Requires, client_address, file_store, public, server_now
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of, showing_current
from homecoming.http.rate_limit import filing_window
from homecoming.territory.models import District

router = APIRouter(prefix="/api/grievances", tags=["grievances"])
Answerer = Annotated[User, Depends(Requires(*actions.ANSWERERS))]
SORTABLE = ("filed_at", "due_at", "answered_at", "status", "category")


def _staff_out(session: Session, user: User, grievance: Grievance) -> GrievanceStaff:
    codes = Codes(session)
    district, settlement = codes.district(grievance.district_id), codes.settlement(grievance.settlement_id)
    return actions.staff_view(user, grievance, district, settlement)


@router.post("", dependencies=[Depends(public)], status_code=status.HTTP_201_CREATED)
def file_grievance(request: Request, session: DbSession, data: GrievanceCreate) -> GrievancePublic:
    """Anyone, without an account. Answers the tracking code to follow it by (keep it: it is the only way back)."""
    settings: Settings = request.app.state.settings
    now = server_now(request)
    filing_window(request.app.state, settings.grievance_filings_per_hour).hit(client_address(request), now)
    grievance = actions.file_grievance(session, None, data, now=now, service_days=settings.grievance_service_days)
    return actions.public_view(grievance)


@router.get("", response_model=Page[GrievanceStaff])
def list_grievances(
    session: DbSession,
    user: Answerer,
    paging: PagingDep,
    status: GrievanceStatus | None = None,
    district: str | None = None,
) -> Page[GrievanceStaff]:
    """The staff's list; the contact only on the grievances routed to the reader's role (admin: all)."""
    query = actions.visible_grievances(
        session, user, status=status, district_id=id_for(session, District, district, "district")
    )
    total, rows = page_of(session, query, Grievance, SORTABLE, paging)
    items = [_staff_out(session, user, grievance) for grievance in rows]
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)


@router.get("/{tracking_code}", dependencies=[Depends(public)])
def get_grievance(session: DbSession, tracking_code: str) -> GrievancePublic:
    """Status, category, subject, dates and the public response; never the text nor the contact."""
    return actions.public_grievance(session, tracking_code)


@router.post("/{tracking_code}/response")
def answer_grievance(
    request: Request, session: DbSession, user: Answerer, tracking_code: str, data: GrievanceAnswer
) -> GrievanceStaff:
    """Published with the grievance (its lookup shows it). `version` as read; a stale one is 409."""
    with showing_current(lambda grievance: _staff_out(session, user, grievance)):
        grievance = actions.answer_grievance(
            session, user, tracking_code, data.response, now=server_now(request), version=data.version,
            comment=data.comment,
        )  # fmt: skip
    return _staff_out(session, user, grievance)


@router.post("/{tracking_code}/photo", dependencies=[Depends(public)])
async def attach_photo(request: Request, session: DbSession, tracking_code: str, photo: UploadFile) -> GrievancePublic:
    """One photograph (JPEG or PNG, at most HOMECOMING_MAX_FILE_BYTES), within a day of filing, by whoever holds the
    tracking code. Only a copy without metadata (no geotag) is kept; staff see it, the public never. Counted in the
    address's filing limit."""
    settings: Settings = request.app.state.settings
    now = server_now(request)
    filing_window(request.app.state, settings.grievance_filings_per_hour).hit(client_address(request), now)
    content = await photo.read(settings.max_file_bytes + 1)
    sent = actions.Photo(photo.filename or "photo", content, file_store(request), settings.max_file_bytes)
    return actions.public_view(actions.attach_photo(session, None, tracking_code, sent, now=now))


@router.get("/{tracking_code}/photo", response_class=Response)
def get_photo(request: Request, session: DbSession, user: Answerer, tracking_code: str) -> Response:
    """The photograph, for the staff who answer grievances (a photo may show people)."""
    content = file_store(request).read(actions.visible_photo(session, user, tracking_code))
    return Response(content, media_type=served_type(content), headers={"Cache-Control": "private, max-age=3600"})
