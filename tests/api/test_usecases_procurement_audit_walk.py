"""Every procurement and finance write route, and the budget-line form, leaves exactly one audit entry naming the
account that asked, and a refused request (wrong role, stale version, bad input) leaves none.

Three requests change more than one record and file the others inside their one entry: the share that opens the
bids (filed under the seat, with the tender's and each bid's change), the contract's signature (the contract, with
the tender's) and the payment that completes a contract (the payment, with the contract's).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import Api
from fastapi.routing import APIRoute
from PIL import Image
from procurement_support import ENQUIRY_END, MEMBERS, RIVAL, Market, make_market, members_unwrap
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_forms import log_in, submit

from homecoming.accounts.roles import Role
from homecoming.api.routers import finance, procurement, procurement_committee, procurement_contracts, procurement_money
from homecoming.audit.models import AuditEntry
from homecoming.procurement import sealing

COVERED_ROUTES = {
    ("POST", "/api/budget-allocations"),
    ("POST", "/api/committee-members"),
    ("POST", "/api/tenders"),
    ("POST", "/api/tenders/{code}/publish"),
    ("POST", "/api/tenders/{code}/close-enquiries"),
    ("POST", "/api/tenders/{code}/bids"),
    ("POST", "/api/tenders/{code}/opening"),
    ("POST", "/api/tenders/{code}/disqualify"),
    ("POST", "/api/tenders/{code}/evaluation"),
    ("POST", "/api/tenders/{code}/award"),
    ("POST", "/api/tenders/{code}/cancel"),
    ("POST", "/api/budget-changes"),
    ("POST", "/api/tenders/{code}/contract"),
    ("POST", "/api/contracts/{code}/milestones/{number}/inspections"),
    ("POST", "/api/inspections/{inspection_id}/photos"),
    ("POST", "/api/inspections/{inspection_id}/approval"),
    ("POST", "/api/contracts/{code}/milestones/{number}/payments"),
    ("POST", "/api/price-lists"),
    ("POST", "/api/bills-of-quantities"),
}
COVERED_FORMS = {"budget-allocations/new"}
PO = "procurement_officer"
Entry = tuple[str, str, str, str]  # who, action, table, record


@dataclass
class Walk:
    """A market, and what the trail holds since the last look."""

    m: Market
    seen: int = 0

    def new(self) -> list[Entry]:
        with Session(self.m.api.engine) as session:
            rows = session.scalars(select(AuditEntry).where(AuditEntry.id > self.seen).order_by(AuditEntry.id)).all()
            self.seen = max([self.seen, *(r.id for r in rows)])
            return [(r.username, r.action, r.table_name, r.record_code) for r in rows]

    def write(self, who: Role | str, path: str, body: Any, expect: int, filed: list[Entry], **kwargs: Any) -> Any:
        """One write: its answer, then exactly the entries `filed`."""
        answer = self.m.call("POST", who, path, expect, **({"json": body} if body is not None else {}), **kwargs)
        assert self.new() == filed, path
        return answer

    def refused(self, who: Role | str, path: str, body: Any, expect: int, code: str, **kwargs: Any) -> None:
        """A refused write: its error, and no entry at all."""
        answer = self.m.call("POST", who, path, expect, **({"json": body} if body is not None else {}), **kwargs)
        assert answer["error"]["code"] == code, (path, answer)
        assert self.new() == [], path


@pytest.fixture
def walk(api: Api) -> Walk:
    walk = Walk(make_market(api))
    walk.new()  # the market's own setup wrote through the services, as a fixture does
    return walk


def _png() -> bytes:
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 60)).save(photo, format="PNG")
    return photo.getvalue()


def _tendering(w: Walk) -> list[str]:
    """T-1 created, published and past its enquiries; returns the members' shares."""
    m = w.m
    w.refused(Role.VIEWER, "/api/tenders", {}, 403, "auth.forbidden")
    w.refused(PO_ROLE, "/api/tenders", {"code": "T-1"}, 422, "request.invalid")
    m.create("T-1")
    assert w.new() == [(PO, "create", "tenders", "T-1")]
    body = {"members": MEMBERS, "threshold": 2}
    w.refused(PO_ROLE, "/api/tenders/T-1/publish", {**body, "version": 99}, 409, "tenders.stale_version")
    w.refused(Role.CONTRACTOR, "/api/tenders/T-1/publish", {**body, "version": 1}, 403, "auth.forbidden")
    published = w.write(
        PO_ROLE, "/api/tenders/T-1/publish", {**body, "version": 1}, 200, [(PO, "update", "tenders", "T-1")]
    )
    m.clock.now = ENQUIRY_END + dt.timedelta(hours=1)
    w.refused(PO_ROLE, "/api/tenders/T-1/close-enquiries", {"version": 1}, 409, "tenders.stale_version")
    w.refused(Role.PLANNER, "/api/tenders/T-1/close-enquiries", {"version": 2}, 403, "auth.forbidden")
    w.write(PO_ROLE, "/api/tenders/T-1/close-enquiries", {"version": 2}, 200, [(PO, "update", "tenders", "T-1")])
    return members_unwrap(published["committee"])


PO_ROLE = Role.PROCUREMENT_OFFICER


def _bids_and_opening(w: Walk, shares: list[str]) -> None:
    m = w.m
    w.refused(Role.CONTRACTOR, "/api/tenders/T-1/bids", {"sealed": "not base64!"}, 422, "tender.bid_malformed")
    w.refused(PO_ROLE, "/api/tenders/T-1/bids", {"sealed": m.sealed("T-1", "azer-build", "1")}, 403, "auth.forbidden")
    for who, bidder, price in ((Role.CONTRACTOR, "azer-build", "480000"), (RIVAL, "kur-insaat", "455000")):
        sealed = {"sealed": m.sealed("T-1", bidder, price)}
        w.write(who, "/api/tenders/T-1/bids", sealed, 201, [(str(who), "create", "bids", f"T-1/{bidder}")])
    m.clock.now = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    w.refused(Role.VIEWER, "/api/tenders/T-1/opening", {"share": shares[0]}, 403, "committee.not_your_seat")
    w.refused(PO_ROLE, "/api/tenders/T-1/opening", {"share": "T-1:1:00"}, 422, "tender.share_malformed")
    w.write(
        PO_ROLE,
        "/api/tenders/T-1/opening",
        {"share": shares[0]},
        200,
        [(PO, "update", "committee_seats", "T-1/seat-1")],
    )
    opened = [(PO, "update", "committee_seats", "T-1/seat-2")]
    w.write(PO_ROLE, "/api/tenders/T-1/opening", {"share": shares[1]}, 200, opened)


def _evaluation_and_award(w: Walk) -> None:
    version = w.m.version("T-1")
    kur = {"bidder_code": "kur-insaat", "reason": "no school built"}
    w.refused(PO_ROLE, "/api/tenders/T-1/disqualify", {**kur, "version": version - 1}, 409, "tenders.stale_version")
    w.refused(Role.CONTRACTOR, "/api/tenders/T-1/disqualify", {**kur, "version": version}, 403, "auth.forbidden")
    w.write(PO_ROLE, "/api/tenders/T-1/disqualify", {**kur, "version": version}, 200,
            [(PO, "update", "bids", "T-1/kur-insaat")])  # fmt: skip
    w.refused(PO_ROLE, "/api/tenders/T-1/award", {"version": version}, 422, "tender.bad_transition")
    w.refused(PO_ROLE, "/api/tenders/T-1/evaluation", {"version": version + 1}, 409, "tenders.stale_version")
    w.refused(Role.VIEWER, "/api/tenders/T-1/evaluation", {"version": version}, 403, "auth.forbidden")
    w.write(PO_ROLE, "/api/tenders/T-1/evaluation", {"version": version}, 200, [(PO, "update", "tenders", "T-1")])
    w.refused(PO_ROLE, "/api/tenders/T-1/award", {"version": version}, 409, "tenders.stale_version")
    w.refused(Role.PLANNER, "/api/tenders/T-1/award", {"version": version + 1}, 403, "auth.forbidden")
    w.write(PO_ROLE, "/api/tenders/T-1/award", {"version": version + 1}, 200, [(PO, "update", "tenders", "T-1")])


def _contract_to_payment(w: Walk) -> None:
    change = {"code": "BC-1", "budget_allocation_code": "schools-2025", "amount_azn": 1000, "reason": "r",
              "approved_by": "MoF"}  # fmt: skip
    w.refused(Role.CONTRACTOR, "/api/budget-changes", change, 403, "auth.forbidden")
    w.refused(Role.PLANNER, "/api/budget-changes", {**change, "budget_allocation_code": "none"}, 404,
              "budget_allocations.not_found")  # fmt: skip
    w.write(Role.PLANNER, "/api/budget-changes", change, 201, [("planner", "create", "budget_changes", "BC-1")])
    milestones = [{"title": "walls", "amount": 200_000}, {"title": "roof", "amount": 280_000}]
    contract = {"code": "C-1", "milestones": milestones}
    w.refused(PO_ROLE, "/api/tenders/T-1/contract", {**contract, "milestones": [{"title": "x", "amount": 9e6}]}, 422,
              "contract.milestones_exceed_value")  # fmt: skip
    w.refused(Role.PLANNER, "/api/tenders/T-1/contract", contract, 403, "auth.forbidden")
    w.write(PO_ROLE, "/api/tenders/T-1/contract", contract, 201,
            [(PO, "create", "contracts", "C-1")])  # fmt: skip
    path, report = "/api/contracts/C-1/milestones/1/inspections", {"inspected_on": "2025-06-02", "passed": True}
    w.refused(Role.PLANNER, path, report, 403, "auth.forbidden")
    w.refused(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/9/inspections", report, 404, "milestones.not_found")
    made = w.m.call("POST", Role.DATA_ENTRY, path, 201, json=report)
    filed = f"C-1/1/#{made['id']}"
    assert w.new() == [("data_entry", "create", "inspections", filed)]
    photos = f"/api/inspections/{made['id']}/photos"
    w.refused(
        Role.DATA_ENTRY, photos, None, 422, "files.content_mismatch", files={"photo": ("a.png", b"text", "image/png")}
    )
    w.refused(Role.PLANNER, photos, None, 403, "auth.forbidden", files={"photo": ("a.png", _png(), "image/png")})
    w.write(Role.DATA_ENTRY, photos, None, 201, [("data_entry", "update", "inspections", filed)],
            files={"photo": ("site.png", _png(), "image/png")})  # fmt: skip
    approval = f"/api/inspections/{made['id']}/approval"
    w.refused(Role.DATA_ENTRY, approval, None, 403, "auth.forbidden")
    w.write(PO_ROLE, approval, None, 200, [(PO, "update", "inspections", filed)])
    pay = "/api/contracts/C-1/milestones/1/payments"
    w.refused(PO_ROLE, pay, {"amount": 999_999}, 422, "payment.exceeds_milestone")
    w.refused(Role.PLANNER, pay, {"amount": 1}, 403, "auth.forbidden")
    w.m.call("POST", PO_ROLE, pay, 201, json={"amount": 200_000})
    [(who, action, table, record)] = w.new()
    assert (who, action, table, record.startswith("C-1/1/#")) == (PO, "create", "payments", True)


def _prices_members_budget_and_cancel(w: Walk) -> None:
    items = [{"item_code": "concrete-m3", "description": "Concrete", "unit": "m3", "unit_price": 120}]
    price_list = {"code": "PL-2024", "effective_date": "2024-01-01", "currency": "AZN", "items": items}
    w.refused(Role.PLANNER, "/api/price-lists", price_list, 403, "auth.forbidden")
    w.refused(PO_ROLE, "/api/price-lists", {**price_list, "currency": "azn"}, 422, "request.invalid")
    w.write(PO_ROLE, "/api/price-lists", price_list, 201, [(PO, "create", "price_lists", "PL-2024")])
    boq = {"code": "BQ-1", "title": "Walls", "lines": [{"item_code": "concrete-m3", "quantity": 10}]}
    w.refused(Role.DATA_ENTRY, "/api/bills-of-quantities", boq, 403, "auth.forbidden")
    w.refused(PO_ROLE, "/api/bills-of-quantities", {**boq, "lines": []}, 422, "request.invalid")
    w.write(PO_ROLE, "/api/bills-of-quantities", boq, 201, [(PO, "create", "bills_of_quantities", "BQ-1")])
    member = {"name": "Rzayev", "public_key": sealing.format_public_key(sealing.member_key_pair()[1])}
    w.refused(Role.PLANNER, "/api/committee-members", member, 403, "auth.forbidden")
    w.refused(PO_ROLE, "/api/committee-members", {**member, "name": "Aliyev"}, 409, "committee.duplicate_name")
    w.write(PO_ROLE, "/api/committee-members", member, 201, [(PO, "create", "committee_members", "Rzayev")])
    line = {"code": "roads-2026", "year": 2026, "source_kind": "state_budget", "figure_kind": "allocated",
            "amount": 5, "currency": "AZN", "rate_to_azn": 1}  # fmt: skip
    w.refused(Role.CONTRACTOR, "/api/budget-allocations", line, 403, "auth.forbidden")
    w.refused(Role.PLANNER, "/api/budget-allocations", {**line, "currency": "azn"}, 422, "request.invalid")
    w.write(
        Role.PLANNER, "/api/budget-allocations", line, 201, [("planner", "create", "budget_allocations", "roads-2026")]
    )
    w.m.create("T-2")
    assert w.new() == [(PO, "create", "tenders", "T-2")]
    w.refused(PO_ROLE, "/api/tenders/T-2/cancel", {"version": 7, "reason": "merged"}, 409, "tenders.stale_version")
    w.refused(PO_ROLE, "/api/tenders/T-2/cancel", {"version": 1, "reason": ""}, 422, "request.invalid")
    w.write(
        PO_ROLE, "/api/tenders/T-2/cancel", {"version": 1, "reason": "merged"}, 200, [(PO, "update", "tenders", "T-2")]
    )


def test_each_procurement_and_finance_write_route_files_its_entries_and_a_refusal_none(
    walk: Walk, tmp_path: Any
) -> None:
    app = walk.m.api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": tmp_path})  # type: ignore[attr-defined]
    shares = _tendering(walk)
    _bids_and_opening(walk, shares)
    _evaluation_and_award(walk)
    _contract_to_payment(walk)
    _prices_members_budget_and_cancel(walk)


def test_the_walk_covers_every_write_route_of_procurement_and_finance() -> None:
    routers = (procurement, procurement_committee, procurement_contracts, procurement_money, finance)
    writes = {
        (method, route.path)
        for module in routers
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if method not in {"GET", "HEAD"}
    }
    assert writes == COVERED_ROUTES


def test_the_budget_line_form_files_one_entry_and_a_refused_post_none(walk: Walk) -> None:
    api = walk.m.api
    fields = {"code": "b-1", "year": 2025, "source_kind": "donor", "figure_kind": "spent", "amount": 5,
              "currency": "AZN", "rate_to_azn": 1, "comment": "from the ministry's letter"}  # fmt: skip
    log_in(api, Role.VIEWER)
    assert api.client.get("/forms/budget-allocations/new", headers={"accept": "text/html"}).status_code == 403
    log_in(api, Role.PLANNER)
    assert submit(api, "budget-allocations/new", {**fields, "currency": "azn"}).status_code == 422
    assert walk.new() == []
    assert submit(api, "budget-allocations/new", fields).status_code == 303
    assert walk.new() == [("planner", "create", "budget_allocations", "b-1")]
    assert submit(api, "budget-allocations/new", fields).status_code == 409  # the code is taken: nothing written
    assert walk.new() == []
    with Session(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.comment.is_not(None))) == 1
