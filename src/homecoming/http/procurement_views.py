"""What the procurement API returns and its pages show. Nothing here ever carries a sealed bid, a clear share or a
price before the opening.

Who sees what is decided in the domain (`homecoming.procurement.actions`: `Viewer`, `visible_bids`); these
functions only render what it decided.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.listing import Codes
from homecoming.procurement import sealing
from homecoming.procurement.actions import BidSeen, Viewer
from homecoming.procurement.committee import SeatView
from homecoming.procurement.models import (
    Bid,
    Bidder,
    BidStatus,
    BillOfQuantities,
    BoqLine,
    CommitteeMember,
    Contract,
    ContractStatus,
    Inspection,
    Milestone,
    Payment,
    PriceItem,
    PriceList,
    ProcurementCategory,
    Tender,
    TenderStatus,
)
from homecoming.territory.models import Region
from homecoming.works.models import Project


class TenderOut(BaseModel):
    code: str
    title: str
    category: ProcurementCategory
    status: TenderStatus
    project_code: str | None
    district_code: str | None
    currency: str
    estimate_amount: float
    qualification_criteria: str
    min_bids: int
    preference_category: str | None
    preference_margin_pct: float
    abnormally_low_pct: float
    enquiry_end: dt.datetime
    tender_end: dt.datetime
    published_at: dt.datetime | None
    opened_at: dt.datetime | None
    awarded_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str | None
    opening_threshold: int | None
    public_key: str | None  # base64 of the X25519 key a bidder's client seals its price to
    key_fingerprint: str | None
    bids_count: int | None  # withheld from outsiders until the bids are opened
    winner_code: str | None
    winner_name: str | None  # the company's name, for people; the code is for clerks and other systems
    award_amount: float | None
    has_evaluation_report: bool
    version: int
    standstill_ends_at: dt.datetime | None = None  # from the award: complaints until then, no signing before
    illustrative: bool = False  # made up by the demo to show the pages: say so wherever it is shown


class SeatOut(BaseModel):
    """A committee seat: the member's share sealed to the member's own key (useless without that key)."""

    member: str
    share_index: int
    member_key_fingerprint: str
    sealed_share: str  # `<tender>:<index>:<base64>`: the member runs `homecoming committee unwrap` on it
    given: bool


class PublishedTender(BaseModel):
    tender: TenderOut
    committee: list[SeatOut]  # no share in clear: each is sealed to its member's public key


class OpeningOut(BaseModel):
    tender: TenderOut
    shares_given: int
    shares_needed: int
    opened: bool


class CommitteeMemberOut(BaseModel):
    name: str
    public_key: str  # base64
    key_fingerprint: str
    username: str | None


class BidOut(BaseModel):
    tender_code: str
    bidder_code: str
    bidder_name: str
    receipt: str
    submitted_at: dt.datetime
    status: BidStatus
    price: float | None  # None until the opening: before it the price exists only sealed
    disqualification_reason: str | None


class ReceiptOut(BaseModel):
    tender_code: str
    bidder_code: str
    receipt: str
    submitted_at: dt.datetime
    intact: bool
    opened: bool
    price: float | None


class InspectionOut(BaseModel):
    id: int
    milestone_number: int
    inspector: str | None  # personal data: staff only
    inspected_on: dt.date
    passed: bool
    photos: int
    photo_keys: list[str]  # staff only
    lat: float | None
    lon: float | None
    approved: bool
    approved_by: str | None  # staff only
    approved_at: dt.datetime | None


class PaymentOut(BaseModel):
    milestone_number: int
    amount: float
    paid_at: dt.datetime
    inspection_id: int


class MilestoneOut(BaseModel):
    number: int
    title: str
    amount: float
    due_date: dt.date | None
    paid: float
    inspections: list[InspectionOut]
    payments: list[PaymentOut]


class ContractOut(BaseModel):
    code: str
    tender_code: str
    bidder_code: str
    bidder_name: str
    value: float
    currency: str
    rate_to_azn: float
    signed_at: dt.datetime
    status: ContractStatus
    paid: float
    milestones: list[MilestoneOut]
    illustrative: bool = False  # made up by the demo to show the pages: say so wherever it is shown


class PriceListOut(BaseModel):
    code: str
    region_code: str | None
    effective_date: dt.date
    currency: str
    items: list[dict[str, Any]]
    source_url: str | None
    source_date: dt.date | None


class BillOfQuantitiesOut(BaseModel):
    code: str
    title: str
    project_code: str | None
    lines: list[dict[str, Any]]


def tender_out(session: Session, tender: Tender, viewer: Viewer, now: dt.datetime) -> TenderOut:
    codes = Codes(session)
    bids = session.scalar(select(func.count()).where(Bid.tender_id == tender.id)) or 0
    counted = viewer.sees_bids_count(tender, now)
    key = tender.public_key
    winner = session.get(Bidder, tender.winning_bidder_id) if tender.winning_bidder_id is not None else None
    return TenderOut(
        code=tender.code,
        title=tender.title,
        category=tender.category,
        status=tender.status,
        project_code=codes.of(Project, tender.project_id),
        district_code=codes.district(tender.district_id),
        currency=tender.currency,
        estimate_amount=float(tender.estimate_amount),
        qualification_criteria=tender.qualification_criteria,
        min_bids=tender.min_bids,
        preference_category=tender.preference_category,
        preference_margin_pct=tender.preference_margin_pct,
        abnormally_low_pct=tender.abnormally_low_pct,
        enquiry_end=tender.enquiry_end,
        tender_end=tender.tender_end,
        published_at=tender.published_at,
        opened_at=tender.opened_at,
        awarded_at=tender.awarded_at,
        closed_at=tender.closed_at,
        close_reason=tender.close_reason,
        opening_threshold=tender.opening_threshold,
        public_key=base64.b64encode(key).decode() if key else None,
        key_fingerprint=sealing.key_fingerprint(key) if key else None,
        bids_count=bids if counted else None,
        winner_code=winner.code if winner is not None else None,
        winner_name=winner.name if winner is not None else None,
        award_amount=float(tender.award_amount) if tender.award_amount is not None else None,
        has_evaluation_report=tender.evaluation_report is not None,
        version=tender.version,
        standstill_ends_at=tender.standstill_ends_at,
        illustrative=tender.illustrative,
    )


def seat_out(seat: SeatView) -> SeatOut:
    return SeatOut.model_validate(seat, from_attributes=True)  # the same fields, field for field


def member_out(session: Session, member: CommitteeMember) -> CommitteeMemberOut:
    user = session.get(User, member.user_id) if member.user_id is not None else None
    return CommitteeMemberOut(
        name=member.name,
        public_key=base64.b64encode(member.public_key).decode(),
        key_fingerprint=sealing.key_fingerprint(member.public_key),
        username=user.username if user is not None else None,
    )


def bid_out(seen: BidSeen) -> BidOut:
    return BidOut(
        tender_code=seen.tender.code,
        bidder_code=seen.bidder.code,
        bidder_name=seen.bidder.name,
        receipt=seen.bid.receipt,
        submitted_at=seen.bid.submitted_at,
        status=seen.bid.status,
        price=seen.price,
        disqualification_reason=seen.bid.disqualification_reason,
    )


def inspection_out(inspection: Inspection, number: int, viewer: Viewer) -> InspectionOut:
    staff = not viewer.is_outsider
    return InspectionOut(
        id=inspection.id,
        milestone_number=number,
        inspector=inspection.inspector if staff else None,
        inspected_on=inspection.inspected_on,
        passed=inspection.passed,
        photos=len(inspection.photos),
        photo_keys=list(inspection.photos) if staff else [],
        lat=inspection.lat,
        lon=inspection.lon,
        approved=inspection.approved_by is not None,
        approved_by=inspection.approved_by if staff else None,
        approved_at=inspection.approved_at,
    )


def payment_out(number: int, payment: Payment) -> PaymentOut:
    return PaymentOut(
        milestone_number=number,
        amount=float(payment.amount),
        paid_at=payment.paid_at,
        inspection_id=payment.inspection_id,
    )


def contract_out(session: Session, contract: Contract, viewer: Viewer) -> ContractOut:
    codes = Codes(session)
    milestones = list(
        session.scalars(select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.number))
    )
    ids = [m.id for m in milestones]
    inspections = list(
        session.scalars(select(Inspection).where(Inspection.milestone_id.in_(ids)).order_by(Inspection.id))
    )
    payments = list(session.scalars(select(Payment).where(Payment.milestone_id.in_(ids)).order_by(Payment.id)))
    bidder = session.get_one(Bidder, contract.bidder_id)
    rows = []
    for m in milestones:
        paid = [p for p in payments if p.milestone_id == m.id]
        rows.append(
            MilestoneOut(
                number=m.number,
                title=m.title,
                amount=float(m.amount),
                due_date=m.due_date,
                paid=round(sum(float(p.amount) for p in paid), 2),
                inspections=[inspection_out(i, m.number, viewer) for i in inspections if i.milestone_id == m.id],
                payments=[payment_out(m.number, p) for p in paid],
            )
        )
    return ContractOut(
        code=contract.code,
        tender_code=codes.of(Tender, contract.tender_id) or "",
        bidder_code=bidder.code,
        bidder_name=bidder.name,
        value=float(contract.value),
        currency=contract.currency,
        rate_to_azn=contract.rate_to_azn,
        signed_at=contract.signed_at,
        status=contract.status,
        paid=round(sum(r.paid for r in rows), 2),
        milestones=rows,
        illustrative=contract.illustrative,
    )


def price_list_out(session: Session, price_list: PriceList) -> PriceListOut:
    items = session.scalars(
        select(PriceItem).where(PriceItem.price_list_id == price_list.id).order_by(PriceItem.item_code)
    )
    return PriceListOut(
        code=price_list.code,
        region_code=Codes(session).of(Region, price_list.region_id),
        effective_date=price_list.effective_date,
        currency=price_list.currency,
        items=[
            {"item_code": i.item_code, "description": i.description, "unit": i.unit, "unit_price": float(i.unit_price)}
            for i in items
        ],
        source_url=price_list.source_url,
        source_date=price_list.source_date,
    )


def boq_out(session: Session, boq: BillOfQuantities) -> BillOfQuantitiesOut:
    lines = session.scalars(select(BoqLine).where(BoqLine.boq_id == boq.id).order_by(BoqLine.item_code))
    return BillOfQuantitiesOut(
        code=boq.code,
        title=boq.title,
        project_code=Codes(session).of(Project, boq.project_id),
        lines=[{"item_code": line.item_code, "quantity": line.quantity} for line in lines],
    )
