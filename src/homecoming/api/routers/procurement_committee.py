"""The opening committee's members and seats: the office registers each member's public key (the member made the
pair on its own machine and keeps the private key); a tender's seats hold the shares sealed to those keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from homecoming.accounts.models import Role, User
from homecoming.api.deps import ACCOUNTS, Comment, DbSession, Requires
from homecoming.api.procurement_views import CommitteeMemberOut, SeatOut, Viewer, member_out, seat_out
from homecoming.api.routers.procurement import visible_tender
from homecoming.audit import service as audit
from homecoming.errors import Forbidden
from homecoming.procurement import committee
from homecoming.procurement.schemas import CommitteeMemberCreate

router = APIRouter(prefix="/api", tags=["procurement: opening committee"])
Officer = Annotated[User, Depends(Requires(Role.PROCUREMENT_OFFICER))]
Account = Annotated[User, Depends(Requires(*ACCOUNTS))]


@router.post("/committee-members", status_code=status.HTTP_201_CREATED)
def register_member(
    session: DbSession, user: Officer, data: CommitteeMemberCreate, comment: Comment = None
) -> CommitteeMemberOut:
    """Only the member's public key is sent (base64, as `homecoming committee keygen` prints it)."""
    member = committee.register_member(session, data)
    audit.record_change(session, user, "create", member, before=None, comment=comment, code=member.name[:64])
    return member_out(session, member)


@router.get("/committee-members")
def list_members(session: DbSession, user: Officer) -> list[CommitteeMemberOut]:
    return [member_out(session, m) for m in committee.members(session)]


@router.get("/tenders/{code}/committee")
def tender_committee(session: DbSession, user: Account, code: str) -> list[SeatOut]:
    """The office sees every seat; a member's account sees its own (its sealed share, to unwrap on its machine)."""
    tender = visible_tender(session, code, Viewer.of(user))
    seats = committee.seat_views(session, tender, user)
    if not seats and user.role not in committee.RUNS_OPENINGS:
        raise Forbidden(
            "committee.not_your_seat",
            f"the account {user.username} has no seat on {code}'s committee",
            {"tender": code},
        )
    return [seat_out(s) for s in seats]
