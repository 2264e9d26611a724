"""Lists, filters, sorting and pagination; one error shape; optimistic concurrency."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_support import Api
from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from homecoming.accounts.roles import Role
from homecoming.http.deps import public
from homecoming.interchange.importer import import_file
from homecoming.works.models import Project


def test_settlements_page_filter_and_sort(api: Api) -> None:
    page = api.client.get("/api/settlements?sort=-code&limit=1").json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 0)
    assert [s["code"] for s in page["items"]] == ["fuzuli-v"]
    second = api.client.get("/api/settlements?sort=-code&limit=1&offset=1").json()
    assert [s["code"] for s in second["items"]] == ["aghdam-v"]
    fuzuli = api.client.get("/api/settlements?district=fuzuli").json()
    assert [(s["code"], s["district_code"], s["version"]) for s in fuzuli["items"]] == [("fuzuli-v", "fuzuli", 1)]
    districts = api.client.get("/api/districts?sort=name").json()
    assert [(d["code"], d["region_code"]) for d in districts["items"]] == [
        ("aghdam", "karabakh"),
        ("fuzuli", "karabakh"),
    ]


def test_projects_filter_by_district_settlement_status_sector(api: Api) -> None:
    def codes(query: str) -> list[str]:
        return [p["code"] for p in api.client.get(f"/api/projects?{query}").json()["items"]]

    assert codes("sort=-budget_amount") == ["fuzuli-road", "aghdam-school", "aghdam-water"]
    assert codes("district=aghdam") == ["aghdam-school", "aghdam-water"]
    assert codes("settlement=fuzuli-v") == ["fuzuli-road"]
    assert codes("sector=water") == ["aghdam-water"]
    assert codes("status=planned&sector=road") == ["fuzuli-road"]
    assert codes("status=completed") == []


def test_households_filter_by_settlement_and_status(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    page = api.client.get("/api/households?settlement=fuzuli-v&sort=-code", headers=registrar).json()
    assert page["total"] == 3
    assert [h["code"] for h in page["items"]] == ["hh-08", "hh-07", "hh-06"]
    assert page["items"][0]["head_name"] == "Person 8"
    assert api.client.get("/api/households?status=returned", headers=registrar).json()["total"] == 0
    hazards = api.client.get("/api/hazard-areas?settlement=aghdam-v").json()["items"]
    assert [(h["code"], h["status"], h["remaining_area_m2"]) for h in hazards] == [("cha-1", "open", 12000.0)]
    events = api.client.get("/api/return-events?district=aghdam", headers=api.as_(Role.VIEWER)).json()["items"]
    assert [(e["code"], e["families"], e["people"]) for e in events] == [("aghdam-first", None, None)]  # 2 families
    events = api.client.get("/api/return-events?district=aghdam", headers=registrar).json()["items"]
    assert [(e["code"], e["families"], e["people"]) for e in events] == [("aghdam-first", 2, 8)]  # reads the registry


def test_every_error_has_the_same_shape(api: Api) -> None:
    missing = api.client.get("/api/projects/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": "projects.not_found", "message": "no project with code 'nope'", "details": {"code": "nope"}}
    }
    invalid = api.client.get("/api/projects?limit=0")
    assert invalid.status_code == 422
    body = invalid.json()["error"]
    assert body["code"] == "request.invalid"
    assert body["details"]["errors"][0]["field"] == "query.limit"
    bad_sort = api.client.get("/api/projects?sort=secret").json()["error"]
    assert bad_sort["code"] == "request.bad_sort"
    assert "budget_amount" in bad_sort["details"]["sortable"]
    unknown_filter = api.client.get("/api/settlements?district=atlantis")
    assert (unknown_filter.status_code, unknown_filter.json()["error"]["code"]) == (404, "districts.not_found")
    rule = api.client.post(
        "/api/projects/aghdam-school/progress",
        json={"progress_pct": 150, "on": "2025-01-01", "version": 1},
        headers=api.as_(Role.PLANNER),
    )
    assert rule.json()["error"]["code"] == "request.invalid"
    no_route = api.client.get("/api/nothing-here")
    assert no_route.json()["error"]["code"] == "request.not_found"


def test_stale_version_gets_409_with_the_current_record(api: Api) -> None:
    planner = api.as_(Role.PLANNER)
    first = api.client.patch(
        "/api/projects/aghdam-school", json={"name": "School No. 1", "version": 1}, headers=planner
    )
    assert first.status_code == 200
    assert (first.json()["name"], first.json()["version"]) == ("School No. 1", 2)
    stale = api.client.patch("/api/projects/aghdam-school", json={"name": "Overwrite", "version": 1}, headers=planner)
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "projects.stale_version"
    assert (error["details"]["current"]["name"], error["details"]["current"]["version"]) == ("School No. 1", 2)
    assert api.client.get("/api/projects/aghdam-school").json()["name"] == "School No. 1"


def test_progress_and_settlement_edits_bump_the_version(api: Api) -> None:
    planner = api.as_(Role.PLANNER)
    body = {"progress_pct": 40, "on": "2025-03-01", "version": 1}
    done = api.client.post("/api/projects/aghdam-water/progress", json=body, headers=planner).json()
    assert (done["status"], done["progress_pct"], done["actual_start"], done["version"]) == (
        "in_progress",
        40.0,
        "2025-03-01",
        2,
    )
    backwards = api.client.post(
        "/api/projects/aghdam-water/progress", json={**body, "progress_pct": 10, "version": 2}, headers=planner
    )
    assert (backwards.status_code, backwards.json()["error"]["code"]) == (422, "works.progress_backwards")
    edited = api.client.patch(
        "/api/settlements/aghdam-v", json={"population_before": 900, "version": 1}, headers=api.as_(Role.DATA_ENTRY)
    )
    assert (edited.json()["population_before"], edited.json()["version"]) == (900, 2)
    elsewhere = api.client.patch(
        "/api/settlements/fuzuli-v", json={"population_before": 1, "version": 1}, headers=api.as_(Role.DATA_ENTRY)
    )
    assert elsewhere.status_code == 403


def test_registrar_marks_a_return_with_the_version_read(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    returned = api.client.post(
        "/api/households/hh-00/return", json={"on": "2025-06-01", "version": 1}, headers=registrar
    )
    assert (returned.json()["returned_on"], returned.json()["version"]) == ("2025-06-01", 2)
    again = api.client.post("/api/households/hh-00/return", json={"on": "2025-07-01", "version": 1}, headers=registrar)
    assert again.status_code == 409
    assert api.client.get("/api/households?status=returned", headers=registrar).json()["total"] == 1


def test_openapi_document_lists_the_resources(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in ("/api/settlements", "/api/projects/{code}", "/api/households", "/api/hazard-areas", "/api/audit"):
        assert path in paths
    assert "/" not in paths  # pages are not API operations


def test_budget_figures_are_public_and_recorded_by_procurement(api: Api) -> None:
    body = {
        "code": "budget-2025-usd",
        "year": 2025,
        "source_kind": "state_budget",
        "figure_kind": "allocated",
        "amount": 1000,
        "currency": "USD",
        "rate_to_azn": 1.7,
    }
    assert api.client.post("/api/budget-allocations", json=body, headers=api.as_(Role.VIEWER)).status_code == 403
    made = api.client.post("/api/budget-allocations", json=body, headers=api.as_(Role.PROCUREMENT_OFFICER))
    assert made.status_code == 201, made.text
    listed = api.client.get("/api/budget-allocations?year=2025&figure_kind=allocated").json()
    assert [(a["code"], a["amount_azn"]) for a in listed["items"]] == [("budget-2025-usd", 1700.0)]
    assert api.client.get("/api/budget-allocations?year=2024").json()["total"] == 0


def test_a_concurrent_write_is_caught_by_the_version_column(api: Api) -> None:
    """Two editors read version 1; the second write finds the row changed and is refused, not applied."""
    with Session(api.engine) as first, Session(api.engine) as second:
        mine = first.scalars(select(Project).where(Project.code == "fuzuli-road")).one()
        theirs = second.scalars(select(Project).where(Project.code == "fuzuli-road")).one()
        mine.name = "Road A"
        first.commit()
        theirs.name = "Road B"
        with pytest.raises(StaleDataError):
            second.flush()
    assert api.client.get("/api/projects/fuzuli-road").json()["name"] == "Road A"


def test_a_race_lost_at_flush_is_a_409_in_the_error_shape(api: Api) -> None:
    app = api.client.app

    @app.get("/api/test-race", dependencies=[Depends(public)])  # type: ignore[attr-defined, untyped-decorator]
    def race() -> None:
        raise StaleDataError("UPDATE statement on table 'projects' expected to update 1 row(s); 0 were matched.")

    response = api.client.get("/api/test-race")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "record.stale_version"


def test_empty_values_sort_last_on_both_engines(api: Api) -> None:
    body = {"code": "aghdam-gas", "name": "Gas", "sector": "gas", "stage": 1, "settlement_code": "aghdam-v"}
    assert api.client.post("/api/projects", json=body, headers=api.as_(Role.PLANNER)).status_code == 201
    for sort in ("budget_amount", "-budget_amount"):
        items = api.client.get(f"/api/projects?sort={sort}").json()["items"]
        assert items[-1]["code"] == "aghdam-gas", sort


def test_nothing_is_loaded_from_the_internet(api: Api) -> None:
    assert api.client.get("/docs").status_code == 404  # Swagger UI would load its scripts from a CDN
    html = api.client.get("/").text
    assert re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="(https?:)?//', html) == []


def test_inputs_found_by_fuzzing_are_refused_not_crashes(api: Api) -> None:
    """Regressions from a schemathesis run: an emptied required field, an offset and a year beyond any integer."""
    emptied = api.client.patch(
        "/api/projects/fuzuli-road", json={"status": None, "version": 1}, headers=api.as_(Role.PLANNER)
    )
    assert (emptied.status_code, emptied.json()["error"]["code"]) == (422, "projects.value_required")
    assert emptied.json()["error"]["details"] == {"field": "status"}
    assert api.client.get("/api/districts?offset=18446744073709551617").json()["error"]["code"] == "request.invalid"
    huge_year = api.client.get("/api/budget-allocations?year=64228359839009473451524096")
    assert huge_year.json()["error"]["code"] == "request.invalid"
    huge_size = {"code": "hh-big", "origin_settlement_code": "aghdam-v", "head_name": "X", "size": 2**70}
    huge_size |= {"rooms_needed": 1, "registered_on": "2024-01-01"}
    stored = api.client.post("/api/households", json=huge_size, headers=api.as_(Role.REGISTRAR))
    assert (stored.status_code, stored.json()["error"]["code"]) == (422, "request.invalid")  # the size's own bound
    assert [e["field"] for e in stored.json()["error"]["details"]["errors"]] == ["body.size"]


def test_an_import_that_changes_a_record_makes_earlier_reads_stale(api: Api, tmp_path: Path) -> None:
    path = tmp_path / "settlements.csv"
    path.write_text("code,name,district_code,kind\naghdam-v,Aghdam village,aghdam,village\n", encoding="utf-8")
    with Session(api.engine) as session:
        import_file(session, "settlements", path)
        session.commit()
    stale = api.client.patch(
        "/api/settlements/aghdam-v", json={"population_before": 10, "version": 1}, headers=api.as_(Role.PLANNER)
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["details"]["current"]["name"] == "Aghdam village"
    assert stale.json()["error"]["details"]["current"]["version"] == 2
