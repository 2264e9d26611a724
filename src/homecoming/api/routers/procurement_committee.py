"""The opening committee's members and seats: the office registers each member's public key (the member made the
pair on its own machine and keeps the private key); a tender's seats hold the shares sealed to those keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from homecoming.accounts.models import User
from homecoming.http.deps import Comment, DbSession, Requires
from homecoming.http.procurement_views import CommitteeMemberOut, SeatOut, member_out, seat_out
from homecoming.procurement import actions
from homecoming.procurement.actions import OFFICERS, SHARE_GIVERS
from homecoming.procurement.schemas import CommitteeMemberCreate

router = APIRouter(prefix="/api", tags=["procurement: opening committee"])
Officer = Annotated[User, Depends(Requires(*OFFICERS))]
Account = Annotated[User, Depends(Requires(*SHARE_GIVERS))]


@router.post("/committee-members", status_code=status.HTTP_201_CREATED)
def register_member(
    session: DbSession, user: Officer, data: CommitteeMemberCreate, comment: Comment = None
) -> CommitteeMemberOut:
    """Only the member's public key is sent (base64, as `homecoming committee keygen` prints it)."""
    return member_out(session, actions.register_member(session, user, data, comment=comment))


@router.get("/committee-members")
def list_members(session: DbSession, user: Officer) -> list[CommitteeMemberOut]:
    return [member_out(session, m) for m in actions.committee_members(session, user)]


@router.get("/tenders/{code}/committee")
def tender_committee(session: DbSession, user: Account, code: str) -> list[SeatOut]:
    """The office sees every seat; a member's account sees its own (its sealed share, to unwrap on its machine)."""
    return [seat_out(s) for s in actions.visible_seats(session, user, code)]
