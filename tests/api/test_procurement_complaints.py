"""Issue 22, item 2: the award's standstill, bidders' complaints, their decision, and who sees the complainant.

Kur Insaat (the rival account) wins T-1 at 455,000; Azer Build (the contractor account) lost and complains."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_support import Api
from procurement_support import AFTER, RIVAL, Market, make_market
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
CONTRACT = {"code": "C-1", "milestones": [{"title": "walls and roof", "amount": 455_000}]}
STANDSTILL_END = AFTER + dt.timedelta(days=10)
# The write routes these tests walk: one audit entry per success (`_entries`), none on a refusal.
COVERED_ROUTES = {
    ("POST", "/api/tenders/{code}/complaints"),
    ("POST", "/api/tenders/{code}/complaints/{complaint}/decision"),
}


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api, standstill_days=10)  # the setting's default


def _awarded(m: Market, code: str = "T-1", prices: dict[str, str] | None = None) -> dict[str, Any]:
    m.opened(code, prices or PRICES)
    m.step(code, "evaluation")
    awarded: dict[str, Any] = m.step(code, "award")
    return awarded


def _entries(m: Market, table: str) -> list[tuple[str, str]]:
    with Session(m.api.engine) as session:
        query = select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id)
        return [(e.action, e.record_code) for e in session.scalars(query)]


def test_signing_waits_for_the_standstill_and_every_open_complaint(market: Market) -> None:
    m = market
    awarded = _awarded(m)
    assert awarded["standstill_ends_at"] == STANDSTILL_END.replace(tzinfo=None).isoformat()
    early = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", CONTRACT, 409)
    assert early["error"]["code"] == "procurement.standstill"
    filed = m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "the winner lacks two schools"}, 201)
    assert (filed["code"], filed["status"], filed["complainant"]) == ("T-1-C1", "open", "azer-build")
    again = m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "and more"}, 409)
    assert again["error"]["code"] == "complaint.already_open"
    m.clock.now = STANDSTILL_END + dt.timedelta(hours=1)
    blocked = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", CONTRACT, 409)
    assert blocked["error"] == {
        "code": "procurement.complaint_open",
        "message": blocked["error"]["message"],
        "details": {"tender": "T-1", "complaints": ["T-1-C1"]},
    }
    late = m.post(RIVAL, "/api/tenders/T-1/complaints", {"grounds": "too late"}, 422)
    assert late["error"]["code"] == "complaint.after_standstill"
    rejected = {"upheld": False, "reason": "both schools are on record in the qualification file"}
    evaluator = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/complaints/T-1-C1/decision", rejected, 403)
    assert evaluator["error"]["code"] == "auth.forbidden"
    decided = m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", rejected)
    assert (decided["status"], decided["decision_reason"]) == ("rejected", rejected["reason"])
    twice = m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", rejected, 409)
    assert twice["error"]["code"] == "complaint.already_decided"
    assert m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", CONTRACT, 201)["value"] == 455_000
    assert _entries(m, "tender_complaints") == [("create", "T-1-C1"), ("update", "T-1-C1")]


def test_a_rejected_complaint_still_waits_for_the_end_of_the_standstill(market: Market) -> None:
    m = market
    _awarded(m)
    m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "price too close"}, 201)
    m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", {"upheld": False, "reason": "no evidence"})
    m.clock.now = STANDSTILL_END - dt.timedelta(minutes=1)
    waiting = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", CONTRACT, 409)
    assert waiting["error"]["code"] == "procurement.standstill"
    m.clock.now = STANDSTILL_END
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", CONTRACT, 201)


def test_an_upheld_complaint_sends_the_bids_back_to_evaluation_or_cancels_the_tender(market: Market) -> None:
    m = market
    _awarded(m)
    m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "Kur Insaat has built no school"}, 201)
    no_remedy = m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", {"upheld": True, "reason": "r"}, 422)
    assert no_remedy["error"]["code"] == "complaint.remedy_missing"
    upheld = {"upheld": True, "remedy": "re_evaluate", "reason": "the winner's references were not checked"}
    decided = m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", upheld)
    assert (decided["status"], decided["remedy"]) == ("upheld", "re_evaluate")
    back = m.get(Role.PUBLIC, "/api/tenders/T-1")
    assert (back["status"], back["winner_code"], back["standstill_ends_at"]) == ("opening", None, None)
    m.step("T-1", "disqualify", bidder_code="kur-insaat", reason="no school built in five years")
    m.step("T-1", "evaluation")
    m.clock.now = AFTER + dt.timedelta(days=3)
    again = m.step("T-1", "award")
    assert again["winner_code"] == "euro-works"  # 440,000 + 5% for a foreign bidder beats 480,000
    assert again["standstill_ends_at"] == (AFTER + dt.timedelta(days=13)).replace(tzinfo=None).isoformat()
    entries = _entries(m, "tender_complaints")
    assert entries == [("create", "T-1-C1"), ("update", "T-1-C1")]  # the tender's change is inside the update
    _awarded(m, "T-2")
    m.post(Role.CONTRACTOR, "/api/tenders/T-2/complaints", {"grounds": "specification favoured one firm"}, 201)
    cancel = {"upheld": True, "remedy": "cancel", "reason": "the specification named a brand"}
    m.post(Role.ADMIN, "/api/tenders/T-2/complaints/T-2-C1/decision", cancel)
    cancelled = m.get(Role.PUBLIC, "/api/tenders/T-2")
    assert cancelled["status"] == "cancelled"
    assert cancelled["close_reason"] == "complaint T-2-C1 upheld: the specification named a brand"


def test_only_a_company_that_bid_may_complain(market: Market) -> None:
    m = market
    _awarded(m, prices={"kur-insaat": "455000", "euro-works": "440000"})  # Azer Build did not bid
    refused = m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "I would have won"}, 403)
    assert refused["error"]["code"] == "complaint.not_a_bidder"
    staff = m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/complaints", {"grounds": "x"}, 403)
    assert staff["error"]["code"] == "auth.forbidden"
    nobody = m.post(Role.PUBLIC, "/api/tenders/T-1/complaints", {"grounds": "x"}, 401)
    assert nobody["error"]["code"] == "auth.required"
    assert _entries(m, "tender_complaints") == []
    assert m.get(Role.PUBLIC, "/api/tenders/T-1/complaints")["count"] == 0


def test_the_public_and_other_companies_never_see_who_complained_or_why(market: Market) -> None:
    m = market
    _awarded(m)
    m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "Azer Build's secret reasons"}, 201)
    m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", {"upheld": False, "reason": "unfounded"})
    public = m.get(Role.PUBLIC, "/api/tenders/T-1/complaints")
    assert (public["count"], public["open"]) == (1, 0)
    seen = public["complaints"][0]
    assert (seen["status"], seen["decision_reason"], seen["complainant"], seen["grounds"]) == (
        "rejected", "unfounded", None, None,
    )  # fmt: skip
    rival = m.get(RIVAL, "/api/tenders/T-1/complaints")["complaints"][0]
    assert (rival["complainant"], rival["grounds"]) == (None, None)
    own = m.get(Role.CONTRACTOR, "/api/tenders/T-1/complaints")["complaints"][0]
    assert (own["complainant"], own["grounds"]) == ("azer-build", "Azer Build's secret reasons")
    staff = m.get(Role.VIEWER, "/api/tenders/T-1/complaints")["complaints"][0]
    assert staff["complainant"] == "azer-build"
    assert "secret" not in m.api.client.get("/tenders/T-1").text
    published = m.get(Role.PUBLIC, "/api/open-data/ocds.json")["releases"][0]["tender"]
    assert published["complaints"] == [
        {"id": "T-1-C1", "status": "rejected", "dateSubmitted": "2025-03-31T13:00:00Z",
         "resolution": {"date": "2025-03-31T13:00:00Z", "decision": "rejected", "rationale": "unfounded"}},
    ]  # fmt: skip
    assert published["standstillPeriod"] == {"startDate": "2025-03-31T13:00:00Z", "endDate": "2025-04-10T13:00:00Z"}


def test_the_tender_page_shows_the_standstill_and_each_decision_in_both_languages(market: Market) -> None:
    m = market
    _awarded(m)
    m.post(Role.CONTRACTOR, "/api/tenders/T-1/complaints", {"grounds": "Azer Build's grounds"}, 201)
    m.post(Role.ADMIN, "/api/tenders/T-1/complaints/T-1-C1/decision", {"upheld": False, "reason": "unfounded"})
    public = m.api.client.get("/tenders/T-1").text
    assert "Standstill until 2025-04-10 13:00 UTC" in public and "(running)" in public
    assert '<tr data-complaint="T-1-C1" data-status="rejected">' in public
    assert "2025-03-31: unfounded" in public
    section = public.split('id="complaints"')[1].split("</section>")[0]
    assert "azer-build" not in section and "Azer Build" not in section and "<th>grounds</th>" not in section
    staff = m.api.client.get("/tenders/T-1", headers=m.api.as_(Role.PROCUREMENT_OFFICER)).text
    assert "Azer Build&#39;s grounds" in staff
    azerbaijani = m.api.client.get("/tenders/T-1", headers={"accept-language": "az"}).text
    assert "<h2>Şikayətlər</h2>" in azerbaijani and "Gözləmə müddəti 10.04.2025" not in azerbaijani
    assert "Gözləmə müddəti 2025-04-10 13:00 UTC-dək" in azerbaijani and "rədd edilib" in azerbaijani
