"""Procurement's use-cases: every change of a tender, bid, opening, evaluation and award, and every read whose
answer depends on who asks (which tenders, which bids and prices). The API, the pages and the CLI call these and
nothing else, so each rule (who may, what they see, what is audited) is written here once.

Each write: role, version, the change (services flush), then its one audit entry (a request that changes more than
one record files the others' before and after inside it), in the caller's unit of work; a refusal raises before
anything is written. Contracts, inspections, payments and prices: `contract_actions`.

The bid policy (docs/formats.md, "Who sees which bid"): before the opening a procurement officer sees that each
bid arrived (no price: none exists in clear), a contractor only its own company's, the public none; from the
opening on, every bid and its price is public, as read out at a public bid opening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import require_role
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import get_by_code
from homecoming.errors import Forbidden, NotFound, RuleViolation
from homecoming.procurement import committee, service
from homecoming.procurement.models import Bid, Bidder, BidStatus, CommitteeMember, Tender, TenderStatus
from homecoming.procurement.rules import EvaluationReport
from homecoming.procurement.schemas import BidderCreate, Committee, CommitteeMemberCreate, TenderCreate
from homecoming.versions import check_version

Comment = str | None

OFFICERS = (Role.PROCUREMENT_OFFICER,)  # run tenders, contracts and prices
CONTRACTORS = (Role.CONTRACTOR,)  # bid for their own company
BID_READERS = (Role.PROCUREMENT_OFFICER, Role.CONTRACTOR)  # read a tender's bid register
SHARE_GIVERS = tuple(role for role in Role if role != Role.PUBLIC)  # a member's own account, whatever its role
RUNS_TENDERS = committee.RUNS_OPENINGS  # the office runs tenders and their openings


@dataclass(frozen=True)
class Viewer:
    """Who is asking, as far as procurement is concerned."""

    role: Role
    username: str | None
    bidder_id: int | None

    @classmethod
    def of(cls, user: User | None) -> Viewer:
        if user is None:
            return cls(Role.PUBLIC, None, None)
        return cls(user.role, user.username, user.bidder_id if user.role == Role.CONTRACTOR else None)

    @property
    def runs_tenders(self) -> bool:
        return self.role in RUNS_TENDERS

    @property
    def is_outsider(self) -> bool:
        """The public and companies: published tenders only, no personal data."""
        return self.role in {Role.PUBLIC, Role.CONTRACTOR}

    def sees_bids_count(self, tender: Tender, now: dt.datetime) -> bool:
        """How many bids came is the office's business until bidding closes (then everyone's)."""
        return self.runs_tenders or tender.opened_at is not None or now >= tender.tender_end


# --- reads whose answer depends on who asks ---------------------------------------------------------------------


def visible_tenders(actor: User | None) -> Select[Tender]:
    """The tenders a viewer may list (a query the door filters, orders and pages)."""
    query = select(Tender)
    if Viewer.of(actor).is_outsider:
        query = query.where(Tender.status != TenderStatus.DRAFT)
    return query


def visible_tender(session: Session, actor: User | None, code: str) -> Tender:
    """A draft is the office's business: to the public and companies it does not exist yet."""
    tender = service.get_tender(session, code)
    if Viewer.of(actor).is_outsider and tender.status is TenderStatus.DRAFT:
        raise NotFound("tenders.not_found", f"no tender with code {code!r}", {"code": code})
    return tender


@dataclass(frozen=True)
class BidSeen:
    """A bid as one viewer may see it: `price` is None while it is sealed."""

    tender: Tender
    bid: Bid
    bidder: Bidder
    price: float | None


def bid_seen(tender: Tender, bid: Bid, bidder: Bidder) -> BidSeen:
    opened = tender.opened_at is not None and bid.status is not BidStatus.SEALED
    price = float(bid.opened_price) if opened and bid.opened_price is not None else None
    return BidSeen(tender, bid, bidder, price)


def visible_bids(session: Session, actor: User | None, code: str) -> list[BidSeen]:
    """The one bid policy (see the module's docstring), for the API, the tender page and the CLI."""
    tender = visible_tender(session, actor, code)
    viewer = Viewer.of(actor)
    rows = service.bids_of(session, tender)
    if tender.opened_at is None and not viewer.runs_tenders:
        rows = [(bid, bidder) for bid, bidder in rows if viewer.bidder_id is not None and bidder.id == viewer.bidder_id]
    return [bid_seen(tender, bid, bidder) for bid, bidder in rows]


def own_bids(actor: User | None) -> Select[Bid]:
    """Every bid of the contractor's company (a query the door orders and pages)."""
    require_role(actor, *CONTRACTORS)
    return select(Bid).where(Bid.bidder_id == company_of(actor))


def visible_own_bids(session: Session, actor: User | None) -> tuple[Bidder | None, list[tuple[BidSeen, str]]]:
    """The contractor's company and its bids, newest first, each as its company sees it with its tender's title (an
    admin speaks for no company: none, and no bids)."""
    user = require_role(actor, *CONTRACTORS)
    bidder = session.get(Bidder, user.bidder_id) if user.bidder_id is not None else None
    if bidder is None:
        return None, []
    query = own_bids(user).order_by(Bid.submitted_at.desc(), Bid.id)
    tenders = [(bid, session.get_one(Tender, bid.tender_id)) for bid in session.scalars(query)]
    return bidder, [(bid_seen(tender, bid, bidder), tender.title) for bid, tender in tenders]


def company_of(actor: User | None) -> int:
    if actor is None or actor.bidder_id is None:
        name = actor.username if actor is not None else None
        raise Forbidden(
            "auth.no_company", f"the account {name} speaks for no company; bids come from a contractor account",
            {"username": name},
        )  # fmt: skip
    return actor.bidder_id


def verify_receipt(session: Session, actor: User | None, code: str, receipt: str) -> service.ReceiptCheck:
    """A contractor checks its own sealed bid was opened unaltered (another company's receipt is unknown to it)."""
    require_role(actor, *CONTRACTORS)
    tender = visible_tender(session, actor, code)
    own = select(Bid.id).where(Bid.tender_id == tender.id, Bid.receipt == receipt)
    if actor is not None and actor.role == Role.CONTRACTOR:
        own = own.where(Bid.bidder_id == company_of(actor))
    if session.scalars(own).first() is None:
        raise RuleViolation(
            "tender.receipt_unknown", f"no bid of yours in {code} has receipt {receipt}", {"tender": code}
        )
    return service.verify_receipt(session, code, receipt)


def visible_seats(session: Session, actor: User | None, code: str) -> list[committee.SeatView]:
    """The office sees every seat; a member's account its own; anyone else is refused."""
    user = require_role(actor, *SHARE_GIVERS)
    seats = committee.seat_views(session, visible_tender(session, actor, code), user)
    if not seats and user.role not in committee.RUNS_OPENINGS:
        raise Forbidden(
            "committee.not_your_seat", f"the account {user.username} has no seat on {code}'s committee",
            {"tender": code},
        )  # fmt: skip
    return seats


def committee_members(session: Session, actor: User | None) -> list[CommitteeMember]:
    require_role(actor, *OFFICERS)
    return committee.members(session)


# --- writes ---------------------------------------------------------------------------------------------------


def _at(now: dt.datetime) -> service.Clock:
    return lambda: now


def bid_code(tender_code: str, bidder: Bidder) -> str:
    """What the audit trail files a bid under (a bid has no code of its own): `<tender>/<bidder>`."""
    return f"{tender_code}/{bidder.code}"


def register_bidder(session: Session, actor: User | None, data: BidderCreate, *, comment: str | None = None) -> Bidder:
    user = require_role(actor, *OFFICERS)
    bidder = service.register_bidder(session, data)
    audit.record_change(session, user, "create", bidder, before=None, comment=comment)
    return bidder


def create_tender(session: Session, actor: User | None, data: TenderCreate, *, comment: str | None = None) -> Tender:
    user = require_role(actor, *OFFICERS)
    tender = service.create_tender(session, data)
    audit.record_change(session, user, "create", tender, before=None, comment=comment)
    return tender


def _checked(
    session: Session, actor: User | None, code: str, version: int | None
) -> tuple[User, Tender, dict[str, Any]]:
    user = require_role(actor, *OFFICERS)
    tender = service.get_tender(session, code)
    if version is not None:
        check_version(tender, version)
    return user, tender, audit.snapshot(tender)


def publish_tender(
    session: Session, actor: User | None, code: str, members: Committee, *, now: dt.datetime,
    version: int | None, comment: str | None = None,
) -> list[committee.SeatView]:  # fmt: skip
    """Each share is sealed to its member's own public key: the answer holds none in clear."""
    user, tender, before = _checked(session, actor, code, version)
    seats = committee.publish_tender(session, code, members, _at(now))
    audit.record_change(session, user, "update", tender, before=before, comment=comment)
    return seats


def close_enquiries(
    session: Session, actor: User | None, code: str, *, now: dt.datetime, version: int | None, comment: Comment = None
) -> Tender:
    user, tender, before = _checked(session, actor, code, version)
    service.close_enquiries(session, code, _at(now))
    audit.record_change(session, user, "update", tender, before=before, comment=comment)
    return tender


def evaluate(
    session: Session, actor: User | None, code: str, *, now: dt.datetime, version: int | None, comment: Comment = None
) -> EvaluationReport:
    """Rank the opened bids; the report (every adjustment and flag, with its rule) is public from now on."""
    user, tender, before = _checked(session, actor, code, version)
    report = service.evaluate(session, code, _at(now))
    audit.record_change(session, user, "update", tender, before=before, comment=comment)
    return report


def award(
    session: Session, actor: User | None, code: str, *, now: dt.datetime, version: int | None, comment: Comment = None,
    standstill_days: int | None = None,
) -> Tender:  # fmt: skip
    """The award starts the standstill (`standstill_days`, the setting's by default): complaints, no signing."""
    user, tender, before = _checked(session, actor, code, version)
    service.award(session, code, _at(now), standstill_days)
    audit.record_change(session, user, "update", tender, before=before, comment=comment)
    return tender


def cancel(
    session: Session, actor: User | None, code: str, reason: str, *, now: dt.datetime, version: int | None,
    comment: str | None = None,
) -> Tender:  # fmt: skip
    user, tender, before = _checked(session, actor, code, version)
    service.cancel(session, code, reason, _at(now))
    audit.record_change(session, user, "update", tender, before=before, comment=comment)
    return tender


def disqualify_bid(
    session: Session, actor: User | None, code: str, bidder_code: str, reason: str, *, version: int | None,
    comment: str | None = None,
) -> BidSeen:  # fmt: skip
    """Record that an opened bid fails a published qualification criterion."""
    user, tender, _before = _checked(session, actor, code, version)
    bidder = get_by_code(session, Bidder, bidder_code)
    old = session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.bidder_id == bidder.id)).first()
    before = None if old is None else audit.snapshot(old)
    bid = service.disqualify_bid(session, code, bidder_code, reason)
    audit.record_change(session, user, "update", bid, before=before, comment=comment, code=bid_code(code, bidder))
    return bid_seen(tender, bid, bidder)


def submit_bid(
    session: Session, actor: User | None, code: str, sealed: bytes, *, bidder_code: str | None = None,
    now: dt.datetime, comment: str | None = None,
) -> BidSeen:  # fmt: skip
    """A sealed bid from a contractor for its own company (or, by the office, for the company named: a bid
    delivered by hand); its `receipt` (SHA-256 of the sealed bytes) is the bidder's proof."""
    user = require_role(actor, *CONTRACTORS)
    if bidder_code is None or user.role == Role.CONTRACTOR:
        bidder = session.get_one(Bidder, company_of(user))
        if bidder_code not in (None, bidder.code):
            raise Forbidden("auth.not_your_company", f"the account {user.username} bids only as {bidder.code}")
    else:
        bidder = get_by_code(session, Bidder, bidder_code)
    tender = visible_tender(session, user, code)
    bid = service.submit_bid(session, code, bidder.code, sealed, _at(now))
    audit.record_change(session, user, "create", bid, before=None, comment=comment, code=bid_code(code, bidder))
    return bid_seen(tender, bid, bidder)


def register_member(
    session: Session, actor: User | None, data: CommitteeMemberCreate, *, comment: str | None = None
) -> CommitteeMember:
    """Only the member's public key is registered (the member made the pair on its own machine)."""
    user = require_role(actor, *OFFICERS)
    member = committee.register_member(session, data)
    audit.record_change(session, user, "create", member, before=None, comment=comment, code=member.name[:64])
    return member


def give_share(
    session: Session, actor: User | None, code: str, share: str, *, now: dt.datetime, comment: str | None = None
) -> committee.Opening:
    """The public opening: after the deadline each member gives its share (its own account, or the office for a
    member present); the k-th opens every bid. One entry, filed under the seat (the share only as its size); the
    share that closes the tendering also holds the tender's change (`tender_change`) and each opened bid's
    (`bid_changes`): prices appear only in the entry made then."""
    user = require_role(actor, *SHARE_GIVERS)
    tender = service.get_tender(session, code)
    before = audit.snapshot(tender)
    seats = [(seat, audit.snapshot(seat)) for seat, _m in committee.seats_of(session, tender)]
    bids = [(bid, bidder, audit.snapshot(bid)) for bid, bidder in service.bids_of(session, tender)]
    opening = committee.give_share(session, code, share, _at(now), user)
    seat, was = next((seat, was) for seat, was in seats if was["given_at"] is None and seat.given_at is not None)
    after = audit.snapshot(seat)
    if opening.tender.status is not TenderStatus(before["status"]):
        after["tender_change"] = audit.linked_change(tender, before)
    opened = [audit.linked_change(bid, bid_was, bid_code(code, bidder)) for bid, bidder, bid_was in bids
              if audit.snapshot(bid) != bid_was]  # fmt: skip
    if opened:
        after["bid_changes"] = opened
    filed = f"{code}/seat-{seat.share_index}"
    audit.record_change(session, user, "update", seat, before=was, after=after, comment=comment, code=filed)
    return opening
