"""The public risk page of a plan: bands, the tornado of works to watch, and what it says when there is none."""

from __future__ import annotations

import datetime as dt

from api_support import Api
from sqlalchemy.orm import Session

from homecoming.planning.models import PlanRun
from homecoming.risk.models import PlanRisk

WHEN = dt.datetime(2026, 11, 23, 12, 0)


def _plan(session: Session, code: str) -> PlanRun:
    plan = PlanRun(code=code, scenario="s", assumptions={}, created_at=WHEN, start_month=dt.date(2026, 1, 1),
                   sequencing_status="feasible", people_months=1_200_000, people_months_bound=1_000_000,
                   allocation_status="optimal", allocation_objective=0, allocation_bound=0, seconds=1, data_issues=[],
                   schedule_problem={})  # fmt: skip
    session.add(plan)
    session.flush()
    return plan


def test_the_risk_page_shows_the_bands_and_the_works_to_watch_with_labels_escaped(api: Api) -> None:
    with Session(api.engine) as session:
        plan = _plan(session, "p-risk")
        session.add(PlanRisk(
            plan_run_id=plan.id, created_at=WHEN, scenarios=10_000, seed=7, chunk_size=500,
            by_date=dt.date(2029, 1, 1), seconds=12.5, overrun=0,
            uncertainty={"clearance": {"optimistic": 0.5, "likely": 1.0, "pessimistic": 1.2, "shape": "pert",
                                       "productivity": True}},
            people_months={"plan": 1_200_000, "p10": 1_300_000, "p50": 1_450_000, "p90": 1_700_000},
            settlements=[{"code": "aghdam", "name": "Aghdam", "people": 24, "plan": "2028-03-01", "p10": "2028-05-01",
                          "p50": "2028-08-01", "p80": "2028-11-01", "p90": "2029-02-01", "on_time": 0.05, "by": 0.62,
                          "mean_slip_months": 5.1}],
            years=[{"year": 2027, "plan": 0, "p10": 0, "p50": 0, "p90": 0},
                   {"year": 2028, "plan": 24, "p10": 0, "p50": 24, "p90": 24}],
            tasks=[{"task": "clear:ha-1", "kind": "clearance", "label": "clear <b>HA-1</b>", "criticality": 0.81},
                   {"task": "houses:aghdam", "kind": "houses", "label": "24 houses in Aghdam", "criticality": 0.4}],
        ))  # fmt: skip
        session.commit()
    page = api.client.get("/plans/p-risk/risk")
    assert page.status_code == 200
    html = page.text
    assert '<p class="big" id="pm-p50">1.45 M</p>' in html
    assert '<p class="big" id="pm-band">1.30 – 1.70 M</p>' in html
    assert "clear &lt;b&gt;HA-1&lt;/b&gt;" in html and "<b>HA-1</b>" not in html
    assert ">81%</text>" in html and ">40%</text>" in html
    row = html.split('id="settlements"', 1)[1].split("</table>", 1)[0]
    assert "<td>2028-03</td><td>2028-05</td><td>2028-08</td><td>2028-11</td><td>2029-02</td>" in row
    assert '<td class="num">5%</td><td class="num">62%</td>' in row
    assert "By the end of 2028: between 0 and 24 people (P10-P90)." in html
    assumed = html.split('id="assumptions"', 1)[1].split("</table>", 1)[0]
    assert "<td>clearance (productivity)</td>" in assumed
    assert '<td class="num">0.5</td><td class="num">1.0</td><td class="num">1.2</td><td>pert</td>' in assumed


def test_a_plan_without_a_risk_run_says_how_to_make_one_and_an_unknown_plan_is_not_found(api: Api) -> None:
    with Session(api.engine) as session:
        _plan(session, "p-bare")
        session.commit()
    bare = api.client.get("/plans/p-bare/risk")
    assert bare.status_code == 404
    assert "homecoming risk p-bare" in bare.text
    assert api.client.get("/plans/nope/risk").status_code == 404
