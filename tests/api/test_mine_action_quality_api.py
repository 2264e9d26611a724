"""Issue 22, item 4: operators on land release and QA/QC inspections (both engines). A failed inspection takes the
activity's land back out of the released figures (the hazard area re-opens) until a later inspection passes."""

from __future__ import annotations

from typing import Any

from api_support import Api
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_forms import submit
from test_usecases_people_visibility import log_in

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.mine_action import actions
from homecoming.mine_action.schemas import ActivityCreate


def operator(code: str, kind: str, country: str = "AZ") -> dict[str, Any]:
    return {"code": code, "name": code.upper(), "kind": kind, "country": country}


def cleared(api: Api) -> None:
    """ANAMA and a company; the company clears all 12,000 m² of cha-1 (which closes it)."""
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    for body in (operator("anama", "national_agency"), operator("safe-ground", "commercial_company", "GB")):
        assert api.client.post("/api/mine-action-operators", json=body, headers=officer).status_code == 201
    with Session(api.engine) as session:
        user = session.scalars(select(User).where(User.username == "mine_action_officer")).one()
        data = ActivityCreate(code="clr-1", kind="clearance", status="completed", start_date="2025-03-01",
                              end_date="2025-06-30", cleared_m2=12_000, operator_code="safe-ground")  # fmt: skip
        actions.record_release(session, user, "cha-1", data)
        session.commit()


def inspection(code: str, result: str, day: str, inspector: str = "anama") -> dict[str, Any]:
    return {"code": code, "kind": "quality_control", "inspected_on": day, "inspector_code": inspector,
            "result": result, "findings": "2 of 40 sample lanes held fragments\nre-clear lanes 7 and 9"}  # fmt: skip


def area(api: Api) -> tuple[str, float]:
    found = api.client.get("/api/hazard-areas/cha-1").json()
    return found["status"], found["remaining_area_m2"]


def test_operators_are_listed_to_everyone_and_created_by_officers(api: Api) -> None:
    cleared(api)
    listed = api.client.get("/api/mine-action-operators?sort=code").json()
    assert [(o["code"], o["kind"], o["country"]) for o in listed["items"]] == [
        ("anama", "national_agency", "AZ"),
        ("safe-ground", "commercial_company", "GB"),
    ]
    refused = api.client.post("/api/mine-action-operators", json=operator("x", "ngo"), headers=api.as_(Role.PLANNER))
    assert refused.status_code == 403
    bad = api.client.post(
        "/api/mine-action-operators", json=operator("x", "ngo", "Azerbaijan"), headers=api.as_(Role.ADMIN)
    )
    assert bad.status_code == 422 and "country" in bad.text
    assert api.client.get("/api/mine-action-operators").json()["total"] == 2


def test_a_failed_inspection_reopens_the_land_until_a_later_one_passes(api: Api) -> None:
    cleared(api)
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    assert area(api) == ("closed", 0.0)
    failed = api.client.post(
        "/api/land-release-activities/clr-1/inspections",
        json=inspection("qc-1", "failed", "2025-07-10"),
        headers=officer,
    )
    assert failed.status_code == 201, failed.text
    assert (failed.json()["hazard_area_status"], failed.json()["hazard_area_remaining_m2"]) == ("worked_on", 12_000.0)
    assert area(api) == ("worked_on", 12_000.0)
    record = api.client.get("/api/hazard-areas/cha-1/activities").json()
    assert [(a["code"], a["operator_code"], a["failed_inspection"], a["counted"]) for a in record] == [
        ("clr-1", "safe-ground", True, False)
    ]
    assert record[0]["inspections"][0]["findings"].endswith("lanes 7 and 9")
    passed = inspection("qc-2", "passed", "2025-08-01")
    assert (
        api.client.post("/api/land-release-activities/clr-1/inspections", json=passed, headers=officer).status_code
        == 201
    )
    assert area(api) == ("closed", 0.0)


def test_an_inspection_is_refused_when_its_inspector_did_the_work_or_it_precedes_the_work(api: Api) -> None:
    cleared(api)
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    url = "/api/land-release-activities/clr-1/inspections"
    own = api.client.post(url, json=inspection("qc-1", "passed", "2025-07-10", "safe-ground"), headers=officer)
    assert own.status_code == 422
    assert (own.json()["error"]["code"], own.json()["error"]["details"]["field"]) == (
        "mine_action.inspector_not_independent",
        "inspector_code",
    )
    early = api.client.post(url, json=inspection("qc-1", "failed", "2025-01-10"), headers=officer)
    assert early.json()["error"]["code"] == "mine_action.inspection_before_work"
    clerk = api.client.post(url, json=inspection("qc-1", "failed", "2025-07-10"), headers=api.as_(Role.DATA_ENTRY))
    assert clerk.status_code == 403
    assert api.client.get("/api/hazard-areas/cha-1/activities").json()[0]["inspections"] == []
    assert area(api) == ("closed", 0.0)


def test_the_release_form_records_the_operator_that_did_the_work(api: Api) -> None:
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    assert api.client.post("/api/mine-action-operators", json=operator("anama", "national_agency"), headers=officer)
    log_in(api, Role.MINE_ACTION_OFFICER)
    fields = {"code": "clr-9", "kind": "clearance", "status": "completed", "start_date": "2025-03-01",
              "cleared_m2": "2000", "operator_code": "anama"}  # fmt: skip
    form = api.client.get("/forms/hazard-areas/cha-1/release").text
    assert '<option value="anama">ANAMA</option>' in form
    assert submit(api, "hazard-areas/cha-1/release", fields).status_code == 303
    record = api.client.get("/api/hazard-areas/cha-1/activities").json()
    assert [(a["code"], a["operator_code"], a["counted"]) for a in record] == [("clr-9", "anama", True)]
