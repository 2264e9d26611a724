"""Sealed bids stay sealed until a committee quorum opens them after the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text, update
from sqlalchemy.orm import Session
from tender_helpers import AFTER, BEFORE, FakeClock, bid, give_shares, published

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.db.crud import get_by_code
from homecoming.errors import Conflict, RuleViolation
from homecoming.procurement import actions, committee, sealing, service
from homecoming.procurement.models import Bid, Bidder, BidStatus, TenderStatus


def test_the_database_holds_no_price_before_the_opening(money: Session, engine: Engine, clock: FakeClock) -> None:
    published(money, clock)
    receipt = bid(money, clock.at(BEFORE), "azer-build", "431977.50").receipt
    money.commit()
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text("SELECT * FROM bids"))]
        tender = [tuple(row) for row in connection.execute(text("SELECT * FROM tenders"))]
    dump = repr(rows + tender).encode() + b"".join(v for r in rows + tender for v in r if isinstance(v, bytes))
    assert len(rows) == 1
    assert b"431977" not in dump and b"431,977" not in dump
    columns = dict(zip(Bid.__table__.c.keys(), rows[0], strict=True))
    assert columns["opened_price"] is None
    assert columns["receipt"] == receipt
    # nor can the holder of the database decrypt it: no private key or share is stored in clear
    # (tests/procurement/test_security_committee.py tries every stored value)
    assert b'"price"' not in bytes(columns["sealed"])


def test_a_bid_after_the_deadline_is_refused_by_the_server_clock(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    sealed = service.seal_price(money, "T-1", "azer-build", Decimal("400000"))
    with pytest.raises(RuleViolation) as caught:
        service.submit_bid(money, "T-1", "azer-build", sealed, clock.at(AFTER))
    assert caught.value.code == "tender.bid_after_deadline"
    assert "closed at 2025-03-31 12:00 UTC" in caught.value.message
    assert service.bids_of(money, service.get_tender(money, "T-1")) == []


def test_a_bidder_bids_once(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    with pytest.raises(Conflict) as caught:
        bid(money, clock, "azer-build", "390000")
    assert caught.value.code == "tender.bid_duplicate"


def test_opening_before_the_deadline_is_refused(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    with pytest.raises(RuleViolation) as caught:
        give_shares(money, "T-1", shares, clock)
    assert caught.value.code == "tender.opening_before_deadline"
    assert service.get_tender(money, "T-1").status is TenderStatus.ENQUIRIES


def test_fewer_than_k_shares_cannot_open(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    opening = committee.give_share(money, "T-1", shares[0], clock.at(AFTER))
    assert (opening.given, opening.needed, opening.opened) == (1, 2, False)
    with pytest.raises(Conflict) as caught:
        committee.give_share(money, "T-1", shares[0], clock)
    assert caught.value.code == "tender.share_already_given"
    assert service.get_tender(money, "T-1").status is TenderStatus.ENQUIRIES
    assert service.bids_of(money, service.get_tender(money, "T-1"))[0][0].opened_price is None


def test_one_share_alone_does_not_yield_the_key(money: Session, clock: FakeClock) -> None:
    """Even bypassing the count check, Shamir with one share of a 2-of-3 split gives a wrong key."""
    shares = published(money, clock)
    tender = service.get_tender(money, "T-1")
    one = [sealing.parse_share("T-1", shares[1])]
    with pytest.raises(RuleViolation) as caught:
        sealing.combine_shares("T-1", tender.public_key or b"", one)
    assert caught.value.code == "tender.shares_invalid"


def test_a_forged_share_is_named(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    forged = "T-1:3:" + "00" * 32
    with pytest.raises(RuleViolation) as caught:
        give_shares(money, "T-1", [shares[0], forged], clock.at(AFTER))
    assert (caught.value.code, caught.value.details["index"]) == ("tender.share_invalid", 3)
    with pytest.raises(RuleViolation) as malformed:
        committee.give_share(money, "T-1", "T-2:1:abcd", clock)
    assert malformed.value.code == "tender.share_malformed"


def test_any_two_of_three_shares_open_the_bids(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    clock.at(BEFORE)
    bid(money, clock, "azer-build", "431977.50")
    bid(money, clock, "euro-works", "405000")
    tender = give_shares(money, "T-1", [shares[2], shares[0]], clock.at(AFTER))
    assert tender.status is TenderStatus.OPENING
    prices = {b.code: (bd.opened_price, bd.status) for bd, b in service.bids_of(money, tender)}
    assert prices == {"azer-build": (431977.5, BidStatus.OPENED), "euro-works": (405000.0, BidStatus.OPENED)}


def test_a_tampered_ciphertext_is_detected_at_the_opening(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    sealed = bid(money, clock.at(BEFORE), "azer-build", "400000").sealed
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    money.execute(update(Bid).values(sealed=flipped))
    money.expire_all()
    with pytest.raises(RuleViolation) as caught:
        give_shares(money, "T-1", shares[:2], clock.at(AFTER))
    assert (caught.value.code, caught.value.details["bidder"]) == ("tender.bid_tampered", "azer-build")


def test_a_ciphertext_altered_with_a_matching_receipt_is_still_detected(money: Session, clock: FakeClock) -> None:
    """An insider who rewrites the receipt too is caught by AES-GCM's tag."""
    shares = published(money, clock)
    sealed = bid(money, clock.at(BEFORE), "azer-build", "400000").sealed
    flipped = sealed[:50] + bytes([sealed[50] ^ 1]) + sealed[51:]
    money.execute(update(Bid).values(sealed=flipped, receipt=sealing.receipt_of(flipped)))
    money.expire_all()
    with pytest.raises(RuleViolation) as caught:
        give_shares(money, "T-1", shares[:2], clock.at(AFTER))
    assert caught.value.code == "tender.bid_tampered"


def test_a_sealed_bid_moved_to_another_bidder_does_not_open(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    stolen = service.seal_price(money, "T-1", "azer-build", Decimal("400000"))
    service.submit_bid(money, "T-1", "kur-insaat", stolen, clock.at(BEFORE))
    with pytest.raises(RuleViolation) as caught:
        give_shares(money, "T-1", shares[:2], clock.at(AFTER))
    assert (caught.value.code, caught.value.details["bidder"]) == ("tender.bid_tampered", "kur-insaat")


def test_a_bidder_verifies_its_receipt_after_the_opening(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    receipt = bid(money, clock.at(BEFORE), "azer-build", "431977.50").receipt
    before = service.verify_receipt(money, "T-1", receipt)
    assert (before.bidder_code, before.intact, before.opened, before.price) == ("azer-build", True, False, None)
    give_shares(money, "T-1", shares[1:], clock.at(AFTER))
    after = service.verify_receipt(money, "T-1", receipt)
    assert (after.intact, after.opened, after.price) == (True, True, 431977.5)
    with pytest.raises(RuleViolation) as caught:
        service.verify_receipt(money, "T-1", "0" * 64)
    assert caught.value.code == "tender.receipt_unknown"


@dataclass(frozen=True)
class Seen:
    bidder_code: str
    receipt: str
    price: float | None


def _bids_seen_by(session: Session, company: str | None) -> list[Seen]:
    """T-1's bids as the public (None) or a contractor account of `company` sees them (the one bid policy)."""
    viewer = None
    if company is not None:
        bidder_id = get_by_code(session, Bidder, company).id
        viewer = User(username=company, role=Role.CONTRACTOR, bidder_id=bidder_id)
    return [Seen(s.bidder.code, s.bid.receipt, s.price) for s in actions.visible_bids(session, viewer, "T-1")]


def test_before_the_opening_a_bidder_sees_only_its_own_bid_and_no_price(money: Session, clock: FakeClock) -> None:
    shares = published(money, clock)
    clock.at(BEFORE)
    own = bid(money, clock, "azer-build", "431977.50").receipt
    bid(money, clock, "euro-works", "405000")
    assert [(v.bidder_code, v.receipt, v.price) for v in _bids_seen_by(money, "azer-build")] == [
        ("azer-build", own, None)
    ]
    assert _bids_seen_by(money, None) == []
    give_shares(money, "T-1", shares[:2], clock.at(AFTER))
    assert [(v.bidder_code, v.price) for v in _bids_seen_by(money, None)] == [
        ("azer-build", 431977.5),
        ("euro-works", 405000.0),
    ]
