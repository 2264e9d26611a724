from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from homecoming.errors import NotFound, RuleViolation
from homecoming.mine_action import service
from homecoming.mine_action.models import HazardClassification, HazardStatus
from homecoming.mine_action.schemas import HazardAreaCreate, LandRelease


@pytest.fixture
def hazards(territory_session: Session) -> Session:
    for code, kind, area in (("sha-1", HazardClassification.SHA, 50_000), ("cha-1", HazardClassification.CHA, 20_000)):
        service.create_hazard_area(
            territory_session,
            HazardAreaCreate(code=code, classification=kind, estimated_area_m2=area, blocks_settlement_code="zabukh"),
        )
    return territory_session


def test_land_release_shrinks_then_closes_an_area(hazards: Session) -> None:
    area = service.record_release(hazards, "sha-1", LandRelease(cancelled_m2=30_000, reduced_m2=5_000))
    assert (area.remaining_area_m2, area.status) == (15_000, HazardStatus.WORKED_ON)
    area = service.record_release(hazards, "sha-1", LandRelease(cleared_m2=15_000))
    assert (area.remaining_area_m2, area.status) == (0, HazardStatus.CLOSED)
    assert [a.code for a in service.blocking_hazards(hazards, "zabukh")] == ["cha-1"]


def test_more_land_than_remains_cannot_be_released(hazards: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.record_release(hazards, "cha-1", LandRelease(cleared_m2=20_001))
    assert caught.value.code == "mine_action.release_exceeds_remaining"
    assert caught.value.details == {"remaining_m2": 20_000, "released_m2": 20_001}


def test_a_confirmed_hazard_cannot_be_cancelled_by_survey(hazards: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.record_release(hazards, "cha-1", LandRelease(cancelled_m2=100))
    assert caught.value.code == "mine_action.cha_cannot_be_cancelled"


def test_a_blocked_project_must_exist(territory_session: Session) -> None:
    with pytest.raises(NotFound) as caught:
        service.create_hazard_area(
            territory_session,
            HazardAreaCreate(
                code="x", classification=HazardClassification.SHA, estimated_area_m2=1, blocked_project_codes=["nope"]
            ),
        )
    assert caught.value.code == "projects.not_found"
