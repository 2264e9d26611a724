"""Lowest evaluated price among qualified bids, with and without a preference margin; abnormally low bids."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tender_helpers import FakeClock, opened, published

from homecoming.procurement import service
from homecoming.procurement.rules import OpenedBid, evaluate_bids

BIDS = [
    OpenedBid("azer-build", "local", "r1", 430_000, True),
    OpenedBid("euro-works", "foreign", "r2", 400_000, True),
    OpenedBid("kur-insaat", "local", "r3", 380_000, False, "turnover below 1 million AZN"),
]


def test_without_a_margin_the_lowest_qualified_price_wins() -> None:
    report = evaluate_bids("T-1", "AZN", 500_000, BIDS)
    assert [(b.bidder_code, b.rank, b.evaluated_price) for b in report.bids] == [
        ("euro-works", 1, 400_000),
        ("azer-build", 2, 430_000),
        ("kur-insaat", None, 380_000),
    ]
    assert report.rule == "lowest evaluated price among qualified bids"
    assert report.winner is not None and report.winner.bidder_code == "euro-works"


def test_a_preference_margin_is_added_to_the_others_and_shown() -> None:
    report = evaluate_bids("T-1", "AZN", 500_000, BIDS, preference_category="local", preference_margin_pct=10)
    rows = {b.bidder_code: b for b in report.bids}
    assert (rows["euro-works"].preference_applied, rows["euro-works"].preference_adjustment) == (True, 40_000)
    assert rows["euro-works"].evaluated_price == 440_000
    assert (rows["azer-build"].preference_applied, rows["azer-build"].evaluated_price) == (False, 430_000)
    assert report.winner is not None and (report.winner.bidder_code, report.winner.price) == ("azer-build", 430_000)
    assert "bids from outside 'local' evaluated at price + 10%" in report.rule
    assert report.to_dict()["bids"][0]["preference_adjustment"] == 0.0


def test_a_small_margin_does_not_overturn_a_large_gap() -> None:
    report = evaluate_bids("T-1", "AZN", 500_000, BIDS, preference_category="local", preference_margin_pct=5)
    assert report.winner is not None and report.winner.bidder_code == "euro-works"  # 420,000 < 430,000


def test_abnormally_low_bids_are_flagged_against_the_estimate() -> None:
    report = evaluate_bids("T-1", "AZN", 500_000, BIDS, abnormally_low_pct=20)
    assert report.abnormally_low_below == 400_000
    assert {b.bidder_code for b in report.bids if b.abnormally_low} == {"kur-insaat"}  # 380,000 < 400,000


def test_the_evaluation_report_is_kept_with_the_tender(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock, preference_category="local", preference_margin_pct=10, abnormally_low_pct=25)
    opened(money, clock, shares, {"azer-build": "430000", "euro-works": "400000", "kur-insaat": "370000"})
    service.disqualify_bid(money, "T-1", "kur-insaat", "turnover below 1 million AZN")
    service.evaluate(money, "T-1", clock)
    report = service.get_tender(money, "T-1").evaluation_report or {}
    assert [(b["bidder_code"], b["rank"], b["evaluated_price"], b["abnormally_low"]) for b in report["bids"]] == [
        ("azer-build", 1, 430_000, False),
        ("euro-works", 2, 440_000, False),
        ("kur-insaat", None, 370_000, True),
    ]
    assert report["bids"][2]["disqualification_reason"] == "turnover below 1 million AZN"
    assert service.award(money, "T-1", clock).award_amount == 430_000
