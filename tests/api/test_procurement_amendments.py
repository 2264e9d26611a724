"""Issue 22, item 3: contract amendments, four eyes, the budget allocation, the release history, the red flags.

C-1 is signed at 455,000 on the 1,000,000 schools-2025 allocation (Kur Insaat won T-1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_support import Api
from procurement_support import AFTER, Market, make_market
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.interchange import ocds, standards
from homecoming.procurement.models import ContractAmendment, Tender, TenderComplaint

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
MILESTONES = [{"title": "walls and roof", "amount": 200_000, "due_date": "2025-09-01"},
              {"title": "finishing", "amount": 255_000, "due_date": "2025-12-01"}]  # fmt: skip
PATH = "/api/contracts/C-1/amendments"
# The write routes these tests walk: one audit entry per success, none on a refusal (`_written`).
COVERED_ROUTES = {
    ("POST", "/api/contracts/{code}/amendments"),
    ("POST", "/api/contracts/{code}/amendments/{number}/decision"),
}


@pytest.fixture
def market(api: Api) -> Market:
    m = make_market(api)  # no standstill: these tests start at the signed contract
    m.opened("T-1", PRICES)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": MILESTONES}, 201)
    return m


def _written(m: Market) -> tuple[int, int]:
    with Session(m.api.engine) as session:
        amendments = session.scalar(select(func.count()).select_from(ContractAmendment)) or 0
        entries = session.scalar(select(func.count()).where(AuditEntry.table_name == "contract_amendments")) or 0
    return amendments, entries


def _amend(m: Market, body: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    m.clock.now = at
    made: dict[str, Any] = m.post(Role.PROCUREMENT_OFFICER, PATH, body, 201)
    decided: dict[str, Any] = m.post(Role.PLANNER, f"{PATH}/{made['number']}/decision", {"approve": True})
    return decided


def test_an_increase_beyond_the_allocation_is_refused_and_nothing_is_written(market: Market) -> None:
    m = market
    over = m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "more classrooms", "new_value": 1_000_001}, 422)
    assert over["error"]["code"] == "contract.budget_exceeded"
    assert over["error"]["details"]["committed_azn"] == 455_000
    assert _written(m) == (0, 0)
    fits = m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "more classrooms", "new_value": 1_000_000}, 201)
    assert (fits["status"], fits["old_value"], fits["new_value"]) == ("requested", 455_000, 1_000_000)
    m.post(Role.ADMIN, "/api/budget-changes", {"code": "BC-1", "budget_allocation_code": "schools-2025",
                                               "amount_azn": 1, "reason": "r", "approved_by": "MoF"}, 201)  # fmt: skip
    assert _written(m) == (1, 1)


def test_an_amendment_is_approved_by_a_planner_never_by_the_account_that_asked(market: Market) -> None:
    m = market
    m.clock.now = AFTER + dt.timedelta(days=30)
    body = {"reason": "rock under the foundations", "new_value": 480_000, "new_end_date": "2026-02-01"}
    asked = m.post(Role.PROCUREMENT_OFFICER, PATH, body, 201)
    assert m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "also", "scope": "a fence"}, 409)["error"]["code"] == (
        "amendment.pending"
    )
    officer = m.post(Role.PROCUREMENT_OFFICER, f"{PATH}/1/decision", {"approve": True}, 403)
    assert officer["error"]["code"] == "auth.forbidden"
    assert m.post(Role.PLANNER, PATH, body, 403)["error"]["code"] == "auth.forbidden"
    assert m.get(Role.PUBLIC, "/api/contracts/C-1")["value"] == 455_000  # nothing changes until approved
    approved = m.post(Role.PLANNER, f"{PATH}/1/decision", {"approve": True})
    assert (approved["status"], approved["decided_by"], asked["requested_by"]) == (
        "approved", "planner", "procurement_officer",
    )  # fmt: skip
    assert m.get(Role.PUBLIC, "/api/contracts/C-1")["value"] == 480_000
    listed = m.get(Role.PUBLIC, PATH)
    assert (listed["original_value"], listed["value"]) == (455_000, 480_000)
    assert (listed["original_end_date"], listed["end_date"]) == ("2025-12-01", "2026-02-01")
    assert (listed["amendments"][0]["requested_by"], listed["amendments"][0]["decided_by"]) == (None, None)
    m.post(Role.ADMIN, PATH, {"reason": "a fence", "scope": "a fence round the school"}, 201)
    own = m.post(Role.ADMIN, f"{PATH}/2/decision", {"approve": True}, 422)
    assert own["error"]["code"] == "amendment.self_approval"
    declined = m.post(Role.PLANNER, f"{PATH}/2/decision", {"approve": False})
    assert declined["status"] == "declined"
    with Session(m.api.engine) as session:
        filed = session.execute(
            select(AuditEntry.action, AuditEntry.record_code)
            .where(AuditEntry.table_name == "contract_amendments")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(row) for row in filed] == [("create", "C-1/A1"), ("update", "C-1/A1"), ("create", "C-1/A2"),
                                             ("update", "C-1/A2")]  # fmt: skip


def test_no_amendment_brings_the_value_below_what_is_paid_nor_changes_nothing(market: Market) -> None:
    m = market
    report = {"inspected_on": "2025-06-02", "passed": True}
    made = m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/inspections", report, 201)
    m.post(Role.ADMIN, f"/api/inspections/{made['id']}/approval")
    m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/payments", {"amount": 200_000}, 201)
    below = m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "cheaper", "new_value": 199_999}, 422)
    assert below["error"]["code"] == "amendment.below_paid"
    assert m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "cheaper", "new_value": 200_000}, 201)["number"] == 1
    assert m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "nothing"}, 422)["error"]["code"] == "request.invalid"


def test_the_release_history_and_the_overruns_are_published_valid(market: Market) -> None:
    m = market
    _amend(m, {"reason": "rock under the foundations", "new_value": 480_000}, AFTER + dt.timedelta(days=30))
    _amend(m, {"reason": "winter", "new_end_date": "2026-03-01"}, AFTER + dt.timedelta(days=60))
    package = m.get(Role.PUBLIC, "/api/open-data/ocds.json")
    assert ocds.schema_errors(package) == []
    history = [(r["tag"], r["date"]) for r in package["releases"]]
    assert history == [(["contractAmendment"], "2025-04-30T13:00:00Z"), (["contractAmendment"], "2025-05-30T13:00:00Z"),
                       (["tender", "award", "contract", "contractAmendment"], "2025-05-30T13:00:00Z")]  # fmt: skip
    first, second, current = package["releases"]
    assert first["contracts"][0]["value"]["amount"] == 480_000
    assert [a["id"] for a in second["contracts"][0]["amendments"]] == ["C-1-A1", "C-1-A2"]
    assert current["contracts"][0]["value"]["amount"] == 480_000
    assert current["contracts"][0]["period"] == {"startDate": "2025-03-31T13:00:00Z", "endDate": "2026-03-01T00:00:00Z"}
    assert current["contracts"][0]["amendments"][0] == {
        "id": "C-1-A1", "date": "2025-04-30T13:00:00Z", "rationale": "rock under the foundations",
        "description": "value 455000.00 -> 480000.00 AZN", "releaseID": first["id"],
    }  # fmt: skip
    records = m.get(Role.PUBLIC, "/api/open-data/ocds-records.json")
    assert standards.schema_errors("ocds-record", records) == []
    record = records["records"][0]
    assert [r["id"] for r in record["releases"]] == [r["id"] for r in package["releases"]]
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert record["compiledRelease"]["contracts"][0]["value"]["amount"] == 480_000
    projects = m.get(Role.PUBLIC, "/api/open-data/oc4ids.json")
    assert standards.schema_errors("oc4ids", projects) == []
    process = next(p for p in projects["projects"] if p["id"] == "aghdam-school")["contractingProcesses"][0]
    summary = process["summary"]
    assert summary["contractValue"] == {"amount": 455_000, "currency": "AZN"}
    assert summary["contractPeriod"] == {"startDate": "2025-03-31T13:00:00Z", "endDate": "2025-12-01T00:00:00Z"}
    value, duration = summary["modifications"]
    assert (value["type"], value["oldContractValue"]["amount"], value["newContractValue"]["amount"]) == (
        "value", 455_000, 480_000,
    )  # fmt: skip
    assert (duration["type"], duration["newContractPeriod"]["endDate"]) == ("duration", "2026-03-01T00:00:00Z")
    assert [r["id"] for r in process["releases"]] == [r["id"] for r in package["releases"]]


def test_a_price_rise_after_the_award_and_complaints_raise_their_flags(market: Market) -> None:
    m = market
    _amend(m, {"reason": "rock", "new_value": 500_000}, AFTER + dt.timedelta(days=30))  # +9.9%: under 10
    assert "price_increase_after_award" not in [f["code"] for f in m.get(Role.PUBLIC, "/api/red-flags")]
    _amend(m, {"reason": "more rock", "new_value": 501_000}, AFTER + dt.timedelta(days=31))  # +10.1%
    flag = next(f for f in m.get(Role.PUBLIC, "/api/red-flags") if f["code"] == "price_increase_after_award")
    assert (flag["indicator"], flag["value"], flag["threshold"]) == ("HC-variation", 10.1099, 10)
    with Session(m.api.engine) as session:  # imported data: a complaint open when the contract was signed
        tender = session.scalars(select(Tender).where(Tender.code == "T-1")).one()
        for n, filed in enumerate((AFTER - dt.timedelta(hours=1), AFTER + dt.timedelta(days=90)), start=1):
            imported = TenderComplaint(
                code=f"T-1-C{n}",
                tender_id=tender.id,
                bidder_id=tender.winning_bidder_id,
                grounds="imported",
                filed_at=filed.replace(tzinfo=None),
                status="open",
            )
            session.add(imported)
        session.commit()
    flags = {f["code"]: f for f in m.get(Role.PUBLIC, "/api/red-flags?repeat_complaints_per_buyer=2")}
    records = {code: [r["record"] for r in f["records"]] for code, f in flags.items()}
    assert records["signed_during_complaint"] == ["tenders/T-1", "complaints/T-1-C1"]
    assert records["repeat_complaints_against_buyer"] == ["districts/aghdam", "complaints/T-1-C1", "complaints/T-1-C2"]
    assert "repeat_complaints_against_buyer" not in [f["code"] for f in m.get(Role.PUBLIC, "/api/red-flags")]


def test_the_contract_page_lists_each_amendment_from_original_to_current_value(market: Market) -> None:
    m = market
    _amend(m, {"reason": "rock under the foundations", "new_value": 480_000, "new_end_date": "2026-02-01"},
           AFTER + dt.timedelta(days=30))  # fmt: skip
    page = m.api.client.get("/contracts/C-1").text
    assert "Value 455,000.00 → 480,000.00 AZN; completion 2025-12-01 → 2026-02-01." in page
    assert '<tr data-amendment="1" data-status="approved">' in page and "(planner)" not in page
    assert "(planner)" in m.api.client.get("/contracts/C-1", headers=m.api.as_(Role.VIEWER)).text
    azerbaijani = m.api.client.get("/contracts/C-1", headers={"accept-language": "az"}).text
    assert "<h2>Dəyişikliklər</h2>" in azerbaijani and "Dəyər 455.000,00 → 480.000,00 AZN" in azerbaijani
