"""The life of a tender: draft -> enquiries -> tendering -> opening -> evaluation -> awarded (-> contracts.py).

Every deadline is checked against the server's clock, passed in as `clock` (tests give a fixed one); nothing a
client sends says what time it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from homecoming.config import get_settings
from homecoming.db.crud import add_unique, get_by_code, id_of
from homecoming.errors import Conflict, RuleViolation
from homecoming.finance.models import BudgetAllocation
from homecoming.procurement import pricing, sealing
from homecoming.procurement.models import (
    Bid,
    Bidder,
    BidStatus,
    BillOfQuantities,
    CommitteeSeat,
    Tender,
    TenderStatus,
)
from homecoming.procurement.rules import EvaluationReport, OpenedBid, can_move, evaluate_bids
from homecoming.procurement.schemas import BidderCreate, TenderCreate
from homecoming.territory.models import District, Region
from homecoming.works.models import Project

Clock = Callable[[], dt.datetime]
MAX_SEALED_BYTES = 4096


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC (SQLite keeps no zone); an aware time is converted, a naive one is UTC."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def server_now(clock: Clock) -> dt.datetime:
    return _naive_utc(clock())


def register_bidder(session: Session, data: BidderCreate) -> Bidder:
    return add_unique(session, Bidder(**data.model_dump()))


def get_tender(session: Session, code: str) -> Tender:
    return get_by_code(session, Tender, code)


def create_tender(session: Session, data: TenderCreate) -> Tender:
    enquiry_end, tender_end = _naive_utc(data.enquiry_end), _naive_utc(data.tender_end)
    if enquiry_end > tender_end:
        raise RuleViolation(
            "tender.periods_out_of_order",
            f"enquiries must close ({enquiry_end:%Y-%m-%d %H:%M}) no later than bids ({tender_end:%Y-%m-%d %H:%M})",
            {"enquiry_end": enquiry_end.isoformat(), "tender_end": tender_end.isoformat()},
        )
    fields = data.model_dump(
        exclude={"project_code", "district_code", "budget_allocation_code", "estimate_boq_code", "estimate_region_code"}
    )
    tender = Tender(
        **{**fields, "enquiry_end": enquiry_end, "tender_end": tender_end},
        status=TenderStatus.DRAFT,
        project_id=id_of(session, Project, data.project_code),
        district_id=id_of(session, District, data.district_code),
        budget_allocation_id=id_of(session, BudgetAllocation, data.budget_allocation_code),
    )
    if data.estimate_boq_code is not None and data.estimate_on is not None:
        estimate = pricing.cost_estimate(session, data.estimate_boq_code, data.estimate_on, data.estimate_region_code)
        if estimate.currency != data.currency:
            raise RuleViolation(
                "tender.estimate_currency",
                f"the prices in force are in {estimate.currency}; the tender is in {data.currency}",
                {"estimate_currency": estimate.currency},
            )
        tender.estimate_amount = estimate.total
        tender.estimate_boq_id = id_of(session, BillOfQuantities, data.estimate_boq_code)
        tender.estimate_region_id = id_of(session, Region, data.estimate_region_code)
    return add_unique(session, tender)


def move(tender: Tender, target: TenderStatus) -> None:
    check_move(tender, target)
    tender.status = target


def check_move(tender: Tender, target: TenderStatus) -> None:
    if not can_move(tender.status, target):
        raise RuleViolation(
            "tender.bad_transition",
            f"tender {tender.code} is {tender.status}; it cannot become {target}",
            {"tender": tender.code, "status": str(tender.status), "target": str(target)},
        )


def close_enquiries(session: Session, code: str, clock: Clock = utc_now) -> Tender:
    tender, now = get_tender(session, code), server_now(clock)
    if tender.status is TenderStatus.ENQUIRIES and now < tender.enquiry_end:
        raise RuleViolation(
            "tender.enquiries_still_open",
            f"enquiries on {code} are open until {tender.enquiry_end:%Y-%m-%d %H:%M} UTC",
            {"tender": code, "enquiry_end": tender.enquiry_end.isoformat()},
        )
    move(tender, TenderStatus.TENDERING)
    session.flush()
    return tender


def seal_price(session: Session, code: str, bidder_code: str, price: Decimal) -> bytes:
    """What a bidder's client does with the published public key (here for the CLI and tests)."""
    tender = get_tender(session, code)
    if tender.public_key is None:
        raise RuleViolation("tender.not_published", f"tender {code} is not published yet", {"tender": code})
    return sealing.seal_bid(tender.public_key, code, bidder_code, price, tender.currency)


def submit_bid(session: Session, code: str, bidder_code: str, sealed: bytes, clock: Clock = utc_now) -> Bid:
    """Store a sealed bid; the bidder keeps `bid.receipt`. After the deadline by the server's clock: refused."""
    tender, bidder, now = get_tender(session, code), get_by_code(session, Bidder, bidder_code), server_now(clock)
    if tender.status not in {TenderStatus.ENQUIRIES, TenderStatus.TENDERING}:
        raise RuleViolation(
            "tender.not_accepting_bids", f"tender {code} is {tender.status}; it takes no bids", {"tender": code}
        )
    if now >= tender.tender_end:
        raise RuleViolation(
            "tender.bid_after_deadline",
            f"bids for {code} closed at {tender.tender_end:%Y-%m-%d %H:%M} UTC; this bid came at {now:%Y-%m-%d %H:%M}",
            {"tender": code, "deadline": tender.tender_end.isoformat(), "received": now.isoformat()},
        )
    if not sealing.KEY_BYTES + sealing.NONCE_BYTES < len(sealed) <= MAX_SEALED_BYTES:
        raise RuleViolation("tender.bid_malformed", "a sealed bid is 45 to 4096 bytes", {"bytes": len(sealed)})
    taken = select(Bid.id).where(Bid.tender_id == tender.id, Bid.bidder_id == bidder.id)
    if session.scalars(taken).first() is not None:
        raise Conflict("tender.bid_duplicate", f"{bidder_code} has already bid in {code}", {"tender": code})
    bid = Bid(
        tender_id=tender.id,
        bidder_id=bidder.id,
        submitted_at=now,
        sealed=sealed,
        receipt=sealing.receipt_of(sealed),
        status=BidStatus.SEALED,
    )
    session.add(bid)
    session.flush()
    return bid


def bids_of(session: Session, tender: Tender) -> list[tuple[Bid, Bidder]]:
    query = select(Bid, Bidder).join(Bidder, Bid.bidder_id == Bidder.id).where(Bid.tender_id == tender.id)
    return [(bid, bidder) for bid, bidder in session.execute(query.order_by(Bid.submitted_at, Bid.id))]


def close_tendering(tender: Tender, target: TenderStatus) -> None:
    if tender.status is TenderStatus.ENQUIRIES:
        move(tender, TenderStatus.TENDERING)  # the enquiry period ended no later than the tender period
    move(tender, target)


def forget_given_shares(session: Session, tender: Tender) -> None:
    """Wipe the committee shares given so far: the opening no longer needs them once it is done or moot."""
    session.execute(update(CommitteeSeat).where(CommitteeSeat.tender_id == tender.id).values(share_given=None))


def disqualify_bid(session: Session, code: str, bidder_code: str, reason: str) -> Bid:
    """Record that an opened bid fails a published qualification criterion (before the evaluation report)."""
    tender = get_tender(session, code)
    if tender.status is not TenderStatus.OPENING:
        raise RuleViolation(
            "tender.not_opening", f"bids of {code} can be disqualified only between opening and evaluation"
        )
    bidder = get_by_code(session, Bidder, bidder_code)
    bid = session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.bidder_id == bidder.id)).one_or_none()
    if bid is None:
        raise RuleViolation("tender.no_such_bid", f"{bidder_code} did not bid in {code}", {"bidder": bidder_code})
    bid.status, bid.disqualification_reason = BidStatus.DISQUALIFIED, reason
    session.flush()
    return bid


def evaluate(session: Session, code: str, clock: Clock = utc_now) -> EvaluationReport:
    """Rank the opened bids; no qualified bid makes the tender unsuccessful."""
    tender = get_tender(session, code)
    if tender.status is not TenderStatus.OPENING:
        move(tender, TenderStatus.EVALUATION)  # raises tender.bad_transition with the current status
    opened = [
        OpenedBid(
            bidder.code,
            bidder.category,
            bid.receipt,
            float(bid.opened_price or 0),
            bid.status is BidStatus.OPENED,
            bid.disqualification_reason,
        )
        for bid, bidder in bids_of(session, tender)
    ]
    report = evaluate_bids(
        code,
        tender.currency,
        float(tender.estimate_amount),
        opened,
        tender.preference_category,
        tender.preference_margin_pct,
        tender.abnormally_low_pct,
    )
    tender.evaluation_report = report.to_dict()
    if report.winner is None:
        move(tender, TenderStatus.UNSUCCESSFUL)
        tender.closed_at, tender.close_reason = server_now(clock), "no qualified bid"
    else:
        move(tender, TenderStatus.EVALUATION)
    session.flush()
    return report


def award(session: Session, code: str, clock: Clock = utc_now, standstill_days: int | None = None) -> Tender:
    """Award to the bid the evaluation report ranks first, at its own (not its evaluated) price. The standstill
    starts: `standstill_days` (the setting by default) in which bidders may complain and nobody may sign."""
    tender = get_tender(session, code)
    move(tender, TenderStatus.AWARDED)
    report = tender.evaluation_report or {}
    winner = next(b for b in report["bids"] if b["rank"] == 1)
    tender.winning_bidder_id = get_by_code(session, Bidder, winner["bidder_code"]).id
    tender.award_amount, tender.awarded_at = winner["price"], server_now(clock)
    days = get_settings().standstill_days if standstill_days is None else standstill_days
    tender.standstill_ends_at = tender.awarded_at + dt.timedelta(days=days)
    session.flush()
    return tender


def cancel(session: Session, code: str, reason: str, clock: Clock = utc_now) -> Tender:
    tender = get_tender(session, code)
    move(tender, TenderStatus.CANCELLED)
    forget_given_shares(session, tender)
    tender.closed_at, tender.close_reason = server_now(clock), reason
    session.flush()
    return tender


@dataclass(frozen=True)
class ReceiptCheck:
    tender_code: str
    bidder_code: str
    submitted_at: dt.datetime
    intact: bool  # the stored sealed bid still hashes to the receipt
    opened: bool
    price: float | None


def verify_receipt(session: Session, code: str, receipt: str) -> ReceiptCheck:
    """What a bidder checks after the opening: its sealed bid is the one that was opened, unaltered."""
    tender = get_tender(session, code)
    found = session.execute(
        select(Bid, Bidder)
        .join(Bidder, Bid.bidder_id == Bidder.id)
        .where(Bid.tender_id == tender.id, Bid.receipt == receipt)
    ).one_or_none()
    if found is None:
        raise RuleViolation(
            "tender.receipt_unknown", f"no bid in {code} has receipt {receipt}", {"tender": code, "receipt": receipt}
        )
    bid, bidder = found
    opened = bid.status is not BidStatus.SEALED
    return ReceiptCheck(
        code,
        bidder.code,
        bid.submitted_at,
        sealing.receipt_of(bid.sealed) == receipt,
        opened,
        bid.opened_price if opened else None,
    )


def illustrative_tenders(session: Session) -> set[str]:
    """Codes of the tenders the demo made up (homecoming.demo.illustrative): a page that names one says so."""
    return set(session.scalars(select(Tender.code).where(Tender.illustrative.is_(True))))
