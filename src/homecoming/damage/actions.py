"""Damage register use-cases: recording a damaged object or a bulk count, attaching an object's photographs, and
turning the needs estimate into planned works, whichever door the change comes from (today the command line).

Each checks the role and the district, makes the change and writes its audit entry in the caller's unit of work;
a refusal raises before anything is written."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.damage import proposals, service
from homecoming.damage.models import DamageCount, DamagedObject
from homecoming.damage.needs import NeedsEstimate
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.db.crud import get_by_code
from homecoming.files import service as files
from homecoming.files.models import Attachment
from homecoming.files.store import FileStore
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.works import actions as works
from homecoming.works.models import Project

EDITORS = (Role.DATA_ENTRY, Role.PLANNER)  # data entry in its own district


def _editor_of(session: Session, actor: User | None, settlement_code: str) -> User:
    """The acting user, if an editor allowed to write in that settlement's district."""
    user = permissions.require_role(actor, *EDITORS)
    settlement = get_by_code(session, Settlement, settlement_code)
    scope.ensure_may_write(session, user, scope.Place(settlement.district_id, settlement.id))
    return user


def add_object(
    session: Session, actor: User | None, data: DamagedObjectCreate, *, comment: str | None = None
) -> DamagedObject:
    user = _editor_of(session, actor, data.settlement_code)
    record = service.add_object(session, data)
    audit.record_change(session, user, "create", record, before=None, comment=comment)
    return record


def set_count(
    session: Session, actor: User | None, data: DamageCountCreate, *, comment: str | None = None
) -> DamageCount:
    """Record (or replace) the bulk count of one kind at one level in one settlement, as a survey or report gives
    it: one entry, a create or an update holding the count before, filed under settlement/kind/level."""
    user = _editor_of(session, actor, data.settlement_code)
    existing = service.find_count(session, data)
    before = audit.snapshot(existing) if existing is not None else None
    count = service.set_count(session, data)
    action = "create" if before is None else "update"
    audit.record_change(session, user, action, count, before=before, comment=comment, code=service.count_code(data))
    return count


def attach_to_object(
    session: Session, actor: User | None, code: str, path: Path, *, caption: str | None = None,
    comment: str | None = None, store: FileStore | None = None,
) -> Attachment:  # fmt: skip
    """A photograph or document of a damaged object; the entry is filed under the object's code. `store`: the
    caller's file store (a server's), else the one the settings choose."""
    user = permissions.require_role(actor, *EDITORS)
    owner = service.get_object(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=owner.settlement_id))
    attachment = files.attach_to_object(session, code, path, caption=caption, store=store)
    audit.record_change(session, user, "create", attachment, before=None, comment=comment, code=owner.code)
    return attachment


def propose_works(
    session: Session, actor: User | None, estimate: NeedsEstimate, *, comment: str | None = None
) -> list[proposals.ProposedWork]:
    """Planned works from the needs estimate; one entry per project it creates or updates (none if unchanged)."""
    user = permissions.require_role(actor, *works.PLANNERS)
    codes = [proposals.project_code(line.settlement_code, line.sector) for line in estimate.lines if line.cost > 0]
    existing = session.scalars(select(Project).where(Project.code.in_(codes)))
    before = {project.code: audit.snapshot(project) for project in existing}
    proposed = proposals.propose_works(session, estimate)
    for work in proposed:
        if work.action in (proposals.Action.CREATED, proposals.Action.UPDATED):
            project = get_by_code(session, Project, work.project_code)
            action = "create" if work.action == proposals.Action.CREATED else "update"
            audit.record_change(session, user, action, project, before=before.get(project.code), comment=comment)
    return proposed
