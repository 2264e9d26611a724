"""Issue 17, the audit walk for households, returns, imports, plan runs, jobs and accounts: every write route, form
and command line write makes exactly one audit entry naming who made it; a refused request makes none."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api_support import PASSWORD, Api
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_plan_pages import make_run
from typer.testing import CliRunner

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.cli.main import app as cli
from homecoming.jobs.worker import Worker

POLL_LIMIT_S = 180  # a safety net for a stuck job on a busy machine, not a timing assertion
# Every write route of these domains the walk below makes (method, FastAPI path template).
COVERED_ROUTES = {
    ("POST", "/api/households"),
    ("POST", "/api/households/{code}/return"),
    ("POST", "/api/return-events"),
    ("POST", "/api/imports/{table}"),
    ("POST", "/api/plan-runs"),
    ("POST", "/api/plan-runs/{code}/risk-runs"),
    ("POST", "/api/plan-runs/{code}/proposal"),  # the official plan's three: walked in test_usecases_plan_approval
    ("POST", "/api/plan-runs/{code}/approval"),
    ("POST", "/api/plan-runs/{code}/withdrawal"),
    ("POST", "/api/sweeps"),
    ("POST", "/api/jobs/{code}/cancel"),
    ("POST", "/api/users"),
    ("POST", "/api/users/{username}/unlock"),
    ("POST", "/api/users/{username}/deactivate"),
    ("POST", "/api/users/{username}/activate"),
    ("POST", "/api/users/{username}/revoke"),
}
HOUSEHOLD = {"code": "hh-50", "origin_settlement_code": "fuzuli-v", "head_name": "New Family", "size": 3,
             "rooms_needed": 1, "consent_to_return": True, "consent_date": "2024-01-01",
             "registered_on": "2024-01-02"}  # fmt: skip
EVENT = {"code": "ev-1", "settlement_code": "aghdam-v", "event_date": "2024-05-01", "date_precision": "day",
         "kind": "convoy", "families": 2, "people": 8}  # fmt: skip


def entries(api: Api) -> list[tuple[str, str, str, str]]:
    with Session(api.engine) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.username, e.action, e.table_name, e.record_code) for e in rows]


def one_entry(api: Api, act: Callable[[], Any], status: int) -> tuple[str, str, str, str]:
    """Do `act`, check its status, and return the one audit entry it made."""
    before = len(entries(api))
    response = act()
    assert response.status_code == status, response.text
    made = entries(api)[before:]
    assert len(made) == 1, made
    return made[0]


def none_written(api: Api, act: Callable[[], Any], status: int) -> None:
    before = entries(api)
    response = act()
    assert response.status_code == status, response.text
    assert entries(api) == before


def post(api: Api, role: Role, path: str, **kwargs: Any) -> Callable[[], Any]:
    return lambda: api.client.post(path, headers=api.as_(role), **kwargs)


def test_each_household_and_return_route_writes_one_entry_naming_its_actor(api: Api) -> None:
    registrar, clerk = Role.REGISTRAR, Role.DATA_ENTRY
    none_written(api, post(api, Role.PLANNER, "/api/households", json=HOUSEHOLD), 403)
    assert one_entry(api, post(api, registrar, "/api/households?comment=new", json=HOUSEHOLD), 201) == (
        "registrar", "create", "households", "hh-50")  # fmt: skip
    returned = {"on": "2024-06-01", "version": 1, "comment": "home"}
    none_written(api, post(api, registrar, "/api/households/hh-50/return", json=returned | {"version": 9}), 409)
    assert one_entry(api, post(api, registrar, "/api/households/hh-50/return", json=returned), 200) == (
        "registrar", "update", "households", "hh-50")  # fmt: skip
    none_written(api, post(api, Role.VIEWER, "/api/return-events", json=EVENT), 403)
    assert one_entry(api, post(api, clerk, "/api/return-events", json=EVENT), 201) == (
        "data_entry", "create", "return_events", "ev-1")  # fmt: skip


def test_each_plan_and_job_route_writes_one_entry_naming_its_actor(api: Api) -> None:
    planner = Role.PLANNER
    make_run(api, "base")
    none_written(api, post(api, Role.VIEWER, "/api/plan-runs", json={"code": "p1"}), 403)
    assert one_entry(api, post(api, planner, "/api/plan-runs", json={"code": "p1", "seconds": 1}), 202) == (
        "planner", "create", "jobs", "p1")  # fmt: skip
    none_written(api, post(api, planner, "/api/plan-runs", json={"code": "p1"}), 409)  # the code is taken
    risk = one_entry(api, post(api, planner, "/api/plan-runs/base/risk-runs", json={"workers": 1}), 202)
    assert risk[:3] == ("planner", "create", "jobs") and risk[3].startswith("risk-base-")
    none_written(api, post(api, planner, "/api/plan-runs/nope/risk-runs", json={"workers": 1}), 404)
    sweep = {"code": "crews", "plan_run": "base", "crews": [1, 2], "seconds": 1}
    assert one_entry(api, post(api, planner, "/api/sweeps", json=sweep), 202)[:3] == ("planner", "create", "jobs")
    none_written(api, post(api, Role.VIEWER, "/api/sweeps", json=sweep), 403)
    none_written(api, post(api, Role.VIEWER, "/api/jobs/p1/cancel"), 403)
    assert one_entry(api, post(api, planner, "/api/jobs/p1/cancel"), 200) == ("planner", "cancel", "jobs", "p1")
    none_written(api, post(api, planner, "/api/jobs/p1/cancel"), 409)


def test_an_import_route_writes_one_entry_naming_who_uploaded_it_once_its_job_is_done(
    api: Api, job_worker: Worker
) -> None:
    csv = "code,origin_settlement_code,head_name,size,rooms_needed,registered_on\nhh-60,aghdam-v,A,2,1,2024-01-01\n"
    upload = {"files": {"file": ("h.csv", csv.encode())}}
    none_written(api, post(api, Role.PLANNER, "/api/imports/households", **upload), 403)
    before = len(entries(api))
    answer = post(api, Role.REGISTRAR, "/api/imports/households", **upload)()
    assert answer.status_code == 202, answer.text
    deadline = time.monotonic() + POLL_LIMIT_S
    while len(entries(api)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert entries(api)[before:] == [("registrar", "import", "households", answer.json()["code"])]


def test_each_account_route_writes_one_entry_naming_the_admin(api: Api) -> None:
    admin = Role.ADMIN
    clerk = {"username": "clerk2", "password": "a-long-password", "role": "viewer"}
    none_written(api, post(api, Role.REGISTRAR, "/api/users", json=clerk), 403)
    assert one_entry(api, post(api, admin, "/api/users?comment=hired", json=clerk), 201) == (
        "admin", "create", "users", "clerk2")  # fmt: skip
    for change in ("unlock", "deactivate", "activate", "revoke"):
        none_written(api, post(api, Role.PLANNER, f"/api/users/clerk2/{change}"), 403)
        assert one_entry(api, post(api, admin, f"/api/users/clerk2/{change}"), 200) == (
            "admin", change, "users", "clerk2")  # fmt: skip
    none_written(api, post(api, admin, "/api/users/nobody/unlock"), 404)
    none_written(api, post(api, admin, "/api/users/admin/deactivate"), 422)


# -- the forms and pages that write ---------------------------------------------------------------------------


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    answer = api.client.post("/login", data={"username": role.value, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303


def csrf(api: Api, page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', api.client.get(page).text)
    assert found is not None, page
    return found.group(1)


def form(api: Api, page: str, path: str, fields: dict[str, Any]) -> Callable[[], Any]:
    data = {k: str(v) for k, v in fields.items()} | {"csrf_token": csrf(api, page)}
    return lambda: api.client.post(path, data=data, headers={"accept": "text/html"}, follow_redirects=False)


def test_each_household_and_return_form_writes_one_entry_naming_its_actor(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    fields = {k: v for k, v in HOUSEHOLD.items() if k != "consent_to_return"} | {"consent_to_return": "on"}
    new = "/forms/households/new"
    assert one_entry(api, form(api, new, new, fields), 303) == ("registrar", "create", "households", "hh-50")
    back = "/forms/households/hh-50/return"
    none_written(api, form(api, back, back, {"on": "2024-06-01", "version": 7}), 409)
    assert one_entry(api, form(api, back, back, {"on": "2024-06-01", "version": 1}), 303)[:2] == ("registrar", "update")
    events = "/forms/return-events/new"
    assert one_entry(api, form(api, events, events, EVENT), 303) == ("registrar", "create", "return_events", "ev-1")
    log_in(api, Role.VIEWER)
    none_written(api, lambda: api.client.post(new, data={"code": "x"}, headers={"accept": "text/html"}), 403)


def test_each_plan_page_write_makes_one_entry_naming_the_planner(api: Api) -> None:
    make_run(api, "base")
    log_in(api, Role.PLANNER)
    started = one_entry(api, form(api, "/plans", "/plans", {"code": "p2", "seconds": 1}), 303)
    assert started == ("planner", "create", "jobs", "p2")
    risk = one_entry(api, form(api, "/plans/base", "/plans/base/risk-runs", {"scenarios": 10}), 303)
    assert risk[:3] == ("planner", "create", "jobs")
    sweep = one_entry(api, form(api, "/plans/base", "/plans/base/sweeps", {"crews": "1, 2", "seconds": 1}), 303)
    assert sweep[:3] == ("planner", "create", "jobs")
    assert one_entry(api, form(api, "/jobs/p2", "/jobs/p2/cancel", {}), 303) == ("planner", "cancel", "jobs", "p2")
    log_in(api, Role.VIEWER)
    none_written(api, lambda: api.client.post("/plans", data={"code": "p3"}, headers={"accept": "text/html"}), 403)


# -- the command line's writes ----------------------------------------------------------------------------------


def command(*args: str, env: dict[str, str] | None = None) -> Callable[[], Any]:
    class Done:
        def __init__(self, exit_code: int, output: str) -> None:
            self.status_code, self.text = exit_code, output

    def run() -> Done:
        result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", "HOMECOMING_NEW_PASSWORD": "",
                                                          **(env or {})})  # fmt: skip
        return Done(result.exit_code, f"{result.output}\n{result.exception!r}")

    return run


def test_each_command_line_write_makes_one_entry_naming_the_as_account(
    api: Api, cli_database: str, tmp_path: Path
) -> None:
    csv = tmp_path / "households.csv"
    csv.write_text("code,origin_settlement_code,head_name,size,rooms_needed,registered_on\n"
                   "hh-70,aghdam-v,A,2,1,2024-01-01\n")  # fmt: skip
    none_written(api, command("--as", "planner", "import", "households", str(csv)), 1)
    made = one_entry(api, command("--as", "registrar", "import", "households", str(csv)), 0)
    assert made[:3] == ("registrar", "import", "households")
    none_written(api, command("--as", "viewer", "plan", "run", "--seconds", "1", "--code", "p4"), 1)
    made = one_entry(api, command("--as", "planner", "plan", "run", "--seconds", "1", "--code", "p4"), 0)
    assert made == ("planner", "create", "plan_runs", "p4")
    password = {"HOMECOMING_NEW_PASSWORD": "a-long-password"}
    none_written(api, command("admin", "create", "clerk3", "--role", "viewer", env=password), 1)
    assert one_entry(api, command("--as", "admin", "admin", "create", "clerk3", "--role", "viewer", env=password),
                     0) == ("admin", "create", "users", "clerk3")  # fmt: skip
    for change in ("unlock", "deactivate", "activate", "revoke", "password"):
        none_written(api, command("admin", change, "clerk3", env=password), 1)
        none_written(api, command("--as", "planner", "admin", change, "clerk3", env=password), 1)
        action = one_entry(api, command("--as", "admin", "admin", change, "clerk3", env=password), 0)
        assert action == ("admin", change, "users", "clerk3")
