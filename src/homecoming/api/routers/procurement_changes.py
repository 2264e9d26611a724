"""Complaints against an award (within the standstill) and contract amendments (variation orders).

Thin: each route parses, calls its use-case (`homecoming.procurement.complaint_actions`, `amendment_actions`: who
may, who sees the complainant, four eyes on an amendment, the budget rule, the audit trail) and renders.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response, UploadFile, status

from homecoming.accounts.models import User
from homecoming.api.routers.procurement import Clock
from homecoming.files.checks import served_type
from homecoming.files.service import default_store
from homecoming.http.deps import Comment, DbSession, RecordNumber, Requires, optional_user, public
from homecoming.http.procurement_changes import AmendmentsOut, ComplaintsOut, amendments_out, complaints_out
from homecoming.procurement import actions, amendment_actions, complaint_actions, contracts, service
from homecoming.procurement.amendment_actions import APPROVERS, REQUESTERS, AmendmentSeen
from homecoming.procurement.complaint_actions import COMPLAINANTS, DECIDERS, ComplaintSeen
from homecoming.procurement.schemas import AmendmentCreate, AmendmentDecision, ComplaintCreate, ComplaintDecision

router = APIRouter(prefix="/api", tags=["procurement: complaints and amendments"])
Anyone = Annotated[User | None, Depends(optional_user)]
Complainant = Annotated[User, Depends(Requires(*COMPLAINANTS))]
Decider = Annotated[User, Depends(Requires(*DECIDERS))]
Requester = Annotated[User, Depends(Requires(*REQUESTERS))]
Approver = Annotated[User, Depends(Requires(*APPROVERS))]


@router.post("/tenders/{code}/complaints", status_code=status.HTTP_201_CREATED)
def file_complaint(
    session: DbSession, user: Complainant, clock: Clock, code: str, data: ComplaintCreate, comment: Comment = None
) -> ComplaintSeen:
    """A bidder's complaint against the award, within the standstill; while it is open nobody may sign."""
    now = service.server_now(clock)
    return complaint_actions.file_complaint(session, user, code, data, now=now, comment=comment)


@router.get("/tenders/{code}/complaints", dependencies=[Depends(public)])
def list_complaints(session: DbSession, user: Anyone, code: str) -> ComplaintsOut:
    """Staff see every complaint in full; a company its own; the public each one's dates, status and decision,
    never the complainant or its grounds."""
    seen = complaint_actions.visible_complaints(session, user, code)
    tender = actions.visible_tender(session, user, code)
    return complaints_out(code, tender.standstill_ends_at, seen)


@router.post("/tenders/{code}/complaints/{complaint}/decision")
def decide_complaint(
    session: DbSession, user: Decider, clock: Clock, code: str, complaint: str, data: ComplaintDecision,
    comment: Comment = None,
) -> ComplaintSeen:  # fmt: skip
    """Upheld (the tender's bids are evaluated again, or the tender is cancelled) or rejected, with reasons."""
    now = service.server_now(clock)
    return complaint_actions.decide_complaint(session, user, code, complaint, data, now=now, comment=comment)


@router.get("/contracts/{code}/amendments", dependencies=[Depends(public)])
def list_amendments(session: DbSession, user: Anyone, code: str) -> AmendmentsOut:
    """Every amendment of the contract, with its value and completion date before and after."""
    seen = amendment_actions.visible_amendments(session, user, code)
    return amendments_out(session, contracts.get_contract(session, code), seen)


@router.post("/contracts/{code}/amendments", status_code=status.HTTP_201_CREATED)
def request_amendment(
    session: DbSession, user: Requester, clock: Clock, code: str, data: AmendmentCreate, comment: Comment = None
) -> AmendmentSeen:
    """A variation order, to be approved by another account; an increase must fit the budget allocation."""
    now = service.server_now(clock)
    return amendment_actions.request_amendment(session, user, code, data, now=now, comment=comment)


@router.post("/contracts/{code}/amendments/{number}/decision")
def decide_amendment(
    session: DbSession, user: Approver, clock: Clock, code: str, number: int, data: AmendmentDecision,
    comment: Comment = None,
) -> AmendmentSeen:  # fmt: skip
    """Approve (the contract takes the new value and date) or decline; never by the account that requested it."""
    now = service.server_now(clock)
    return amendment_actions.decide_amendment(session, user, code, number, data.approve, now=now, comment=comment)


@router.post("/contracts/{code}/amendments/{number}/documents", status_code=status.HTTP_201_CREATED)
async def attach_amendment_document(
    request: Request, session: DbSession, user: Requester, code: str, number: int, file: UploadFile,
    comment: Comment = None,
) -> AmendmentSeen:  # fmt: skip
    """A supporting document (multipart field `file`: a PDF, or a JPEG or PNG image, told from its content) of an
    amendment still waiting for its decision; kept in the files store, listed with the amendment."""
    settings = request.app.state.settings
    content = await file.read(settings.max_file_bytes + 1)
    return amendment_actions.attach_document(
        session, user, code, number, file.filename or "document", content, store=default_store(settings),
        max_bytes=settings.max_file_bytes, comment=comment,
    )  # fmt: skip


@router.get(
    "/contracts/{code}/amendments/{number}/documents/{document}", dependencies=[Depends(public)],
    response_class=Response,
)  # fmt: skip
def download_amendment_document(
    request: Request, session: DbSession, user: Anyone, code: str, number: RecordNumber, document: RecordNumber
) -> Response:
    """The n-th supporting document (from 1) of an amendment, as stored, always as a download: anyone's once the
    amendment is approved (OCDS links it), staff's only while it waits or once declined."""
    kept = amendment_actions.visible_document(session, user, code, number, document)
    content = default_store(request.app.state.settings).read(kept.stored_path)
    headers = {"content-disposition": download_disposition(kept.original_name),
               "cache-control": "private, max-age=3600"}  # fmt: skip
    return Response(content, media_type=served_type(content), headers=headers)


def download_disposition(name: str) -> str:
    """`attachment` (never shown inline), with the name as uploaded (RFC 6266: an ASCII stand-in, then UTF-8)."""
    plain = re.sub(r"[^A-Za-z0-9._ -]", "_", name) or "document"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
