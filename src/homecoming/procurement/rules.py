"""Pure rules of procurement: which status may follow which, and how opened bids are evaluated."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from homecoming.procurement.models import TenderStatus

S = TenderStatus

# Each transition a tender may make; everything else is refused with `tender.bad_transition`.
TRANSITIONS: dict[TenderStatus, frozenset[TenderStatus]] = {
    S.DRAFT: frozenset({S.ENQUIRIES, S.CANCELLED}),
    S.ENQUIRIES: frozenset({S.TENDERING, S.CANCELLED}),
    S.TENDERING: frozenset({S.OPENING, S.UNSUCCESSFUL, S.CANCELLED}),
    S.OPENING: frozenset({S.EVALUATION, S.UNSUCCESSFUL, S.CANCELLED}),
    S.EVALUATION: frozenset({S.AWARDED, S.CANCELLED}),
    # back to OPENING (bids open, not evaluated) when a complaint against the award is upheld: evaluate again
    S.AWARDED: frozenset({S.CONTRACT_SIGNED, S.CANCELLED, S.OPENING}),
    S.CONTRACT_SIGNED: frozenset({S.COMPLETE}),
    S.COMPLETE: frozenset(),
    S.CANCELLED: frozenset(),
    S.UNSUCCESSFUL: frozenset(),
}


def can_move(current: TenderStatus, target: TenderStatus) -> bool:
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class OpenedBid:
    bidder_code: str
    bidder_category: str | None
    receipt: str
    price: float
    qualified: bool
    disqualification_reason: str | None = None


@dataclass(frozen=True)
class EvaluatedBid:
    bidder_code: str
    receipt: str
    price: float
    qualified: bool
    disqualification_reason: str | None
    preference_applied: bool
    preference_adjustment: float
    evaluated_price: float
    abnormally_low: bool
    rank: int | None  # 1 = lowest evaluated price among qualified bids; None if disqualified


@dataclass(frozen=True)
class EvaluationReport:
    """What the evaluation committee publishes: every bid, every adjustment, the rule behind each."""

    tender_code: str
    currency: str
    estimate_amount: float
    preference_category: str | None
    preference_margin_pct: float
    abnormally_low_pct: float
    abnormally_low_below: float
    rule: str
    bids: tuple[EvaluatedBid, ...]

    @property
    def winner(self) -> EvaluatedBid | None:
        return next((b for b in self.bids if b.rank == 1), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_bids(
    tender_code: str,
    currency: str,
    estimate_amount: float,
    bids: list[OpenedBid],
    preference_category: str | None = None,
    preference_margin_pct: float = 0.0,
    abnormally_low_pct: float = 20.0,
) -> EvaluationReport:
    """Lowest evaluated price wins among qualified bids.

    A bid from outside the preferred category is evaluated at its price plus the margin (the usual domestic
    preference: the favoured bidder's own price is never changed); ties go to the earlier receipt order given.
    A price below (1 - abnormally_low_pct%) of the estimate is flagged, not rejected: the committee must ask.
    """
    low_line = round(estimate_amount * (1 - abnormally_low_pct / 100), 2)
    margin = preference_margin_pct / 100 if preference_category else 0.0
    evaluated = []
    for bid in bids:
        applies = margin > 0 and bid.bidder_category != preference_category
        adjustment = round(bid.price * margin, 2) if applies else 0.0
        evaluated.append((bid, applies, adjustment, round(bid.price + adjustment, 2)))
    order = sorted(
        (i for i, (bid, *_rest) in enumerate(evaluated) if bid.qualified), key=lambda i: (evaluated[i][3], i)
    )
    ranks = {i: rank for rank, i in enumerate(order, start=1)}
    rows = tuple(
        EvaluatedBid(
            bidder_code=bid.bidder_code,
            receipt=bid.receipt,
            price=bid.price,
            qualified=bid.qualified,
            disqualification_reason=bid.disqualification_reason,
            preference_applied=applies,
            preference_adjustment=adjustment,
            evaluated_price=price,
            abnormally_low=bid.price < low_line,
            rank=ranks.get(i),
        )
        for i, (bid, applies, adjustment, price) in enumerate(evaluated)
    )
    rule = "lowest evaluated price among qualified bids"
    if margin:
        rule += f"; bids from outside '{preference_category}' evaluated at price + {preference_margin_pct:g}%"
    return EvaluationReport(
        tender_code=tender_code,
        currency=currency,
        estimate_amount=estimate_amount,
        preference_category=preference_category if margin else None,
        preference_margin_pct=preference_margin_pct if margin else 0.0,
        abnormally_low_pct=abnormally_low_pct,
        abnormally_low_below=low_line,
        rule=rule,
        bids=tuple(sorted(rows, key=lambda b: (b.rank is None, b.rank or 0, b.bidder_code))),
    )
