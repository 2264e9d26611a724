"""Tenders and sealed bids: procurement officers run tenders, contractors bid, everyone reads what is published.

Deadlines are checked against the server's clock (`app.state.clock`, the real UTC clock unless a test sets one);
nothing the client sends says what time it is. A bid arrives already sealed to the tender's public key (the
bidder's client seals it, e.g. `homecoming tender seal`), so the server never holds a readable price before k
of the n committee members give their shares at the opening (homecoming.procurement.committee).

Thin: each route parses, calls its use-case (`homecoming.procurement.actions`: roles, versions, who sees which
bid and tender, the audit trail) and renders.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, Field
from pydantic_core import to_json
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.db import freshness
from homecoming.errors import NotFound, RuleViolation
from homecoming.http.deps import (
    AnyoneUnit,
    Comment,
    DbSession,
    Requires,
    RequiresInUnit,
    Unit,
    optional_user,
    public,
    server_clock,
)
from homecoming.http.listing import Page, PagingDep, id_for, page_of, showing_current
from homecoming.http.procurement_views import (
    BidOut,
    OpeningOut,
    PublishedTender,
    ReceiptOut,
    TenderOut,
    bid_out,
    seat_out,
    tender_out,
)
from homecoming.input_rules import InputModel
from homecoming.procurement import actions, read_models, service
from homecoming.procurement.actions import BID_READERS, CONTRACTORS, OFFICERS, SHARE_GIVERS, Viewer
from homecoming.procurement.models import Bid, Tender, TenderStatus
from homecoming.procurement.schemas import Committee, TenderCreate
from homecoming.territory.models import District
from homecoming.versions import Versioned

router = APIRouter(prefix="/api", tags=["procurement: tenders and bids"])
Officer = Annotated[User, Depends(Requires(*OFFICERS))]
Contractor = Annotated[User, Depends(Requires(*CONTRACTORS))]
ContractorUnit = Annotated[Unit, Depends(RequiresInUnit(*CONTRACTORS))]
BidReader = Annotated[User, Depends(Requires(*BID_READERS))]
Anyone = Annotated[User | None, Depends(optional_user)]
ShareGiver = Annotated[User, Depends(Requires(*SHARE_GIVERS))]
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


def _out(session: Session, tender: Tender, user: User | None, clock: service.Clock) -> TenderOut:
    return tender_out(session, tender, Viewer.of(user), service.server_now(clock))


def _current(session: Session, user: User | None, clock: service.Clock) -> Callable[[Any], BaseModel]:
    """How a stale version's current tender is shown (`details.current`)."""
    return lambda tender: _out(session, tender, user, clock)


@router.get("/tenders", dependencies=[Depends(public)], response_model=Page[TenderOut])
async def list_tenders(
    unit: AnyoneUnit,
    paging: PagingDep,
    status: TenderStatus | None = None,
    district: str | None = None,
) -> Response:
    """Kept until the next commit or the next deadline that changes a listed tender (`Unit.kept`)."""
    clock = server_clock(unit.request)

    def page(session: Session, user: User | None) -> freshness.Answer:
        now, viewer = service.server_now(clock), Viewer.of(user)
        query = actions.visible_tenders(user)
        if status is not None:
            query = query.where(Tender.status == status)
        if district is not None:
            query = query.where(Tender.district_id == id_for(session, District, district, "district"))
        total, rows = page_of(session, query, Tender, SORTABLE, paging)
        items = [tender_out(session, t, viewer, now) for t in rows]
        body = to_json(Page(total=total, limit=paging.limit, offset=paging.offset, items=items))
        # what the clock alone changes in a listed tender: its bids are counted for everyone from its deadline on
        turns = [t.tender_end for t in rows if not viewer.sees_bids_count(t, now)]
        return freshness.Answer(body, since=now, until=min(turns, default=None))

    return await unit.kept(page)


@router.post("/tenders", status_code=status.HTTP_201_CREATED)
def create_tender(
    session: DbSession, user: Officer, clock: Clock, data: TenderCreate, comment: Comment = None
) -> TenderOut:
    return _out(session, actions.create_tender(session, user, data, comment=comment), user, clock)


@router.get("/tenders/{code}", dependencies=[Depends(public)])
def get_tender(session: DbSession, user: Anyone, clock: Clock, code: str) -> TenderOut:
    return _out(session, actions.visible_tender(session, user, code), user, clock)


@router.post("/tenders/{code}/publish")
def publish_tender(session: DbSession, user: Officer, clock: Clock, code: str, data: PublishIn) -> PublishedTender:
    """Each share is sealed to its member's own public key: the answer (and the server) holds none in clear."""
    members = Committee(members=data.members, threshold=data.threshold)
    with showing_current(_current(session, user, clock)):
        seats = actions.publish_tender(session, user, code, members, now=service.server_now(clock),
                                       version=data.version, comment=data.comment)  # fmt: skip
    tender = service.get_tender(session, code)
    return PublishedTender(tender=_out(session, tender, user, clock), committee=[seat_out(s) for s in seats])


@router.post("/tenders/{code}/close-enquiries")
def close_enquiries(session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> TenderOut:
    with showing_current(_current(session, user, clock)):
        tender = actions.close_enquiries(session, user, code, now=service.server_now(clock), version=data.version,
                                         comment=data.comment)  # fmt: skip
    return _out(session, tender, user, clock)


@router.post("/tenders/{code}/opening")
def give_share(session: DbSession, user: ShareGiver, clock: Clock, code: str, data: OpeningIn) -> OpeningOut:
    """The public opening: after the deadline, each committee member gives its own share (a member's account, or
    the office for a member present); the k-th opens every bid. One audit entry, the seat's (the share only as
    its size); the share that opens holds the tender's and each bid's change in it (prices appear only then)."""
    opening = actions.give_share(session, user, code, data.share, now=service.server_now(clock), comment=data.comment)
    return OpeningOut(
        tender=_out(session, opening.tender, user, clock),
        shares_given=opening.given,
        shares_needed=opening.needed,
        opened=opening.opened,
    )


@router.post("/tenders/{code}/disqualify")
def disqualify_bid(session: DbSession, user: Officer, clock: Clock, code: str, data: DisqualifyIn) -> BidOut:
    with showing_current(_current(session, user, clock)):
        seen = actions.disqualify_bid(session, user, code, data.bidder_code, data.reason, version=data.version,
                                      comment=data.comment)  # fmt: skip
    return bid_out(seen)


@router.post("/tenders/{code}/evaluation")
def evaluate(session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> dict[str, Any]:
    """Rank the opened bids; the report (every adjustment and flag, with its rule) is public from now on."""
    with showing_current(_current(session, user, clock)):
        report = actions.evaluate(session, user, code, now=service.server_now(clock), version=data.version,
                                  comment=data.comment)  # fmt: skip
    return report.to_dict()


@router.get("/tenders/{code}/evaluation", dependencies=[Depends(public)])
def evaluation_report(session: DbSession, user: Anyone, code: str) -> dict[str, Any]:
    tender = actions.visible_tender(session, user, code)
    if tender.evaluation_report is None:
        raise NotFound(
            "tender.not_evaluated",
            f"tender {code} has no evaluation report yet (it is {tender.status})",
            {"tender": code, "status": str(tender.status)},
        )
    return tender.evaluation_report


@router.post("/tenders/{code}/award")
def award(request: Request, session: DbSession, user: Officer, clock: Clock, code: str, data: Versioned) -> TenderOut:
    """The standstill starts (`standstill_ends_at`): bidders may complain until it ends, and nobody may sign."""
    days = request.app.state.settings.standstill_days
    with showing_current(_current(session, user, clock)):
        tender = actions.award(session, user, code, now=service.server_now(clock), version=data.version,
                               comment=data.comment, standstill_days=days)  # fmt: skip
    return _out(session, tender, user, clock)


@router.post("/tenders/{code}/cancel")
def cancel(session: DbSession, user: Officer, clock: Clock, code: str, data: CancelIn) -> TenderOut:
    with showing_current(_current(session, user, clock)):
        tender = actions.cancel(session, user, code, data.reason, now=service.server_now(clock),
                                version=data.version, comment=data.comment)  # fmt: skip
    return _out(session, tender, user, clock)


@router.post("/tenders/{code}/bids", status_code=status.HTTP_201_CREATED)
def submit_bid(
    session: DbSession, user: Contractor, clock: Clock, code: str, data: SealedBidIn, comment: Comment = None
) -> BidOut:
    """A contractor's sealed bid; the answer's `receipt` (SHA-256 of the sealed bytes) is its proof."""
    try:
        sealed = base64.b64decode(data.sealed, validate=True)
    except binascii.Error:
        raise RuleViolation("tender.bid_malformed", "`sealed` is not base64", {"tender": code}) from None
    return bid_out(actions.submit_bid(session, user, code, sealed, now=service.server_now(clock), comment=comment))


@router.get("/tenders/{code}/bids")
def tender_bids(session: DbSession, user: BidReader, code: str) -> list[BidOut]:
    """The bids this account may see (`actions.visible_bids`): before the opening the office every bid and a
    contractor its own, none with a price; from the opening on every bid with its price."""
    return [bid_out(seen) for seen in actions.visible_bids(session, user, code)]


@router.get("/tenders/{code}/receipts/{receipt}")
def verify_receipt(session: DbSession, user: Contractor, code: str, receipt: str) -> ReceiptOut:
    """A contractor checks that its own sealed bid was opened unaltered (another company's receipt is unknown)."""
    check = actions.verify_receipt(session, user, code, receipt)
    return ReceiptOut(
        tender_code=code,
        bidder_code=check.bidder_code,
        receipt=receipt,
        submitted_at=check.submitted_at,
        intact=check.intact,
        opened=check.opened,
        price=check.price,
    )


@router.get("/my/bids", response_model=Page[BidOut])
async def my_bids(unit: ContractorUnit, paging: PagingDep) -> Response:
    """Every bid of the contractor's company, newest first, each with its receipt."""

    def page(session: Session, user: User | None) -> Page[BidOut]:
        assert user is not None  # the route's rule lets only an account through
        total, rows = page_of(session, actions.own_bids(user), Bid, ("submitted_at", "status"), paging.model_copy(
            update={"sort": paging.sort or "-submitted_at"}))  # fmt: skip
        bidder = read_models.bidder(session, actions.company_of(user))
        items = [bid_out(actions.bid_seen(read_models.tender(session, bid.tender_id), bid, bidder)) for bid in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.respond(page)
