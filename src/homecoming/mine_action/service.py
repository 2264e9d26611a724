"""Hazard areas and land release. Invariant: estimated = cancelled + reduced + cleared + remaining."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming import geo
from homecoming.db.crud import add_unique, apply_changes, get_by_code
from homecoming.errors import RuleViolation
from homecoming.mine_action.models import (
    ActivityKind,
    ActivityStatus,
    ClearanceStatistic,
    HazardArea,
    HazardClassification,
    HazardStatus,
    InspectionResult,
    LandReleaseActivity,
    Operator,
    QualityInspection,
    hazard_area_blocked_projects,
)
from homecoming.mine_action.schemas import (
    ActivityCreate,
    ActivityUpdate,
    HazardAreaCreate,
    InspectionCreate,
    OperatorCreate,
)
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.works.models import Project

AREA_TOLERANCE_M2 = 0.5  # survey figures come rounded; half a square metre is noise, not land
POLYGON_AREA_TOLERANCE = 0.01  # an estimate within 1% of the drawn polygon's area agrees with it
COUNTED = (ActivityStatus.ONGOING, ActivityStatus.COMPLETED)
# IMAS 07.11: which activity may release land in which way.
RELEASE_BY = {"cancelled_m2": ActivityKind.NON_TECHNICAL_SURVEY, "reduced_m2": ActivityKind.TECHNICAL_SURVEY,
              "cleared_m2": ActivityKind.CLEARANCE}  # fmt: skip


def place_of_new_area(session: Session, data: HazardAreaCreate) -> scope.Place:
    """Where a hazard area is: its district, and the settlement it blocks (which must lie in it)."""
    return scope.place_of(
        session, data.district_code, data.blocks_settlement_code, settlement_field="blocks_settlement_code"
    )


def create_hazard_area(session: Session, data: HazardAreaCreate) -> HazardArea:
    """A surveyed hazard area (who may record one there: `mine_action.actions`)."""
    place = place_of_new_area(session, data)
    area_m2 = _area_of(data)
    area = HazardArea(
        code=data.code,
        classification=data.classification,
        status=HazardStatus.OPEN,
        estimated_area_m2=area_m2,
        remaining_area_m2=area_m2,
        polygon_geojson=data.polygon_geojson,
        contamination_type=data.contamination_type,
        blocked_land_use=data.blocked_land_use,
        casualty_risk=data.casualty_risk,
        blocks_settlement_id=place.settlement_id,
        district_id=place.district_id,
        source_url=data.source_url,
    )
    add_unique(session, area)
    for code in data.blocked_project_codes:
        project_id = get_by_code(session, Project, code).id
        session.execute(hazard_area_blocked_projects.insert().values(hazard_area_id=area.id, project_id=project_id))
    session.flush()
    return area


def _area_of(data: HazardAreaCreate) -> float:
    if data.polygon_geojson is None:
        assert data.estimated_area_m2 is not None  # the schema asks for one of the two
        return data.estimated_area_m2
    drawn = geo.area_m2(geo.polygon(data.polygon_geojson, f"hazard area {data.code}"))
    given = data.estimated_area_m2
    if given is not None and abs(given - drawn) > POLYGON_AREA_TOLERANCE * drawn:
        raise RuleViolation(
            "mine_action.area_disagrees_with_polygon",
            f"hazard area {data.code}: its polygon measures {drawn:,.0f} m² on the ellipsoid but the estimate says "
            f"{given:,.0f} m²; leave the estimate out and the polygon's area is used",
            {"polygon_m2": drawn, "estimated_m2": given},
        )
    return drawn


def get_hazard_area(session: Session, code: str) -> HazardArea:
    return get_by_code(session, HazardArea, code)


def get_activity(session: Session, code: str) -> LandReleaseActivity:
    return get_by_code(session, LandReleaseActivity, code)


def record_activity(session: Session, hazard_code: str, data: ActivityCreate) -> LandReleaseActivity:
    area = get_hazard_area(session, hazard_code)
    operator_id = get_by_code(session, Operator, data.operator_code).id if data.operator_code else None
    activity = LandReleaseActivity(
        hazard_area_id=area.id, operator_id=operator_id, **data.model_dump(exclude={"operator_code"})
    )
    _check_release_kind(area, activity)
    add_unique(session, activity)
    _recompute(session, area)
    return activity


def update_activity(session: Session, code: str, data: ActivityUpdate) -> LandReleaseActivity:
    activity = get_by_code(session, LandReleaseActivity, code)
    apply_changes(activity, data.model_dump(exclude_unset=True))
    if activity.items_destroyed > activity.items_found:
        raise RuleViolation(
            "mine_action.items_not_found",
            f"{code}: {activity.items_destroyed} items destroyed but only {activity.items_found} found",
        )
    area = session.get_one(HazardArea, activity.hazard_area_id)
    _check_release_kind(area, activity)
    session.flush()
    _recompute(session, area)
    return activity


def _check_release_kind(area: HazardArea, activity: LandReleaseActivity) -> None:
    for field, kind in RELEASE_BY.items():
        if (getattr(activity, field) or 0) > 0 and activity.kind != kind:
            raise RuleViolation(
                "mine_action.wrong_release_kind",
                f"{activity.code}: {field.removesuffix('_m2')} land is released by {kind.value.replace('_', ' ')}, "
                f"not by {activity.kind.value.replace('_', ' ')}",
            )
    if area.classification == HazardClassification.CHA and (activity.cancelled_m2 or 0) > 0:
        raise RuleViolation(
            "mine_action.cha_cannot_be_cancelled",
            f"{area.code} is a confirmed hazardous area: its land is released by technical survey or clearance only",
        )


def _recompute(session: Session, area: HazardArea) -> None:
    """Remaining area and status from the counted activities (not those whose latest inspection failed); refuses to
    release more than was estimated."""
    activities = session.scalars(select(LandReleaseActivity).where(LandReleaseActivity.hazard_area_id == area.id))
    released = 0.0
    started = False
    failed = failed_activities(session, area.id)
    for activity in activities:
        started |= activity.status != ActivityStatus.PLANNED
        if activity.status in COUNTED and activity.id not in failed:
            released += (activity.cancelled_m2 or 0) + (activity.reduced_m2 or 0) + (activity.cleared_m2 or 0)
    if released > area.estimated_area_m2 + AREA_TOLERANCE_M2:
        raise RuleViolation(
            "mine_action.release_exceeds_estimate",
            f"{area.code} was estimated at {area.estimated_area_m2:,.0f} m²; its activities would release "
            f"{released:,.0f} m²",
            {"estimated_m2": area.estimated_area_m2, "released_m2": released},
        )
    area.remaining_area_m2 = max(0.0, area.estimated_area_m2 - released)
    if area.remaining_area_m2 <= AREA_TOLERANCE_M2:
        area.status = HazardStatus.CLOSED
    else:
        area.status = HazardStatus.WORKED_ON if started else HazardStatus.OPEN
    session.flush()


def blocking_hazards(session: Session, settlement_code: str) -> list[HazardArea]:
    """Hazard areas not yet closed that keep a settlement from being rebuilt."""
    settlement = get_by_code(session, Settlement, settlement_code)
    query = (
        select(HazardArea)
        .where(HazardArea.blocks_settlement_id == settlement.id, HazardArea.status != HazardStatus.CLOSED)
        .order_by(HazardArea.code)
    )
    return list(session.scalars(query))


def cleared_ha_by_period(session: Session) -> dict[str, float]:
    """Reported hectares cleared per period, programme-wide (the figures without a district or breakdown)."""
    rows = session.execute(
        select(ClearanceStatistic.period, ClearanceStatistic.value)
        .where(
            ClearanceStatistic.indicator == "area cleared",
            ClearanceStatistic.district_id.is_(None),
            ClearanceStatistic.breakdown.is_(None),
        )
        .order_by(ClearanceStatistic.period)
    )
    return {period: value for period, value in rows}


def create_operator(session: Session, data: OperatorCreate) -> Operator:
    operator = Operator(**data.model_dump())
    add_unique(session, operator)
    return operator


def operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.name, Operator.code)))


def record_inspection(session: Session, activity_code: str, data: InspectionCreate) -> QualityInspection:
    """An inspection of an activity's released land; a failure takes the land back out of the released figures."""
    activity = get_activity(session, activity_code)
    inspector = get_by_code(session, Operator, data.inspector_code)
    if activity.status not in COUNTED:
        raise RuleViolation(
            "mine_action.nothing_to_inspect",
            f"{activity.code} is {activity.status.value.replace('_', ' ')}: only an ongoing or completed activity "
            "has released land to inspect",
            {"activity_code": activity.code, "status": activity.status.value},
        )
    if activity.start_date is not None and data.inspected_on < activity.start_date:
        raise RuleViolation(
            "mine_action.inspection_before_work",
            f"inspected_on {data.inspected_on} is before {activity.code} started ({activity.start_date})",
            {"field": "inspected_on", "inspected_on": str(data.inspected_on), "start_date": str(activity.start_date)},
        )
    if activity.operator_id is not None and activity.operator_id == inspector.id:
        raise RuleViolation(
            "mine_action.inspector_not_independent",
            f"{inspector.code} did the work of {activity.code}: an operator does not inspect its own land "
            "(IMAS 09.20); name another inspector",
            {"field": "inspector_code", "inspector_code": inspector.code},
        )
    inspection = QualityInspection(
        activity_id=activity.id, inspector_id=inspector.id, **data.model_dump(exclude={"inspector_code"})
    )
    add_unique(session, inspection)
    _recompute(session, session.get_one(HazardArea, activity.hazard_area_id))
    return inspection


def failed_activities(session: Session, hazard_area_id: int) -> set[int]:
    """The activities of a hazard area whose latest inspection (by date, then as recorded) failed."""
    rows = session.execute(
        select(QualityInspection.activity_id, QualityInspection.result)
        .join(LandReleaseActivity, LandReleaseActivity.id == QualityInspection.activity_id)
        .where(LandReleaseActivity.hazard_area_id == hazard_area_id)
        .order_by(QualityInspection.inspected_on, QualityInspection.id)
    )
    latest = {activity_id: result for activity_id, result in rows}
    return {activity_id for activity_id, result in latest.items() if result == InspectionResult.FAILED}


def hazard_area_code(session: Session, hazard_area_id: int | None) -> str | None:
    return None if hazard_area_id is None else session.get_one(HazardArea, hazard_area_id).code


def hazard_area_of_activity(session: Session, activity_code: str) -> HazardArea:
    return session.get_one(HazardArea, get_activity(session, activity_code).hazard_area_id)
