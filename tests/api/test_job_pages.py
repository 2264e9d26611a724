"""From the plan page a planner starts a risk run or a sweep and watches it on its job page; others only watch."""

from __future__ import annotations

import re

from api_support import Api
from test_job_runs import finished
from test_plan_pages import log_in, make_run, rows

from homecoming.jobs.worker import Worker

HTML = {"accept": "text/html"}


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_only_planners_see_the_forms_to_start_a_risk_run_or_a_sweep(api: Api) -> None:
    make_run(api, "base")
    assert 'id="start-risk"' not in api.client.get("/plans/base").text
    log_in(api, "viewer")
    assert 'id="start-sweep"' not in api.client.get("/plans/base").text
    refused = api.client.post("/plans/base/risk-runs", data={"scenarios": "100"}, headers=HTML)
    assert refused.status_code == 403
    log_in(api, "planner")
    page = api.client.get("/plans/base").text
    assert 'id="start-risk"' in page and 'id="start-sweep"' in page
    forged = api.client.post("/plans/base/risk-runs", data={"scenarios": "100"}, headers=HTML)
    assert (forged.status_code, 'data-code="form.csrf"' in forged.text) == (403, True)
    assert api.client.get("/api/jobs").json()["total"] == 0


def test_a_planner_starts_a_risk_run_from_the_plan_page_and_follows_it_to_its_bands(
    api: Api, job_worker: Worker
) -> None:
    make_run(api, "base")
    log_in(api, "planner")
    csrf = token(api.client.get("/plans/base").text)
    made = api.client.post("/plans/base/risk-runs", data={"csrf_token": csrf, "scenarios": "100", "seed": "3"},
                           follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    code = made.headers["location"].removeprefix("/jobs/")
    assert code.startswith("risk-base-")
    first = api.client.get(f"/jobs/{code}").text
    assert f"Risk run {code}</h1>" in first
    assert finished(api, code)["status"] == "done"
    page = api.client.get(f"/jobs/{code}").text
    assert '<a href="/plans/base/risk" id="risk-result">' in page
    assert [r[0] for r in rows(api.client.get("/plans/base").text, "plan-jobs")] == [code]
    assert 'id="risk-link"' in api.client.get("/plans/base").text


def test_a_planner_sweeps_crews_from_the_plan_page_and_reads_the_comparison(api: Api, job_worker: Worker) -> None:
    make_run(api, "base")
    log_in(api, "planner")
    csrf = token(api.client.get("/plans/base").text)
    empty = api.client.post("/plans/base/sweeps", data={"csrf_token": csrf, "seconds": "1"}, headers=HTML)
    assert (empty.status_code, 'data-code="sweep.no_variants"' in empty.text) == (422, True)
    made = api.client.post("/plans/base/sweeps", data={"csrf_token": csrf, "crews": "1, 150", "seconds": "1"},
                           follow_redirects=False)  # fmt: skip
    code = made.headers["location"].removeprefix("/jobs/")
    assert finished(api, code)["status"] == "done"
    table = rows(api.client.get(f"/jobs/{code}").text, "sweep-variants")
    assert [r[:2] for r in table] == [["1 crews", "1,974"], ["150 crews", "396"]]


def test_a_planner_cancels_a_waiting_job_from_its_page(api: Api) -> None:
    make_run(api, "base")
    log_in(api, "planner")
    csrf = token(api.client.get("/plans/base").text)
    code = api.client.post("/plans/base/risk-runs", data={"csrf_token": csrf},
                           follow_redirects=False).headers["location"].removeprefix("/jobs/")  # fmt: skip
    waiting = api.client.get(f"/jobs/{code}").text  # no worker in this test: it waits in the queue
    assert 'id="cancel-job"' in waiting and "data-progress-url" in waiting
    cancelled = api.client.post(f"/jobs/{code}/cancel", data={"csrf_token": token(waiting)}, follow_redirects=False)
    assert cancelled.status_code == 303
    page = api.client.get(f"/jobs/{code}").text
    assert "<strong>cancelled</strong>" in page and 'id="cancel-job"' not in page
    missing = api.client.get("/jobs/nope", headers=HTML)
    assert (missing.status_code, 'data-code="job.not_found"' in missing.text) == (404, True)
