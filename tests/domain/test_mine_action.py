from __future__ import annotations

import pytest
from builders import household
from sqlalchemy.orm import Session

from homecoming.errors import NotFound, RuleViolation
from homecoming.households import service as households
from homecoming.mine_action import blocking, priority, service
from homecoming.mine_action.models import ActivityKind, ActivityStatus, HazardClassification, HazardStatus, LandUse
from homecoming.mine_action.schemas import ActivityCreate, ActivityUpdate, HazardAreaCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import SettlementUpdate
from homecoming.works import service as works
from homecoming.works.models import Sector
from homecoming.works.schemas import ProjectCreate

# About 1.1 km x 1.1 km at 39.6°N (Lachin district), drawn clockwise from the south-west corner.
SQUARE = {"type": "Polygon", "coordinates": [[[46.50, 39.60], [46.50, 39.61], [46.513, 39.61], [46.513, 39.60],
                                              [46.50, 39.60]]]}  # fmt: skip
BOW_TIE = {"type": "Polygon", "coordinates": [[[46.50, 39.60], [46.51, 39.61], [46.51, 39.60], [46.50, 39.61],
                                               [46.50, 39.60]]]}  # fmt: skip


def hazard(code: str, kind: HazardClassification, area: float | None = None, **extra: object) -> HazardAreaCreate:
    return HazardAreaCreate(code=code, classification=kind, estimated_area_m2=area, **extra)  # type: ignore[arg-type]


@pytest.fixture
def hazards(territory_session: Session) -> Session:
    service.create_hazard_area(territory_session, hazard("sha-1", HazardClassification.SHA, 50_000))
    service.create_hazard_area(
        territory_session, hazard("cha-1", HazardClassification.CHA, 20_000, blocks_settlement_code="zabukh")
    )
    return territory_session


def activity(
    code: str, kind: ActivityKind, status: ActivityStatus = ActivityStatus.COMPLETED, **m2: float
) -> ActivityCreate:
    return ActivityCreate(code=code, kind=kind, status=status, **m2)


def test_the_area_of_a_drawn_hazard_is_measured_on_the_ellipsoid(territory_session: Session) -> None:
    area = service.create_hazard_area(territory_session, hazard("h", HazardClassification.SHA, polygon_geojson=SQUARE))
    # 0.013° of longitude x 0.01° of latitude at 39.6°N: 1,114.2 m x 1,110.9 m on WGS84
    assert area.estimated_area_m2 == pytest.approx(1_237_800, rel=2e-3)
    assert area.remaining_area_m2 == area.estimated_area_m2


def test_an_estimate_that_disagrees_with_the_polygon_is_refused(territory_session: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.create_hazard_area(
            territory_session, hazard("h", HazardClassification.SHA, 100, polygon_geojson=SQUARE)
        )
    assert caught.value.code == "mine_action.area_disagrees_with_polygon"


def test_a_self_intersecting_polygon_is_named_with_the_fix(territory_session: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.create_hazard_area(territory_session, hazard("bow", HazardClassification.SHA, polygon_geojson=BOW_TIE))
    assert caught.value.code == "geometry.invalid"
    assert "hazard area bow" in caught.value.message and "Self-intersection" in caught.value.message
    assert caught.value.details["suggested_fix"]["type"] == "MultiPolygon"


def test_released_land_adds_up_to_the_estimate(hazards: Session) -> None:
    service.record_activity(hazards, "sha-1", activity("nts", ActivityKind.NON_TECHNICAL_SURVEY, cancelled_m2=30_000))
    service.record_activity(hazards, "sha-1", activity("ts", ActivityKind.TECHNICAL_SURVEY, reduced_m2=5_000))
    area = service.get_hazard_area(hazards, "sha-1")
    assert (area.remaining_area_m2, area.status) == (15_000, HazardStatus.WORKED_ON)
    service.record_activity(
        hazards, "sha-1", activity("clr", ActivityKind.CLEARANCE, ActivityStatus.ONGOING, cleared_m2=10_000)
    )
    service.update_activity(hazards, "clr", ActivityUpdate(status=ActivityStatus.COMPLETED, cleared_m2=15_000))
    area = service.get_hazard_area(hazards, "sha-1")
    assert (area.remaining_area_m2, area.status) == (0, HazardStatus.CLOSED)


def test_planned_activities_release_nothing(hazards: Session) -> None:
    service.record_activity(
        hazards, "sha-1", activity("p", ActivityKind.CLEARANCE, ActivityStatus.PLANNED, cleared_m2=50_000)
    )
    area = service.get_hazard_area(hazards, "sha-1")
    assert (area.remaining_area_m2, area.status) == (50_000, HazardStatus.OPEN)


def test_more_land_than_was_estimated_cannot_be_released(hazards: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.record_activity(hazards, "cha-1", activity("c", ActivityKind.CLEARANCE, cleared_m2=20_001))
    assert caught.value.code == "mine_action.release_exceeds_estimate"
    assert caught.value.details == {"estimated_m2": 20_000, "released_m2": 20_001}


def test_each_kind_of_activity_releases_land_its_own_way(hazards: Session) -> None:
    with pytest.raises(RuleViolation) as wrong_kind:
        service.record_activity(hazards, "sha-1", activity("x", ActivityKind.CLEARANCE, cancelled_m2=100))
    with pytest.raises(RuleViolation) as cha:
        service.record_activity(hazards, "cha-1", activity("y", ActivityKind.NON_TECHNICAL_SURVEY, cancelled_m2=100))
    assert (wrong_kind.value.code, cha.value.code) == (
        "mine_action.wrong_release_kind",
        "mine_action.cha_cannot_be_cancelled",
    )


def test_a_blocked_project_must_exist(territory_session: Session) -> None:
    with pytest.raises(NotFound) as caught:
        service.create_hazard_area(
            territory_session, hazard("x", HazardClassification.SHA, 1, blocked_project_codes=["nope"])
        )
    assert caught.value.code == "projects.not_found"


def test_blocks_come_from_geometry_and_a_reasoned_override_wins(territory_session: Session) -> None:
    territory.update_settlement(territory_session, "zabukh", SettlementUpdate(lat=39.605, lon=46.506))
    territory.update_settlement(territory_session, "sus", SettlementUpdate(lat=39.70, lon=46.60))  # 14 km away
    school = ProjectCreate(code="school", name="School", sector=Sector.SCHOOL, stage=2, lat=39.601, lon=46.501)
    works.create_project(territory_session, school)
    service.create_hazard_area(territory_session, hazard("h", HazardClassification.SHA, polygon_geojson=SQUARE))
    [found] = blocking.compute_blocks(territory_session)
    assert (found.settlement, found.projects, found.overridden) == ("zabukh", ("school",), False)
    blocking.override_block(
        territory_session, "h", blocks=False, reason="school site fenced and verified", project_code="school"
    )
    blocking.override_block(
        territory_session, "h", blocks=True, reason="Sus's pasture lies here", settlement_code="sus"
    )
    [corrected] = blocking.compute_blocks(territory_session)
    assert (corrected.settlement, corrected.projects, corrected.overridden) == ("sus", (), True)
    with pytest.raises(RuleViolation) as no_reason:
        blocking.override_block(territory_session, "h", blocks=True, reason="  ", settlement_code="sus")
    assert no_reason.value.code == "mine_action.override_reason"


def test_clearance_follows_the_national_priority_order(territory_session: Session) -> None:
    rows = (
        ("farm", LandUse.AGRICULTURE, False, None),
        ("homes", LandUse.HOUSING, False, "zabukh"),
        ("road", LandUse.ROAD, False, None),
        ("accident", LandUse.AGRICULTURE, True, None),
        ("homes-empty", LandUse.HOUSING, False, "sus"),
    )
    for code, use, risk, settlement in rows:
        service.create_hazard_area(
            territory_session,
            hazard(code, HazardClassification.SHA, 1000, blocked_land_use=use, casualty_risk=risk,
                   blocks_settlement_code=settlement),
        )  # fmt: skip
    households.register_household(territory_session, household("H1", origin="zabukh", size=5))
    order = priority.clearance_order(territory_session)
    assert [(r.hazard, r.rule) for r in order] == [
        ("accident", "life_threatening"),
        ("road", "socio_economic"),
        ("homes", "displaced_resettlement"),
        ("farm", "food_security"),
        ("homes-empty", "other"),
    ]
    assert order[2].people_waiting == 5
    custom = priority.clearance_order(territory_session, ("food_security", "life_threatening"))
    assert [r.hazard for r in custom][:2] == ["accident", "farm"]  # both farm land, same size: by code
    with pytest.raises(RuleViolation) as unknown:
        priority.clearance_order(territory_session, ("fastest_first",))
    assert unknown.value.code == "mine_action.unknown_priority_rule"
