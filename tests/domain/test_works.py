from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.works import service
from homecoming.works.models import HousingStatus, ProjectStatus, Sector
from homecoming.works.schemas import HousingStockCreate, ProgressReport, ProjectCreate

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def works(territory_session: Session) -> Session:
    for code, sector in (("clear", Sector.AGRICULTURE), ("road", Sector.ROAD), ("houses", Sector.HOUSING)):
        service.create_project(
            territory_session,
            ProjectCreate(code=code, name=code, sector=sector, stage=1, settlement_code="zabukh"),
        )
    service.add_dependency(territory_session, "clear", "road")
    service.add_dependency(territory_session, "road", "houses")
    return territory_session


def test_a_link_that_closes_a_cycle_is_refused_naming_the_cycle(works: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.add_dependency(works, "houses", "clear")
    assert caught.value.code == "works.dependency_cycle"
    assert caught.value.details["cycle"] == ["clear", "road", "houses", "clear"]
    assert "clear -> road -> houses -> clear" in caught.value.message


def test_adding_the_same_link_twice_keeps_one(works: Session) -> None:
    first = service.add_dependency(works, "clear", "road")
    assert service.add_dependency(works, "clear", "road").id == first.id
    assert [p.code for p in service.predecessors(works, "road")] == ["clear"]


def test_work_cannot_progress_before_its_predecessors_complete(works: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.report_progress(works, "road", ProgressReport(progress_pct=10, on=DAY))
    assert caught.value.code == "works.predecessor_not_complete"
    assert caught.value.details["waiting_for"] == ["clear"]
    assert service.get_project(works, "road").progress_pct == 0


def test_progress_starts_then_completes_a_project(works: Session) -> None:
    started = service.report_progress(works, "clear", ProgressReport(progress_pct=40, on=DAY))
    assert (started.status, started.actual_start) == (ProjectStatus.IN_PROGRESS, DAY)
    later = DAY + dt.timedelta(days=90)
    done = service.report_progress(works, "clear", ProgressReport(progress_pct=100, on=later))
    assert (done.status, done.actual_end) == (ProjectStatus.COMPLETED, later)
    assert service.report_progress(works, "road", ProgressReport(progress_pct=5, on=later)).progress_pct == 5


def test_progress_never_goes_backwards(works: Session) -> None:
    service.report_progress(works, "clear", ProgressReport(progress_pct=40, on=DAY))
    with pytest.raises(RuleViolation) as caught:
        service.report_progress(works, "clear", ProgressReport(progress_pct=30, on=DAY))
    assert caught.value.code == "works.progress_backwards"


def test_housing_units_add_up_per_status(territory_session: Session) -> None:
    for code, status, units in (
        ("a", HousingStatus.READY, 15),
        ("b", HousingStatus.PLANNED, 85),
        ("c", HousingStatus.READY, 5),
    ):
        service.add_housing(
            territory_session, HousingStockCreate(code=code, settlement_code="zabukh", status=status, units=units)
        )
    assert service.housing_units_by_status(territory_session, "zabukh") == {
        HousingStatus.READY: 20,
        HousingStatus.PLANNED: 85,
    }
