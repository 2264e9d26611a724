"""The plan pages on the seeded registry: lists, the Gantt, the comparison, and the planner's form."""

from __future__ import annotations

import re

from api_support import PASSWORD, Api
from sqlalchemy.orm import Session
from test_forms import csrf_of
from test_plan_runs import finish

from homecoming.jobs.worker import Worker
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario

HTML = {"accept": "text/html"}


def make_run(api: Api, code: str, **assumptions: object) -> None:
    with Session(api.engine) as session:
        scenario = Scenario.model_validate(
            {"name": code, "sequencing_seconds": 1, "allocation_seconds": 1} | assumptions
        )
        run_plan(session, scenario, code=code)
        session.commit()


def log_in(api: Api, username: str) -> None:
    response = api.client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303


def rows(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).replace("&lt;", "<") for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in body.split("<tr")[1:]
    ]


def test_the_plans_page_lists_runs_and_only_planners_may_start_one(api: Api) -> None:
    make_run(api, "first")
    public = api.client.get("/plans").text
    assert rows(public, "runs") == [["first", "first", rows(public, "runs")[0][2], "396", "optimal"]]
    assert 'action="/plans"' not in public
    log_in(api, "viewer")
    assert 'action="/plans"' not in api.client.get("/plans").text
    refused = api.client.post("/plans", data={"scenario": "x", "seconds": "1"}, headers=HTML)
    assert refused.status_code == 403
    assert api.client.get("/api/plan-jobs").json()["total"] == 0
    log_in(api, "planner")
    assert 'method="post" action="/plans"' in api.client.get("/plans").text


def test_the_plan_page_draws_every_task_and_withholds_small_counts(api: Api) -> None:
    make_run(api, "first")
    html = api.client.get("/plans/first").text
    assert html.count('<g class="task ') == 13
    assert html.count('class="ready-line"') == 2
    assert rows(html, "ready-dates") == [
        ["2027-01", "Aghdam-V", "Aghdam", "—", "—"],  # withheld beside Fuzuli-V: 33 people home - 24 = 9
        ["2027-01", "Fuzuli-V", "Fuzuli", "<5", "—"],  # 3 households: withheld
    ]
    assert [r[:3] for r in rows(html, "people-home")] == [["2027", "33", "33"]]
    fuzuli = api.client.get("/plans/first?district=fuzuli").text
    assert fuzuli.count('<g class="task ') == 6
    assert '<g class="task works"><title>fuzuli-road: 2026-01 – ' in fuzuli
    assert 'class="district-name">Fuzuli</text>' in fuzuli and 'class="district-name">Aghdam</text>' not in fuzuli
    assert 'class="task-name">proposed school works</text>' in fuzuli  # under its village: no need to repeat it
    unknown = api.client.get("/plans/first?district=atlantis", headers=HTML)
    assert (unknown.status_code, 'data-code="districts.not_found"' in unknown.text) == (404, True)
    missing = api.client.get("/plans/nope", headers=HTML)
    assert (missing.status_code, 'data-code="plan_runs.not_found"' in missing.text) == (404, True)


def test_the_comparison_sets_two_runs_side_by_side(api: Api) -> None:
    make_run(api, "roomy")
    make_run(api, "one-crew", crews=1)  # the works queue behind each other: 1,974 people-months
    html = api.client.get("/plans/compare?a=roomy&b=one-crew").text
    summary = rows(html, "compare-summary")
    assert summary[1] == ["people-months displaced", "396", "1,974", "+1,578"]
    assert summary[3] == ["demining teams", "40", "40", ""]
    assert summary[4] == ["construction crews", "150", "1", ""]
    ready = {r[0]: r[1:] for r in rows(html, "compare-ready")}
    assert ready["Aghdam-V"][0] == ready["Fuzuli-V"][0] == "2027-01"
    assert all(int(months) > 0 for *_, months in ready.values())  # one crew makes every village later
    missing = api.client.get("/plans/compare?a=roomy&b=nope", headers=HTML)
    assert missing.status_code == 404
    unchosen = api.client.get("/plans/compare?a=roomy", follow_redirects=False)
    assert (unchosen.status_code, unchosen.headers["location"]) == (303, "/plans#compare-heading")


def test_a_planner_starts_a_run_from_the_form_and_its_page_follows_it(api: Api, job_worker: Worker) -> None:
    log_in(api, "planner")
    token = {"csrf_token": csrf_of(api.client.get("/plans").text)}
    bad = api.client.post("/plans", data={"scenario": "x", "seconds": "0"} | token, headers=HTML)
    assert bad.status_code == 422
    assert "seconds: Input should be greater than or equal to 1" in bad.text
    assert 'value="0"' in bad.text  # the form keeps what was typed
    made = api.client.post("/plans", data={"scenario": "from form", "code": "web", "seconds": "1"} | token,
                           follow_redirects=False)  # fmt: skip
    assert (made.status_code, made.headers["location"]) == (303, "/plans/web")
    first = api.client.get("/plans/web").text
    assert "<h1>Plan run web</h1>" in first or "<h1>Plan web</h1>" in first  # progress, or already the plan
    assert finish(api, "web")["status"] == "done"
    page = api.client.get("/plans/web").text
    assert "<h1>Plan web</h1>" in page and "Scenario from form, made " in page
    again = api.client.post("/plans", data={"scenario": "x", "code": "web", "seconds": "1"} | token, headers=HTML)
    assert again.status_code == 409
    assert "a plan run with code &#39;web&#39; exists already" in again.text
