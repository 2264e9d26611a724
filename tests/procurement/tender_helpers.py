"""What the procurement tests share: a server clock moved by hand, a standard tender, sealed bids, and a committee
whose members each hold their own key (the helpers play the members: they unwrap their sealed shares)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.procurement import committee, sealing, service
from homecoming.procurement.models import Bid, CommitteeMember, Tender
from homecoming.procurement.schemas import Committee, CommitteeMemberCreate, TenderCreate

START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
ENQUIRY_END = dt.datetime(2025, 3, 10, 17, 0, tzinfo=dt.UTC)
TENDER_END = dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)
BEFORE = TENDER_END - dt.timedelta(minutes=1)
AFTER = TENDER_END + dt.timedelta(hours=1)
COMMITTEE = Committee(members=["Aliyev", "Mammadova", "Huseynov"], threshold=2)
MEMBER_KEYS = {name: sealing.member_key_pair() for name in COMMITTEE.members}  # made "on each member's machine"


@dataclass
class FakeClock:
    """The server's clock in tests: set to a moment, moved on by hand."""

    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, moment: dt.datetime) -> FakeClock:
        self.now = moment
        return self


def tender_data(code: str = "T-1", **changes: object) -> TenderCreate:
    fields: dict[str, object] = {
        "code": code,
        "title": "Zabukh road, 4 km",
        "project_code": "zabukh-road",
        "district_code": "lachin",
        "budget_allocation_code": "roads-2025",
        "currency": "AZN",
        "estimate_amount": 500_000,
        "qualification_criteria": "three similar roads in five years; turnover above 1 million AZN",
        "enquiry_end": ENQUIRY_END,
        "tender_end": TENDER_END,
    }
    return TenderCreate.model_validate({**fields, **changes})


def ensure_committee(session: Session) -> None:
    """The three members registered by their public keys (once per database)."""
    for name, (_private, public) in MEMBER_KEYS.items():
        if session.scalars(select(CommitteeMember.id).where(CommitteeMember.name == name)).first() is None:
            data = CommitteeMemberCreate(name=name, public_key=sealing.format_public_key(public))
            committee.register_member(session, data)


def publish(session: Session, code: str, clock: FakeClock) -> list[str]:
    """Publish with COMMITTEE, then each member unwraps its own sealed share with its own key: the shares."""
    ensure_committee(session)
    seats = committee.publish_tender(session, code, COMMITTEE, clock)
    return [member_share(seat.member, seat.sealed_share) for seat in seats]


def member_share(member: str, sealed_share: str) -> str:
    return sealing.unwrap_share(sealing.load_member_key(MEMBER_KEYS[member][0]), sealed_share)


def published(session: Session, clock: FakeClock, code: str = "T-1", **changes: object) -> list[str]:
    service.create_tender(session, tender_data(code, **changes))
    return publish(session, code, clock)


def give_shares(session: Session, code: str, shares: list[str], clock: FakeClock) -> Tender:
    """The members give their shares one after the other; the tender as the last one left it."""
    opening = None
    for share in shares:
        opening = committee.give_share(session, code, share, clock)
    assert opening is not None
    return opening.tender


def bid(session: Session, clock: FakeClock, bidder: str, price: str, code: str = "T-1") -> Bid:
    sealed = service.seal_price(session, code, bidder, Decimal(price))
    return service.submit_bid(session, code, bidder, sealed, clock)


def opened(session: Session, clock: FakeClock, shares: list[str], prices: dict[str, str], code: str = "T-1") -> None:
    """Bids at `prices` before the deadline, then the opening with the first two shares."""
    clock.at(BEFORE)
    for bidder, price in prices.items():
        bid(session, clock, bidder, price, code)
    clock.at(AFTER)
    give_shares(session, code, shares[:2], clock)
