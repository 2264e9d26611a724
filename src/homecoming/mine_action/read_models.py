"""What the lists and pages read of mine action: the statements a list pages through (the door pages and sorts them)
and a hazard area's release record (its activities, their operators and inspections)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, extract, select
from sqlalchemy.orm import Session

from homecoming.db.crud import holding
from homecoming.mine_action import service
from homecoming.mine_action.models import (
    DeviceType,
    HazardArea,
    HazardClassification,
    HazardStatus,
    LandReleaseActivity,
    MineAccident,
    Operator,
    QualityInspection,
)


def hazard_areas_listed(
    district_id: int | None,
    settlement_id: int | None,
    status: HazardStatus | None,
    classification: HazardClassification | None,
    like: str | None = None,
) -> Select[HazardArea]:
    """The hazard areas in a district, blocking a settlement, in a status, of a classification and whose code holds
    `like`, each when given."""
    query = select(HazardArea)
    if like:
        query = query.where(holding(like, HazardArea.code))
    if district_id is not None:
        query = query.where(HazardArea.district_id == district_id)
    if settlement_id is not None:
        query = query.where(HazardArea.blocks_settlement_id == settlement_id)
    if status is not None:
        query = query.where(HazardArea.status == status)
    if classification is not None:
        query = query.where(HazardArea.classification == classification)
    return query


def accidents_listed(
    visible: Select[tuple[MineAccident]],
    district_id: int | None,
    year: int | None,
    device_type: DeviceType | None,
) -> Select[tuple[MineAccident]]:
    """The accidents a reader may list (`mine_action.actions.visible_accidents`), in a district, a year and of a
    device type when given."""
    query = visible
    if district_id is not None:
        query = query.where(MineAccident.district_id == district_id)
    if year is not None:
        query = query.where(extract("year", MineAccident.occurred_on) == year)
    if device_type is not None:
        query = query.where(MineAccident.device_type == device_type)
    return query


@dataclass(frozen=True)
class Inspected:
    inspection: QualityInspection
    inspector: Operator


@dataclass(frozen=True)
class ReleaseRecord:
    """One activity on a hazard area: who did it, how it was inspected, and whether its land counts as released
    (an ongoing or completed activity whose latest inspection did not fail)."""

    activity: LandReleaseActivity
    operator: Operator | None
    inspections: list[Inspected]
    failed_inspection: bool
    counted: bool


def release_record(session: Session, area: HazardArea) -> list[ReleaseRecord]:
    """The activities of a hazard area, by start date then code, with their operators and inspections."""
    activities = list(
        session.scalars(
            select(LandReleaseActivity)
            .where(LandReleaseActivity.hazard_area_id == area.id)
            .order_by(LandReleaseActivity.start_date, LandReleaseActivity.code)
        )
    )
    operators = {o.id: o for o in session.scalars(select(Operator))}
    inspections: dict[int, list[Inspected]] = defaultdict(list)
    query = (
        select(QualityInspection)
        .where(QualityInspection.activity_id.in_([a.id for a in activities]))
        .order_by(QualityInspection.inspected_on, QualityInspection.id)
    )
    for inspection in session.scalars(query):
        inspections[inspection.activity_id].append(Inspected(inspection, operators[inspection.inspector_id]))
    failed = service.failed_activities(session, area.id)
    return [
        ReleaseRecord(
            activity=a,
            operator=operators.get(a.operator_id) if a.operator_id is not None else None,
            inspections=inspections[a.id],
            failed_inspection=a.id in failed,
            counted=a.status in service.COUNTED and a.id not in failed,
        )
        for a in activities
    ]


def operators_listed() -> Select[tuple[Operator]]:
    return select(Operator)
