"""Issue 16, items 2 and 11 (input): a district clerk cannot write into another district by any door, and what comes
in at the boundary (API, forms, imports) is refused when it is a script link, a control character or an absurd
figure, with a coded error naming the field and nothing written. Every test runs on both engines."""

from __future__ import annotations

from typing import Any

from api_support import Api
from sqlalchemy.orm import Session
from test_forms import log_in, problem_of, submit, trail
from test_imports import finished, queued

from homecoming.accounts.models import Role
from homecoming.jobs.worker import Worker
from homecoming.planning.readiness import readiness

# The attack of item 2, on the test registry: Aghdam's clerk (data_entry, aghdam) files a water project "of Aghdam"
# in Fuzuli's village, the way it filed one in Shusha, and completes it so Fuzuli village's water looks done.
FOREIGN_WATER = {"code": "aghdam-water-2", "name": "Water main", "sector": "water", "stage": 1,
                 "district_code": "aghdam", "settlement_code": "fuzuli-v"}  # fmt: skip


def missing_in(api: Api, settlement: str) -> list[str]:
    with Session(api.engine) as session:
        return [str(item) for item in readiness(session, settlement)[0].missing]


def error_of(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_clerk_cannot_file_works_of_its_district_in_another_districts_settlement(api: Api) -> None:
    assert any(item.startswith("water:") for item in missing_in(api, "fuzuli-v"))
    clerk = api.as_(Role.DATA_ENTRY)
    refused = api.client.post("/api/projects", json=FOREIGN_WATER, headers=clerk)
    assert error_of(refused) == (422, "territory.settlement_not_in_district")
    assert refused.json()["error"]["details"] == {
        "settlement_code": "fuzuli-v", "district_code": "aghdam", "settlement_district_code": "fuzuli",
    }  # fmt: skip
    # without the district, the settlement's own district is the clerk's rule
    alone = {k: v for k, v in FOREIGN_WATER.items() if k != "district_code"}
    assert error_of(api.client.post("/api/projects", json=alone, headers=clerk)) == (403, "auth.other_district")
    # so the completion that fooled Fuzuli's readiness never happens either
    progress = {"progress_pct": 100, "on": "2025-06-01", "version": 1}
    assert api.client.post("/api/projects/aghdam-water-2/progress", json=progress, headers=clerk).status_code == 404
    assert api.client.get("/api/projects/aghdam-water-2").status_code == 404
    assert any(item.startswith("water:") for item in missing_in(api, "fuzuli-v"))
    assert trail(api, table="projects") == []


def test_an_admin_cannot_file_a_project_in_a_settlement_outside_its_district(api: Api) -> None:
    refused = api.client.post("/api/projects", json=FOREIGN_WATER, headers=api.as_(Role.ADMIN))
    assert error_of(refused) == (422, "territory.settlement_not_in_district")
    assert "fuzuli-v is in district fuzuli, not in aghdam" in refused.json()["error"]["message"]
    hazard = {"code": "sha-x", "classification": "SHA", "estimated_area_m2": 500, "district_code": "aghdam",
              "blocks_settlement_code": "fuzuli-v"}  # fmt: skip
    refused = api.client.post("/api/hazard-areas", json=hazard, headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert error_of(refused) == (422, "territory.settlement_not_in_district")
    assert refused.json()["error"]["details"]["blocks_settlement_code"] == "fuzuli-v"
    assert api.client.get("/api/hazard-areas/sha-x").status_code == 404


def test_a_clerk_cannot_move_its_own_project_into_another_district(api: Api) -> None:
    clerk = api.as_(Role.DATA_ENTRY)
    for move in ({"settlement_code": "fuzuli-v", "district_code": None},
                 {"settlement_code": None, "district_code": "fuzuli"}):  # fmt: skip
        refused = api.client.patch("/api/projects/aghdam-water", json={**move, "version": 1}, headers=clerk)
        assert error_of(refused) == (403, "auth.other_district"), move
    # the place it would get must be consistent too, whoever asks
    planner = api.as_(Role.PLANNER)
    half = api.client.patch("/api/projects/aghdam-water", json={"district_code": "fuzuli", "version": 1},
                            headers=planner)  # fmt: skip
    assert error_of(half) == (422, "territory.settlement_not_in_district")
    # and a project of another district cannot be pulled in by its clerk either
    pull = {"settlement_code": "aghdam-v", "version": 1}
    assert error_of(api.client.patch("/api/projects/fuzuli-road", json=pull, headers=clerk)) == (
        403, "auth.other_district",
    )  # fmt: skip
    project = api.client.get("/api/projects/aghdam-water").json()
    assert (project["settlement_code"], project["district_code"], project["version"]) == ("aghdam-v", None, 1)
    # a planner's consistent move is allowed, and the clerk of the district it left can no longer touch it
    moved = api.client.patch("/api/projects/aghdam-water", json={"settlement_code": "fuzuli-v", "version": 1},
                             headers=planner)  # fmt: skip
    assert moved.status_code == 200, moved.text
    progress = {"progress_pct": 10, "on": "2025-06-01", "version": 2}
    assert error_of(api.client.post("/api/projects/aghdam-water/progress", json=progress, headers=clerk)) == (
        403, "auth.other_district",
    )  # fmt: skip


def test_the_form_refuses_the_foreign_settlement_next_to_it_and_writes_nothing(api: Api) -> None:
    log_in(api, Role.DATA_ENTRY)
    refused = submit(api, "projects/new", {**FOREIGN_WATER, "status": "planned"})
    assert refused.status_code == 422
    assert "fuzuli-v is in district fuzuli, not in aghdam" in problem_of(refused.text, "settlement_code")
    assert api.client.get("/api/projects/aghdam-water-2").status_code == 404
    assert any(item.startswith("water:") for item in missing_in(api, "fuzuli-v"))
    assert trail(api) == []


def test_an_import_refuses_a_settlement_outside_the_rows_district_and_writes_nothing(
    api: Api, job_worker: Worker
) -> None:
    rows = (
        "code,name,sector,stage,status,progress_pct,district_code,settlement_code\n"
        "aghdam-gas,Gas,gas,1,planned,0,aghdam,aghdam-v\n"
        "aghdam-water-2,Water main,water,1,completed,100,aghdam,fuzuli-v\n"
    )
    job = queued(api, "projects", "projects.csv", rows, Role.PLANNER)
    failed = finished(api, job["code"], Role.PLANNER)
    assert (failed["status"], failed["error_code"]) == ("failed", "import.rejected"), failed
    [problem] = failed["result"]["errors"]
    assert (problem["row"], problem["column"]) == (3, "settlement_code")
    assert "fuzuli-v is in district fuzuli, not in aghdam" in problem["reason"]
    assert api.client.get("/api/projects/aghdam-gas").status_code == 404  # all or nothing
    assert any(item.startswith("water:") for item in missing_in(api, "fuzuli-v"))
