"""What the procurement tests share: a server clock moved by hand, a standard tender, sealed bids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from homecoming.procurement import service
from homecoming.procurement.models import Bid
from homecoming.procurement.schemas import Committee, TenderCreate

START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
ENQUIRY_END = dt.datetime(2025, 3, 10, 17, 0, tzinfo=dt.UTC)
TENDER_END = dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)
BEFORE = TENDER_END - dt.timedelta(minutes=1)
AFTER = TENDER_END + dt.timedelta(hours=1)
COMMITTEE = Committee(members=["Aliyev", "Mammadova", "Huseynov"], threshold=2)


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


def published(session: Session, clock: FakeClock, code: str = "T-1", **changes: object) -> list[str]:
    service.create_tender(session, tender_data(code, **changes))
    return service.publish_tender(session, code, COMMITTEE, clock)


def bid(session: Session, clock: FakeClock, bidder: str, price: str, code: str = "T-1") -> Bid:
    sealed = service.seal_price(session, code, bidder, Decimal(price))
    return service.submit_bid(session, code, bidder, sealed, clock)


def opened(session: Session, clock: FakeClock, shares: list[str], prices: dict[str, str], code: str = "T-1") -> None:
    """Bids at `prices` before the deadline, then the opening with the first two shares."""
    clock.at(BEFORE)
    for bidder, price in prices.items():
        bid(session, clock, bidder, price, code)
    clock.at(AFTER)
    service.open_bids(session, code, shares[:2], clock)
