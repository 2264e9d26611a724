from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.returns import service
from homecoming.returns.models import ProgrammeTarget
from homecoming.returns.schemas import ReturnEventCreate


def event(code: str, settlement: str, day: str, families: int, people: int, cumulative: bool) -> ReturnEventCreate:
    return ReturnEventCreate(
        code=code,
        settlement_code=settlement,
        event_date=dt.date.fromisoformat(day),
        kind="cumulative" if cumulative else "group",
        cumulative=cumulative,
        families=families,
        people=people,
    )


def test_progress_takes_the_latest_count_plus_later_groups(territory_session: Session) -> None:
    for data in (
        event("z1", "zabukh", "2022-08-01", 10, 40, False),
        event("z2", "zabukh", "2022-09-01", 5, 20, False),
        event("z3", "zabukh", "2023-01-01", 30, 120, True),  # counts z1 and z2 already
        event("z4", "zabukh", "2023-03-01", 4, 16, False),
        event("s1", "sus", "2024-05-01", 20, 90, False),
    ):
        service.record_event(territory_session, data)
    territory_session.add(ProgrammeTarget(code="t", indicator="people", value=1000, unit="people", period="2026"))
    territory_session.flush()
    progress = service.progress_summary(territory_session)
    assert (progress.families_returned, progress.people_returned, progress.settlements_with_returns) == (54, 226, 2)
    assert (progress.people_target, progress.families_target) == (1000, None)


def test_a_cumulative_count_cannot_go_down(territory_session: Session) -> None:
    service.record_event(territory_session, event("z1", "zabukh", "2023-01-01", 30, 120, True))
    with pytest.raises(RuleViolation) as caught:
        service.record_event(territory_session, event("z2", "zabukh", "2023-02-01", 20, 100, True))
    assert caught.value.code == "returns.cumulative_decreases"
