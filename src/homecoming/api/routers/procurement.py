"""Tenders and sealed bids: procurement officers run tenders, contractors bid, everyone reads what is published.

Deadlines are checked against the server's clock (`app.state.clock`, the real UTC clock unless a test sets one);
nothing the client sends says what time it is. A bid arrives already sealed to the tender's public key (the
bidder's client seals it, e.g. `homecoming tender seal`), so the server never holds a readable price before k
of the n committee members give their shares at the opening (homecoming.procurement.committee).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import Role, User
from homecoming.api.deps import ACCOUNTS, Comment, DbSession, Requires, optional_user, public, server_clock
from homecoming.api.listing import Page, PagingDep, check_version, id_for, page_of
from homecoming.api.procurement_views import (
    BidOut,
    OpeningOut,
    PublishedTender,
    ReceiptOut,
    TenderOut,
    Viewer,
    bid_out,
    seat_out,
    tender_out,
)
from homecoming.api.schemas import Versioned
from homecoming.audit import service as audit
from homecoming.db.crud import get_by_code
from homecoming.errors import Forbidden, NotFound, RuleViolation
from homecoming.input_rules import InputModel
from homecoming.procurement import committee, service
from homecoming.procurement.models import Bid, Bidder, Tender, TenderStatus
from homecoming.procurement.schemas import Committee, TenderCreate
from homecoming.territory.models import District

router = APIRouter(prefix="/api", tags=["procurement: tenders and bids"])
Officer = Annotated[User, Depends(Requires(Role.PROCUREMENT_OFFICER))]
Contractor = Annotated[User, Depends(Requires(Role.CONTRACTOR))]
OfficerOrContractor = Annotated[User, Depends(Requires(Role.PROCUREMENT_OFFICER, Role.CONTRACTOR))]
Anyone = Annotated[User | None, Depends(optional_user)]
Account = Annotated[User, Depends(Requires(*ACCOUNTS))]
SORTABLE = ("code", "title", "status", "tender_end", "enquiry_end", "estimate_amount", "published_at")


Clock = Annotated[service.Clock, Depends(server_clock)]


class PublishIn(Committee, Versioned):
    pass


class OpeningIn(BaseModel):
    share: str = Field(min_length=1, max_length=300, description="one member's share, `<tender>:<n>:<hex>`")
    comment: str | None = Field(default=None, max_length=1000)


class DisqualifyIn(Versioned):
    bidder_code: str
    reason: str = Field(min_length=1, max_length=2000)


class CancelIn(Versioned):
    reason: str = Field(min_length=1, max_length=2000)


class SealedBidIn(InputModel):
    sealed: str = Field(min_length=1, max_length=8192, description="base64 of the sealed bid")


def visible_tender(session: Session, code: str, viewer: Viewer) -> Tender:
    """A draft is the office's business: to the public and companies it does not exist yet."""
    tender = service.get_tender(session, code)
    if viewer.is_outsider and tender.status is TenderStatus.DRAFT:
        raise NotFound("tenders.not_found", f"no tender with code {code!r}", {"code": code})
    return tender


def _out(session: Session, tender: Tender, viewer: Viewer, clock: service.Clock) -> TenderOut:
    return tender_out(session, tender, viewer, service.server_now(clock))


def _checked(session: Session, code: str, user: User, given: int, clock: service.Clock) -> Tender:
    tender = service.get_tender(session, code)
    check_version(tender, given, _out(session, tender, Viewer.of(user), clock))
    return tender


def _step(
    session: Session, user: User, clock: service.Clock, code: str, data: Versioned, act: Callable[[], Tender]
) -> TenderOut:
    """One lifecycle step of a tender: its version checked, the step taken, the change put in the audit trail."""
    before = audit.snapshot(_checked(session, code, user, data.version, clock))
    tender = act()
    audit.record_change(session, user, "update", tender, before=before, comment=data.comment)
    return _out(session, tender, Viewer.of(user), clock)


def bid_code(tender_code: str, bidder: Bidder) -> str:
    """What the audit trail files a bid under (a bid has no code of its own): `<tender>/<bidder>`."""
    return f"{tender_code}/{bidder.code}"


def company_of(user: User) -> int:
    if user.bidder_id is None:
        raise Forbidden(
            "auth.no_company",
            f"the account {user.username} speaks for no company; bids come from a contractor account",
            {"username": user.username},
        )
    return user.bidder_id


@router.get("/tenders", dependencies=[Depends(public)])
def list_tenders(
    session: DbSession,
    user: Anyone,
    clock: Clock,
    paging: PagingDep,
    status: TenderStatus | None = None,
    district: str | None = None,
) -> Page[TenderOut]:
    viewer = Viewer.of(user)
    query = select(Tender)
    if viewer.is_outsider:
        query = query.where(Tender.status != TenderStatus.DRAFT)
    if status is not None:
        query = query.where(Tender.status == status)
    if district is not None:
        query = query.where(Tender.district_id == id_for(session, District, district, "district"))
    total, rows = page_of(session, query, Tender, SORTABLE, paging)
    items = [_out(session, t, viewer, clock) for t in rows]
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)


@router.post("/tenders", status_code=status.HTTP_201_CREATED)
def create_tender(
    session: DbSession, user: Officer, clock: Clock, data: TenderCreate, comment: Comment = None
) -> TenderOut:
    tender = service.create_tender(session, data)
    audit.record_change(session, user, "create", tender, before=None, comment=comment)
    return _out(session, tender, Viewer.of(user), clock)


@router.get("/tenders/{code}", dependencies=[Depends(public)])
def get_tender(session: DbSession, user: Anyone, clock: Clock, code: str) -> TenderOut:
    viewer = Viewer.of(user)
    return _out(session, visible_tender(session, code, viewer), viewer, clock)


@router.post("/tenders/{code}/publish")
def publish_tender(session: DbSession, user: Officer, clock: Clock, code: str, data: PublishIn) -> PublishedTender:
    """Each share is sealed to its member's own public key: the answer (and the server) holds none in clear."""
    before = audit.snapshot(_checked(session, code, user, data.version, clock))
    seats = committee.publish_tender(session, code, Committee(members=data.members, threshold=data.threshold), clock)
    tender = service.get_tender(session, code)
    audit.record_change(session, user, "update", tender, before=before, comment=data.comment)
    return PublishedTender(tender=_out(session, tender, Viewer.of(user), clock), committee=[seat_out(s) for s in seats])


@router.post("/tenders/{code}/close-enquiries")
def close_enquiries(session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> TenderOut:
    return _step(session, user, clock, code, data, lambda: service.close_enquiries(session, code, clock))


@router.post("/tenders/{code}/opening")
def give_share(session: DbSession, user: Account, clock: Clock, code: str, data: OpeningIn) -> OpeningOut:
    """The public opening: after the deadline, each committee member gives its own share (a member's account, or
    the office for a member present); the k-th opens every bid. The trail gets the seat's entry (the share only
    as its size), then at the opening the tender's and each bid's (prices appear only in the entries made then)."""
    tender = service.get_tender(session, code)
    before = audit.snapshot(tender)
    seats = {seat.share_index: (seat, audit.snapshot(seat)) for seat, _m in committee.seats_of(session, tender)}
    bids = [(bid, bidder, audit.snapshot(bid)) for bid, bidder in service.bids_of(session, tender)]
    opening = committee.give_share(session, code, data.share, clock, user)
    for index, (seat, was) in seats.items():
        if was["given_at"] is None and seat.given_at is not None:
            filed = f"{code}/seat-{index}"
            audit.record_change(session, user, "update", seat, before=was, comment=data.comment, code=filed)
    if opening.tender.status is not TenderStatus(before["status"]):
        audit.record_change(session, user, "update", opening.tender, before=before, comment=data.comment)
    for bid, bidder, was in bids:
        if audit.snapshot(bid) != was:
            filed = bid_code(code, bidder)
            audit.record_change(session, user, "update", bid, before=was, comment=data.comment, code=filed)
    return OpeningOut(
        tender=_out(session, opening.tender, Viewer.of(user), clock),
        shares_given=opening.given,
        shares_needed=opening.needed,
        opened=opening.opened,
    )


@router.post("/tenders/{code}/disqualify")
def disqualify_bid(session: DbSession, user: Officer, clock: Clock, code: str, data: DisqualifyIn) -> BidOut:
    tender = _checked(session, code, user, data.version, clock)
    bidder = get_by_code(session, Bidder, data.bidder_code)
    old = session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.bidder_id == bidder.id)).first()
    before = None if old is None else audit.snapshot(old)
    bid = service.disqualify_bid(session, code, data.bidder_code, data.reason)
    audit.record_change(session, user, "update", bid, before=before, comment=data.comment, code=bid_code(code, bidder))
    return bid_out(tender, bid, bidder)


@router.post("/tenders/{code}/evaluation")
def evaluate(session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> dict[str, Any]:
    """Rank the opened bids; the report (every adjustment and flag, with its rule) is public from now on."""
    before = audit.snapshot(_checked(session, code, user, data.version, clock))
    report = service.evaluate(session, code, clock).to_dict()
    audit.record_change(session, user, "update", service.get_tender(session, code), before=before, comment=data.comment)
    return report


@router.get("/tenders/{code}/evaluation", dependencies=[Depends(public)])
def evaluation_report(session: DbSession, user: Anyone, code: str) -> dict[str, Any]:
    tender = visible_tender(session, code, Viewer.of(user))
    if tender.evaluation_report is None:
        raise NotFound(
            "tender.not_evaluated",
            f"tender {code} has no evaluation report yet (it is {tender.status})",
            {"tender": code, "status": str(tender.status)},
        )
    return tender.evaluation_report


@router.post("/tenders/{code}/award")
def award(session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> TenderOut:
    return _step(session, user, clock, code, data, lambda: service.award(session, code, clock))


@router.post("/tenders/{code}/cancel")
def cancel(session: DbSession, user: Officer, clock: Clock, code: str, data: CancelIn) -> TenderOut:
    return _step(session, user, clock, code, data, lambda: service.cancel(session, code, data.reason, clock))


@router.post("/tenders/{code}/bids", status_code=status.HTTP_201_CREATED)
def submit_bid(
    session: DbSession, user: Contractor, clock: Clock, code: str, data: SealedBidIn, comment: Comment = None
) -> BidOut:
    """A contractor's sealed bid; the answer's `receipt` (SHA-256 of the sealed bytes) is its proof."""
    bidder = session.get_one(Bidder, company_of(user))
    tender = visible_tender(session, code, Viewer.of(user))
    try:
        sealed = base64.b64decode(data.sealed, validate=True)
    except binascii.Error:
        raise RuleViolation("tender.bid_malformed", "`sealed` is not base64", {"tender": code}) from None
    bid = service.submit_bid(session, code, bidder.code, sealed, clock)
    audit.record_change(session, user, "create", bid, before=None, comment=comment, code=bid_code(code, bidder))
    return bid_out(tender, bid, bidder)


@router.get("/tenders/{code}/bids")
def tender_bids(session: DbSession, user: OfficerOrContractor, code: str) -> list[BidOut]:
    """The office sees every bid of its tender (no price before the opening); a contractor only its own."""
    viewer = Viewer.of(user)
    tender = visible_tender(session, code, viewer)
    rows = service.bids_of(session, tender)
    if not viewer.runs_tenders:
        rows = [(bid, bidder) for bid, bidder in rows if bidder.id == viewer.bidder_id]
    return [bid_out(tender, bid, bidder) for bid, bidder in rows]


@router.get("/tenders/{code}/receipts/{receipt}")
def verify_receipt(session: DbSession, user: Contractor, code: str, receipt: str) -> ReceiptOut:
    """A contractor checks that its own sealed bid was opened unaltered (another company's receipt is unknown)."""
    tender = visible_tender(session, code, Viewer.of(user))
    own = select(Bid.id).where(Bid.tender_id == tender.id, Bid.receipt == receipt)
    if user.role == Role.CONTRACTOR:
        own = own.where(Bid.bidder_id == company_of(user))
    if session.scalars(own).first() is None:
        raise RuleViolation(
            "tender.receipt_unknown", f"no bid of yours in {code} has receipt {receipt}", {"tender": code}
        )
    check = service.verify_receipt(session, code, receipt)
    return ReceiptOut(
        tender_code=code,
        bidder_code=check.bidder_code,
        receipt=receipt,
        submitted_at=check.submitted_at,
        intact=check.intact,
        opened=check.opened,
        price=check.price,
    )


@router.get("/my/bids")
def my_bids(session: DbSession, user: Contractor, paging: PagingDep) -> Page[BidOut]:
    """Every bid of the contractor's company, newest first, each with its receipt."""
    query = select(Bid).where(Bid.bidder_id == company_of(user))
    total, rows = page_of(session, query, Bid, ("submitted_at", "status"), paging.model_copy(
        update={"sort": paging.sort or "-submitted_at"}))  # fmt: skip
    bidder = session.get_one(Bidder, company_of(user))
    items = [bid_out(session.get_one(Tender, bid.tender_id), bid, bidder) for bid in rows]
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)
