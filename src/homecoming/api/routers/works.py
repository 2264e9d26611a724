"""Works projects: public to read; planners and data entry (own district) create, correct, report progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import Comment, DbSession, PublicUnit, Requires, public
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of, showing_current
from homecoming.http.schemas import ProjectOut, build
from homecoming.territory.models import District, Settlement
from homecoming.works import actions, read_models, service
from homecoming.works.models import Project, ProjectStatus, Sector
from homecoming.works.schemas import ProgressChange, ProjectChange, ProjectCreate

router = APIRouter(prefix="/api", tags=["works"])
Editor = Annotated[User, Depends(Requires(*actions.EDITORS))]
Planner = Annotated[User, Depends(Requires(*actions.PLANNERS))]
SORTABLE = ("code", "name", "sector", "stage", "status", "progress_pct", "budget_amount", "planned_start")


def project_out(codes: Codes, project: Project) -> ProjectOut:
    return build(
        ProjectOut,
        project,
        district_code=codes.district(project.district_id),
        settlement_code=codes.settlement(project.settlement_id),
    )


@router.get("/projects", dependencies=[Depends(public)], response_model=Page[ProjectOut])
async def list_projects(
    unit: PublicUnit,
    paging: PagingDep,
    district: str | None = None,
    settlement: str | None = None,
    status: ProjectStatus | None = None,
    sector: Sector | None = None,
) -> Response:
    def page(session: Session, _user: User | None) -> Page[ProjectOut]:
        district_id = id_for(session, District, district, "district")
        settlement_id = id_for(session, Settlement, settlement, "settlement")
        query = read_models.projects_listed(district_id, settlement_id, status, sector)
        total, rows = page_of(session, query, Project, SORTABLE, paging)
        codes = Codes(session)
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[project_out(codes, p) for p in rows])

    return await unit.kept(page)


@router.get("/projects/{code}", dependencies=[Depends(public)])
def get_project(session: DbSession, code: str) -> ProjectOut:
    return project_out(Codes(session), service.get_project(session, code))


@router.post("/projects", status_code=status.HTTP_201_CREATED)
def create_project(session: DbSession, user: Editor, data: ProjectCreate, comment: Comment = None) -> ProjectOut:
    return project_out(Codes(session), actions.create_project(session, user, data, comment=comment))


@router.patch("/projects/{code}")
def update_project(session: DbSession, user: Editor, code: str, data: ProjectChange) -> ProjectOut:
    with showing_current(lambda project: project_out(Codes(session), project)):
        project = actions.update_project(session, user, code, data, version=data.version, comment=data.comment)
    return project_out(Codes(session), project)


@router.post("/projects/{code}/progress")
def report_progress(session: DbSession, user: Editor, code: str, data: ProgressChange) -> ProjectOut:
    with showing_current(lambda project: project_out(Codes(session), project)):
        project = actions.report_progress(session, user, code, data, version=data.version, comment=data.comment)
    return project_out(Codes(session), project)


@router.delete("/projects/{code}", status_code=status.HTTP_204_NO_CONTENT)
def delete_project(
    session: DbSession, user: Planner, code: str, version: Annotated[int, Query(ge=1)], comment: Comment = None
) -> None:
    with showing_current(lambda project: project_out(Codes(session), project)):
        actions.delete_project(session, user, code, version=version, comment=comment)
