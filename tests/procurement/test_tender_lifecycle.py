"""Every transition of a tender, and every refusal, with the server's clock deciding the deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session
from tender_helpers import (
    AFTER,
    BEFORE,
    COMMITTEE,
    ENQUIRY_END,
    START,
    FakeClock,
    bid,
    give_shares,
    opened,
    publish,
    published,
    tender_data,
)

from homecoming.errors import RuleViolation
from homecoming.procurement import committee, sealing, service
from homecoming.procurement.models import TenderStatus
from homecoming.procurement.rules import TRANSITIONS
from homecoming.procurement.schemas import Committee

S = TenderStatus


def status(session: Session, code: str = "T-1") -> TenderStatus:
    return service.get_tender(session, code).status


def test_a_new_tender_is_a_draft_with_utc_deadlines(money: Session) -> None:
    local = dt.timezone(dt.timedelta(hours=4))  # Baku time
    tender = service.create_tender(money, tender_data(tender_end=dt.datetime(2025, 3, 31, 16, 0, tzinfo=local)))
    assert (tender.status, tender.tender_end) == (S.DRAFT, dt.datetime(2025, 3, 31, 12, 0))
    assert tender.public_key is None


def test_enquiries_cannot_close_after_bids(money: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.create_tender(money, tender_data(enquiry_end=AFTER))
    assert caught.value.code == "tender.periods_out_of_order"


def test_publishing_opens_enquiries_and_hands_out_one_share_per_member(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    tender = service.get_tender(money, "T-1")
    assert (tender.status, tender.published_at, tender.opening_threshold) == (
        S.ENQUIRIES,
        START.replace(tzinfo=None),
        2,
    )
    assert [s.split(":")[:2] for s in shares] == [["T-1", "1"], ["T-1", "2"], ["T-1", "3"]]
    assert len(tender.public_key or b"") == 32


def test_publishing_after_the_enquiry_deadline_is_refused(money: Session, clock: FakeClock) -> None:
    service.create_tender(money, tender_data())
    with pytest.raises(RuleViolation) as caught:
        committee.publish_tender(money, "T-1", COMMITTEE, clock.at(ENQUIRY_END))
    assert caught.value.code == "tender.deadline_passed"
    assert status(money) is S.DRAFT


def test_publishing_twice_is_refused(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    with pytest.raises(RuleViolation) as caught:
        committee.publish_tender(money, "T-1", COMMITTEE, clock)
    assert caught.value.code == "tender.bad_transition"
    assert caught.value.details == {"tender": "T-1", "status": "enquiries", "target": "enquiries"}


def test_a_committee_threshold_must_fit_the_committee() -> None:
    with pytest.raises(ValidationError, match="exceeds the 2 committee members"):
        Committee(members=["a", "b"], threshold=3)
    with pytest.raises(ValidationError):
        Committee(members=["a", "b"], threshold=1)


def test_enquiries_close_only_at_their_deadline(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    with pytest.raises(RuleViolation) as caught:
        service.close_enquiries(money, "T-1", clock.at(ENQUIRY_END - dt.timedelta(seconds=1)))
    assert caught.value.code == "tender.enquiries_still_open"
    assert service.close_enquiries(money, "T-1", clock.at(ENQUIRY_END)).status is S.TENDERING


def test_bids_are_taken_during_tendering(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    service.close_enquiries(money, "T-1", clock.at(ENQUIRY_END))
    assert bid(money, clock.at(BEFORE), "azer-build", "400000").receipt


def test_a_draft_takes_no_bids(money: Session, clock: FakeClock) -> None:
    service.create_tender(money, tender_data())
    with pytest.raises(RuleViolation) as caught:
        service.submit_bid(money, "T-1", "azer-build", b"x" * 80, clock)
    assert caught.value.code == "tender.not_accepting_bids"


def test_a_draft_cannot_be_opened(money: Session, clock: FakeClock) -> None:
    service.create_tender(money, tender_data())
    with pytest.raises(RuleViolation) as caught:
        committee.give_share(money, "T-1", "T-1:1:00", clock.at(AFTER))
    assert (caught.value.code, caught.value.details["status"]) == ("tender.bad_transition", "draft")


def test_too_few_bids_make_the_tender_unsuccessful_at_the_opening(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock, min_bids=2)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    tender = give_shares(money, "T-1", shares[:1], clock.at(AFTER))
    assert (tender.status, tender.close_reason) == (S.UNSUCCESSFUL, "too few bids: 1 of 2 required")
    assert service.bids_of(money, tender)[0][0].opened_price is None  # never decrypted


def test_no_qualified_bid_makes_the_evaluation_unsuccessful(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    opened(money, clock, shares, {"azer-build": "400000"})
    service.disqualify_bid(money, "T-1", "azer-build", "no similar roads")
    report = service.evaluate(money, "T-1", clock)
    assert report.winner is None
    assert (status(money), service.get_tender(money, "T-1").close_reason) == (S.UNSUCCESSFUL, "no qualified bid")


def test_the_full_path_to_award(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    opened(money, clock, shares, {"azer-build": "431977.50", "kur-insaat": "412000"})
    assert status(money) is S.OPENING
    service.evaluate(money, "T-1", clock)
    assert status(money) is S.EVALUATION
    tender = service.award(money, "T-1", clock)
    assert (tender.status, tender.award_amount, tender.awarded_at) == (S.AWARDED, 412000.0, AFTER.replace(tzinfo=None))


def test_disqualifying_is_only_between_opening_and_evaluation(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    opened(money, clock, shares, {"azer-build": "400000"})
    service.evaluate(money, "T-1", clock)
    with pytest.raises(RuleViolation) as caught:
        service.disqualify_bid(money, "T-1", "azer-build", "late papers")
    assert caught.value.code == "tender.not_opening"
    with pytest.raises(RuleViolation) as no_bid:
        service.evaluate(money, "T-1", clock)
    assert no_bid.value.code == "tender.bad_transition"


def test_an_award_needs_an_evaluation(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    opened(money, clock, shares, {"azer-build": "400000"})
    with pytest.raises(RuleViolation) as caught:
        service.award(money, "T-1", clock)
    assert caught.value.code == "tender.bad_transition"


@pytest.mark.parametrize("stage", ["draft", "enquiries", "tendering", "opening", "evaluation", "awarded"])
def test_a_tender_can_be_cancelled_until_its_contract_is_signed(money: Session, clock: FakeClock, stage: str) -> None:
    service.create_tender(money, tender_data())
    if stage != "draft":
        shares = publish(money, "T-1", clock)
    if stage == "tendering":
        service.close_enquiries(money, "T-1", clock.at(ENQUIRY_END))
    if stage in {"opening", "evaluation", "awarded"}:
        opened(money, clock, shares, {"azer-build": "400000"})
    if stage in {"evaluation", "awarded"}:
        service.evaluate(money, "T-1", clock)
    if stage == "awarded":
        service.award(money, "T-1", clock)
    assert status(money) == stage
    tender = service.cancel(money, "T-1", "road re-routed", clock)
    assert (tender.status, tender.close_reason) == (S.CANCELLED, "road re-routed")
    with pytest.raises(RuleViolation) as caught:
        service.cancel(money, "T-1", "again", clock)
    assert caught.value.code == "tender.bad_transition"


def test_every_status_is_covered_by_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(TenderStatus)
    closed = {s for s, targets in TRANSITIONS.items() if not targets}
    assert closed == {S.COMPLETE, S.CANCELLED, S.UNSUCCESSFUL}


def test_nothing_is_sealed_to_an_unpublished_tender(money: Session) -> None:
    service.create_tender(money, tender_data())
    with pytest.raises(RuleViolation) as caught:
        bid(money, FakeClock(), "azer-build", "400000")
    assert caught.value.code == "tender.not_published"


def test_a_truncated_sealed_bid_is_refused_at_submission(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    with pytest.raises(RuleViolation) as caught:
        service.submit_bid(money, "T-1", "azer-build", b"\x00" * 44, clock)
    assert (caught.value.code, caught.value.details) == ("tender.bid_malformed", {"bytes": 44})


def test_a_bid_in_another_currency_is_disqualified_at_the_opening(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    tender = service.get_tender(money, "T-1")
    sealed = sealing.seal_bid(tender.public_key or b"", "T-1", "euro-works", Decimal("250000"), "EUR")
    service.submit_bid(money, "T-1", "euro-works", sealed, clock.at(BEFORE))
    bid(money, clock, "azer-build", "400000")
    give_shares(money, "T-1", shares[:2], clock.at(AFTER))
    reasons = {b.code: bd.disqualification_reason for bd, b in service.bids_of(money, tender)}
    assert reasons == {"euro-works": "priced in EUR; the tender asks for AZN", "azer-build": None}
