"""Mine-action use-cases: surveying a hazard area, recording the land an activity releases, and recomputing what
the drawn hazards block, whichever door the change comes from (API, form, CLI).

Each checks the role and the district, makes the change and writes its audit entry in the caller's unit of work;
a refusal raises before anything is written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.mine_action import blocking, service
from homecoming.mine_action.models import HazardArea, LandReleaseActivity, hazard_area_blocked_projects
from homecoming.mine_action.schemas import ActivityCreate, HazardAreaCreate
from homecoming.territory import scope
from homecoming.works.models import Project

OFFICERS = (Role.MINE_ACTION_OFFICER,)
RELEASED = ("status", "remaining_area_m2")  # what land release changes on its hazard area, shown in the trail


def create_hazard_area(
    session: Session, actor: User | None, data: HazardAreaCreate, *, comment: str | None = None
) -> HazardArea:
    user = permissions.require_role(actor, *OFFICERS)
    scope.ensure_may_write(session, user, service.place_of_new_area(session, data))
    area = service.create_hazard_area(session, data)
    audit.record_change(session, user, "create", area, before=None, comment=comment)
    return area


def record_release(
    session: Session, actor: User | None, hazard_code: str, data: ActivityCreate, *, comment: str | None = None
) -> LandReleaseActivity:
    """Land released on a hazard area: one entry for the activity, holding the area's figures before and after."""
    user = permissions.require_role(actor, *OFFICERS)
    area = service.get_hazard_area(session, hazard_code)
    before = {name: audit.snapshot(area)[name] for name in RELEASED}
    activity = service.record_activity(session, hazard_code, data)
    after = {name: audit.snapshot(area)[name] for name in RELEASED}
    released = {"hazard_area": area.code, "before": before, "after": after}
    audit.record_change(session, user, "create", activity, before=None, comment=comment,
                        after={**audit.snapshot(activity), "hazard_area_change": released})  # fmt: skip
    return activity


def compute_blocks(session: Session, actor: User | None, *, comment: str | None = None) -> list[blocking.Blocks]:
    """Recompute what the drawn hazard areas block; one entry per hazard area whose answer changed."""
    user = permissions.require_role(actor, *OFFICERS)
    was = _blocked(session)
    results = blocking.compute_blocks(session)
    now = _blocked(session)
    for area in session.scalars(select(HazardArea).where(HazardArea.id.in_(was.keys() | now.keys()))):
        if was.get(area.id) != now.get(area.id):
            audit.record_change(session, user, "update", area, before=was.get(area.id), after=now.get(area.id),
                                comment=comment)  # fmt: skip
    return results


def _blocked(session: Session) -> dict[int, dict[str, Any]]:
    """What each hazard area blocks now: its settlement and its projects' codes."""
    table = hazard_area_blocked_projects
    projects: dict[int, list[str]] = {}
    rows = session.execute(
        select(table.c.hazard_area_id, Project.code)
        .join(Project, Project.id == table.c.project_id)
        .order_by(Project.code)
    )
    for area_id, code in rows:
        projects.setdefault(area_id, []).append(code)
    areas = session.execute(select(HazardArea.id, HazardArea.blocks_settlement_id))
    return {
        area_id: {"blocks_settlement_id": settlement_id, "blocked_projects": projects.get(area_id, [])}
        for area_id, settlement_id in areas
    }
