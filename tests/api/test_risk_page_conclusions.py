"""Issue 19, item 3: the risk page says what its run means in sentences computed from the run: which plan and when,
whether the plan's own figure lies outside its P10-P90 band, the share of settlements on time (none said plainly),
and one figure where a band's ends are equal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from homecoming.planning.models import PlanRun
from homecoming.risk.models import PlanRisk
from homecoming.web import i18n
from homecoming.web.risk import conclusions, years_chart

MADE, RUN = dt.datetime(2026, 12, 1, 9), dt.datetime(2026, 12, 2, 10)


def _run(plan: float, p10: float, p90: float, on_time: tuple[float, ...]) -> tuple[PlanRun, PlanRisk]:
    run = PlanRun(code="demo", created_at=MADE, people_months=plan)
    settlements: list[dict[str, Any]] = [{"code": f"s{k}", "on_time": share} for k, share in enumerate(on_time)]
    risk = PlanRisk(created_at=RUN, settlements=settlements,
                    people_months={"plan": plan, "p10": p10, "p50": (p10 + p90) / 2, "p90": p90})  # fmt: skip
    return run, risk


def test_a_plan_below_its_band_is_called_optimistic_and_no_settlement_on_time_is_said_plainly() -> None:
    said = conclusions(*_run(2_640_000, 3_560_000, 3_860_000, (0.0, 0.1, 0.49)), official=True)
    assert said == [
        "Risk run of 2026-12-02 on the plan demo, made on 2026-12-01.",
        "This is the approved plan: the public forecast.",
        "The plan's own figure, 2.64 M people-months displaced, lies below its P10-P90 band (3.56-3.86 M): in nine "
        "scenarios out of ten the programme does worse than the plan says, so the plan is optimistic.",
        "No settlement (0%) is ready by its planned month in half the scenarios or more.",
    ]
    assert i18n.say("en", said[0]) == "Risk run of Dec 2, 2026 on the plan demo, made on Dec 1, 2026."
    assert "2,64" in i18n.say("az", said[2]) and "3,56" in i18n.say("az", said[2])


def test_a_plan_above_its_band_is_called_cautious_and_the_share_on_time_is_counted() -> None:
    said = conclusions(*_run(4_000_000, 3_000_000, 3_500_000, (0.5, 0.9, 0.2, 0.1)), official=False)
    assert said[1:] == [
        "The plan's own figure, 4.00 M people-months displaced, lies above its P10-P90 band (3.00-3.50 M): in nine "
        "scenarios out of ten the programme does better than the plan says, so the plan is cautious.",
        "2 of 4 settlements (50%) are ready by their planned month in half the scenarios or more.",
    ]


def test_a_plan_within_its_band_says_so() -> None:
    said = conclusions(*_run(3_200_000, 3_000_000, 3_500_000, (1.0,)), official=False)
    assert said[1:] == [
        "The plan's own figure, 3.20 M people-months displaced, lies within its P10-P90 band (3.00-3.50 M).",
        "1 of 1 settlements (100%) are ready by their planned month in half the scenarios or more.",
    ]


def test_a_band_whose_ends_are_equal_is_one_figure_and_numbers_follow_the_language() -> None:
    equal = [{"year": 2030, "plan": 119_444, "p10": 119_444, "p50": 119_444, "p90": 119_444}]
    assert years_chart(equal, "en").summary == "By the end of 2030: 119,444 people (P10-P90)."
    apart = [{"year": 2028, "plan": 24, "p10": 1_000, "p50": 1_200, "p90": 2_500}]
    assert years_chart(apart, "en").summary == "By the end of 2028: between 1,000 and 2,500 people (P10-P90)."
    chart = years_chart(apart, "az")
    assert "2.500" in chart.summary and ">2.500</text>" in chart.svg and ">2,500<" not in chart.svg
