"""What the lists and pages read of mine action: the statements a list pages through (the door pages and sorts them)
and a hazard area's release record (its activities, their operators and inspections)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, extract, select
from sqlalchemy.orm import Session

from homecoming.db.crud import holding, where_equal
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
    return where_equal(
        query,
        (HazardArea.district_id, district_id),
        (HazardArea.blocks_settlement_id, settlement_id),
        (HazardArea.status, status),
        (HazardArea.classification, classification),
    )


def hazard_area_codes(session: Session) -> list[str]:
    """Every hazard area's code, in order (the accident form's choices)."""
    return list(session.scalars(select(HazardArea.code).order_by(HazardArea.code)))


def accidents_listed(
    visible: Select[tuple[MineAccident]],
    district_id: int | None,
    year: int | None,
    device_type: DeviceType | None,
) -> Select[tuple[MineAccident]]:
    """The accidents a reader may list (`mine_action.actions.visible_accidents`), in a district, a year and of a
    device type when given."""
    given = (MineAccident.district_id, district_id), (MineAccident.device_type, device_type)
    query = where_equal(visible, *given)
    return query if year is None else query.where(extract("year", MineAccident.occurred_on) == year)


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
