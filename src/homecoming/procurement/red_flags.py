"""Red flags on procurement data: reasons to open a file, never verdicts.

The first five follow the Open Contracting Partnership's red-flag methodology as its Cardinal tool names
them (R003 short submission period, R018 single bid, R024 price close to winning bid, R036 lowest bid
disqualified) plus a bid-disparity indicator; the last three are the programme's own: award far above the
estimate, the same winner again and again in a district, contracts split just below a threshold, and (issue 22)
a contract signed while a complaint against its award was open (the signing refuses it now; imported data may
still hold one), repeat complaints against one buyer, a contract price raised after the award. Cardinal
derives several thresholds from quartiles of the whole data set; here each is a fixed, configurable number,
so a flag on one tender does not change when other tenders are added.
Only opened tenders are read: a sealed bid says nothing to this module.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.phrases import Phrase, places
from homecoming.procurement.models import Bid, Bidder, BidStatus, Contract, Tender, TenderComplaint
from homecoming.territory.models import District


class Thresholds(BaseModel):
    """Every number a flag compares against; override any of them (e.g. from a JSON file)."""

    short_submission_days: float = Field(default=15, gt=0)
    close_to_runner_up_pct: float = Field(default=1.0, ge=0)
    bid_disparity_ratio: float = Field(default=2.0, gt=1)
    award_above_estimate_pct: float = Field(default=10.0, ge=0)
    repeat_winner_awards: int = Field(default=3, ge=2)
    split_threshold_amount: float = Field(default=1_000_000, gt=0)
    split_margin_pct: float = Field(default=10.0, gt=0, lt=100)
    split_window_days: int = Field(default=30, ge=1)
    split_min_tenders: int = Field(default=2, ge=2)
    repeat_complaints_per_buyer: int = Field(default=3, ge=2)
    price_increase_after_award_pct: float = Field(default=10.0, ge=0)


@dataclass(frozen=True)
class BidFacts:
    bidder_code: str
    receipt: str
    price: float
    qualified: bool


@dataclass(frozen=True)
class ComplaintFacts:
    code: str
    filed_at: dt.datetime
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class TenderFacts:
    code: str
    district_code: str | None
    category: str
    estimate_amount: float
    published_at: dt.datetime | None
    tender_end: dt.datetime
    bids: tuple[BidFacts, ...]
    winner_code: str | None
    award_amount: float | None
    awarded_at: dt.datetime | None
    signed_at: dt.datetime | None = None
    contract_value: float | None = None  # as amended
    complaints: tuple[ComplaintFacts, ...] = ()

    @property
    def buyer(self) -> str:
        """The buying office: a district's executive authority runs its district's tenders, the programme's
        central office the rest (the data holds no other procuring entity)."""
        return self.district_code or "central"


@dataclass(frozen=True)
class RedFlag:
    code: str
    indicator: str  # the Cardinal identifier, or `HC-...` for the programme's own
    message: str
    value: float
    threshold: float
    records: tuple[str, ...] = field(default=())  # "tenders/T-1", "bids/<receipt>", "bidders/<code>"


def flags_for(tenders: list[TenderFacts], limits: Thresholds | None = None) -> list[RedFlag]:
    limits = limits or Thresholds()
    found: list[RedFlag] = []
    for tender in tenders:
        found += _per_tender(tender, limits)
    found += _repeat_winners(tenders, limits)
    found += _split_contracts(tenders, limits)
    found += _repeat_complaints(tenders, limits)
    return found


def _per_tender(t: TenderFacts, limits: Thresholds) -> list[RedFlag]:
    return _submission(t, limits) + _bids(t, limits) + _award(t, limits) + _after_award(t, limits)


def _submission(t: TenderFacts, limits: Thresholds) -> list[RedFlag]:
    """The time bidders had."""
    out: list[RedFlag] = []
    ref = f"tenders/{t.code}"
    if t.published_at is not None:
        days = (t.tender_end - t.published_at).total_seconds() / 86400
        if days < limits.short_submission_days:
            out.append(
                RedFlag(
                    "short_submission_period",
                    "R003",
                    Phrase("{tender}: bids were open {days} days", tender=t.code, days=places(days, 1)),
                    round(days, 2),
                    limits.short_submission_days,
                    (ref,),
                )
            )
    return out


def _bids(t: TenderFacts, limits: Thresholds) -> list[RedFlag]:
    """How many bids came, and how the winner stands among them."""
    out: list[RedFlag] = []
    ref = f"tenders/{t.code}"
    if len(t.bids) == 1:
        out.append(
            RedFlag(
                "single_bid",
                "R018",
                Phrase("{tender}: one bid received", tender=t.code),
                1,
                1,
                (ref, f"bids/{t.bids[0].receipt}"),
            )
        )
    valid = sorted((b for b in t.bids if b.qualified), key=lambda b: b.price)
    winner = next((b for b in t.bids if b.bidder_code == t.winner_code), None)
    if t.bids and winner is not None:
        lowest = min(t.bids, key=lambda b: b.price)
        if not lowest.qualified and lowest.price < winner.price:
            out.append(
                RedFlag(
                    "lowest_bid_disqualified",
                    "R036",
                    Phrase(
                        "{tender}: the lowest bid ({bidder}) was disqualified", tender=t.code, bidder=lowest.bidder_code
                    ),
                    lowest.price,
                    winner.price,
                    (ref, f"bids/{lowest.receipt}", f"bids/{winner.receipt}"),
                )
            )
    if winner is not None and len(valid) >= 2:
        runner_up = next(b for b in valid if b is not winner)
        gap_pct = abs(runner_up.price - winner.price) / winner.price * 100
        if gap_pct <= limits.close_to_runner_up_pct:
            out.append(
                RedFlag(
                    "price_close_to_winning_bid",
                    "R024",
                    Phrase(
                        "{tender}: the runner-up bid is {share} from the winning bid",
                        tender=t.code,
                        share=Phrase("{pct}%", pct=places(gap_pct, 2)),
                    ),
                    round(gap_pct, 4),
                    limits.close_to_runner_up_pct,
                    (ref, f"bids/{winner.receipt}", f"bids/{runner_up.receipt}"),
                )
            )
    if len(valid) >= 2 and valid[-1].price >= limits.bid_disparity_ratio * valid[0].price:
        ratio = valid[-1].price / valid[0].price
        out.append(
            RedFlag(
                "high_bid_disparity",
                "HC-disparity",
                Phrase(
                    "{tender}: the highest valid bid is {ratio} times the lowest", tender=t.code, ratio=places(ratio, 2)
                ),
                round(ratio, 4),
                limits.bid_disparity_ratio,
                (ref, f"bids/{valid[0].receipt}", f"bids/{valid[-1].receipt}"),
            )
        )
    return out


def _award(t: TenderFacts, limits: Thresholds) -> list[RedFlag]:
    """The award against the estimate."""
    out: list[RedFlag] = []
    ref = f"tenders/{t.code}"
    if t.award_amount is not None and t.estimate_amount > 0:
        above_pct = (t.award_amount / t.estimate_amount - 1) * 100
        if above_pct > limits.award_above_estimate_pct:
            out.append(
                RedFlag(
                    "award_above_estimate",
                    "HC-estimate",
                    Phrase(
                        "{tender}: awarded {share} above the estimate",
                        tender=t.code,
                        share=Phrase("{pct}%", pct=places(above_pct, 1)),
                    ),
                    round(above_pct, 4),
                    limits.award_above_estimate_pct,
                    (ref,),
                )
            )
    return out


def _after_award(t: TenderFacts, limits: Thresholds) -> list[RedFlag]:
    out: list[RedFlag] = []
    ref = f"tenders/{t.code}"
    if t.signed_at is not None:
        signed = t.signed_at
        pending = [c for c in t.complaints if c.filed_at <= signed and (c.decided_at is None or c.decided_at > signed)]
        if pending:
            out.append(
                RedFlag(
                    "signed_during_complaint",
                    "HC-complaint",
                    Phrase(
                        "{tender}: the contract was signed while {count} complaint(s) were open",
                        tender=t.code,
                        count=len(pending),
                    ),
                    len(pending),
                    0,
                    (ref, *(f"complaints/{c.code}" for c in pending)),
                )
            )
    if t.contract_value is not None and t.award_amount:
        rise_pct = round((t.contract_value / t.award_amount - 1) * 100, 4)  # exactly at the threshold: no flag
        if rise_pct > limits.price_increase_after_award_pct:
            out.append(
                RedFlag(
                    "price_increase_after_award",
                    "HC-variation",
                    Phrase(
                        "{tender}: the contract price rose {share} after the award",
                        tender=t.code,
                        share=Phrase("{pct}%", pct=places(rise_pct, 1)),
                    ),
                    rise_pct,
                    limits.price_increase_after_award_pct,
                    (ref,),
                )
            )
    return out


def _repeat_complaints(tenders: list[TenderFacts], limits: Thresholds) -> list[RedFlag]:
    against: dict[str, list[str]] = defaultdict(list)
    for t in tenders:
        against[t.buyer] += [c.code for c in t.complaints]
    return [
        RedFlag(
            "repeat_complaints_against_buyer",
            "HC-complaints",
            Phrase("{count} complaints against the buyer of {district}", count=len(codes), district=buyer),
            len(codes),
            limits.repeat_complaints_per_buyer,
            (f"districts/{buyer}", *(f"complaints/{c}" for c in sorted(codes))),
        )
        for buyer, codes in sorted(against.items())
        if len(codes) >= limits.repeat_complaints_per_buyer
    ]


def _repeat_winners(tenders: list[TenderFacts], limits: Thresholds) -> list[RedFlag]:
    wins: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in tenders:
        if t.winner_code and t.district_code:
            wins[(t.district_code, t.winner_code)].append(t.code)
    return [
        RedFlag(
            "repeat_winner_in_district",
            "HC-repeat",
            Phrase("{bidder} won {count} tenders in {district}", bidder=winner, count=len(codes), district=district),
            len(codes),
            limits.repeat_winner_awards,
            (f"bidders/{winner}", f"districts/{district}", *(f"tenders/{c}" for c in sorted(codes))),
        )
        for (district, winner), codes in sorted(wins.items())
        if len(codes) >= limits.repeat_winner_awards
    ]


def _split_contracts(tenders: list[TenderFacts], limits: Thresholds) -> list[RedFlag]:
    """Several awards just below the threshold, same district and category, within a window of days."""
    low = limits.split_threshold_amount * (1 - limits.split_margin_pct / 100)
    groups: dict[tuple[str, str], list[TenderFacts]] = defaultdict(list)
    for t in tenders:
        dated = t.district_code and t.award_amount is not None and t.awarded_at is not None
        if dated and low <= (t.award_amount or 0) < limits.split_threshold_amount:
            groups[(t.district_code or "", t.category)].append(t)
    out = []
    window = dt.timedelta(days=limits.split_window_days)
    for (district, category), group in sorted(groups.items()):
        group.sort(key=lambda t: (t.awarded_at or dt.datetime.min, t.code))
        cluster = max(
            (
                [t for t in group if first.awarded_at <= t.awarded_at <= first.awarded_at + window]  # type: ignore[operator]
                for first in group
            ),
            key=len,
        )
        if len(cluster) >= limits.split_min_tenders:
            total = round(sum(t.award_amount or 0 for t in cluster), 2)
            out.append(
                RedFlag(
                    "split_below_threshold",
                    "HC-split",
                    Phrase(
                        "{count} {category} awards in {district} just below {threshold} within {days} days "
                        "(together {total})",
                        count=len(cluster),
                        category=Phrase(category),
                        district=district,
                        threshold=limits.split_threshold_amount,
                        days=limits.split_window_days,
                        total=places(total, 2),
                    ),
                    len(cluster),
                    limits.split_min_tenders,
                    (f"districts/{district}", *(f"tenders/{t.code}" for t in cluster)),
                )
            )
    return out


def load_facts(session: Session) -> list[TenderFacts]:
    """Every tender whose bids were opened, as the pure indicators above read it."""
    tenders = session.scalars(select(Tender).where(Tender.opened_at.is_not(None)).order_by(Tender.code)).all()
    ids = [t.id for t in tenders]
    districts = {i: c for i, c in session.execute(select(District.id, District.code))}
    bidders = {i: c for i, c in session.execute(select(Bidder.id, Bidder.code))}
    bids: dict[int, list[BidFacts]] = defaultdict(list)
    query = select(Bid).where(Bid.tender_id.in_(ids), Bid.status != BidStatus.SEALED)
    for bid in session.scalars(query.order_by(Bid.id)):
        bids[bid.tender_id].append(
            BidFacts(bidders[bid.bidder_id], bid.receipt, float(bid.opened_price or 0), bid.status is BidStatus.OPENED)
        )
    signed = {c.tender_id: c for c in session.scalars(select(Contract).where(Contract.tender_id.in_(ids)))}
    complaints: dict[int, list[ComplaintFacts]] = defaultdict(list)
    filed = select(TenderComplaint).where(TenderComplaint.tender_id.in_(ids))
    for c in session.scalars(filed.order_by(TenderComplaint.filed_at, TenderComplaint.id)):
        complaints[c.tender_id].append(ComplaintFacts(c.code, c.filed_at, c.decided_at))
    return [
        TenderFacts(
            t.code,
            districts.get(t.district_id) if t.district_id else None,
            str(t.category),
            float(t.estimate_amount),
            t.published_at,
            t.tender_end,
            tuple(bids[t.id]),
            bidders.get(t.winning_bidder_id) if t.winning_bidder_id else None,
            float(t.award_amount) if t.award_amount is not None else None,
            t.awarded_at,
            signed[t.id].signed_at if t.id in signed else None,
            float(signed[t.id].value) if t.id in signed else None,
            tuple(complaints[t.id]),
        )
        for t in tenders
    ]


def red_flags(session: Session, limits: Thresholds | None = None) -> list[RedFlag]:
    return flags_for(load_facts(session), limits)
