"""Issue 16, items 2 and 11 (input): a district clerk cannot write into another district by any door, and what comes
in at the boundary (API, forms, imports) is refused when it is a script link, a control character or an absurd
figure, with a coded error naming the field and nothing written. Every test runs on both engines."""

from __future__ import annotations

from typing import Any

from api_support import Api
from sqlalchemy.orm import Session
from test_forms import log_in, problem_of, submit, trail
from test_imports import finished, queued

from homecoming.accounts.roles import Role
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


HOUSEHOLD = {"code": "hh-new", "origin_settlement_code": "aghdam-v", "head_name": "New Person", "size": 3,
             "rooms_needed": 2, "registered_on": "2024-12-01"}  # fmt: skip


def problems_of(response: Any) -> list[tuple[str, str]]:
    """(field, code) of each refused field in a 422 of the API's one error shape."""
    body = response.json()["error"]
    assert (response.status_code, body["code"]) == (422, "request.invalid"), body
    return [(problem["field"], problem["type"]) for problem in body["details"]["errors"]]


def registry(api: Api) -> int:
    return int(api.client.get("/api/households", headers=api.as_(Role.REGISTRAR)).json()["total"])


def test_a_script_link_is_refused_at_input_and_nothing_is_stored(api: Api) -> None:
    # the stored XSS of item 3: a return event whose source opens the registry in a registrar's browser
    event = {"code": "aghdam-xss", "settlement_code": "aghdam-v", "event_date": "2025-07-01", "kind": "convoy",
             "families": 1, "people": 4, "source_url": 'javascript:fetch("/api/households")'}  # fmt: skip
    refused = api.client.post("/api/return-events", json=event, headers=api.as_(Role.REGISTRAR))
    assert problems_of(refused) == [("body.source_url", "input.url_not_http")]
    assert "http:// or https://" in refused.json()["error"]["message"]
    for link in (
        "data:text/html,<script>alert(1)</script>",
        "/api/households",
        "//evil.example/x",
        "https://",
        "http:/evil",
        "ftp://example.org/x",
        " https://example.org",
        "https://example.org/" + "a" * 500,
    ):
        refused = api.client.post("/api/return-events", json={**event, "source_url": link}, headers=api.as_(Role.ADMIN))
        assert refused.status_code == 422, link
    assert api.client.get("/api/return-events?settlement=aghdam-v", headers=api.as_(Role.ADMIN)).json()["total"] == 1
    # every link field of every schema has the rule, forms too
    project = {"code": "aghdam-gas", "name": "Gas", "sector": "gas", "stage": 1, "settlement_code": "aghdam-v",
               "source_url": "JavaScript:alert(1)"}  # fmt: skip
    assert problems_of(api.client.post("/api/projects", json=project, headers=api.as_(Role.PLANNER))) == [
        ("body.source_url", "input.url_not_http"),
    ]  # fmt: skip
    log_in(api, Role.DATA_ENTRY)
    form = submit(api, "return-events/new", {**event, "date_precision": "day", "source_url": "javascript:alert(1)"})
    assert form.status_code == 422
    assert "http:// or https://" in problem_of(form.text, "source_url")
    good = {**event, "code": "aghdam-ok", "source_url": "https://example.org/report?id=1"}
    assert api.client.post("/api/return-events", json=good, headers=api.as_(Role.REGISTRAR)).status_code == 201
    assert trail(api, table="return_events")[0]["record_code"] == "aghdam-ok"  # the refused ones left no entry


def test_control_characters_are_refused_through_the_api_and_nothing_is_stored(api: Api) -> None:
    before = registry(api)
    registrar = api.as_(Role.REGISTRAR)
    for name in ("Nul\x00Person", "Bell\x07", "Next\x85Line", "Two\nLines", "Tab\tbed"):
        refused = api.client.post("/api/households", json={**HOUSEHOLD, "head_name": name}, headers=registrar)
        assert problems_of(refused) == [("body.head_name", "input.control_character")], name
    assert registry(api) == before
    # a multi-line field keeps its line breaks, never a NUL; the reason for a change likewise
    event = {"code": "aghdam-n", "settlement_code": "aghdam-v", "event_date": "2025-07-01", "kind": "convoy"}
    refused = api.client.post("/api/return-events?comment=why%00", json=event, headers=registrar)
    assert problems_of(refused) == [("query.comment", "input.control_character")]
    saved = api.client.post("/api/return-events?comment=one%0Atwo", json=event, headers=registrar)
    assert saved.status_code == 201, saved.text
    assert api.client.post("/api/households", json=HOUSEHOLD, headers=registrar).status_code == 201


def test_a_nul_in_an_import_refuses_the_whole_file_naming_row_and_column(api: Api, job_worker: Worker) -> None:
    before = registry(api)
    rows = ("code,origin_settlement_code,head_name,size,rooms_needed,registered_on\n"
            "hh-30,aghdam-v,Fine Person,3,1,2024-01-01\n"
            "hh-31,aghdam-v,Bad\x01Person,3,1,2024-01-01\n"
            "hh-32,aghdam-v,Huge,2147483648,1,2024-01-01\n"
            "hh-33,aghdam-v,Ancient,3,1,0001-01-01\n")  # fmt: skip
    job = queued(api, "households", "households.csv", rows)
    failed = finished(api, job["code"])
    assert (failed["status"], failed["error_code"]) == ("failed", "import.rejected"), failed
    assert [(e["row"], e["column"]) for e in failed["result"]["errors"]] == [
        (3, "head_name"), (4, "size"), (5, "registered_on"),
    ]  # fmt: skip
    assert "control character U+0001" in failed["result"]["errors"][0]["reason"]
    assert registry(api) == before  # not even hh-30, the good row


def test_absurd_sizes_and_dates_are_refused_and_public_totals_stay_true(api: Api) -> None:
    progress = api.client.get("/api/returns/progress").json()
    registrar = api.as_(Role.REGISTRAR)
    attacks = [
        ({"size": 2_147_483_648}, "body.size"),
        ({"size": 51}, "body.size"),
        ({"size": 0}, "body.size"),
        ({"registered_on": "0001-01-01"}, "body.registered_on"),
        ({"registered_on": "1987-12-31"}, "body.registered_on"),
        ({"consent_to_return": True, "consent_date": "9999-01-01"}, "body.consent_date"),
        ({"rooms_needed": 1000}, "body.rooms_needed"),
    ]
    for change, field in attacks:
        refused = api.client.post("/api/households", json={**HOUSEHOLD, **change}, headers=registrar)
        assert [f for f, _ in problems_of(refused)] == [field], change
    event = {"code": "aghdam-big", "settlement_code": "aghdam-v", "event_date": "2025-07-01", "kind": "convoy"}
    for change, field in (({"people": 10**9}, "body.people"), ({"families": 2**31}, "body.families"),
                          ({"event_date": "0001-01-01"}, "body.event_date")):  # fmt: skip
        refused = api.client.post("/api/return-events", json={**event, **change}, headers=registrar)
        assert [f for f, _ in problems_of(refused)] == [field], change
    assert api.client.get("/api/returns/progress").json() == progress
    # money and areas behind public totals: bounded, and never infinite
    planner = api.as_(Role.PLANNER)
    project = {"code": "aghdam-gas", "name": "Gas", "sector": "gas", "stage": 1, "settlement_code": "aghdam-v"}
    for budget in (10**13, 1e300):
        refused = api.client.post("/api/projects", json={**project, "budget_amount": budget}, headers=planner)
        assert [f for f, _ in problems_of(refused)] == ["body.budget_amount"], budget
    infinite = api.client.post(
        "/api/projects", content=b'{"code": "x", "name": "x", "sector": "gas", "stage": 1, "budget_amount": Infinity}',
        headers=planner | {"content-type": "application/json"},
    )  # fmt: skip
    assert [f for f, _ in problems_of(infinite)] == ["body.budget_amount"]
    area = {"code": "sha-big", "classification": "SHA", "estimated_area_m2": 1e12, "district_code": "aghdam"}
    refused = api.client.post("/api/hazard-areas", json=area, headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert [f for f, _ in problems_of(refused)] == ["body.estimated_area_m2"]
    assert api.client.get("/api/projects?district=aghdam").json()["total"] == 2
