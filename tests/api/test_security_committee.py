"""Issue 16 item 4: the k-of-n opening committee is no longer defeated at publication.

The attack: the publisher kept the n shares the publication answer handed out, took a read-only copy of the
database and decrypted the bids before the deadline. Here the publisher keeps everything it ever saw (every
answer of the publication and around it), the audit trail and a full copy of the database, and tries every
stored value as a key or a share: no bid opens. Only k members' own private keys open them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import io
import itertools
import json
from decimal import Decimal
from typing import Any

import pytest
from api_support import Api
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from procurement_support import AFTER, BEFORE, MEMBER_KEYS, MEMBERS, RIVAL, START, Market, make_market
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.errors import RuleViolation
from homecoming.procurement import sealing
from homecoming.procurement.models import Bid, Bidder, CommitteeSeat, Tender

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
KARIMOVA = sealing.member_key_pair()  # a fourth member, registered through the API and tied to the viewer account
KEYS = {**MEMBER_KEYS, "Karimova": KARIMOVA}
COMMITTEE = [*MEMBERS, "Karimova"]


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api)


def _published_with_bids(m: Market) -> list[Any]:
    """Karimova registered, T-1 published to four members (any two open it), three sealed bids; every answer."""
    seen: list[Any] = []
    body = {"name": "Karimova", "public_key": sealing.format_public_key(KARIMOVA[1]), "username": "viewer"}
    seen.append(m.post(Role.PROCUREMENT_OFFICER, "/api/committee-members", body, 201))
    seen.append(m.get(Role.PROCUREMENT_OFFICER, "/api/committee-members"))
    seen.append(m.create("T-1"))
    m.clock.now = START
    seen.append(m.step("T-1", "publish", members=COMMITTEE, threshold=2))
    seen.append(m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/committee"))
    seen.append(m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1"))
    m.clock.now = BEFORE
    seen.append(m.bid(Role.CONTRACTOR, "T-1", "azer-build", PRICES["azer-build"]))
    seen.append(m.bid(RIVAL, "T-1", "kur-insaat", PRICES["kur-insaat"]))
    m.bid_directly("T-1", "euro-works", PRICES["euro-works"])
    seen.append(m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/bids"))
    return seen


def _members_shares(m: Market) -> dict[str, str]:
    """What each member computes on its own machine with its own key (never sent anywhere in this test)."""
    seats = m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/committee")
    return {s["member"]: sealing.unwrap_share(sealing.load_member_key(KEYS[s["member"]][0]), s["sealed_share"])
            for s in seats}  # fmt: skip


def _database(engine: Engine) -> list[Any]:
    """Every value of every row of every table: a full copy of the database."""
    values: list[Any] = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(row)
    return values


def _flat(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for pair in value.items() for item in pair for v in _flat(item)]
    if isinstance(value, list | tuple):
        return [v for item in value for v in _flat(item)]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return [value, *_flat(json.loads(value))]
        except ValueError:
            return [value]
    return [bytes(value) if isinstance(value, memoryview) else value]


def _readings(value: Any) -> list[bytes]:
    """Every way a stored or shown value could be bytes: as is, as hex, as base64, each part of `a:b:c`."""
    if isinstance(value, bytes):
        return [value]
    if not isinstance(value, str):
        return []
    found = [value.encode()]
    for part in [value, *value.split(":")]:
        for decode in (bytes.fromhex, lambda s: base64.b64decode(s, validate=True)):
            with contextlib.suppress(ValueError, binascii.Error):
                found.append(decode(part))
    return found


def _opens_a_bid(bids: list[tuple[bytes, str]], key: bytes) -> bool:
    for sealed, bidder in bids:
        try:
            sealing.open_bid(key, "T-1", bidder, sealed)
            return True
        except RuleViolation:
            pass
    return False


def test_what_the_publisher_saw_the_trail_and_the_database_cannot_open_a_bid(market: Market) -> None:
    m = market
    seen = _published_with_bids(m)
    trail = m.api.client.get("/api/audit.csv", headers=m.api.as_(Role.ADMIN)).text
    everything = _flat(seen) + _flat(_database(m.api.engine)) + _flat(list(csv.reader(io.StringIO(trail))))
    texts = "\n".join(v.hex() if isinstance(v, bytes) else str(v) for v in everything)
    candidates = {b for value in everything for b in _readings(value)}
    # the real secrets, as the members alone can compute them, are nowhere in what was seen or stored
    shares = _members_shares(m)
    parsed = [sealing.parse_share("T-1", s) for s in shares.values()]
    with Session(m.api.engine) as session:
        public_key = session.scalars(select(Tender.public_key)).one() or b""
        bids = [(bid.sealed, bidder.code) for bid, bidder in session.execute(select(Bid, Bidder).join(Bidder)).all()]
    private_key = sealing.combine_shares("T-1", public_key, parsed[:2])
    for secret in [share for _i, share in parsed] + [private_key]:
        assert not any(secret in b for b in candidates)
        assert secret.hex() not in texts and base64.b64encode(secret).decode() not in texts
    assert [s for s in shares.values() if s in texts] == []
    # nothing stored or shown, used as the tender's key, opens a bid (the real key does: the test is live)
    keys = sorted(b for b in candidates if len(b) == sealing.KEY_BYTES)
    assert len(keys) >= 10 and _opens_a_bid(bids, private_key)
    assert [k.hex() for k in keys if _opens_a_bid(bids, k)] == []
    # nor as two shares (any two values, any two seats), nor as a member's key opening a sealed share
    for (a, b), (i, j) in itertools.product(itertools.combinations(keys, 2), itertools.combinations(range(1, 5), 2)):
        with pytest.raises(RuleViolation):
            sealing.combine_shares("T-1", public_key, [(i, a), (j, b)])
    for key, seat in itertools.product(keys, seen[4]):
        with pytest.raises(RuleViolation):
            sealing.unwrap_share(X25519PrivateKey.from_private_bytes(key), seat["sealed_share"])


def test_k_members_keys_open_the_bids_and_k_minus_one_cannot(market: Market) -> None:
    m = market
    _published_with_bids(m)
    shares = _members_shares(m)
    m.clock.now = AFTER
    with Session(m.api.engine) as session:
        public_key = session.scalars(select(Tender.public_key)).one() or b""
    one = [sealing.parse_share("T-1", shares["Mammadova"])]
    with pytest.raises(RuleViolation) as caught:
        sealing.combine_shares("T-1", public_key, one)
    assert caught.value.code == "tender.shares_invalid"
    first = m.give("T-1", shares["Mammadova"])
    assert (first["opened"], first["shares_given"], first["shares_needed"]) == (False, 1, 2)
    assert [b["price"] for b in m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/bids")] == [None, None, None]
    # a copy of the database taken between two givings holds one share: not enough
    assert _given_shares(m.api.engine) == 1
    opened = m.give("T-1", shares["Karimova"], who=Role.VIEWER)  # Karimova's own account gives her share
    assert (opened["opened"], opened["tender"]["status"]) == (True, "opening")
    prices = {b["bidder_code"]: b["price"] for b in m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/bids")}
    assert prices == {code: float(Decimal(p)) for code, p in PRICES.items()}
    assert _given_shares(m.api.engine) == 0  # wiped at the opening


def _given_shares(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.scalars(select(CommitteeSeat).where(CommitteeSeat.share_given.is_not(None))).all())


def test_opening_before_the_deadline_is_refused_and_keeps_nothing(market: Market) -> None:
    m = market
    _published_with_bids(m)
    shares = _members_shares(m)
    for share in list(shares.values())[:2]:
        refused = m.give("T-1", share, expect=422)
        assert refused["error"]["code"] == "tender.opening_before_deadline"
    assert _given_shares(m.api.engine) == 0
    assert m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1")["opened_at"] is None


def test_a_wrong_share_is_refused_clearly(market: Market) -> None:
    m = market
    _published_with_bids(m)
    shares = _members_shares(m)
    m.clock.now = AFTER
    index, share = sealing.parse_share("T-1", shares["Aliyev"])
    altered = sealing.format_share("T-1", index, bytes([share[0] ^ 1]) + share[1:])
    wrong = m.give("T-1", altered, expect=422)["error"]
    assert (wrong["code"], wrong["details"]["index"]) == ("tender.share_invalid", 1)
    moved = sealing.format_share("T-1", 2, share)  # Aliyev's share offered as seat 2's
    assert m.give("T-1", moved, expect=422)["error"]["code"] == "tender.share_invalid"
    assert m.give("T-1", "T-1:1:abcd", expect=422)["error"]["code"] == "tender.share_malformed"
    assert _given_shares(m.api.engine) == 0
    m.give("T-1", shares["Aliyev"])
    again = m.give("T-1", shares["Aliyev"], expect=409)["error"]
    assert again["code"] == "tender.share_already_given"


def test_a_member_account_sees_and_gives_only_its_own_seat(market: Market) -> None:
    m = market
    _published_with_bids(m)
    shares = _members_shares(m)
    own = m.get(Role.VIEWER, "/api/tenders/T-1/committee")
    assert [(s["member"], s["share_index"]) for s in own] == [("Karimova", 4)]
    assert m.get(Role.CONTRACTOR, "/api/tenders/T-1/committee", 403)["error"]["code"] == "committee.not_your_seat"
    m.clock.now = AFTER
    assert m.give("T-1", shares["Aliyev"], who=Role.VIEWER, expect=403)["error"]["code"] == "committee.not_your_seat"
    assert m.give("T-1", shares["Aliyev"], who=RIVAL, expect=403)["error"]["code"] == "committee.not_your_seat"


def test_only_the_office_registers_members_and_a_key_is_registered_once(market: Market) -> None:
    m = market
    body = {"name": "Other", "public_key": sealing.format_public_key(MEMBER_KEYS["Aliyev"][1])}
    assert m.post(Role.VIEWER, "/api/committee-members", body, 403)["error"]["code"] == "auth.forbidden"
    duplicate = m.post(Role.PROCUREMENT_OFFICER, "/api/committee-members", body, 409)
    assert duplicate["error"]["code"] == "committee.duplicate_key"
    bad = m.post(Role.PROCUREMENT_OFFICER, "/api/committee-members", {"name": "X", "public_key": "bm90"}, 422)
    assert bad["error"]["code"] == "committee.public_key_invalid"
    m.create("T-1")
    unknown = m.step("T-1", "publish", 404, members=["Aliyev", "Nobody"], threshold=2)
    assert unknown["error"]["code"] == "committee.member_unknown"
