"""Hazard areas and the land released from them; what still blocks a settlement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code, id_of
from homecoming.errors import RuleViolation
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus, hazard_area_blocked_projects
from homecoming.mine_action.schemas import HazardAreaCreate, LandRelease
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project

AREA_TOLERANCE_M2 = 0.5  # survey figures come rounded; half a square metre is noise, not land


def create_hazard_area(session: Session, data: HazardAreaCreate) -> HazardArea:
    area = HazardArea(
        code=data.code,
        classification=data.classification,
        status=HazardStatus.OPEN,
        estimated_area_m2=data.estimated_area_m2,
        remaining_area_m2=data.estimated_area_m2,
        polygon_geojson=data.polygon_geojson,
        blocks_settlement_id=id_of(session, Settlement, data.blocks_settlement_code),
        district_id=id_of(session, District, data.district_code),
        source_url=data.source_url,
    )
    add_unique(session, area)
    for code in data.blocked_project_codes:
        session.execute(
            hazard_area_blocked_projects.insert().values(
                hazard_area_id=area.id, project_id=get_by_code(session, Project, code).id
            )
        )
    session.flush()
    return area


def record_release(session: Session, code: str, release: LandRelease) -> HazardArea:
    """Take released land off a hazard area; a CHA cannot be cancelled (its hazard is confirmed); empty -> closed."""
    area = get_by_code(session, HazardArea, code)
    if area.status == HazardStatus.CLOSED:
        raise RuleViolation("mine_action.area_closed", f"{code} is closed; no land is left to release")
    if area.classification == HazardClassification.CHA and release.cancelled_m2 > 0:
        raise RuleViolation(
            "mine_action.cha_cannot_be_cancelled",
            f"{code} is a confirmed hazardous area: its land is released by technical survey or clearance only",
        )
    if release.total_m2 > area.remaining_area_m2 + AREA_TOLERANCE_M2:
        raise RuleViolation(
            "mine_action.release_exceeds_remaining",
            f"{code} has {area.remaining_area_m2:,.0f} m² left; {release.total_m2:,.0f} m² cannot be released",
            {"remaining_m2": area.remaining_area_m2, "released_m2": release.total_m2},
        )
    area.remaining_area_m2 = max(0.0, area.remaining_area_m2 - release.total_m2)
    area.status = HazardStatus.CLOSED if area.remaining_area_m2 <= AREA_TOLERANCE_M2 else HazardStatus.WORKED_ON
    session.flush()
    return area


def blocking_hazards(session: Session, settlement_code: str) -> list[HazardArea]:
    """Hazard areas not yet closed that keep a settlement from being rebuilt."""
    settlement = get_by_code(session, Settlement, settlement_code)
    query = (
        select(HazardArea)
        .where(HazardArea.blocks_settlement_id == settlement.id, HazardArea.status != HazardStatus.CLOSED)
        .order_by(HazardArea.code)
    )
    return list(session.scalars(query))
