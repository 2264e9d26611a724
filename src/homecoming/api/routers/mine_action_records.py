"""Mine accidents and victims (officers and staff; personal data to officers only), the public's casualty counts,
operators, and QA/QC inspections of released land."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import Comment, DbSession, Requires, optional_user, public, server_now
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of
from homecoming.mine_action import actions, read_models, service
from homecoming.mine_action.actions import AccidentSeen, VictimSeen
from homecoming.mine_action.casualties import Casualties, Cell, YearRow
from homecoming.mine_action.models import (
    AccidentActivity,
    DeviceType,
    InspectionKind,
    InspectionResult,
    MineAccident,
    Operator,
    OperatorKind,
)
from homecoming.mine_action.schemas import AccidentCreate, InspectionCreate, OperatorCreate
from homecoming.territory.models import District

router = APIRouter(tags=["mine action"])
SORTABLE = ("code", "occurred_on", "device_type", "activity")


class VictimOut(BaseModel):
    number: int
    age_group: str
    sex: str
    kind: str
    outcome: str
    name: str | None  # personal data: None unless the reader is a mine-action officer
    birth_date: dt.date | None
    note: str | None


class AccidentOut(BaseModel):
    code: str
    occurred_on: dt.date
    district_code: str | None
    settlement_code: str | None
    lat: float | None
    lon: float | None
    device_type: DeviceType
    activity: AccidentActivity
    hazard_area_code: str | None
    description: str | None  # free text: personal data
    killed: int
    injured: int
    victims: list[VictimOut]
    personal_data_shown: bool


def accident_out(codes: Codes, session: Session, seen: AccidentSeen) -> AccidentOut:
    return AccidentOut(
        code=seen.code,
        occurred_on=seen.occurred_on,
        district_code=codes.district(seen.district_id),
        settlement_code=codes.settlement(seen.settlement_id),
        lat=seen.lat,
        lon=seen.lon,
        device_type=seen.device_type,
        activity=seen.activity,
        hazard_area_code=service.hazard_area_code(session, seen.hazard_area_id),
        description=seen.description,
        killed=seen.killed,
        injured=seen.injured,
        victims=[_victim(v) for v in seen.victims],
        personal_data_shown=seen.personal_data_shown,
    )


def _victim(v: VictimSeen) -> VictimOut:
    return VictimOut(number=v.number, age_group=v.age_group.value, sex=v.sex.value, kind=v.kind.value,
                     outcome=v.outcome.value, name=v.name, birth_date=v.birth_date, note=v.note)  # fmt: skip


@router.get("/api/mine-accidents", response_model=Page[AccidentOut])
def list_accidents(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.READERS))],
    paging: PagingDep,
    district: str | None = None,
    year: Annotated[int | None, Query(ge=1988, le=2100, description="the year of the accident")] = None,
    device_type: DeviceType | None = None,
) -> Page[AccidentOut]:
    query = read_models.accidents_listed(
        actions.visible_accidents(user), id_for(session, District, district, "district"), year, device_type
    )
    total, rows = page_of(session, query, MineAccident, SORTABLE, paging)
    codes = Codes(session)
    items = [accident_out(codes, session, seen) for seen in actions.seen_accidents(session, user, rows)]
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)


@router.get("/api/mine-accidents/{code}")
def get_accident(
    session: DbSession, user: Annotated[User, Depends(Requires(*actions.READERS))], code: str
) -> AccidentOut:
    return accident_out(Codes(session), session, actions.visible_accident(session, user, code))


@router.post("/api/mine-accidents", status_code=status.HTTP_201_CREATED)
def record_accident(
    request: Request,
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.RECORDERS))],
    data: AccidentCreate,
    comment: Comment = None,
) -> AccidentOut:
    seen = actions.record_accident(session, user, data, now=server_now(request), comment=comment)
    return accident_out(Codes(session), session, seen)


class CellOut(BaseModel):
    value: int | None  # None: withheld
    small: bool  # withheld for being small (shown as <threshold), not as a complement


class YearOut(BaseModel):
    year: int | None  # None: all years
    killed: CellOut
    injured: CellOut
    total: CellOut


class ReportedOut(BaseModel):
    since: dt.date
    as_of: str
    killed: int | None
    injured: int | None
    total: int
    note: str | None
    source_url: str | None
    added_total: int | None  # since the report before it (same start date)


class CasualtiesOut(BaseModel):
    reported: list[ReportedOut]
    recorded_by_year: list[YearOut]
    recorded_total: YearOut | None
    exact: bool


def _cell(cell: Cell) -> CellOut:
    return CellOut(value=cell.value, small=cell.small)


def _year(row: YearRow) -> YearOut:
    return YearOut(year=row.year, killed=_cell(row.killed), injured=_cell(row.injured), total=_cell(row.total))


def casualties_out(figures: Casualties) -> CasualtiesOut:
    reported = [
        ReportedOut(since=r.figure.since, as_of=r.figure.as_of, killed=r.figure.killed, injured=r.figure.injured,
                    total=r.figure.total, note=r.figure.note, source_url=r.figure.source_url, added_total=r.added_total)
        for r in figures.reported
    ]  # fmt: skip
    total = _year(figures.recorded_total) if figures.recorded_total else None
    return CasualtiesOut(reported=reported, recorded_by_year=[_year(r) for r in figures.recorded],
                         recorded_total=total, exact=figures.exact)  # fmt: skip


@router.get("/api/mine-casualties", dependencies=[Depends(public)])
def casualties(
    request: Request, session: DbSession, user: Annotated[User | None, Depends(optional_user)]
) -> CasualtiesOut:
    """Reported national figures with their sources, and recorded victims per year (small counts withheld)."""
    threshold = int(request.app.state.settings.small_count_threshold)
    return casualties_out(actions.visible_casualties(session, user, threshold))


class OperatorOut(BaseModel):
    code: str
    name: str
    kind: OperatorKind
    country: str
    source_url: str | None


def operator_out(operator: Operator) -> OperatorOut:
    return OperatorOut(code=operator.code, name=operator.name, kind=operator.kind, country=operator.country,
                       source_url=operator.source_url)  # fmt: skip


@router.get("/api/mine-action-operators", dependencies=[Depends(public)], response_model=Page[OperatorOut])
def list_operators(session: DbSession, paging: PagingDep) -> Page[OperatorOut]:
    total, rows = page_of(
        session, read_models.operators_listed(), Operator, ("code", "name", "kind", "country"), paging
    )
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=[operator_out(o) for o in rows])


@router.post("/api/mine-action-operators", status_code=status.HTTP_201_CREATED)
def create_operator(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.OFFICERS))],
    data: OperatorCreate,
    comment: Comment = None,
) -> OperatorOut:
    return operator_out(actions.create_operator(session, user, data, comment=comment))


class InspectionOut(BaseModel):
    code: str
    activity_code: str
    kind: InspectionKind
    inspected_on: dt.date
    inspector_code: str
    result: InspectionResult
    findings: str | None
    hazard_area_code: str
    hazard_area_remaining_m2: float  # after the inspection: a failure puts the activity's land back
    hazard_area_status: str


@router.post("/api/land-release-activities/{code}/inspections", status_code=status.HTTP_201_CREATED)
def record_inspection(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.OFFICERS))],
    code: str,
    data: InspectionCreate,
    comment: Comment = None,
) -> InspectionOut:
    inspection = actions.record_inspection(session, user, code, data, comment=comment)
    area = service.hazard_area_of_activity(session, code)
    return InspectionOut(
        code=inspection.code, activity_code=code, kind=inspection.kind, inspected_on=inspection.inspected_on,
        inspector_code=data.inspector_code, result=inspection.result, findings=inspection.findings,
        hazard_area_code=area.code, hazard_area_remaining_m2=area.remaining_area_m2,
        hazard_area_status=area.status.value,
    )  # fmt: skip


class InspectedOut(BaseModel):
    code: str
    kind: InspectionKind
    inspected_on: dt.date
    inspector_code: str
    result: InspectionResult
    findings: str | None


class ActivityOut(BaseModel):
    code: str
    kind: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    operator_code: str | None
    team: str | None
    inspections: list[InspectedOut]
    failed_inspection: bool  # its latest inspection failed: its land does not count as released
    counted: bool  # its land counts as released


@router.get("/api/hazard-areas/{code}/activities", dependencies=[Depends(public)])
def hazard_area_activities(session: DbSession, code: str) -> list[ActivityOut]:
    """Who surveyed or cleared the area, and how the released land was inspected."""
    records = read_models.release_record(session, service.get_hazard_area(session, code))
    return [
        ActivityOut(
            code=r.activity.code, kind=r.activity.kind.value, status=r.activity.status.value,
            start_date=r.activity.start_date, end_date=r.activity.end_date, cancelled_m2=r.activity.cancelled_m2,
            reduced_m2=r.activity.reduced_m2, cleared_m2=r.activity.cleared_m2,
            operator_code=r.operator.code if r.operator else None, team=r.activity.team,
            inspections=[
                InspectedOut(code=i.inspection.code, kind=i.inspection.kind, inspected_on=i.inspection.inspected_on,
                             inspector_code=i.inspector.code, result=i.inspection.result,
                             findings=i.inspection.findings)
                for i in r.inspections
            ],
            failed_inspection=r.failed_inspection, counted=r.counted,
        )
        for r in records
    ]  # fmt: skip
