"""A plan asked for from the API or the page starts in the month it is asked in (its month 0), not on a fixed date."""

from __future__ import annotations

import datetime as dt

from homecoming.planning.jobs import scenario_of
from homecoming.planning.schemas import PlanRequest

ASKED = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)


def test_month_zero_is_the_month_the_plan_is_asked_for() -> None:
    scenario = scenario_of(PlanRequest(scenario="baseline"), ASKED)
    assert (scenario.start, scenario.month(0), scenario.month(1)) == (
        dt.date(2026, 12, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)
    )  # fmt: skip


def test_a_requested_start_is_its_first_of_the_month() -> None:
    scenario = scenario_of(PlanRequest(start=dt.date(2027, 3, 15), crews=40), ASKED)
    assert (scenario.start, scenario.crews) == (dt.date(2027, 3, 1), 40)
