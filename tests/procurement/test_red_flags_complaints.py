"""The issue-22 red flags over plain facts: a signing during an open complaint, repeat complaints against one buyer,
a price rise after the award (each at its threshold, and not below it)."""

from __future__ import annotations

import datetime as dt

from homecoming.procurement.red_flags import ComplaintFacts, TenderFacts, Thresholds, flags_for

AWARD = dt.datetime(2025, 4, 1, 12)


def _tender(code: str, district: str | None, **changes: object) -> TenderFacts:
    fields: dict[str, object] = {
        "code": code, "district_code": district, "category": "works", "estimate_amount": 100.0, "published_at": None,
        "tender_end": AWARD, "bids": (), "winner_code": "w", "award_amount": 100.0, "awarded_at": AWARD,
    }  # fmt: skip
    return TenderFacts(**{**fields, **changes})  # type: ignore[arg-type]


def _codes(tenders: list[TenderFacts], limits: Thresholds | None = None) -> list[str]:
    return [f.code for f in flags_for(tenders, limits)]


def test_a_contract_signed_while_a_complaint_was_open_is_flagged_and_one_decided_before_is_not() -> None:
    signed = AWARD + dt.timedelta(days=11)
    pending = ComplaintFacts("T-1-C1", AWARD + dt.timedelta(days=1), None)
    decided_after = ComplaintFacts("T-1-C2", AWARD + dt.timedelta(days=2), signed + dt.timedelta(days=1))
    decided_before = ComplaintFacts("T-1-C3", AWARD + dt.timedelta(days=2), signed - dt.timedelta(days=1))
    filed_after = ComplaintFacts("T-1-C4", signed + dt.timedelta(days=1), None)
    tender = _tender(
        "T-1", "aghdam", signed_at=signed, complaints=(pending, decided_after, decided_before, filed_after)
    )
    flag = next(f for f in flags_for([tender], Thresholds(repeat_complaints_per_buyer=9)))
    assert (flag.code, flag.value, flag.records) == (
        "signed_during_complaint", 2, ("tenders/T-1", "complaints/T-1-C1", "complaints/T-1-C2"),
    )  # fmt: skip
    assert _codes([_tender("T-2", "aghdam", signed_at=signed, complaints=(decided_before,))]) == []


def test_complaints_against_one_buyer_are_counted_across_its_tenders() -> None:
    one = ComplaintFacts("T-1-C1", AWARD, AWARD)
    two = ComplaintFacts("T-2-C1", AWARD, AWARD)
    three = ComplaintFacts("T-3-C1", AWARD, AWARD)
    tenders = [_tender("T-1", "aghdam", complaints=(one,)), _tender("T-2", "aghdam", complaints=(two,)),
               _tender("T-3", None, complaints=(three,))]  # fmt: skip
    assert _codes(tenders) == []  # two against aghdam, one against the central office: under 3
    flags = flags_for(tenders, Thresholds(repeat_complaints_per_buyer=2))
    assert [(f.code, f.records) for f in flags] == [
        ("repeat_complaints_against_buyer", ("districts/aghdam", "complaints/T-1-C1", "complaints/T-2-C1")),
    ]


def test_a_price_rise_after_the_award_beyond_the_threshold_is_flagged() -> None:
    assert _codes([_tender("T-1", None, contract_value=110.0)]) == []  # exactly 10%: not beyond
    flag = flags_for([_tender("T-1", None, contract_value=110.5)])[0]
    assert (flag.code, flag.indicator, flag.value, flag.threshold) == ("price_increase_after_award", "HC-variation",
                                                                       10.5, 10.0)  # fmt: skip
    assert _codes([_tender("T-1", None, contract_value=110.5)], Thresholds(price_increase_after_award_pct=11)) == []
