"""A stored plan run read back for lists and pages: where each task is, its sector, and the filters on them.

A task names its settlement directly (houses, proposed works, a settlement's own works), through the hazard area it
clears, or not at all (district-wide works); its district comes from that settlement, the project or the hazard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from homecoming.mine_action.models import HazardArea
from homecoming.planning.models import PlanSettlement, PlanTask
from homecoming.territory.models import Settlement
from homecoming.works.models import Project, Sector


def task_settlement_id() -> ColumnElement[Any]:
    # Correlated to the task row however deep it is nested (task_district_id nests it in a settlements subquery,
    # where implicit correlation would add plan_tasks to its FROM: every task, one row per clearance).
    hazard = select(HazardArea.blocks_settlement_id).where(HazardArea.id == PlanTask.hazard_area_id).correlate(PlanTask)
    return func.coalesce(PlanTask.settlement_id, hazard.scalar_subquery())


def task_district_id() -> ColumnElement[Any]:
    return func.coalesce(
        select(Settlement.district_id).where(Settlement.id == task_settlement_id()).scalar_subquery(),
        select(Project.district_id).where(Project.id == PlanTask.project_id).scalar_subquery(),
        select(HazardArea.district_id).where(HazardArea.id == PlanTask.hazard_area_id).scalar_subquery(),
    )


def in_sector(sector: Sector) -> ColumnElement[bool]:
    """Works of a project in the sector, or a proposed work of it (houses count as housing)."""
    suffix = "houses" if sector == Sector.HOUSING else sector.value
    matches = or_(
        PlanTask.project_id.in_(select(Project.id).where(Project.sector == sector)),
        and_(PlanTask.kind == "proposed", PlanTask.task.like(f"proposed:%:{suffix}")),
    )
    return or_(matches, PlanTask.kind == "houses") if sector == Sector.HOUSING else matches


def task_query(
    run_id: int, *, district_id: int | None = None, settlement_id: int | None = None, kind: str | None = None,
    sector: Sector | None = None,
) -> Select[Any]:  # fmt: skip
    query = select(PlanTask).where(PlanTask.plan_run_id == run_id)
    if district_id is not None:
        query = query.where(task_district_id() == district_id)
    if settlement_id is not None:
        query = query.where(task_settlement_id() == settlement_id)
    if kind is not None:
        query = query.where(PlanTask.kind == kind)
    if sector is not None:
        query = query.where(in_sector(sector))
    return query


def settlement_query(run_id: int, *, district_id: int | None = None, settlement_id: int | None = None) -> Select[Any]:
    query = select(PlanSettlement).where(PlanSettlement.plan_run_id == run_id)
    if district_id is not None:
        in_district = select(Settlement.id).where(Settlement.district_id == district_id)
        query = query.where(PlanSettlement.settlement_id.in_(in_district))
    if settlement_id is not None:
        query = query.where(PlanSettlement.settlement_id == settlement_id)
    return query


@dataclass(frozen=True)
class Place:
    settlement_id: int | None
    district_id: int | None
    sector: str | None


def places(session: Session, tasks: Iterable[PlanTask]) -> dict[int, Place]:
    """Where each task is and its sector, by task row id (one query for the lot)."""
    tasks = list(tasks)
    if not tasks:
        return {}
    query = select(PlanTask.id, task_settlement_id(), task_district_id()).where(
        PlanTask.plan_run_id == tasks[0].plan_run_id
    )
    if len(tasks) <= 500:  # one page of a list; a whole run (the Gantt) is read without a long IN list
        query = query.where(PlanTask.id.in_([t.id for t in tasks]))
    where = {i: (s, d) for i, s, d in session.execute(query)}
    project_ids = {t.project_id for t in tasks if t.project_id is not None}
    sectors = {i: s for i, s in session.execute(select(Project.id, Project.sector).where(Project.id.in_(project_ids)))}
    return {t.id: Place(*where[t.id], sector_of(t, sectors)) for t in tasks}


def sector_of(task: PlanTask, project_sectors: dict[int, Sector]) -> str | None:
    if task.project_id is not None:
        sector = project_sectors.get(task.project_id)
        return None if sector is None else str(sector)
    if task.kind == "houses":
        return Sector.HOUSING.value
    if task.kind == "proposed":
        last = task.task.rsplit(":", 1)[-1]
        return Sector.HOUSING.value if last == "houses" else last
    return None  # a clearance: demining, not a works sector
