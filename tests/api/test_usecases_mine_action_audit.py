"""Issue 22's mine-action writes (accidents, operators, QA/QC inspections) each leave exactly one audit entry naming
who made it; a refused one (wrong role, other district, bad input) leaves none. Both engines."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_mine_accidents_api import accident
from test_mine_action_quality_api import cleared, inspection, operator

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry

COVERED_ROUTES = {
    ("POST", "/api/mine-accidents"),
    ("POST", "/api/mine-action-operators"),
    ("POST", "/api/land-release-activities/{code}/inspections"),
}
INSPECT = "/api/land-release-activities/clr-1/inspections"
OFFICER, CLERK = Role.MINE_ACTION_OFFICER, Role.DATA_ENTRY
# (role, url, body, table, record): a good write of each covered route
GOOD = [
    (OFFICER, "/api/mine-accidents", accident(), "mine_accidents", "acc-1"),
    (CLERK, "/api/mine-accidents", accident(), "mine_accidents", "acc-1"),
    (OFFICER, "/api/mine-action-operators", operator("halo", "ngo", "GB"), "mine_action_operators", "halo"),
    (OFFICER, INSPECT, inspection("qc-1", "failed", "2025-07-10"), "quality_inspections", "qc-1"),
]
# (role, url, body, status)
REFUSED = [
    (Role.VIEWER, "/api/mine-accidents", accident(), 403),
    (CLERK, "/api/mine-accidents", accident(settlement_code="fuzuli-v", hazard_area_code=None), 403),
    (OFFICER, "/api/mine-accidents", accident(occurred_on="2099-01-01"), 422),
    (CLERK, "/api/mine-action-operators", operator("halo", "ngo", "GB"), 403),
    (OFFICER, "/api/mine-action-operators", operator("anama", "ngo"), 409),
    (Role.PLANNER, INSPECT, inspection("qc-1", "failed", "2025-07-10"), 403),
    (OFFICER, INSPECT, inspection("qc-1", "passed", "2025-07-10", "safe-ground"), 422),
]


def entries_after(api: Api, mark: int) -> list[tuple[str, str, str]]:
    with Session(api.engine) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.id > mark).order_by(AuditEntry.id))
        return [(e.username, e.table_name, e.record_code) for e in rows]


def last_id(api: Api) -> int:
    with Session(api.engine) as session:
        return max(session.scalars(select(AuditEntry.id)), default=0)


@pytest.mark.parametrize(("role", "url", "body", "table", "record"), GOOD, ids=[f"{c[0]} {c[3]}" for c in GOOD])
def test_each_mine_action_write_leaves_one_entry_naming_its_actor(
    api: Api, role: Role, url: str, body: dict[str, Any], table: str, record: str
) -> None:
    cleared(api)  # operators anama and safe-ground, and the clearance clr-1 an inspection needs
    mark = last_id(api)
    answer = api.client.post(url, json=body, headers=api.as_(role))
    assert answer.status_code == 201, answer.text
    assert entries_after(api, mark) == [(role.value, table, record)]


@pytest.mark.parametrize(("role", "url", "body", "status"), REFUSED, ids=[str(i) for i in range(len(REFUSED))])
def test_each_refused_mine_action_write_leaves_no_entry(
    api: Api, role: Role, url: str, body: dict[str, Any], status: int
) -> None:
    cleared(api)
    mark = last_id(api)
    assert api.client.post(url, json=body, headers=api.as_(role)).status_code == status
    assert entries_after(api, mark) == []
