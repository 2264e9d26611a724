"""The works registry's use-cases: every change of a project, whichever door it comes from (API, form, CLI), and
the one rule of which works serve a settlement.

Each write checks the role, the district, the version, changes the project and writes one audit entry, in the
caller's unit of work; a refusal raises before anything is written."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import holding
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.versions import check_version
from homecoming.works import read_models, service
from homecoming.works.models import Project, ProjectStatus, Sector
from homecoming.works.schemas import ProgressReport, ProjectCreate, ProjectUpdate

EDITORS = (Role.DATA_ENTRY, Role.PLANNER)  # data entry in its own district
PLANNERS = (Role.PLANNER,)  # removing a project entered by mistake


def create_project(session: Session, actor: User | None, data: ProjectCreate, *, comment: str | None = None) -> Project:
    user = permissions.require_role(actor, *EDITORS)
    scope.ensure_may_write(session, user, service.place_of_new_project(session, data))
    project = service.create_project(session, data)
    audit.record_change(session, user, "create", project, before=None, comment=comment)
    return project


def update_project(
    session: Session, actor: User | None, code: str, data: ProjectUpdate, *, version: int, comment: str | None = None
) -> Project:
    """Correct a project; `data` may be the door's whole change (its version and reason are not fields)."""
    user, project = _changeable(session, actor, code, version, EDITORS)
    changes = ProjectUpdate(**data.model_dump(exclude_unset=True, exclude={"version", "comment"}))
    moved = service.place_after(session, project, changes)
    if moved is not None:  # a move is checked on both places, the one it leaves (above) and the one it goes to
        scope.ensure_may_write(session, user, moved)
    before = audit.snapshot(project)
    service.update_project(session, code, changes)
    audit.record_change(session, user, "update", project, before=before, comment=comment)
    return project


def report_progress(
    session: Session, actor: User | None, code: str, report: ProgressReport, *, version: int,
    comment: str | None = None,
) -> Project:  # fmt: skip
    user, project = _changeable(session, actor, code, version, EDITORS)
    before = audit.snapshot(project)
    service.report_progress(session, code, ProgressReport(progress_pct=report.progress_pct, on=report.on))
    audit.record_change(session, user, "update", project, before=before, comment=comment)
    return project


def delete_project(
    session: Session, actor: User | None, code: str, *, version: int, comment: str | None = None
) -> None:
    user, project = _changeable(session, actor, code, version, PLANNERS)
    before = audit.snapshot(project)
    service.delete_project(session, code)
    audit.record_change(session, user, "delete", project, before=before, comment=comment)


def place_of(session: Session, code: str) -> scope.Place:
    """Where a project is now (a form checks it before showing the project to change)."""
    return service.place_of_project(service.get_project(session, code))


def projects_serving(
    session: Session, settlement: Settlement, *, sector: Sector | str | None = None, by_start: bool = False
) -> list[Project]:
    """The works that serve a settlement: those in it, and those of its whole district (no settlement named).

    The one rule the planner, the readiness verdict and the settlement's page all ask; it is the same for every
    reader (the registry of works is public). By code, or `by_start` in the order they start (then by code)."""
    serving = or_(
        Project.settlement_id == settlement.id,
        Project.settlement_id.is_(None) & (Project.district_id == settlement.district_id),
    )
    query = select(Project).where(serving)
    if sector is not None:
        query = query.where(Project.sector == sector)
    order = (Project.planned_start, Project.code) if by_start else (Project.code,)
    return list(session.scalars(query.order_by(*order)))


def changeable_projects(
    _session: Session, actor: User, like: str | None, district_id: int | None, status: ProjectStatus | None
) -> Select[Project]:
    """The projects whose code or name holds `like`, in a district and a status (each when given), that the actor may
    change: a data_entry account's are those of its own district (placed in it, or in one of its settlements)."""
    query = read_models.projects_listed(district_id, None, status, None)
    if like:
        query = query.where(holding(like, Project.code, Project.name))
    if actor.role == Role.DATA_ENTRY:
        query = query.where(service.in_district(actor.district_id))
    return query


def _changeable(
    session: Session, actor: User | None, code: str, version: int, roles: tuple[Role, ...]
) -> tuple[User, Project]:
    """The actor and the project, if the actor's role and district may change it and it is still at the version read."""
    user = permissions.require_role(actor, *roles)
    project = service.get_project(session, code)
    scope.ensure_may_write(session, user, service.place_of_project(project))
    check_version(project, version)
    return user, project
