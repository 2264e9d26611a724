"""A tender market behind the API: a budget line, three companies (two with contractor accounts), a hand-set clock.

The server's clock is `app.state.clock`; the tests move it, never the client.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from api_support import PASSWORD_HASH, Api
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.finance import service as finance
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate
from homecoming.procurement import committee, sealing, service
from homecoming.procurement.schemas import BidderCreate, CommitteeMemberCreate

START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
ENQUIRY_END = dt.datetime(2025, 3, 10, 17, 0, tzinfo=dt.UTC)
TENDER_END = dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)
BEFORE = TENDER_END - dt.timedelta(minutes=1)
AFTER = TENDER_END + dt.timedelta(hours=1)
MEMBERS = ["Aliyev", "Mammadova", "Huseynov"]
MEMBER_KEYS = {name: sealing.member_key_pair() for name in MEMBERS}  # each made on the member's own machine
RIVAL = "rival"  # the second contractor account: Kur Insaat


@dataclass
class Clock:
    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Market:
    api: Api
    clock: Clock
    rival_token: str
    shares: dict[str, list[str]] = field(default_factory=dict)

    def headers(self, who: Role | str) -> dict[str, str]:
        if who == RIVAL:
            return {"Authorization": f"Bearer {self.rival_token}"}
        assert isinstance(who, Role)
        return self.api.as_(who)

    def call(self, method: str, who: Role | str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.api.client.request(method, path, headers=self.headers(who), **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if response.headers.get("content-type", "").startswith("application/json") else None

    def get(self, who: Role | str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        return self.call("GET", who, path, expect, **kwargs)

    def post(self, who: Role | str, path: str, body: Any = None, expect: int = 200) -> Any:
        return self.call("POST", who, path, expect, json=body)

    def version(self, code: str) -> int:
        return int(self.get(Role.PROCUREMENT_OFFICER, f"/api/tenders/{code}")["version"])

    def step(self, code: str, action: str, expect: int = 200, **body: Any) -> Any:
        """A tender transition by the procurement officer, sending the version it just read."""
        payload = {"version": self.version(code), **body}
        return self.post(Role.PROCUREMENT_OFFICER, f"/api/tenders/{code}/{action}", payload, expect)

    def create(self, code: str, **changes: Any) -> dict[str, Any]:
        body = {
            "code": code,
            "title": "Aghdam school, 12 classrooms",
            "project_code": "aghdam-school",
            "district_code": "aghdam",
            "budget_allocation_code": "schools-2025",
            "currency": "AZN",
            "estimate_amount": 500_000,
            "qualification_criteria": "two schools built in five years",
            "preference_category": "local",
            "preference_margin_pct": 5,
            "abnormally_low_pct": 10,
            "enquiry_end": ENQUIRY_END.isoformat(),
            "tender_end": TENDER_END.isoformat(),
            **changes,
        }
        made: dict[str, Any] = self.post(Role.PROCUREMENT_OFFICER, "/api/tenders", body, 201)
        return made

    def publish(self, code: str, **changes: Any) -> dict[str, Any]:
        self.create(code, **changes)
        self.clock.now = START
        published: dict[str, Any] = self.step(code, "publish", members=MEMBERS, threshold=2)
        self.shares[code] = members_unwrap(published["committee"])
        return published

    def give(self, code: str, share: str, who: Role | str = Role.PROCUREMENT_OFFICER, expect: int = 200) -> Any:
        """One member's share given at the opening (by the office, for a member present)."""
        return self.post(who, f"/api/tenders/{code}/opening", {"share": share}, expect)

    def sealed(self, code: str, bidder: str, price: str) -> str:
        """What the bidder's own client does with the published key: the server never sees `price`."""
        key = base64.b64decode(self.get(Role.PUBLIC, f"/api/tenders/{code}")["public_key"])
        return base64.b64encode(sealing.seal_bid(key, code, bidder, Decimal(price), "AZN")).decode()

    def bid(self, who: Role | str, code: str, bidder: str, price: str, expect: int = 201) -> Any:
        return self.post(who, f"/api/tenders/{code}/bids", {"sealed": self.sealed(code, bidder, price)}, expect)

    def bid_directly(self, code: str, bidder: str, price: str) -> None:
        """A company without an account here (its bid reaches the same service)."""
        sealed = base64.b64decode(self.sealed(code, bidder, price))
        with Session(self.api.engine) as session:
            service.submit_bid(session, code, bidder, sealed, self.clock)
            session.commit()

    def opened(self, code: str, prices: dict[str, str], **changes: Any) -> None:
        """Published, the three companies bid before the deadline, then two members open the bids."""
        self.publish(code, **changes)
        self.clock.now = BEFORE
        for bidder, price in prices.items():
            who = {"azer-build": Role.CONTRACTOR, "kur-insaat": RIVAL}.get(bidder)
            if who is None:
                self.bid_directly(code, bidder, price)
            else:
                self.bid(who, code, bidder, price)
        self.clock.now = AFTER
        for share in self.shares[code][:2]:
            self.give(code, share)


def members_unwrap(seats: list[dict[str, Any]]) -> list[str]:
    """What each member does on its own machine with its own private key: its share from its sealed share."""
    return [
        sealing.unwrap_share(sealing.load_member_key(MEMBER_KEYS[seat["member"]][0]), seat["sealed_share"])
        for seat in seats
    ]


def make_market(api: Api, standstill_days: int = 0) -> Market:
    """`standstill_days`: the award's standstill (issue 22); none by default, so a test of the later steps signs at
    once (the standstill's own tests give the setting's 10 days)."""
    with Session(api.engine) as session:
        finance.record_allocation(
            session,
            BudgetAllocationCreate(
                code="schools-2025",
                year=2025,
                source_kind=FundingSource.STATE_BUDGET,
                figure_kind=BudgetFigureKind.ALLOCATED,
                amount=1_000_000,
                currency="AZN",
                rate_to_azn=1,
            ),
        )
        kur = service.register_bidder(session, BidderCreate(code="kur-insaat", name="Kur Insaat", category="local"))
        service.register_bidder(session, BidderCreate(code="euro-works", name="Euro Works", category="foreign"))
        rival = User(username=RIVAL, password_hash=PASSWORD_HASH, role=Role.CONTRACTOR, bidder_id=kur.id, active=True)
        session.add(rival)
        session.flush()
        token = accounts.issue_token(session, rival, "tests")
        for name, (_private, public) in MEMBER_KEYS.items():
            committee.register_member(
                session, CommitteeMemberCreate(name=name, public_key=sealing.format_public_key(public))
            )
        session.commit()
    clock = Clock()
    api.client.app.state.clock = clock  # type: ignore[attr-defined]
    settings = api.client.app.state.settings  # type: ignore[attr-defined]
    api.client.app.state.settings = settings.model_copy(update={"standstill_days": standstill_days})  # type: ignore[attr-defined]
    return Market(api, clock, token)
