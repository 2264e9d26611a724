"""A settlement is ready when its land is released, its houses suffice and its services are in place."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.households.models import Household
from homecoming.mine_action import service as mine_action
from homecoming.mine_action.models import ActivityKind, ActivityStatus, HazardClassification, LandUse
from homecoming.mine_action.schemas import ActivityCreate, HazardAreaCreate
from homecoming.planning.readiness import readiness
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.works import service as works
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectStatus, Sector

SERVICES = (Sector.POWER, Sector.WATER, Sector.ROAD, Sector.SCHOOL, Sector.HEALTH)


@pytest.fixture
def village(session: Session) -> Session:
    """Zabukh: 2 households waiting, 2 houses ready, every service built, one hazard area on its housing land."""
    session.add(Region(id=1, code="r", name="R"))
    session.add(District(id=1, code="lachin", name="Lachin", region_id=1))
    session.add(Settlement(id=1, code="zabukh", name="Zabukh", district_id=1, kind=SettlementKind.VILLAGE))
    session.flush()
    for i, size in enumerate((4, 3)):
        session.add(Household(code=f"H{i}", origin_settlement_id=1, head_name="X", size=size, rooms_needed=2,
                              consent_to_return=True, registered_on=dt.date(2022, 1, 1)))  # fmt: skip
    session.add(Household(code="H-no", origin_settlement_id=1, head_name="X", size=2, rooms_needed=1,
                          consent_to_return=False, registered_on=dt.date(2022, 1, 1)))  # fmt: skip
    session.add(HousingStock(code="hs", settlement_id=1, status=HousingStatus.READY, units=2))
    for sector in SERVICES:  # the road serves the whole district; the rest are the village's own
        on_site = {"settlement_id": None} if sector == Sector.ROAD else {"settlement_id": 1}
        session.add(Project(code=str(sector), name=str(sector), sector=sector, stage=1, district_id=1,
                            status=ProjectStatus.COMPLETED, progress_pct=100, **on_site))  # fmt: skip
    session.flush()
    mine_action.create_hazard_area(session, HazardAreaCreate(code="h", classification=HazardClassification.CHA,
                                   estimated_area_m2=8000, blocks_settlement_code="zabukh"))  # fmt: skip
    mine_action.create_hazard_area(session, HazardAreaCreate(code="farm", classification=HazardClassification.SHA,
                                   estimated_area_m2=9000, blocks_settlement_code="zabukh",
                                   blocked_land_use=LandUse.AGRICULTURE))  # fmt: skip
    return session


def test_a_village_whose_only_blocker_is_a_hazard_becomes_ready_when_it_is_cleared(village: Session) -> None:
    [before] = readiness(village, "zabukh")
    assert not before.ready
    assert before.missing == ("hazard area h (CHA, 8,000 m² left) blocks its housing land",)
    assert (before.households_waiting, before.people_waiting, before.houses_ready) == (2, 7, 2)
    mine_action.record_activity(
        village, "h", ActivityCreate(code="c", kind=ActivityKind.CLEARANCE, status=ActivityStatus.COMPLETED,
                                     cleared_m2=8000)
    )  # fmt: skip
    [after] = readiness(village, "zabukh")
    assert after.ready and after.missing == ()  # farm land under a hazard does not hold the return back


def test_missing_houses_and_services_are_listed_so_a_person_can_act(village: Session) -> None:
    village.add(Household(code="H9", origin_settlement_id=1, head_name="X", size=5, rooms_needed=3,
                          consent_to_return=True, registered_on=dt.date(2022, 1, 1)))  # fmt: skip
    school = works.get_project(village, "school")
    school.status, school.progress_pct = ProjectStatus.IN_PROGRESS, 60
    village.flush()
    [r] = readiness(village, "zabukh")
    assert r.missing[1:] == (
        "houses: 2 ready for 3 households waiting (1 more needed)",
        "school: no completed works serving it (under way: school 60%)",
    )


def test_readiness_command_shows_what_is_missing(
    village: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homecoming.cli.main import app
    from homecoming.config import get_settings
    from homecoming.db import session as db_session

    village.commit()
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    try:
        result = CliRunner().invoke(app, ["readiness", "zabukh"], env={"COLUMNS": "160"})
        unknown = CliRunner().invoke(app, ["readiness", "atlantis"])
    finally:
        get_settings.cache_clear()
        db_session._engine_for.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Zabukh (zabukh): not ready" in result.output and "hazard area h (CHA" in result.output
    assert unknown.exit_code == 1 and "settlements.not_found" in unknown.output
