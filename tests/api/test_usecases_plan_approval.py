"""The official plan: a planner proposes a plan run, an admin who neither made nor proposed it approves it, and only
the approved run is the public forecast (the overview, a settlement's page, GET /api/official-plan), with a sentence
for each change of the registry made after the run read it."""

from __future__ import annotations

from api_support import PASSWORD, Api
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_plan_pages import log_in, make_run
from test_usecases_people_audit import command, none_written, one_entry, post

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.audit.models import AuditEntry
from homecoming.planning import actions
from homecoming.planning.scenario import Scenario

HTML = {"accept": "text/html"}
NO_FORECAST = "There is no official forecast yet"


def second_admin(api: Api) -> dict[str, str]:
    """Another admin, to approve what the first one made (its bearer token's header)."""
    with Session(api.engine) as session:
        user = accounts.create_user(session, UserCreate(username="admin2", password=PASSWORD, role=Role.ADMIN))
        token = accounts.issue_token(session, user, "tests")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def made_by_admin(api: Api, code: str) -> None:
    """A run the first admin made from the command line (its audit entry names the admin)."""
    with Session(api.engine) as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        actions.make_plan(session, admin, Scenario(name=code, sequencing_seconds=1, allocation_seconds=1), code=code)
        session.commit()


def approve(api: Api, code: str, who: dict[str, str], version: int = 1) -> dict[str, object]:
    response = api.client.post(f"/api/plan-runs/{code}/approval", json={"version": version}, headers=who)
    return {"status": response.status_code, **response.json()}


def test_a_planner_proposes_and_only_another_admin_approves(api: Api) -> None:
    made_by_admin(api, "base")
    proposed = api.client.post("/api/plan-runs/base/proposal", json={"comment": "baseline"},
                               headers=api.as_(Role.PLANNER))  # fmt: skip
    assert (proposed.status_code, proposed.json()["state"], proposed.json()["proposed_by"]) == (
        201,
        "proposed",
        "planner",
    )
    again = api.client.post("/api/plan-runs/base/proposal", json={}, headers=api.as_(Role.PLANNER))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "plan_approvals.already_proposed")
    by_planner = approve(api, "base", api.as_(Role.PLANNER))
    assert (by_planner["status"], by_planner["error"]["code"]) == (403, "auth.forbidden")  # type: ignore[index]
    by_author = approve(api, "base", api.as_(Role.ADMIN))
    assert (by_author["status"], by_author["error"]["code"]) == (403, "plan_approvals.own_run")  # type: ignore[index]
    assert by_author["error"]["details"]["made_by"] == "admin"  # type: ignore[index]
    other = second_admin(api)
    stale = approve(api, "base", other, version=7)
    assert (stale["status"], stale["error"]["details"]["current"]["state"]) == (409, "proposed")  # type: ignore[index]
    approved = approve(api, "base", other)
    assert (approved["status"], approved["state"], approved["approved_by"]) == (200, "approved", "admin2")
    official = api.client.get("/api/official-plan").json()
    assert (official["plan_run"], official["changed_since"]) == ("base", [])
    with Session(api.engine) as session:
        trail = session.scalars(
            select(AuditEntry.username).where(AuditEntry.table_name == "plan_approvals").order_by(AuditEntry.id)
        ).all()
    assert trail == ["planner", "admin2"]  # one entry per change made; the refusals left none


def test_the_author_of_a_proposal_cannot_approve_it_and_a_withdrawn_run_is_no_forecast(api: Api) -> None:
    make_run(api, "base")
    assert api.client.post("/api/plan-runs/base/proposal", json={}, headers=api.as_(Role.ADMIN)).status_code == 201
    own = approve(api, "base", api.as_(Role.ADMIN))
    assert (own["status"], own["error"]["code"]) == (403, "plan_approvals.own_run")  # type: ignore[index]
    assert approve(api, "base", second_admin(api))["state"] == "approved"
    assert NO_FORECAST not in api.client.get("/").text
    refused = api.client.post("/api/plan-runs/base/withdrawal", json={"version": 2}, headers=api.as_(Role.PLANNER))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "plan_approvals.approved")
    withdrawn = api.client.post("/api/plan-runs/base/withdrawal", json={"version": 2}, headers=api.as_(Role.ADMIN))
    assert withdrawn.json()["state"] == "withdrawn"
    assert NO_FORECAST in api.client.get("/").text
    missing = api.client.get("/api/official-plan")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "plan_approvals.no_official_plan")


def test_a_what_if_never_shows_publicly(api: Api) -> None:
    make_run(api, "base")
    assert NO_FORECAST in api.client.get("/").text  # the latest run is not the forecast until approved
    assert 'id="no-forecast"' in api.client.get("/settlements/aghdam-v").text
    api.client.post("/api/plan-runs/base/proposal", json={}, headers=api.as_(Role.PLANNER))
    assert NO_FORECAST in api.client.get("/").text  # proposed is not approved
    approve(api, "base", api.as_(Role.ADMIN))
    make_run(api, "fewer-crews", crews=1)  # a planner's what-if, made after
    overview = api.client.get("/").text
    assert "Approved plan of " in overview and "<strong>base</strong>" in overview and "fewer-crews" not in overview
    aghdam = api.client.get("/settlements/aghdam-v").text
    assert "(approved plan of " in aghdam and "fewer-crews" not in aghdam
    assert api.client.get("/api/official-plan").json()["plan_run"] == "base"


def test_a_hazard_area_added_after_the_plan_is_said_in_words_in_both_languages(api: Api) -> None:
    make_run(api, "base")
    api.client.post("/api/plan-runs/base/proposal", json={}, headers=api.as_(Role.PLANNER))
    approve(api, "base", api.as_(Role.ADMIN))
    assert "this forecast predates" not in api.client.get("/").text
    area = {"code": "new-field", "classification": "CHA", "estimated_area_m2": 250_000,
            "blocks_settlement_code": "aghdam-v"}  # fmt: skip
    added = api.client.post("/api/hazard-areas", json=area, headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert added.status_code == 201
    [said] = api.client.get("/api/official-plan").json()["changed_since"]
    assert said.startswith("A hazard area was added on ") and said.endswith("; this forecast predates it.")
    overview = api.client.get("/").text
    assert "A hazard area was added on " in overview and "this forecast predates it." in overview
    assert "A hazard area was added on " in api.client.get("/settlements/aghdam-v").text
    api.client.cookies.set("homecoming_lang", "az")
    local = api.client.get("/").text
    assert "A hazard area was added" not in local and "proqnoz" in local.lower()


def test_the_plan_page_offers_each_reader_only_the_buttons_it_may_press(api: Api) -> None:
    make_run(api, "base")
    assert 'id="propose-plan"' not in api.client.get("/plans/base").text  # the public
    log_in(api, "planner")
    page = api.client.get("/plans/base").text
    assert 'id="propose-plan"' in page and 'id="approve-plan"' not in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    proposed = api.client.post("/plans/base/proposal", data={"csrf_token": token}, follow_redirects=False)
    assert proposed.status_code == 303
    page = api.client.get("/plans/base").text
    assert "Proposed as the official plan by planner" in page and 'id="withdraw-plan"' in page
    refused = api.client.post("/plans/base/approval", data={"csrf_token": token, "version": "1"}, headers=HTML)
    assert refused.status_code == 403
    second_admin(api)
    log_in(api, "admin2")
    page = api.client.get("/plans/base").text
    assert 'id="approve-plan"' in page and 'id="propose-plan"' not in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    forged = api.client.post("/plans/base/approval", data={"csrf_token": "x", "version": "1"}, headers=HTML)
    assert forged.status_code == 403
    done = api.client.post("/plans/base/approval", data={"csrf_token": token, "version": "1"}, follow_redirects=False)
    assert done.status_code == 303
    assert "This is the approved plan of " in api.client.get("/plans/base").text


def test_each_approval_route_writes_one_entry_naming_its_actor_and_a_refusal_none(api: Api) -> None:
    make_run(api, "base")
    none_written(api, post(api, Role.VIEWER, "/api/plan-runs/base/proposal", json={}), 403)
    none_written(api, post(api, Role.PLANNER, "/api/plan-runs/nope/proposal", json={}), 404)
    assert one_entry(api, post(api, Role.PLANNER, "/api/plan-runs/base/proposal", json={"comment": "go"}), 201) == (
        "planner", "create", "plan_approvals", "base")  # fmt: skip
    none_written(api, post(api, Role.PLANNER, "/api/plan-runs/base/approval", json={"version": 1}), 403)
    none_written(api, post(api, Role.ADMIN, "/api/plan-runs/base/approval", json={"version": 2}), 409)
    assert one_entry(api, post(api, Role.ADMIN, "/api/plan-runs/base/approval", json={"version": 1}), 200) == (
        "admin", "update", "plan_approvals", "base")  # fmt: skip
    none_written(api, post(api, Role.PLANNER, "/api/plan-runs/base/withdrawal", json={"version": 2}), 403)
    assert one_entry(api, post(api, Role.ADMIN, "/api/plan-runs/base/withdrawal", json={"version": 2}), 200) == (
        "admin", "update", "plan_approvals", "base")  # fmt: skip
    none_written(api, post(api, Role.ADMIN, "/api/plan-runs/base/withdrawal", json={"version": 3}), 409)
    assert one_entry(api, post(api, Role.PLANNER, "/api/plan-runs/base/proposal", json={}), 201) == (
        "planner", "update", "plan_approvals", "base")  # proposed again once withdrawn  # fmt: skip


def test_the_command_line_proposes_approves_and_withdraws_as_the_named_account(api: Api, cli_database: str) -> None:
    made_by_admin(api, "base")
    none_written(api, command("--as", "viewer", "plan", "propose", "base"), 1)
    assert one_entry(api, command("--as", "planner", "plan", "propose", "base"), 0) == (
        "planner", "create", "plan_approvals", "base")  # fmt: skip
    none_written(api, command("plan", "approve", "base", "--version", "1"), 1)  # an admin must be named
    none_written(api, command("--as", "planner", "plan", "approve", "base", "--version", "1"), 1)
    none_written(api, command("--as", "admin", "plan", "approve", "base", "--version", "1"), 1)  # its author
    second_admin(api)
    assert one_entry(api, command("--as", "admin2", "plan", "approve", "base", "--version", "1"), 0) == (
        "admin2", "update", "plan_approvals", "base")  # fmt: skip
    assert api.client.get("/api/official-plan").json()["plan_run"] == "base"
    assert one_entry(api, command("--as", "admin2", "plan", "withdraw", "base", "--version", "2"), 0) == (
        "admin2", "update", "plan_approvals", "base")  # fmt: skip
    assert api.client.get("/api/official-plan").status_code == 404
