"""Issue 22: the duplicate search through the API, the page and the command line as a job (queued by registrars only,
one at a time, audited, followed and cancelled), and a same-person decision merged through the API and the page, its
refusals said, the households it leaves listed, in both languages (both engines)."""

from __future__ import annotations

import time
from typing import Any

from api_support import ROLES, Api
from test_usecases_members_api import AYSEL, AZ, LEYLA, WIDE, log_in
from test_usecases_people_audit import entries, none_written, one_entry, post
from typer.testing import CliRunner

from homecoming.accounts.roles import Role
from homecoming.cli.main import app as cli
from homecoming.jobs.worker import Worker

COVERED_ROUTES = {("POST", "/api/duplicate-candidates/runs")}
RUNS = "/api/duplicate-candidates/runs"
HTML = {"accept": "text/html"}
POLL_LIMIT_S = 180  # a safety net for a stuck job on a busy machine, not a timing assertion
AGAIN = {**LEYLA, "given_name": "Лейла", "family_name": "Мамедова", "document_type": None, "document_number": None,
         "specific_needs": ["disability"]}  # fmt: skip


def finished(api: Api, code: str) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_LIMIT_S
    while (job := api.client.get(f"/api/jobs/{code}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return dict(job)


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_registrars_queue_one_search_at_a_time_and_cancel_it_and_each_write_is_audited(
    api: Api, cli_database: str
) -> None:
    for role in ROLES:
        if role not in (Role.REGISTRAR, Role.ADMIN):
            none_written(api, post(api, role, RUNS), 403)
    before = len(entries(api))
    queued = api.client.post(RUNS, json={"seed": 3}, headers=api.as_(Role.REGISTRAR))
    assert queued.status_code == 202, queued.text
    code = queued.json()["code"]
    assert queued.headers["location"] == f"/api/jobs/{code}" and code.startswith("duplicate-search-")
    assert entries(api)[before:] == [("registrar", "create", "jobs", code)]
    assert (queued.json()["kind"], queued.json()["status"]) == ("duplicate_search", "queued")
    refused = api.client.post(RUNS, headers=api.as_(Role.REGISTRAR))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "households.search_under_way"
    none_written(api, post(api, Role.REGISTRAR, RUNS), 409)
    none_written(api, post(api, Role.PLANNER, f"/api/jobs/{code}/cancel"), 403)  # not a planner's kind of job
    assert one_entry(api, post(api, Role.REGISTRAR, f"/api/jobs/{code}/cancel"), 200) == (
        "registrar", "cancel", "jobs", code)  # fmt: skip
    assert api.client.get(f"/api/jobs/{code}").json()["status"] == "cancelled"
    by_command = CliRunner().invoke(cli, ["--as", "registrar", "households", "dedupe", "--queue"], env=WIDE)
    assert by_command.exit_code == 0 and "queued as job duplicate-search-" in by_command.output, by_command.output


def test_a_search_started_on_the_page_runs_and_a_same_person_decision_merges_the_two_records(
    api: Api, job_worker: Worker, cli_database: str
) -> None:
    registrar = api.as_(Role.REGISTRAR)
    for code, person in (
        ("hh-00", LEYLA),
        ("hh-01", AGAIN),
        ("hh-02", AYSEL),
        ("hh-03", {**AYSEL, "given_name": "Айсель", "family_name": "Мамедова", "sex": "male"}),
    ):
        assert api.client.post(f"/api/households/{code}/members", json=person, headers=registrar).status_code == 201
    log_in(api, Role.REGISTRAR)
    page = api.client.get("/duplicate-candidates").text
    assert 'id="start-search"' in page and "Search the registry for duplicates" in page
    started = api.client.post("/duplicate-candidates/runs", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/duplicate-search-")
    code = started.headers["location"].rsplit("/", 1)[1]
    assert finished(api, code)["result"]["found"] == 2
    job_page = api.client.get(f"/jobs/{code}").text
    assert "Duplicate search" in job_page and 'id="search-result"' in job_page
    pairs = {tuple(p["household_code"] for p in pair["people"]): pair
             for pair in api.client.get("/api/duplicate-candidates", headers=registrar).json()}  # fmt: skip
    twice, not_her = pairs[("hh-00", "hh-01")], pairs[("hh-02", "hh-03")]
    decision = {"status": "same_person", "version": not_her["version"]}
    sex = api.client.post(f"/api/duplicate-candidates/{not_her['id']}/decision", json=decision, headers=registrar)
    assert sex.status_code == 422 and sex.json()["error"]["code"] == "households.merge_different_sex"
    bare = api.client.post(f"/api/duplicate-candidates/{not_her['id']}/decision", headers=registrar,
                           json={**decision, "force": True})  # fmt: skip
    assert bare.status_code == 422 and bare.json()["error"]["code"] == "households.force_needs_comment"
    in_azerbaijani = api.client.post(f"/duplicate-candidates/{not_her['id']}/same", headers=AZ | HTML,
                                     data={"csrf_token": csrf(page), "version": str(not_her["version"])})  # fmt: skip
    assert in_azerbaijani.status_code == 422 and "İki qeydin cinsi fərqlidir" in in_azerbaijani.text
    merged = api.client.post(
        f"/duplicate-candidates/{twice['id']}/same",
        follow_redirects=False,
        data={"csrf_token": csrf(page), "version": str(twice["version"]), "comment": "one woman"},
    )
    assert merged.status_code == 303
    people = api.client.get("/api/households/hh-00/members", headers=registrar).json()
    assert [(m["given_name"], m["specific_needs"]) for m in people] == [("Leyla", ["chronic_illness", "disability"])]
    assert api.client.get("/api/households/hh-01/members", headers=registrar).json() == []
    notes = api.client.get("/api/duplicate-candidates/household-notes", headers=registrar).json()
    assert notes == [{"kind": "left_empty", "household": "hh-01", "other_household": None, "people": 1}]
    assert api.client.get("/api/duplicate-candidates/household-notes", headers=api.as_(Role.PLANNER)).status_code == 403
    english = api.client.get("/duplicate-candidates").text
    assert 'id="household-notes"' in english and "hh-01 has nobody left" in english
    azerbaijani = api.client.get("/duplicate-candidates", headers=AZ).text
    assert 'id="household-notes"' in azerbaijani and "hh-01 ailəsində heç kim qalmayıb" in azerbaijani
    emptied = api.client.get("/households/hh-01").text
    assert 'id="merged-members"' in emptied and "(hh-01/1) was registered twice: merged into hh-00/1" in emptied
    assert 'id="no-members"' not in emptied
    assert "(hh-01/1) iki dəfə qeydə alınmışdı" in api.client.get("/households/hh-01", headers=AZ).text
