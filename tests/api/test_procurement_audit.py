"""Every procurement write leaves its audit entry (who, what, before, after, why), and no sealed secret leaks into it.

The tender of procurement_support: three companies bid on T-1; Azer Build (the `contractor` account) and Kur Insaat
(the `rival` account) bid over the API, Euro Works through the service (no account, so no entry of its own).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_support import PASSWORD, Api
from PIL import Image
from procurement_support import AFTER, BEFORE, ENQUIRY_END, MEMBERS, RIVAL, Market, make_market, members_unwrap
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.audit.models import AuditEntry
from homecoming.procurement.models import Bid, CommitteeSeat, Payment, Tender

MILESTONES = [{"title": "walls and roof", "amount": 200_000}, {"title": "finishing", "amount": 255_000}]
PRICES = ("480000", "455000", "440000")


@dataclass
class Trail:
    """Reads the entries made since the last look."""

    api: Api
    seen: int = 0
    all: list[AuditEntry] = field(default_factory=list)

    def new(self) -> list[tuple[str, str, str, str]]:
        with Session(self.api.engine) as session:
            rows = list(session.scalars(select(AuditEntry).where(AuditEntry.id > self.seen).order_by(AuditEntry.id)))
            session.expunge_all()
        if rows:
            self.seen = rows[-1].id
        self.all.extend(rows)
        return [(r.username, r.action, r.table_name, r.record_code) for r in rows]

    def last(self) -> AuditEntry:
        return self.all[-1]


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api)


def _payment_id(m: Market) -> int:
    with Session(m.api.engine) as session:
        return session.scalars(select(Payment.id).order_by(Payment.id.desc())).first() or 0


def _sealed_bid(m: Market, who: Role | str, bidder: str, price: str) -> str:
    sealed = m.sealed("T-1", bidder, price)
    m.post(who, "/api/tenders/T-1/bids?comment=our+offer", {"sealed": sealed}, 201)
    return sealed


def _to_opening(m: Market, trail: Trail) -> dict[str, Any]:
    """T-1 from draft to opened, checking each step's entries; returns the secrets of the way."""
    po = "procurement_officer"
    m.create("T-1")
    assert trail.new() == [(po, "create", "tenders", "T-1")]
    assert (trail.last().before, trail.last().after["status"], trail.last().comment) == (None, "draft", None)
    published = m.step("T-1", "publish", members=MEMBERS, threshold=2, comment="board decision 7")
    shares = members_unwrap(published["committee"])
    assert trail.new() == [(po, "update", "tenders", "T-1")]
    entry = trail.last()
    assert (entry.before["status"], entry.after["status"], entry.comment) == ("draft", "enquiries", "board decision 7")
    assert (entry.before["public_key"], entry.after["public_key"]) == (None, "<32 bytes>")
    assert "wrapped_private_key" not in entry.after  # the private key is kept nowhere, not even wrapped
    m.clock.now = ENQUIRY_END + dt.timedelta(hours=1)
    m.step("T-1", "close-enquiries")
    assert trail.new() == [(po, "update", "tenders", "T-1")]
    assert (trail.last().before["status"], trail.last().after["status"]) == ("enquiries", "tendering")
    m.clock.now = BEFORE
    sealed = [_sealed_bid(m, Role.CONTRACTOR, "azer-build", PRICES[0]), _sealed_bid(m, RIVAL, "kur-insaat", PRICES[1])]
    m.bid_directly("T-1", "euro-works", PRICES[2])
    assert trail.new() == [
        ("contractor", "create", "bids", "T-1/azer-build"),
        (RIVAL, "create", "bids", "T-1/kur-insaat"),
    ]
    bid = trail.last()
    assert (bid.before, bid.after["status"], bid.after["opened_price"], bid.comment) == (
        None,
        "sealed",
        None,
        "our offer",
    )
    assert bid.after["sealed"] == f"<{len(base64.b64decode(sealed[1]))} bytes>"
    m.clock.now = AFTER
    m.give("T-1", shares[0])
    assert trail.new() == [(po, "update", "committee_seats", "T-1/seat-1")]
    assert (trail.last().before["share_given"], trail.last().after["share_given"]) == (None, "<32 bytes>")
    m.give("T-1", shares[1])
    assert trail.new() == [(po, "update", "committee_seats", "T-1/seat-2")]  # one entry for the request
    opening = trail.last().after
    tender = opening["tender_change"]
    assert (tender["table"], tender["record"], tender["before"]["status"]) == ("tenders", "T-1", "tendering")
    assert tender["after"]["status"] == "opening"
    bids = opening["bid_changes"]
    assert [(b["table"], b["record"]) for b in bids] == [
        ("bids", f"T-1/{b}") for b in ("azer-build", "kur-insaat", "euro-works")
    ]
    assert [b["after"]["opened_price"] for b in bids] == [480_000, 455_000, 440_000]
    assert [b["before"]["opened_price"] for b in bids] == [None, None, None]
    return {"sealed": sealed, "shares": shares}


def test_each_tender_step_is_filed_with_who_what_before_after_and_why(market: Market) -> None:
    m, trail, po = market, Trail(market.api), "procurement_officer"
    _to_opening(m, trail)
    m.step("T-1", "disqualify", bidder_code="euro-works", reason="no school built", comment="criterion 1")
    assert trail.new() == [(po, "update", "bids", "T-1/euro-works")]
    entry = trail.last()
    assert (entry.before["status"], entry.after["status"], entry.comment) == ("opened", "disqualified", "criterion 1")
    m.step("T-1", "evaluation")
    assert trail.new() == [(po, "update", "tenders", "T-1")]
    assert (trail.last().before["evaluation_report"], trail.last().after["status"]) == (None, "evaluation")
    m.step("T-1", "award")
    assert trail.new() == [(po, "update", "tenders", "T-1")]
    assert (trail.last().before["award_amount"], trail.last().after["award_amount"]) == (None, 455_000)
    m.create("T-2")
    m.step("T-2", "cancel", reason="merged into T-1", comment="ministry letter")
    assert trail.new() == [(po, "create", "tenders", "T-2"), (po, "update", "tenders", "T-2")]
    entry = trail.last()
    assert (entry.after["status"], entry.after["close_reason"], entry.comment) == (
        "cancelled",
        "merged into T-1",
        "ministry letter",
    )
    listed = m.get(Role.ADMIN, "/api/audit?table=tenders&record=T-2")
    assert [(i["action"], i["username"]) for i in listed["items"]] == [("update", po), ("create", po)]


def test_contracts_inspections_photos_approvals_and_payments_are_filed(market: Market, tmp_path: Any) -> None:
    m, trail, po = market, Trail(market.api), "procurement_officer"
    app = m.api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": tmp_path})  # type: ignore[attr-defined]
    _to_opening(m, trail)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    trail.new()
    m.post(
        Role.PROCUREMENT_OFFICER,
        "/api/tenders/T-1/contract?comment=signed",
        {"code": "C-1", "milestones": MILESTONES},
        201,
    )
    assert trail.new() == [(po, "create", "contracts", "C-1")]  # one entry for the request
    contract = trail.last()
    tender = contract.after["tender_change"]
    assert (contract.after["value"], [x["amount"] for x in contract.after["milestones"]]) == (
        455_000,
        [200_000, 255_000],
    )
    assert (tender["record"], tender["before"]["status"], tender["after"]["status"], contract.comment) == (
        "T-1",
        "awarded",
        "contract_signed",
        "signed",
    )
    report = {"inspected_on": "2025-06-02", "passed": True}
    made = m.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/1/inspections?comment=site+visit", report, 201)
    filed = f"C-1/1/#{made['id']}"
    assert trail.new() == [("data_entry", "create", "inspections", filed)]
    assert (trail.last().after["inspector"], trail.last().comment) == ("data_entry", "site visit")
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 60)).save(photo, format="PNG")
    files = {"photo": ("site.png", photo.getvalue(), "image/png")}
    m.call("POST", Role.DATA_ENTRY, f"/api/inspections/{made['id']}/photos", 201, files=files)
    assert trail.new() == [("data_entry", "update", "inspections", filed)]
    assert (trail.last().before["photos"], len(trail.last().after["photos"])) == ([], 1)
    m.post(Role.PROCUREMENT_OFFICER, f"/api/inspections/{made['id']}/approval?comment=seen")
    assert trail.new() == [(po, "update", "inspections", filed)]
    assert (trail.last().before["approved_by"], trail.last().after["approved_by"]) == (None, po)
    m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/payments", {"amount": 200_000}, 201)
    assert trail.new() == [(po, "create", "payments", f"C-1/1/#{_payment_id(m)}")]
    assert (trail.last().before, trail.last().after["amount"]) == (None, 200_000)


def test_the_payment_that_completes_a_contract_files_the_contracts_change(market: Market, tmp_path: Any) -> None:
    m, trail, po = market, Trail(market.api), "procurement_officer"
    _to_opening(m, trail)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    m.post(
        Role.PROCUREMENT_OFFICER,
        "/api/tenders/T-1/contract",
        {"code": "C-1", "milestones": [{"title": "all", "amount": 455_000}]},
        201,
    )
    made = m.post(
        Role.DATA_ENTRY,
        "/api/contracts/C-1/milestones/1/inspections",
        {"inspected_on": "2025-06-02", "passed": True},
        201,
    )
    m.post(Role.PROCUREMENT_OFFICER, f"/api/inspections/{made['id']}/approval")
    trail.new()
    m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/payments?comment=final", {"amount": 455_000}, 201)
    assert trail.new() == [(po, "create", "payments", f"C-1/1/#{_payment_id(m)}")]  # one entry for the request
    contract = trail.last().after["contract_change"]
    assert (contract["record"], contract["before"]["status"], contract["after"]["status"], trail.last().comment) == (
        "C-1",
        "active",
        "complete",
        "final",
    )


def test_budget_changes_price_lists_and_bills_are_filed(market: Market) -> None:
    m, trail = market, Trail(market.api)
    change = {"code": "BC-1", "budget_allocation_code": "schools-2025", "amount_azn": 200_000,
              "reason": "second school wing", "approved_by": "Ministry of Finance"}  # fmt: skip
    m.post(Role.PLANNER, "/api/budget-changes?comment=order+15", change, 201)
    assert trail.new() == [("planner", "create", "budget_changes", "BC-1")]
    assert (trail.last().after["amount_azn"], trail.last().comment) == (200_000, "order 15")
    items = [{"item_code": "concrete-m3", "description": "Concrete", "unit": "m3", "unit_price": 120}]
    price_list = {"code": "PL-2024", "effective_date": "2024-01-01", "currency": "AZN", "items": items}
    m.post(Role.PROCUREMENT_OFFICER, "/api/price-lists", price_list, 201)
    assert trail.new() == [("procurement_officer", "create", "price_lists", "PL-2024")]
    assert [(i["item_code"], i["unit_price"]) for i in trail.last().after["items"]] == [("concrete-m3", 120)]
    boq = {"code": "BQ-1", "title": "School walls", "project_code": "aghdam-school",
           "lines": [{"item_code": "concrete-m3", "quantity": 10}]}  # fmt: skip
    m.post(Role.PROCUREMENT_OFFICER, "/api/bills-of-quantities?comment=design+v2", boq, 201)
    assert trail.new() == [("procurement_officer", "create", "bills_of_quantities", "BQ-1")]
    assert ([line["quantity"] for line in trail.last().after["lines"]], trail.last().comment) == ([10], "design v2")


def test_a_refused_procurement_write_leaves_no_entry(market: Market) -> None:
    m, trail = market, Trail(market.api)
    m.create("T-1")
    trail.new()
    assert m.step("T-1", "award", expect=422)["error"]["code"] == "tender.bad_transition"
    assert m.step("T-1", "close-enquiries", expect=409, version=9)["error"]["code"] == "tenders.stale_version"
    m.post(Role.CONTRACTOR, "/api/tenders/T-1/bids", {"sealed": "bm90IHNlYWxlZA=="}, 404)
    assert trail.new() == []


def _secrets_of(m: Market, shares: list[str], sealed: list[str]) -> list[str]:
    """Everything that must stay out of the trail before the opening, as text in any spelling."""
    with Session(m.api.engine) as session:
        tender = session.scalars(select(Tender).where(Tender.code == "T-1")).one()
        ciphers = [bid.sealed for bid in session.scalars(select(Bid))]
        ciphers += [seat.sealed_share for seat in session.scalars(select(CommitteeSeat))]
        assert tender.public_key is not None
    raw = [base64.b64decode(s) for s in sealed] + ciphers
    spelled = [s for b in raw for s in (base64.b64encode(b).decode(), b.hex(), repr(b)[2:40])]
    hexes = [share.rsplit(":", 1)[1] for share in shares]
    return spelled + shares + hexes + list(PRICES) + ["480000.0", "455000.0", "440000.0"]


def test_no_entry_holds_a_ciphertext_key_share_or_price_before_the_opening(market: Market) -> None:
    m, trail = market, Trail(market.api)
    m.create("T-1")
    published = m.step("T-1", "publish", members=MEMBERS, threshold=2)
    shares = members_unwrap(published["committee"])
    m.clock.now = BEFORE
    sealed = [_sealed_bid(m, Role.CONTRACTOR, "azer-build", PRICES[0]), _sealed_bid(m, RIVAL, "kur-insaat", PRICES[1])]
    m.bid_directly("T-1", "euro-works", PRICES[2])
    assert len(trail.new()) == 4
    stored = json.dumps([(e.before, e.after, e.comment) for e in trail.all])
    exported = m.api.client.get("/api/audit.csv", headers=m.api.as_(Role.ADMIN)).text
    secrets = _secrets_of(m, shares, sealed)
    assert len(secrets) == 3 * (2 + 3 + 3) + 3 + 3 + 6  # 2 posted + 3 stored bids, 3 sealed shares; shares; prices
    for text in (stored, exported):
        assert [s for s in secrets if s in text] == []
        assert text.count("bytes>") >= 3  # the public key and two sealed bids, each only as its size
    placeholders = {e.after["sealed"] for e in trail.all if e.table_name == "bids"}
    assert all(re.fullmatch(r"<\d+ bytes>", p) for p in placeholders)


def test_snapshot_keeps_only_the_size_of_bytes_and_the_type_of_the_unknown() -> None:
    assert audit._plain(b"\x00" * 32) == "<32 bytes>"
    assert audit._plain(bytearray(b"ab")) == "<2 bytes>"
    assert audit._plain({"k": [b"abc", 1, object()]}) == {"k": ["<3 bytes>", 1, "<object>"]}


def test_the_admin_audit_page_lists_a_procurement_entry(market: Market) -> None:
    m = market
    m.create("T-1")
    m.step("T-1", "publish", members=MEMBERS, threshold=2, comment="board decision 7")
    api = m.api
    api.client.post("/login", data={"username": Role.ADMIN.value, "password": PASSWORD})
    html = api.client.get("/admin/audit?table=tenders").text
    assert re.findall(r'<li class="entry" data-record="([^"]+)">', html) == ["T-1", "T-1"]
    assert "board decision 7" in html and "&lt;32 bytes&gt;" in html
