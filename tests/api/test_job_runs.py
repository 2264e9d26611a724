"""Risk runs and sweeps as jobs through the API: a planner starts them, anyone follows them, a planner cancels."""

from __future__ import annotations

import time
from typing import Any

from api_support import Api
from test_plan_pages import make_run

from homecoming.accounts.roles import Role
from homecoming.jobs.worker import Worker

POLL_LIMIT_S = 180  # a safety net for a stuck job on a busy machine, not a timing assertion


def started(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.client.post(path, json=body, headers=api.as_(Role.PLANNER))
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/jobs/{response.json()['code']}"
    return dict(response.json())


def finished(api: Api, code: str) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_LIMIT_S
    while True:
        job = api.client.get(f"/api/jobs/{code}").json()
        if job["status"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
            return dict(job)
        time.sleep(0.1)


def error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_planner_starts_a_risk_run_of_a_plan_and_its_bands_are_stored_with_it(api: Api, job_worker: Worker) -> None:
    make_run(api, "base")
    job = started(api, "/api/plan-runs/base/risk-runs", {"scenarios": 200, "chunk": 50, "workers": 1})
    assert (job["kind"], job["status"], job["code"].startswith("risk-base-")) == ("risk_run", "queued", True)
    done = finished(api, job["code"])
    assert (done["status"], done["percent"], done["attempts"], done["error_code"]) == ("done", 100, 1, None)
    assert (done["result"]["plan_run"], done["result"]["scenarios"]) == ("base", 200)
    assert done["result"]["people_months"]["plan"] == 396
    assert done["result"]["risk_url"] == "/plans/base/risk"
    assert api.client.get("/plans/base/risk").status_code == 200
    assert 'id="risk-link"' in api.client.get("/plans/base").text
    assert [j["code"] for j in api.client.get("/api/jobs?kind=risk_run&status=done").json()["items"]] == [job["code"]]


def test_a_planner_sweeps_variants_of_a_plan_and_reads_the_comparison(api: Api, job_worker: Worker) -> None:
    make_run(api, "base")
    job = started(api, "/api/sweeps", {"code": "crews", "plan_run": "base", "crews": [1, 150], "seconds": 1,
                                       "workers": 1})  # fmt: skip
    done = finished(api, "crews")
    assert (done["kind"], done["status"], done["error_code"]) == ("sweep", "done", None), done
    variants = {v["variant"]: v["people_months"] for v in done["result"]["variants"]}
    assert variants == {"1 crews": 1974, "150 crews": 396}  # as the two plans of the comparison page
    assert done["message"] == "2 of 2 variants solved; fewest people-months: 150 crews (396)"
    assert job["code"] == "crews"


def test_risk_runs_and_sweeps_are_refused_with_their_codes(api: Api) -> None:
    planner = api.as_(Role.PLANNER)
    assert error(api.client.post("/api/plan-runs/nope/risk-runs", json={}, headers=planner)) == (
        404, "plan_runs.not_found"
    )  # fmt: skip
    make_run(api, "base")
    for role in (Role.VIEWER, Role.DATA_ENTRY):
        refused = api.client.post("/api/plan-runs/base/risk-runs", json={}, headers=api.as_(role))
        assert error(refused) == (403, "auth.forbidden")
    assert error(api.client.post("/api/plan-runs/base/risk-runs", json={"scenarios": 1}, headers=planner)) == (
        422, "request.invalid"
    )  # fmt: skip
    grid = {"teams": list(range(1, 21)), "crews": list(range(1, 21))}
    assert error(api.client.post("/api/sweeps", json=grid, headers=planner)) == (422, "sweep.too_many_variants")
    bad = api.client.post("/api/sweeps", json={"scenario": {"crews": -1}}, headers=planner)
    assert error(bad) == (422, "sweep.bad_scenario")
    assert bad.json()["error"]["details"] == {"field": "crews"}
    assert api.client.get("/api/jobs").json()["total"] == 0  # nothing was queued by a refused request


def test_a_planner_cancels_a_queued_job_and_a_finished_one_cannot_be_cancelled(api: Api) -> None:
    make_run(api, "base")
    job = started(api, "/api/plan-runs/base/risk-runs", {"workers": 1})  # no worker runs in this test: it waits
    viewer = api.client.post(f"/api/jobs/{job['code']}/cancel", headers=api.as_(Role.VIEWER))
    assert error(viewer) == (403, "auth.forbidden")
    cancelled = api.client.post(f"/api/jobs/{job['code']}/cancel", headers=api.as_(Role.PLANNER))
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_requested"]) == ("cancelled", True)
    again = api.client.post(f"/api/jobs/{job['code']}/cancel", headers=api.as_(Role.PLANNER))
    assert error(again) == (409, "job.not_cancellable")
    assert again.json()["error"]["details"] == {"code": job["code"], "status": "cancelled"}
    assert error(api.client.post("/api/jobs/nope/cancel", headers=api.as_(Role.PLANNER))) == (404, "job.not_found")
    assert error(api.client.get("/api/jobs/nope")) == (404, "job.not_found")
