"""Each red flag on a crafted case, with the records that raised it; a clean tender raises none."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from tender_helpers import FakeClock, opened, published

from homecoming.procurement import service
from homecoming.procurement.red_flags import BidFacts, TenderFacts, Thresholds, flags_for, red_flags

PUBLISHED = dt.datetime(2025, 3, 1, 9)
AWARDED = dt.datetime(2025, 4, 10, 9)


def tender(code: str = "T-1", bids: tuple[tuple[str, float, bool], ...] = (), **changes: object) -> TenderFacts:
    facts: dict[str, object] = {
        "code": code,
        "district_code": "lachin",
        "category": "works",
        "estimate_amount": 500_000.0,
        "published_at": PUBLISHED,
        "tender_end": PUBLISHED + dt.timedelta(days=30),
        "bids": tuple(BidFacts(b, f"r-{code}-{b}", p, q) for b, p, q in bids),
        "winner_code": None,
        "award_amount": None,
        "awarded_at": None,
    }
    return TenderFacts(**{**facts, **changes})  # type: ignore[arg-type]


CLEAN = (("a", 450_000, True), ("b", 480_000, True), ("c", 520_000, True))


def codes(tenders: list[TenderFacts], limits: Thresholds | None = None) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.records) for f in flags_for(tenders, limits)]


def test_a_clean_tender_raises_no_flag() -> None:
    assert codes([tender(bids=CLEAN, winner_code="a", award_amount=450_000, awarded_at=AWARDED)]) == []


def test_short_submission_period() -> None:
    short = tender(tender_end=PUBLISHED + dt.timedelta(days=6, hours=12))
    [flag] = flags_for([short])
    assert (flag.code, flag.indicator, flag.value, flag.threshold) == ("short_submission_period", "R003", 6.5, 15)
    assert flags_for([short], Thresholds(short_submission_days=5)) == []


def test_single_bid() -> None:
    assert codes([tender(bids=(("a", 450_000, True),))]) == [("single_bid", ("tenders/T-1", "bids/r-T-1-a"))]


def test_lowest_bid_disqualified() -> None:
    bids = (("a", 300_000, False), ("b", 480_000, True), ("c", 520_000, True))
    assert codes([tender(bids=bids, winner_code="b")]) == [
        ("lowest_bid_disqualified", ("tenders/T-1", "bids/r-T-1-a", "bids/r-T-1-b"))
    ]


def test_winning_price_close_to_the_runner_up() -> None:
    bids = (("a", 450_000, True), ("b", 452_000, True))
    [flag] = flags_for([tender(bids=bids, winner_code="a")])
    assert (flag.code, flag.indicator, round(flag.value, 3)) == ("price_close_to_winning_bid", "R024", 0.444)
    assert flag.records == ("tenders/T-1", "bids/r-T-1-a", "bids/r-T-1-b")
    assert flags_for([tender(bids=bids, winner_code="a")], Thresholds(close_to_runner_up_pct=0.4)) == []


def test_high_bid_disparity() -> None:
    bids = (("a", 300_000, True), ("b", 650_000, True))
    [flag] = flags_for([tender(bids=bids)])
    assert (flag.code, round(flag.value, 4), flag.records[1:]) == (
        "high_bid_disparity",
        2.1667,
        ("bids/r-T-1-a", "bids/r-T-1-b"),
    )


def test_award_far_above_the_estimate() -> None:
    [flag] = flags_for([tender(bids=CLEAN, winner_code="c", award_amount=560_000, awarded_at=AWARDED)])
    assert (flag.code, flag.value) == ("award_above_estimate", 12.0)


def test_the_same_winner_again_and_again_in_a_district() -> None:
    won = [tender(f"T-{i}", bids=CLEAN, winner_code="a", award_amount=450_000) for i in (1, 2, 3)]
    elsewhere = tender("T-4", bids=CLEAN, winner_code="a", award_amount=450_000, district_code="shusha")
    assert codes([*won, elsewhere]) == [
        ("repeat_winner_in_district", ("bidders/a", "districts/lachin", "tenders/T-1", "tenders/T-2", "tenders/T-3"))
    ]


def test_contracts_split_just_below_a_threshold() -> None:
    def award(code: str, amount: float, day: int) -> TenderFacts:
        return tender(
            code,
            bids=CLEAN,
            winner_code="a",
            award_amount=amount,
            awarded_at=AWARDED + dt.timedelta(days=day),
            estimate_amount=amount,
        )

    limits = Thresholds(
        split_threshold_amount=1_000_000, split_margin_pct=10, split_window_days=30, repeat_winner_awards=9
    )
    tenders = [
        award("S-1", 950_000, 0),
        award("S-2", 990_000, 20),
        award("S-3", 960_000, 70),
        award("S-4", 1_000_000, 5),
    ]
    assert codes(tenders, limits) == [("split_below_threshold", ("districts/lachin", "tenders/S-1", "tenders/S-2"))]


def test_flags_are_read_from_the_database_after_the_opening(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock, min_bids=1)
    assert red_flags(money) == []
    opened(money, clock, shares, {"azer-build": "560000"})
    service.evaluate(money, "T-1", clock)
    service.award(money, "T-1", clock)
    found = {(f.code, f.records[0]) for f in red_flags(money)}
    assert found == {("single_bid", "tenders/T-1"), ("award_above_estimate", "tenders/T-1")}
