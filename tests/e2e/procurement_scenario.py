"""Example tenders for the browser tests (test data, not facts: the demo ships no tender, and their titles say so).

EX-1 is done (three bids, a preference margin, an abnormally low bid, a contract half paid); EX-2 had a single bid
awarded far above its estimate (two red flags); EX-3 is open now by the real clock, with two sealed bids.
The contractor account speaks for Azer Build; Kur Insaat has no account here. The three committee members each
hold their own key pair (made here, as on their machines); the scenario plays them when it opens the bids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.procurement import amendments, committee, complaints, contracts, sealing, service
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import (
    AmendmentCreate,
    BidderCreate,
    Committee,
    CommitteeMemberCreate,
    ContractCreate,
    InspectionCreate,
    MilestoneCreate,
    TenderCreate,
)

CONTRACTOR_COMPANY = "azer-build"
ALLOCATION = "2025-allocated-azn"  # a demo budget line the example contract is committed against
COMMITTEE = Committee(members=["Aliyev", "Mammadova", "Huseynov"], threshold=2)
MEMBER_KEYS = {name: sealing.member_key_pair() for name in COMMITTEE.members}
START = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


def _at(moment: dt.datetime) -> service.Clock:
    return lambda: moment


def _tender(session: Session, code: str, title: str, district: str, estimate: float, start: dt.datetime,
            days: int = 30) -> list[str]:  # fmt: skip
    data = TenderCreate(
        code=code,
        title=title,
        district_code=district,
        budget_allocation_code=ALLOCATION,
        currency="AZN",
        estimate_amount=estimate,
        qualification_criteria="two similar works in five years; annual turnover above the estimate",
        preference_category="local",
        preference_margin_pct=5,
        abnormally_low_pct=10,
        enquiry_end=start + dt.timedelta(days=10),
        tender_end=start + dt.timedelta(days=days),
    )
    service.create_tender(session, data)
    seats = committee.publish_tender(session, code, COMMITTEE, _at(start))
    keys = {name: sealing.load_member_key(pem) for name, (pem, _public) in MEMBER_KEYS.items()}
    return [sealing.unwrap_share(keys[seat.member], seat.sealed_share) for seat in seats]


def _bid(session: Session, code: str, bidder: str, price: str, at: dt.datetime) -> None:
    sealed = service.seal_price(session, code, bidder, Decimal(price))
    service.submit_bid(session, code, bidder, sealed, _at(at))


def _closed(session: Session, code: str, prices: dict[str, str], shares: list[str], end: dt.datetime) -> None:
    for bidder, price in prices.items():
        _bid(session, code, bidder, price, end - dt.timedelta(days=2))
    after = _at(end + dt.timedelta(hours=1))
    for share in shares[:2]:
        committee.give_share(session, code, share, after)
    service.evaluate(session, code, after)
    service.award(session, code, after)


def _complained(session: Session, code: str, at: dt.datetime) -> None:
    """Azer Build complains within the standstill; the review (an admin) rejects it three days later."""
    tender = service.get_tender(session, code)
    azer = session.scalars(select(Bidder).where(Bidder.code == CONTRACTOR_COMPANY)).one()
    filed = complaints.file_complaint(session, tender, azer.id, "Kur Insaat's two schools are not finished", _naive(at))
    reason = "both schools were handed over in 2024; the certificates are in the qualification file"
    complaints.decide_complaint(session, filed, False, None, reason, _naive(at + dt.timedelta(days=3)))


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)


def amend(session: Session) -> None:
    """C-EX-1's variation orders, once the accounts exist: a later completion approved by the planner, and a price
    rise the office asked for, awaiting approval."""
    officer = session.scalars(select(User).where(User.username == "procurement_officer")).one()
    planner = session.scalars(select(User).where(User.username == "planner")).one()
    contract = contracts.get_contract(session, "C-EX-1")
    later = AmendmentCreate(reason="winter stopped the works for two months", new_end_date=dt.date(2025, 11, 1),
                            scope="the roof of the sports hall added")  # fmt: skip
    first = amendments.request_amendment(session, contract, later, officer.id, _naive(START + dt.timedelta(days=120)))
    amendments.decide_amendment(session, contract, first, True, planner.id, _naive(START + dt.timedelta(days=122)))
    rise = AmendmentCreate(reason="rock under the foundations of the hall", new_value=480_000)
    amendments.request_amendment(session, contract, rise, officer.id, _naive(START + dt.timedelta(days=150)))


def load(session: Session) -> str:
    """Adds the example tenders; returns the code of the company the contractor account speaks for."""
    for code, name, category in (("azer-build", "Azer Build", "local"), ("kur-insaat", "Kur Insaat", "local"),
                                 ("euro-works", "Euro Works", "foreign")):  # fmt: skip
        service.register_bidder(session, BidderCreate(code=code, name=name, category=category))
    for member, (_pem, public) in MEMBER_KEYS.items():
        committee.register_member(
            session, CommitteeMemberCreate(name=member, public_key=sealing.format_public_key(public))
        )
    shares = _tender(session, "EX-1", "Example (test data): village school repairs", "lachin", 500_000, START)
    prices = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
    _closed(session, "EX-1", prices, shares, START + dt.timedelta(days=30))
    _complained(session, "EX-1", START + dt.timedelta(days=32))
    signed = _at(START + dt.timedelta(days=41))  # after the award's 10-day standstill
    milestones = [MilestoneCreate(title="walls and roof", amount=200_000, due_date=dt.date(2025, 6, 1)),
                  MilestoneCreate(title="finishing", amount=255_000, due_date=dt.date(2025, 9, 1))]  # fmt: skip
    contracts.sign_contract(session, "EX-1", ContractCreate(code="C-EX-1", milestones=milestones), signed)
    report = InspectionCreate(inspector="Rahimov", inspected_on=dt.date(2025, 6, 2), passed=True, lat=39.63, lon=46.55)
    inspection = contracts.record_inspection(session, "C-EX-1", 1, report)
    contracts.approve_inspection(session, inspection.id, "Karimova", _at(START + dt.timedelta(days=95)))
    contracts.pay_milestone(session, "C-EX-1", 1, 200_000, _at(START + dt.timedelta(days=100)))
    later = START + dt.timedelta(days=60)
    shares = _tender(session, "EX-2", "Example (test data): water pipe, 3 km", "kalbajar", 100_000, later)
    _closed(session, "EX-2", {"kur-insaat": "150000"}, shares, later + dt.timedelta(days=30))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    _tender(session, "EX-3", "Example (test data): clinic roof", "lachin", 250_000, now - dt.timedelta(hours=1))
    _bid(session, "EX-3", "azer-build", "243500", now)
    _bid(session, "EX-3", "kur-insaat", "238900", now)
    return CONTRACTOR_COMPANY
