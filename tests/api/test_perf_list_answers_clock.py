"""The lists whose answer also depends on the clock, a setting or the account's own records are kept whole too
(`http.deps.Unit.kept`): tenders until the next deadline that changes one listed, return events per threshold,
jobs per account. A repeat runs none of the list's queries; a commit (by anyone), a deadline passing, another
setting, role or account each change the next answer. On both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api_support import PASSWORD_HASH, Api
from procurement_support import AFTER, BEFORE, START, TENDER_END, Market, make_market
from sqlalchemy import insert, update
from sqlalchemy.orm import Session
from test_perf_list_answers import _commit_elsewhere, statements

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.planning.models import PlanRun
from homecoming.procurement.models import Contract, Tender
from homecoming.returns.models import ReturnEvent

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
MILESTONES = [{"title": "walls and roof", "amount": 455_000, "due_date": "2025-09-01"}]


def _signed(api: Api) -> Market:
    """T-1 opened, evaluated and awarded, C-1 signed; T-2 published, its bids still coming (deadline TENDER_END)."""
    m = make_market(api)
    m.opened("T-1", PRICES)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": MILESTONES}, 201)
    m.clock.now = START
    m.publish("T-2")
    m.bid(Role.CONTRACTOR, "T-2", "azer-build", "470000")
    return m


def _job(code: str, kind: JobKind, requested_by: str, **values: Any) -> dict[str, Any]:
    return {"code": code, "kind": kind, "payload": {"table": "households"}, "status": JobStatus.FAILED,
            "stage": "done", "percent": 100, "attempts": 1, "cancel_requested": False,
            "requested_by": requested_by, "created_at": dt.datetime(2025, 3, 1), **values}  # fmt: skip


def _plan_run(code: str) -> dict[str, Any]:
    return {"code": code, "scenario": "base", "assumptions": {}, "created_at": dt.datetime(2025, 3, 1),
            "start_month": dt.date(2025, 4, 1), "sequencing_status": "optimal", "people_months": 10,
            "people_months_bound": 10, "allocation_status": "optimal", "allocation_objective": 1.0,
            "allocation_bound": 1.0, "seconds": 1.0, "data_issues": [], "schedule_problem": {}}  # fmt: skip


def _add(api: Api, model: type[Any], row: dict[str, Any]) -> None:
    with Session(api.engine) as session:
        session.execute(insert(model), [row])
        session.commit()


def test_a_repeated_request_runs_none_of_the_lists_queries(api: Api) -> None:
    m = _signed(api)
    _add(api, Job, _job("import-1", JobKind.IMPORT, "planner", message="row 7: bad size"))
    _add(api, Job, _job("plan-1", JobKind.PLAN_RUN, "planner"))
    _add(api, PlanRun, _plan_run("plan-1"))
    for path, who, table in (
        ("/api/tenders", Role.PUBLIC, "tenders"),
        ("/api/tenders", Role.PROCUREMENT_OFFICER, "tenders"),
        ("/api/contracts", Role.PUBLIC, "milestones"),
        ("/api/return-events", Role.PLANNER, "return_events"),
        ("/api/jobs", Role.PLANNER, "jobs"),
        ("/api/plan-jobs", Role.PUBLIC, "jobs"),
        ("/api/plan-runs", Role.PUBLIC, "plan_runs"),
    ):
        first = m.get(who, path)
        assert first["total"] >= 1, (path, first)
        with statements(api.engine) as sent:
            assert m.get(who, path) == first
        assert not [s for s in sent if f"FROM {table}" in s], (path, sent)


def test_a_commit_by_a_second_engine_changes_each_next_answer(api: Api) -> None:
    m = _signed(api)
    _add(api, Job, _job("plan-1", JobKind.PLAN_RUN, "planner"))
    _add(api, PlanRun, _plan_run("plan-1"))
    for path, who, model, change, field, before, after in (
        ("/api/tenders?sort=code", Role.PUBLIC, Tender, {"title": "Roads"}, "title", "Aghdam school, 12 classrooms",
         "Roads"),
        ("/api/contracts", Role.PUBLIC, Contract, {"currency": "USD"}, "currency", "AZN", "USD"),
        ("/api/return-events", Role.REGISTRAR, ReturnEvent, {"families": 3}, "families", 2, 3),
        ("/api/jobs", Role.PLANNER, Job, {"stage": "again"}, "stage", "done", "again"),
        ("/api/plan-jobs", Role.PUBLIC, Job, {"percent": 50}, "percent", 100, 50),
        ("/api/plan-runs", Role.PUBLIC, PlanRun, {"people_months": 9}, "people_months", 10, 9),
    ):  # fmt: skip
        assert m.get(who, path)["items"][0][field] == m.get(who, path)["items"][0][field] == before, path
        _commit_elsewhere(api, update(model).values(**change))
        assert m.get(who, path)["items"][0][field] == after, path


def test_a_deadline_passing_changes_the_next_tender_list_though_nothing_was_committed(api: Api) -> None:
    m = _signed(api)

    def counted() -> dict[str, int | None]:
        return {t["code"]: t["bids_count"] for t in m.get(Role.PUBLIC, "/api/tenders")["items"]}

    m.clock.now = BEFORE
    assert counted() == counted() == {"T-1": 3, "T-2": None}  # T-2's bids are counted once bidding closes
    m.clock.now = TENDER_END
    assert counted() == {"T-1": 3, "T-2": 1}
    m.clock.now = BEFORE  # a clock set back is answered for its own instant, never from a later one's answer
    assert counted() == {"T-1": 3, "T-2": None}
    m.clock.now = AFTER
    assert counted() == counted() == {"T-1": 3, "T-2": 1}
    assert {t["code"]: t["bids_count"] for t in m.get(Role.PROCUREMENT_OFFICER, "/api/tenders")["items"]} == {
        "T-1": 3,
        "T-2": 1,
    }


def test_roles_companies_settings_and_accounts_get_their_own_answers(api: Api) -> None:
    m = _signed(api)
    m.clock.now = START
    m.create("T-3")  # a draft: the office's business only
    m.clock.now = BEFORE
    for _ in range(2):  # the second round from the cache: nothing was committed since the first
        office = {t["code"]: t["bids_count"] for t in m.get(Role.PROCUREMENT_OFFICER, "/api/tenders")["items"]}
        assert office == {"T-1": 3, "T-2": 1, "T-3": 0}
        for company in (Role.CONTRACTOR, "rival", Role.PUBLIC):
            seen = {t["code"]: t["bids_count"] for t in m.get(company, "/api/tenders")["items"]}
            assert seen == {"T-1": 3, "T-2": None}
        assert [e["families"] for e in m.get(Role.REGISTRAR, "/api/return-events")["items"]] == [2]
        assert [e["families"] for e in m.get(Role.PLANNER, "/api/return-events")["items"]] == [None]  # 2 < 5
    app = api.client.app
    app.state.settings = app.state.settings.model_copy(update={"small_count_threshold": 2})  # type: ignore[attr-defined]
    assert [e["families"] for e in m.get(Role.PLANNER, "/api/return-events")["items"]] == [2]

    _add(api, Job, _job("import-1", JobKind.IMPORT, "planner", message="row 7: bad size"))
    with Session(api.engine) as session:
        other = User(username="planner-2", password_hash=PASSWORD_HASH, role=Role.PLANNER, active=True)
        session.add(other)
        session.flush()
        other_planner = {"Authorization": f"Bearer {accounts.issue_token(session, other, 'tests')}"}
        session.commit()
    for _ in range(2):
        asked = m.get(Role.PLANNER, "/api/jobs")["items"]
        assert [j["message"] for j in asked] == ["row 7: bad size"]  # the account that asked reads its message
        others = api.client.get("/api/jobs", headers=other_planner).json()["items"]
        assert [j["message"] for j in others] == [None]  # the same role, another account: withheld
