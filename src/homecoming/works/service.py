"""Projects, the order they must be done in, their progress, and the housing they deliver."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, apply_changes, get_by_code
from homecoming.errors import Conflict, RuleViolation
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectDependency, ProjectStatus
from homecoming.works.schemas import HousingStockCreate, ProgressReport, ProjectCreate, ProjectUpdate


def create_project(session: Session, data: ProjectCreate) -> Project:
    """A new project; its settlement lies in its district (who may write there: `works.actions`)."""
    place = place_of_new_project(session, data)
    fields = data.model_dump(exclude={"district_code", "settlement_code"})
    project = Project(district_id=place.district_id, settlement_id=place.settlement_id, progress_pct=0.0, **fields)
    return add_unique(session, project)


def get_project(session: Session, code: str) -> Project:
    return get_by_code(session, Project, code)


def place_of_project(project: Project) -> scope.Place:
    return scope.Place(project.district_id, project.settlement_id)


def place_of_new_project(session: Session, data: ProjectCreate) -> scope.Place:
    return scope.place_of(session, data.district_code, data.settlement_code)


def place_after(session: Session, project: Project, data: ProjectUpdate) -> scope.Place | None:
    """Where a change moves the project (None if it stays), checked to be consistent."""
    return scope.moved(session, place_of_project(project), data.model_dump(exclude_unset=True))


def in_district(district_id: int | None) -> ColumnElement[bool]:
    """A project is in a district when it is placed in it, or in one of its settlements."""
    in_settlements = select(Settlement.id).where(Settlement.district_id == district_id)
    return or_(Project.district_id == district_id, Project.settlement_id.in_(in_settlements))


def add_dependency(session: Session, predecessor_code: str, successor_code: str) -> ProjectDependency:
    """`successor` waits for `predecessor`; refuses a link that would close a cycle, naming the cycle."""
    before, after = get_project(session, predecessor_code), get_project(session, successor_code)
    if before.id == after.id:
        raise RuleViolation("works.dependency_cycle", f"{before.code} cannot wait for itself", {"cycle": [before.code]})
    path = _path(session, after.id, before.id)
    if path is not None:
        names = [session.get_one(Project, i).code for i in path]
        cycle = [*names, after.code]
        raise RuleViolation(
            "works.dependency_cycle",
            f"{after.code} already leads to {before.code}, so this link would close the cycle {' -> '.join(cycle)}",
            {"cycle": cycle},
        )
    existing = session.scalars(
        select(ProjectDependency).where(
            ProjectDependency.predecessor_id == before.id, ProjectDependency.successor_id == after.id
        )
    ).one_or_none()
    if existing is not None:
        return existing
    link = ProjectDependency(predecessor_id=before.id, successor_id=after.id)
    session.add(link)
    session.flush()
    return link


def _path(session: Session, start: int, goal: int) -> list[int] | None:
    """Project ids along dependency links from `start` to `goal`, if any (depth-first, iterative)."""
    successors: dict[int, list[int]] = {}
    for pred, succ in session.execute(select(ProjectDependency.predecessor_id, ProjectDependency.successor_id)):
        successors.setdefault(pred, []).append(succ)
    parent: dict[int, int | None] = {start: None}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            path = [node]
            while (up := parent[path[-1]]) is not None:
                path.append(up)
            return path[::-1]
        for nxt in successors.get(node, []):
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)
    return None


def predecessors(session: Session, code: str) -> list[Project]:
    project = get_project(session, code)
    query = (
        select(Project)
        .join(ProjectDependency, ProjectDependency.predecessor_id == Project.id)
        .where(ProjectDependency.successor_id == project.id)
        .order_by(Project.code)
    )
    return list(session.scalars(query))


def report_progress(session: Session, code: str, report: ProgressReport) -> Project:
    """Record progress; work cannot start before its predecessors are complete, and 100% completes it."""
    project = get_project(session, code)
    if project.status in {ProjectStatus.CANCELLED, ProjectStatus.COMPLETED}:
        raise RuleViolation("works.project_closed", f"{code} is {project.status}; its progress can no longer change")
    if report.progress_pct < project.progress_pct:
        raise RuleViolation(
            "works.progress_backwards",
            f"{code} is at {project.progress_pct:g}%; a report of {report.progress_pct:g}% would go backwards",
        )
    waiting = [p.code for p in predecessors(session, code) if p.status != ProjectStatus.COMPLETED]
    if report.progress_pct > 0 and waiting:
        raise RuleViolation(
            "works.predecessor_not_complete",
            f"{code} cannot progress before {', '.join(waiting)} complete",
            {"waiting_for": waiting},
        )
    if report.progress_pct > 0 and project.actual_start is None:
        project.actual_start = report.on
    project.progress_pct = report.progress_pct
    if report.progress_pct >= 100:
        project.status, project.actual_end = ProjectStatus.COMPLETED, report.on
    elif report.progress_pct > 0:
        project.status = ProjectStatus.IN_PROGRESS
    session.flush()
    return project


def add_housing(session: Session, data: HousingStockCreate) -> HousingStock:
    fields = data.model_dump(exclude={"settlement_code"})
    return add_unique(
        session, HousingStock(settlement_id=get_by_code(session, Settlement, data.settlement_code).id, **fields)
    )


def housing_units_by_status(session: Session, settlement_code: str) -> dict[HousingStatus, int]:
    settlement = get_by_code(session, Settlement, settlement_code)
    rows = session.execute(
        select(HousingStock.status, func.sum(HousingStock.units))
        .where(HousingStock.settlement_id == settlement.id)
        .group_by(HousingStock.status)
    )
    return {HousingStatus(status): int(units) for status, units in rows}


def update_project(session: Session, code: str, data: ProjectUpdate) -> Project:
    """Correct a project; a move is checked to be consistent (who may move it where: `works.actions`)."""
    project = get_project(session, code)
    moved = place_after(session, project, data)
    if moved is not None:
        project.district_id, project.settlement_id = moved.district_id, moved.settlement_id
    apply_changes(project, data.model_dump(exclude_unset=True, exclude={"district_code", "settlement_code"}))
    if project.planned_start and project.planned_end and project.planned_end < project.planned_start:
        raise RuleViolation(
            "works.dates_out_of_order",
            f"{code}: planned_end {project.planned_end} is before planned_start {project.planned_start}",
        )
    session.flush()
    return project


def delete_project(session: Session, code: str) -> None:
    """Remove a project entered by mistake; refused while other records (tenders, sites, ...) still refer to it."""
    project = get_project(session, code)
    session.delete(project)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("projects.in_use", f"{code} is referred to by other records; remove those links first") from exc


def housing_units_total_by_status(session: Session) -> dict[str, int]:
    """Housing units of the whole programme per status (statuses with no units are left out)."""
    rows = session.execute(select(HousingStock.status, func.sum(HousingStock.units)).group_by(HousingStock.status))
    return {str(status): int(units) for status, units in rows}
