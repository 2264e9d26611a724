"""Plan runs through the API: a planner starts one as a background job, anyone polls it and reads its results.

The seed's two villages wait for works of at most 12 months with capacity to spare, so the optimal plan has both
ready in month 12 (January 2027) and 33 people displaced for 12 months: 396 people-months.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from api_support import Api
from sqlalchemy import update
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.db.session import unit_of_work
from homecoming.households.models import Household
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.worker import Worker
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario

ORDER = ["queued", "running", "done", "failed", "cancelled"]
POLL_LIMIT_S = 120  # a safety net for a stuck job on a busy machine, not a timing assertion


def start(api: Api, body: dict[str, Any], role: Role = Role.PLANNER) -> dict[str, Any]:
    response = api.client.post("/api/plan-runs", json=body, headers=api.as_(role))
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/plan-runs/{response.json()['code']}/progress"
    return dict(response.json())


def finish(api: Api, code: str) -> dict[str, Any]:
    """Poll the progress until the job is done or failed; on the way it only moves forward."""
    deadline, seen = time.monotonic() + POLL_LIMIT_S, []
    while True:
        progress = api.client.get(f"/api/plan-runs/{code}/progress").json()
        seen.append((ORDER.index(progress["status"]), progress["percent"]))
        assert seen == sorted(seen) and 0 <= progress["percent"] <= 100, seen
        if progress["status"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
            return dict(progress)
        time.sleep(0.1)


def items(api: Api, path: str) -> list[dict[str, Any]]:
    response = api.client.get(path)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_a_planner_starts_a_run_polls_it_to_the_end_and_reads_its_results(api: Api, job_worker: Worker) -> None:
    job = start(api, {"code": "quick", "scenario": "fast", "seconds": 1, "start": "2026-01-01"})  # month 0 given
    assert (job["code"], job["status"], job["percent"], job["result_url"]) == ("quick", "queued", 0, None)
    done = finish(api, "quick")
    assert (done["status"], done["stage"], done["percent"], done["error_code"]) == ("done", "done", 100, None)
    assert done["message"] == "396 people-months displaced (optimal schedule)"
    assert done["result_url"] == "/api/plan-runs/quick"
    run = api.client.get("/api/plan-runs/quick").json()
    assert (run["scenario"], run["people_months"], run["people_months_bound"], run["sequencing_status"]) == (
        "fast", 396, 396, "optimal"
    )  # fmt: skip
    assert (run["settlements"], run["tasks"], run["unplaced_people"]) == (2, 13, 0)
    assert (run["assumptions"]["sequencing_seconds"], run["assumptions"]["allocation_seconds"]) == (1.0, 1.0)
    assert "fuzuli-v: no school works in the registry; the plan proposes one" in run["data_issues"]
    ready = items(api, "/api/plan-runs/quick/settlements?sort=-ready_date")
    # Fuzuli village has 3 households waiting, below the threshold of 5: its counts are withheld, and Aghdam
    # village's too (the people home, 33, minus Aghdam's 24 would give Fuzuli's 9).
    rows = {(s["settlement_code"], s["district_code"], s["households"], s["people"], s["ready_date"]) for s in ready}
    assert rows == {
        ("aghdam-v", "aghdam", None, None, "2027-01-01"),
        ("fuzuli-v", "fuzuli", None, None, "2027-01-01"),
    }  # fmt: skip
    assert [s["settlement_code"] for s in items(api, "/api/plan-runs/quick/settlements?district=fuzuli")] == [
        "fuzuli-v"
    ]
    assert api.client.get("/api/plan-runs/quick/people-home").json() == [{"year": 2027, "people": 33, "cumulative": 33}]
    assert [r["code"] for r in items(api, "/api/plan-runs?scenario=fast")] == ["quick"]
    assert [j["code"] for j in items(api, "/api/plan-jobs?status=done")] == ["quick"]
    assert items(api, "/api/plan-jobs?status=failed") == []


def test_plan_tasks_filter_by_district_settlement_kind_and_sector(api: Api, job_worker: Worker) -> None:
    start(api, {"code": "tasks", "seconds": 1, "start": "2026-01-01"})  # month 0 given: the dates below are fixed
    assert finish(api, "tasks")["status"] == "done"

    def tasks(query: str) -> list[str]:
        return [t["task"] for t in items(api, f"/api/plan-runs/tasks/tasks?{query}")]

    assert tasks("sector=housing&sort=task") == ["proposed:aghdam-v:houses", "proposed:fuzuli-v:houses"]
    assert tasks("sector=school&sort=task") == ["proposed:fuzuli-v:school", "works:aghdam-school"]
    assert tasks("kind=works&sort=-task") == ["works:fuzuli-road", "works:aghdam-water", "works:aghdam-school"]
    assert tasks("district=fuzuli&kind=works") == ["works:fuzuli-road"]
    assert len(tasks("settlement=fuzuli-v")) == 6  # its road, proposed houses and four proposed services
    [clearance] = items(api, "/api/plan-runs/tasks/tasks?kind=clearance")
    assert (clearance["hazard_area_code"], clearance["settlement_code"], clearance["district_code"]) == (
        "cha-1", "aghdam-v", "aghdam"
    )  # fmt: skip
    assert (clearance["sector"], clearance["start_period"], clearance["end_period"]) == (None, 0, 1)
    [school] = items(api, "/api/plan-runs/tasks/tasks?settlement=aghdam-v&sector=school")
    # 12 months of works for a village ready in month 12: it must run from the first month.
    assert (school["project_code"], school["start_date"], school["end_date"]) == (
        "aghdam-school", "2026-01-01", "2027-01-01"
    )  # fmt: skip
    page = api.client.get("/api/plan-runs/tasks/tasks?sort=-end_period&limit=2&offset=0").json()
    assert (page["total"], len(page["items"]), page["items"][0]["end_period"]) == (13, 2, 12)


def test_a_run_that_cannot_be_made_fails_with_its_error_code(api: Api, job_worker: Worker) -> None:
    with Session(api.engine) as session:
        session.execute(update(Household).values(returned_on=dt.date(2025, 6, 1)))
        session.commit()
    start(api, {"code": "nobody", "seconds": 1})
    failed = finish(api, "nobody")
    assert (failed["status"], failed["error_code"], failed["result_url"]) == ("failed", "plan.nothing_to_plan", None)
    assert failed["message"] == "no household waits to return: register households first"
    result = api.client.get("/api/plan-runs/nobody")
    assert (result.status_code, result.json()["error"]["code"]) == (404, "plan_runs.failed")
    assert [j["code"] for j in items(api, "/api/plan-jobs?status=failed")] == ["nobody"]


def test_only_planners_and_admins_start_runs(api: Api, job_worker: Worker) -> None:
    body = {"code": "by-anyone", "seconds": 1}
    nobody = api.client.post("/api/plan-runs", json=body)
    assert (nobody.status_code, nobody.json()["error"]["code"]) == (401, "auth.required")
    for role in (Role.VIEWER, Role.DATA_ENTRY, Role.REGISTRAR, Role.MINE_ACTION_OFFICER):
        refused = api.client.post("/api/plan-runs", json=body, headers=api.as_(role))
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.forbidden"), role
    assert api.client.get("/api/plan-jobs").json()["total"] == 0  # nothing was queued by a refused request
    start(api, {"code": "by-admin", "seconds": 1}, role=Role.ADMIN)
    assert finish(api, "by-admin")["status"] == "done"


def test_bad_requests_are_refused_with_their_codes(api: Api) -> None:
    planner = api.as_(Role.PLANNER)

    def refused(body: dict[str, Any]) -> tuple[int, str, str]:
        response = api.client.post("/api/plan-runs", json=body, headers=planner)
        error = response.json()["error"]
        fields = [e["field"] for e in error["details"].get("errors", [])]
        return response.status_code, error["code"], ",".join(fields)

    assert refused({"seconds": 0}) == (422, "request.invalid", "body.seconds")
    assert refused({"seconds": 601}) == (422, "request.invalid", "body.seconds")
    assert refused({"code": "two words"}) == (422, "request.invalid", "body.code")
    assert refused({"crews": 0, "horizon_months": 6}) == (422, "request.invalid", "body.crews,body.horizon_months")
    assert refused({"teams": 3}) == (422, "request.invalid", "body.teams")  # a misspelt field is not ignored
    with Session(api.engine) as session:  # a run queued earlier holds its code
        session.add(job("taken", JobStatus.QUEUED, dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        session.commit()
    assert refused({"code": "taken", "seconds": 1}) == (409, "plan_runs.duplicate_code", "")
    assert api.client.get("/api/plan-jobs").json()["total"] == 1


def job(code: str, status: JobStatus, created_at: dt.datetime, **values: object) -> Job:
    fields = {"attempts": 0, "cancel_requested": False} | values
    return Job(code=code, kind=JobKind.PLAN_RUN, status=status, stage=str(status), percent=0, payload={},
               requested_by="planner", created_at=created_at, **fields)  # fmt: skip


def test_unknown_unfinished_and_interrupted_runs_answer_with_what_is_wrong(api: Api) -> None:
    now = jobs_service.utcnow()
    with Session(api.engine) as session:
        # Left running twice by a worker that died (its lease ran out); and one queued, no worker running.
        session.add(job("stuck", JobStatus.RUNNING, now - dt.timedelta(hours=1), attempts=2, lease_owner="gone:1:x",
                        lease_expires_at=now - dt.timedelta(minutes=1)))  # fmt: skip
        session.add(job("waiting", JobStatus.QUEUED, now))
        session.commit()
    with unit_of_work(api.engine) as session:  # what the next worker does before it claims a job
        assert jobs_service.reap_expired(session, now) == [("stuck", JobStatus.FAILED)]
    for path in ("/api/plan-runs/nope", "/api/plan-runs/nope/progress", "/api/plan-runs/nope/tasks",
                 "/api/plan-runs/nope/settlements", "/api/plan-runs/nope/people-home"):  # fmt: skip
        missing = api.client.get(path)
        assert (missing.status_code, missing.json()["error"]["code"]) == (404, "plan_runs.not_found"), path
    stuck = api.client.get("/api/plan-runs/stuck/progress").json()
    assert (stuck["status"], stuck["error_code"]) == ("failed", "job.worker_lost")
    waiting = api.client.get("/api/plan-runs/waiting/tasks")
    assert (waiting.status_code, waiting.json()["error"]["code"]) == (404, "plan_runs.not_ready")
    assert waiting.json()["error"]["details"] == {"code": "waiting", "status": "queued"}
    assert api.client.get("/api/plan-runs/waiting/progress").json()["status"] == "queued"
    bad_sort = api.client.get("/api/plan-runs?sort=people").json()["error"]
    assert (bad_sort["code"], bad_sort["details"]["sortable"][0]) == ("request.bad_sort", "code")
    bad_status = api.client.get("/api/plan-jobs?status=sleeping")
    assert (bad_status.status_code, bad_status.json()["error"]["code"]) == (422, "request.invalid")


def test_a_run_made_from_the_command_line_reads_as_done_and_filters_name_unknown_places(api: Api) -> None:
    with Session(api.engine) as session:
        run_plan(session, Scenario(name="cli", sequencing_seconds=1, allocation_seconds=1), code="from-cli")
        session.commit()
    progress = api.client.get("/api/plan-runs/from-cli/progress").json()
    assert (progress["status"], progress["percent"], progress["result_url"]) == ("done", 100, "/api/plan-runs/from-cli")
    unknown = api.client.get("/api/plan-runs/from-cli/tasks?district=atlantis")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "districts.not_found")
    unknown = api.client.get("/api/plan-runs/from-cli/settlements?settlement=atlantis")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "settlements.not_found")
    bad_kind = api.client.get("/api/plan-runs/from-cli/tasks?kind=party")
    assert (bad_kind.status_code, bad_kind.json()["error"]["code"]) == (422, "request.invalid")
