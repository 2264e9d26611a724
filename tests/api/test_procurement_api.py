"""Tenders, sealed bids, contracts, inspections, payments, prices, red flags, money and open data over HTTP.

Three companies bid on T-1 (estimate 500,000 AZN; local bidders favoured by 5%; below 450,000 is abnormally low):
Azer Build 480,000 (the `contractor` account), Kur Insaat 455,000 (the `rival` account), Euro Works 440,000
(foreign, so evaluated at 462,000, and abnormally low). Kur Insaat wins at its own price.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from api_support import Api
from PIL import ExifTags, Image
from procurement_support import AFTER, BEFORE, RIVAL, TENDER_END, Market, make_market, members_unwrap
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.interchange import iati, ocds, standards
from homecoming.procurement.models import Bid, Tender
from homecoming.territory.models import District

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
MILESTONES = [{"title": "walls and roof", "amount": 200_000}, {"title": "finishing", "amount": 255_000}]


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api)


def _awarded(m: Market, code: str = "T-1") -> dict[str, Any]:
    m.opened(code, PRICES)
    report: dict[str, Any] = m.step(code, "evaluation")
    m.step(code, "award")
    return report


def _signed(m: Market) -> dict[str, Any]:
    _awarded(m)
    contract: dict[str, Any] = m.post(
        Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": MILESTONES}, 201
    )
    return contract


def test_a_tender_goes_from_draft_to_award_and_each_step_is_the_officers(market: Market) -> None:
    m = market
    m.create("T-1")
    assert m.get(Role.PUBLIC, "/api/tenders/T-1", 404)["error"]["code"] == "tenders.not_found"  # a draft
    assert m.get(Role.CONTRACTOR, "/api/tenders")["total"] == 0
    assert m.get(Role.VIEWER, "/api/tenders/T-1")["status"] == "draft"
    answer = m.step("T-1", "publish", members=["Aliyev", "Mammadova", "Huseynov"], threshold=2)
    assert [s["member"] for s in answer["committee"]] == ["Aliyev", "Mammadova", "Huseynov"]
    assert all(s["sealed_share"].startswith("T-1:") for s in answer["committee"])
    shares = members_unwrap(answer["committee"])
    public = m.get(Role.PUBLIC, "/api/tenders/T-1")
    assert (public["status"], public["bids_count"], public["opening_threshold"]) == ("enquiries", None, 2)
    assert len(public["key_fingerprint"]) == 39
    early = m.step("T-1", "close-enquiries", 422)
    assert early["error"]["code"] == "tender.enquiries_still_open"
    m.clock.now = BEFORE
    assert m.step("T-1", "close-enquiries")["status"] == "tendering"
    m.bid(Role.CONTRACTOR, "T-1", "azer-build", "480000")
    m.bid(RIVAL, "T-1", "kur-insaat", "455000")
    m.bid_directly("T-1", "euro-works", "440000")
    assert m.get(Role.PUBLIC, "/api/tenders/T-1")["bids_count"] is None  # not before the deadline
    assert m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1")["bids_count"] == 3
    m.clock.now = AFTER
    assert m.get(Role.PUBLIC, "/api/tenders/T-1")["bids_count"] == 3
    one = m.give("T-1", shares[0])
    assert (one["shares_given"], one["shares_needed"], one["opened"], one["tender"]["status"]) == (
        1,
        2,
        False,
        "tendering",
    )
    assert m.give("T-1", shares[2])["tender"]["status"] == "opening"
    assert m.get(Role.PUBLIC, "/api/tenders/T-1/evaluation", 404)["error"]["code"] == "tender.not_evaluated"
    report = m.step("T-1", "evaluation")
    assert m.get(Role.PUBLIC, "/api/tenders/T-1/evaluation") == report
    ranked = [(b["bidder_code"], b["evaluated_price"], b["abnormally_low"], b["rank"]) for b in report["bids"]]
    assert ranked == [
        ("kur-insaat", 455_000, False, 1),
        ("euro-works", 462_000, True, 2),  # foreign: 440,000 + 5%; and below 450,000
        ("azer-build", 480_000, False, 3),
    ]
    assert report["rule"].endswith("; bids from outside 'local' evaluated at price + 5%")
    awarded = m.step("T-1", "award")
    assert (awarded["status"], awarded["winner_code"], awarded["award_amount"]) == ("awarded", "kur-insaat", 455_000)


def test_a_transition_from_a_stale_version_is_refused_with_the_current_tender(market: Market) -> None:
    market.publish("T-1")
    stale = market.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/cancel", {"version": 1, "reason": "x"}, 409)
    assert stale["error"]["code"] == "tenders.stale_version"
    assert stale["error"]["details"]["current"]["status"] == "enquiries"
    cancelled = market.step("T-1", "cancel", reason="the school is rebuilt by a donor")
    assert (cancelled["status"], cancelled["close_reason"]) == ("cancelled", "the school is rebuilt by a donor")
    again = market.step("T-1", "cancel", 422, reason="twice")
    assert again["error"]["code"] == "tender.bad_transition"


def test_a_bid_after_the_deadline_is_refused_by_the_servers_clock(market: Market) -> None:
    market.publish("T-1")
    market.clock.now = TENDER_END
    refused = market.bid(Role.CONTRACTOR, "T-1", "azer-build", "480000", expect=422)
    assert refused["error"]["code"] == "tender.bid_after_deadline"
    message = "bids for T-1 closed at 2025-03-31 12:00 UTC; this bid came at 2025-03-31 12:00"
    assert refused["error"]["message"] == message
    assert refused["error"]["details"]["deadline"] == "2025-03-31T12:00:00"
    with Session(market.api.engine) as session:
        assert session.scalars(select(Bid)).all() == []


def test_no_price_is_in_any_answer_before_the_opening(market: Market) -> None:
    m = market
    odd = {"azer-build": "437911.37", "kur-insaat": "452203.19", "euro-works": "461177.83"}
    m.publish("T-1")
    m.clock.now = BEFORE
    m.bid(Role.CONTRACTOR, "T-1", "azer-build", odd["azer-build"])
    m.bid(RIVAL, "T-1", "kur-insaat", odd["kur-insaat"])
    m.bid_directly("T-1", "euro-works", odd["euro-works"])
    receipt = m.get(Role.CONTRACTOR, "/api/my/bids")["items"][0]["receipt"]
    paths = ["/api/tenders", "/api/tenders/T-1", "/api/tenders/T-1/bids", "/api/my/bids", "/api/red-flags",
             f"/api/tenders/T-1/receipts/{receipt}", "/api/tenders/T-1/evaluation", "/api/open-data/ocds.json",
             "/api/finance/report", "/api/contracts"]  # fmt: skip
    seen = 0
    for who in [Role.PUBLIC, Role.CONTRACTOR, RIVAL, Role.PROCUREMENT_OFFICER, Role.ADMIN, Role.VIEWER]:
        for path in paths:
            response = m.api.client.get(path, headers=m.headers(who))
            seen += response.status_code == 200
            for price in odd.values():
                assert price not in response.text and price.replace(".", "") not in response.text, (who, path)
                assert str(int(float(price))) not in response.text, (who, path)
    assert seen >= 30
    with Session(m.api.engine) as session:  # the database itself holds no price, only ciphertext
        assert [b.opened_price for b in session.scalars(select(Bid))] == [None, None, None]
    for bid in m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/bids"):
        assert (bid["status"], bid["price"]) == ("sealed", None)


def test_a_contractor_sees_only_its_own_bids_and_receipts(market: Market) -> None:
    m = market
    m.publish("T-1")
    m.clock.now = BEFORE
    mine = m.bid(Role.CONTRACTOR, "T-1", "azer-build", "480000")
    theirs = m.bid(RIVAL, "T-1", "kur-insaat", "455000")
    assert (mine["bidder_code"], mine["price"], len(mine["receipt"])) == ("azer-build", None, 64)
    assert [b["bidder_code"] for b in m.get(Role.CONTRACTOR, "/api/tenders/T-1/bids")] == ["azer-build"]
    assert [b["bidder_code"] for b in m.get(RIVAL, "/api/tenders/T-1/bids")] == ["kur-insaat"]
    assert [b["receipt"] for b in m.get(Role.CONTRACTOR, "/api/my/bids")["items"]] == [mine["receipt"]]
    officer = m.get(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/bids")
    assert [(b["bidder_code"], b["price"]) for b in officer] == [("azer-build", None), ("kur-insaat", None)]
    other = m.get(Role.CONTRACTOR, f"/api/tenders/T-1/receipts/{theirs['receipt']}", 422)
    assert other["error"]["code"] == "tender.receipt_unknown"
    twice = m.bid(Role.CONTRACTOR, "T-1", "azer-build", "470000", expect=409)
    assert twice["error"]["code"] == "tender.bid_duplicate"
    m.clock.now = AFTER
    for share in m.shares["T-1"][:2]:
        m.give("T-1", share)
    check = m.get(Role.CONTRACTOR, f"/api/tenders/T-1/receipts/{mine['receipt']}")
    assert (check["intact"], check["opened"], check["price"]) == (True, True, 480_000)
    # From the opening on every bid and price is public, as at a public opening (the one bid policy, docs/formats.md)
    assert [(b["bidder_code"], b["price"]) for b in m.get(Role.CONTRACTOR, "/api/tenders/T-1/bids")] == [
        ("azer-build", 480_000),
        ("kur-insaat", 455_000),
    ]
    assert m.get(Role.PUBLIC, "/api/tenders/T-1/bids", 401)["error"]["code"] == "auth.required"
    assert m.get(Role.VIEWER, "/api/tenders/T-1/bids", 403)["error"]["code"] == "auth.forbidden"


def test_only_contractors_bid_and_only_procurement_officers_run_tenders(market: Market) -> None:
    m = market
    body = {"code": "T-9", "title": "x", "currency": "AZN", "estimate_amount": 1, "qualification_criteria": "y",
            "enquiry_end": BEFORE.isoformat(), "tender_end": AFTER.isoformat()}  # fmt: skip
    for who, expect in [(Role.PUBLIC, 401), (Role.VIEWER, 403), (Role.PLANNER, 403), (Role.CONTRACTOR, 403)]:
        assert m.post(who, "/api/tenders", body, expect)["error"]["code"].startswith("auth.")
    m.publish("T-1")
    m.clock.now = BEFORE
    refused = m.bid(Role.PROCUREMENT_OFFICER, "T-1", "azer-build", "1", expect=403)
    assert refused["error"]["code"] == "auth.forbidden"
    no_company = m.bid(Role.ADMIN, "T-1", "azer-build", "1", expect=403)
    assert no_company["error"]["code"] == "auth.no_company"
    opening = m.post(Role.CONTRACTOR, "/api/tenders/T-1/opening", {"share": m.shares["T-1"][0]}, 403)
    assert opening["error"]["code"] == "committee.not_your_seat"
    assert m.get(Role.CONTRACTOR, "/api/return-events", 403)["error"]["code"] == "auth.forbidden"
    assert m.get(Role.CONTRACTOR, "/api/auth/me")["role"] == "contractor"
    assert m.get(Role.PUBLIC, "/api/my/bids", 401)["error"]["code"] == "auth.required"


def test_a_contractor_account_names_its_company(market: Market) -> None:
    body = {"username": "new.firm", "password": "long-enough-pass", "role": "contractor"}
    missing = market.post(Role.ADMIN, "/api/users", body, 422)
    assert "bidder_code" in missing["error"]["message"]
    made = market.post(Role.ADMIN, "/api/users", {**body, "bidder_code": "euro-works"}, 201)
    assert made["role"] == "contractor"
    unknown = market.post(Role.ADMIN, "/api/users", {**body, "username": "other", "bidder_code": "nobody"}, 404)
    assert unknown["error"]["code"] == "bidders.not_found"


def test_a_payment_waits_for_an_approved_passed_inspection(market: Market, tmp_path: Any) -> None:
    m = market
    app = m.api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": tmp_path})  # type: ignore[attr-defined]
    contract = _signed(m)
    assert (contract["value"], contract["bidder_code"], contract["paid"]) == (455_000, "kur-insaat", 0)
    pay = "/api/contracts/C-1/milestones/1/payments"
    early = m.post(Role.PROCUREMENT_OFFICER, pay, {"amount": 200_000}, 422)
    assert early["error"]["code"] == "payment.milestone_not_inspected"
    inspect = "/api/contracts/C-1/milestones/1/inspections"
    report = {"inspected_on": "2025-06-02", "passed": True, "lat": 39.99, "lon": 46.93}
    inspection = m.post(Role.PROCUREMENT_OFFICER, inspect, report, 201)
    assert (inspection["inspector"], inspection["approved"]) == ("procurement_officer", False)
    unapproved = m.post(Role.PROCUREMENT_OFFICER, pay, {"amount": 200_000}, 422)
    assert unapproved["error"]["code"] == "payment.milestone_not_inspected"
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 60)).save(photo, format="PNG")
    files = {"photo": ("site.png", photo.getvalue(), "image/png")}
    with_photo = m.call("POST", Role.DATA_ENTRY, f"/api/inspections/{inspection['id']}/photos", 201, files=files)
    assert with_photo["photos"] == 1 and with_photo["photo_keys"][0].startswith("private/")
    assert (tmp_path / with_photo["photo_keys"][0]).is_file()
    shown = m.api.client.get(f"/api/inspections/{inspection['id']}/photos/1", headers=m.headers(Role.PLANNER))
    assert (shown.status_code, shown.content) == (200, photo.getvalue())
    assert m.get(Role.PUBLIC, f"/api/inspections/{inspection['id']}/photos/1", 401)
    assert m.get(Role.PLANNER, f"/api/inspections/{inspection['id']}/photos/2", 404)["error"]["code"] == (
        "inspection.photo_not_found"
    )
    own = m.post(Role.PROCUREMENT_OFFICER, f"/api/inspections/{inspection['id']}/approval", None, 422)
    assert own["error"]["code"] == "inspection.self_approval"
    approved = m.post(Role.ADMIN, f"/api/inspections/{inspection['id']}/approval", None)
    assert (approved["approved"], approved["approved_by"]) == (True, "admin")
    paid = m.post(Role.PROCUREMENT_OFFICER, pay, {"amount": 200_000}, 201)
    assert (paid["amount"], paid["inspection_id"]) == (200_000, inspection["id"])
    too_much = m.post(Role.PROCUREMENT_OFFICER, pay, {"amount": 1}, 422)
    assert too_much["error"]["code"] == "payment.exceeds_milestone"
    public = m.get(Role.PUBLIC, "/api/contracts/C-1")
    first = public["milestones"][0]
    assert (public["paid"], first["paid"], first["inspections"][0]["photos"]) == (200_000, 200_000, 1)
    assert (first["inspections"][0]["inspector"], first["inspections"][0]["photo_keys"]) == (None, [])
    assert m.get(Role.PUBLIC, "/api/contracts?status=active")["items"][0]["code"] == "C-1"
    assert m.get(Role.PUBLIC, "/api/contracts?bidder=kur-insaat")["total"] == 1


def test_a_commitment_beyond_the_budget_line_needs_an_approved_change(market: Market) -> None:
    m = market
    m.opened("T-1", {"azer-build": "1200000"}, estimate_amount=1_150_000)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    body = {"code": "C-1", "milestones": [{"title": "all", "amount": 1_200_000}]}
    refused = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", body, 422)
    assert refused["error"]["code"] == "contract.budget_exceeded"
    assert refused["error"]["details"] == {"allocation": "schools-2025", "limit_azn": 1_000_000, "committed_azn": 0,
                                           "amount_azn": 1_200_000}  # fmt: skip
    change = {"code": "BC-1", "budget_allocation_code": "schools-2025", "amount_azn": 200_000,
              "reason": "second school wing", "approved_by": "Ministry of Finance"}  # fmt: skip
    assert m.post(Role.VIEWER, "/api/budget-changes", change, 403)["error"]["code"] == "auth.forbidden"
    recorded = m.post(Role.PLANNER, "/api/budget-changes", change, 201)
    assert (recorded["amount_azn"], recorded["approved_at"]) == (200_000, "2025-03-31T13:00:00")
    assert m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", body, 201)["value"] == 1_200_000
    line = m.get(Role.PUBLIC, "/api/finance/allocations")[0]
    assert (line["approved_changes_azn"], line["committed_azn"], line["uncommitted_azn"]) == (200_000, 1_200_000, 0)


def test_a_photos_geotag_places_an_inspection_given_no_coordinates(market: Market, tmp_path: Any) -> None:
    m = market
    app = m.api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": tmp_path})  # type: ignore[attr-defined]
    _signed(m)
    made = m.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/2/inspections",
                  {"inspected_on": "2025-09-02", "passed": True}, 201)  # fmt: skip
    assert (made["lat"], made["lon"]) == (None, None)
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (39.0, 59.0, 24.0), 3: "E", 4: (46.0, 55.0, 48.0)}
    photo = io.BytesIO()
    Image.new("RGB", (16, 12), (180, 40, 40)).save(photo, "JPEG", exif=exif)
    files = {"photo": ("roof.jpg", photo.getvalue(), "image/jpeg")}
    placed = m.call("POST", Role.DATA_ENTRY, f"/api/inspections/{made['id']}/photos", 201, files=files)
    assert (placed["lat"], placed["lon"]) == (39.99, 46.93)
    files = {"photo": ("roof.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")}
    refused = m.call("POST", Role.DATA_ENTRY, f"/api/inspections/{made['id']}/photos", 422, files=files)
    assert refused["error"]["code"].startswith("files.")


def test_an_inspector_from_another_district_is_refused(market: Market) -> None:
    _signed(market)
    report = {"inspected_on": "2025-06-02", "passed": False}
    market.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/1/inspections", report, 201)  # aghdam: its own
    with Session(market.api.engine) as session:
        tender = session.scalars(select(Tender)).one()
        tender.district_id = session.scalars(select(District.id).where(District.code == "fuzuli")).one()
        session.commit()
    refused = market.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/1/inspections", report, 403)
    assert refused["error"]["code"] == "auth.other_district"


def test_price_lists_keep_their_history_and_price_an_estimate(market: Market) -> None:
    m = market
    items = [{"item_code": "concrete-m3", "description": "Concrete", "unit": "m3", "unit_price": 120}]
    first = {"code": "PL-2024", "effective_date": "2024-01-01", "currency": "AZN", "items": items}
    assert m.post(Role.PLANNER, "/api/price-lists", first, 403)["error"]["code"] == "auth.forbidden"
    m.post(Role.PROCUREMENT_OFFICER, "/api/price-lists", first, 201)
    clash = m.post(Role.PROCUREMENT_OFFICER, "/api/price-lists", {**first, "code": "PL-X"}, 409)
    assert clash["error"]["code"] == "price_list.date_taken"
    later = {**first, "code": "PL-2025", "effective_date": "2025-01-01", "items": [{**items[0], "unit_price": 150}]}
    m.post(Role.PROCUREMENT_OFFICER, "/api/price-lists", later, 201)
    listed = m.get(Role.PUBLIC, "/api/price-lists?sort=-effective_date")
    assert [p["code"] for p in listed["items"]] == ["PL-2025", "PL-2024"]
    assert m.get(Role.PUBLIC, "/api/price-lists?on=2024-06-01")["total"] == 1
    assert m.get(Role.PUBLIC, "/api/price-lists/PL-2024")["items"][0]["unit_price"] == 120
    boq = {"code": "BQ-1", "title": "School walls", "project_code": "aghdam-school",
           "lines": [{"item_code": "concrete-m3", "quantity": 10}]}  # fmt: skip
    assert m.post(Role.PROCUREMENT_OFFICER, "/api/bills-of-quantities", boq, 201)["lines"] == boq["lines"]
    assert m.get(Role.VIEWER, "/api/bills-of-quantities")["total"] == 1
    old = m.get(Role.PLANNER, "/api/bills-of-quantities/BQ-1/estimate?on=2024-06-01")
    new = m.get(Role.PLANNER, "/api/bills-of-quantities/BQ-1/estimate?on=2025-06-01")
    assert (old["total"], old["lines"][0]["price_list_code"], new["total"]) == (1200, "PL-2024", 1500)
    assert m.get(Role.CONTRACTOR, "/api/bills-of-quantities/BQ-1/estimate?on=2025-06-01", 403)
    assert m.get(Role.PUBLIC, "/api/bills-of-quantities", 401)
    unpriced = m.get(Role.PLANNER, "/api/bills-of-quantities/BQ-1/estimate?on=2023-06-01", 422)
    assert unpriced["error"]["code"] == "estimate.item_unpriced"


def test_red_flags_are_public_and_link_the_records_that_raised_them(market: Market) -> None:
    m = market
    _awarded(m)
    m.opened("T-2", {"azer-build": "150000"}, estimate_amount=100_000)
    m.step("T-2", "evaluation")
    m.step("T-2", "award")
    flags = m.get(Role.PUBLIC, "/api/red-flags")
    assert [(f["code"], f["indicator"]) for f in flags] == [
        ("single_bid", "R018"),
        ("award_above_estimate", "HC-estimate"),
    ]
    receipt = m.get(Role.CONTRACTOR, "/api/tenders/T-2/bids")[0]["receipt"]
    assert flags[0]["records"] == [
        {"record": "tenders/T-2", "href": "/api/tenders/T-2"},
        {"record": f"bids/{receipt}", "href": "/api/tenders/T-2/evaluation"},
    ]
    assert flags[1]["value"] == 50.0
    assert m.get(Role.PUBLIC, flags[0]["records"][0]["href"])["code"] == "T-2"
    stricter = m.get(Role.PUBLIC, "/api/red-flags?award_above_estimate_pct=60")
    assert [f["code"] for f in stricter] == ["single_bid"]
    bad = m.get(Role.PUBLIC, "/api/red-flags?short_submission_days=-1", 422)
    assert bad["error"]["code"] == "request.invalid"


def test_money_is_reported_by_year_source_district_and_sector(market: Market, tmp_path: Any) -> None:
    m = market
    _signed(m)
    inspection = m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/inspections",
                        {"inspected_on": "2025-06-02", "passed": True}, 201)  # fmt: skip
    m.post(Role.ADMIN, f"/api/inspections/{inspection['id']}/approval")
    m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/payments", {"amount": 200_000}, 201)
    by_year = m.get(Role.PUBLIC, "/api/finance/report?by=year")
    assert by_year == [
        {"key": "2025", "allocated_azn": 1_000_000, "approved_changes_azn": 0, "committed_azn": 455_000,
         "paid_azn": 200_000, "contracts": 1, "figures": {"allocated": 1_000_000}}
    ]  # fmt: skip
    assert [line["key"] for line in m.get(Role.PUBLIC, "/api/finance/report?by=source")] == ["state_budget"]
    district = m.get(Role.PUBLIC, "/api/finance/report?by=district")
    assert [(d["key"], d["allocated_azn"], d["paid_azn"]) for d in district] == [("aghdam", None, 200_000)]
    assert m.get(Role.PUBLIC, "/api/finance/report?by=sector")[0]["key"] == "school"
    assert m.get(Role.PUBLIC, "/api/finance/report?by=colour", 422)["error"]["code"] == "request.invalid"
    lines = m.get(Role.PUBLIC, "/api/finance/allocations")
    assert [(a["code"], a["uncommitted_azn"]) for a in lines] == [("schools-2025", 545_000)]


def test_open_data_exports_are_public_valid_and_hold_no_sealed_bid(market: Market) -> None:
    m = market
    _signed(m)
    m.publish("T-2")
    m.clock.now = BEFORE
    m.bid(Role.CONTRACTOR, "T-2", "azer-build", "391234.56")
    package = m.get(Role.PUBLIC, "/api/open-data/ocds.json")
    assert ocds.schema_errors(package) == []
    assert [r["tender"]["id"] for r in package["releases"]] == ["T-1", "T-2"]
    assert "391234" not in json.dumps(package)
    projects = m.get(Role.PUBLIC, "/api/open-data/oc4ids.json")
    assert standards.schema_errors("oc4ids", projects) == []
    assert m.get(Role.PUBLIC, "/api/open-data/iati.xml", 404)["error"]["code"] == "iati.nothing_to_publish"
    dated = {"version": 1, "planned_start": "2025-04-01", "planned_end": "2026-09-01"}
    m.call("PATCH", Role.PLANNER, "/api/projects/aghdam-school", json=dated)
    response = m.api.client.get("/api/open-data/iati.xml")
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml"
    assert iati.schema_errors(response.content) == []
    assert b"<iati-identifier>XX-HOMECOMING-aghdam-school</iati-identifier>" in response.content
