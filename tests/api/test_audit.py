"""The audit trail: who, when, what before and after, why; append-only; readable and exportable by admins."""

from __future__ import annotations

import pytest
from api_support import Api
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.errors import RuleViolation


def test_create_update_delete_are_recorded_with_before_and_after(api: Api) -> None:
    planner = api.as_(Role.PLANNER)
    body = {"code": "fuzuli-clinic", "name": "Clinic", "sector": "health", "stage": 2, "settlement_code": "fuzuli-v"}
    assert api.client.post("/api/projects?comment=ministry+order+12", json=body, headers=planner).status_code == 201
    change = {"budget_amount": 750000, "version": 1, "comment": "tender result"}
    assert api.client.patch("/api/projects/fuzuli-clinic", json=change, headers=planner).status_code == 200
    gone = api.client.delete("/api/projects/fuzuli-clinic?version=2&comment=duplicate", headers=planner)
    assert gone.status_code == 204
    trail = api.client.get("/api/audit?record=fuzuli-clinic", headers=api.as_(Role.ADMIN)).json()
    assert trail["total"] == 3
    delete, update, create = trail["items"]
    assert (create["action"], create["username"], create["comment"], create["before"]) == (
        "create",
        "planner",
        "ministry order 12",
        None,
    )
    assert create["after"]["sector"] == "health"
    assert (update["before"]["budget_amount"], update["after"]["budget_amount"]) == (None, 750000.0)
    assert (update["after"]["version"], update["comment"]) == (2, "tender result")
    assert (delete["action"], delete["after"], delete["before"]["name"]) == ("delete", None, "Clinic")
    assert api.client.get("/api/projects/fuzuli-clinic").status_code == 404


def test_a_refused_change_leaves_no_audit_entry(api: Api) -> None:
    stale = api.client.patch(
        "/api/projects/fuzuli-road", json={"name": "x", "version": 7}, headers=api.as_(Role.PLANNER)
    )
    assert stale.status_code == 409
    assert api.client.get("/api/audit", headers=api.as_(Role.ADMIN)).json()["total"] == 0


def test_entries_cannot_be_changed_or_removed(api: Api) -> None:
    body = {"population_before": 1200, "version": 1}
    api.client.patch("/api/settlements/aghdam-v", json=body, headers=api.as_(Role.PLANNER))
    with Session(api.engine) as session:
        entry = session.scalars(select(AuditEntry)).one()
        entry.comment = "rewritten history"
        with pytest.raises(RuleViolation, match="append-only"):
            session.flush()
        session.rollback()
        session.delete(session.scalars(select(AuditEntry)).one())
        with pytest.raises(RuleViolation, match="append-only"):
            session.flush()


def test_audit_trail_exports_as_csv(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    api.client.post("/api/households/hh-01/return", json={"on": "2025-06-01", "version": 1}, headers=registrar)
    exported = api.client.get("/api/audit.csv", headers=api.as_(Role.ADMIN))
    assert exported.headers["content-type"].startswith("text/csv")
    header, row = exported.text.splitlines()
    assert header == "at,username,action,table_name,record_code,before,after,comment"
    assert ",registrar,update,households,hh-01," in row


def test_the_database_itself_refuses_to_change_the_trail(api: Api) -> None:
    body = {"population_before": 1300, "version": 1}
    api.client.patch("/api/settlements/aghdam-v", json=body, headers=api.as_(Role.PLANNER))
    for statement in ("UPDATE audit_entries SET comment = 'rewritten'", "DELETE FROM audit_entries"):
        with api.engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text(statement))
    with api.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 1
