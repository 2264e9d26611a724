"""The overview's charts are drawn to the TARGET: a year at 59 % of the target draws a bar 59 % as long as the
target's (not a full bar because it is the biggest), and a line's target level sits where the target is."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from api_support import Api
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.finance.models import BudgetAllocation
from homecoming.returns.models import ProgrammeTarget
from homecoming.web.charts import BAR_LEFT, RIGHT, WIDTH, Bar, Series, bar_length, cumulative_lines, target_bars

INNER = WIDTH - BAR_LEFT - RIGHT
TARGET = 140_000


def widths(svg: str, css: str) -> list[float]:
    return [float(w) for w in re.findall(rf'<rect class="{css}" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]


def test_a_year_at_59_percent_of_the_target_draws_a_59_percent_bar() -> None:
    bars = [Bar("2027", 0.30 * TARGET, TARGET), Bar("2028", 0.59 * TARGET, TARGET)]
    svg = target_bars(bars, lambda v: f"{v:,.0f}", "people home")
    assert widths(svg, "target") == [INNER, INNER]
    assert widths(svg, "value") == [pytest.approx(0.30 * INNER, abs=0.05), pytest.approx(0.59 * INNER, abs=0.05)]
    assert ">82,600 (59 %)</text>" in svg  # the biggest bar is not drawn full: the target is


def test_a_bar_never_runs_past_the_end_and_a_withheld_one_is_not_drawn() -> None:
    assert bar_length(2 * TARGET, TARGET, 100) == 100
    assert bar_length(-5, TARGET, 100) == 0
    assert bar_length(5, 0, 100) == 0
    svg = target_bars([Bar("a", None, 10), Bar("<b>", 4, 20)], str, "t")
    assert widths(svg, "value") == [pytest.approx(0.2 * INNER, abs=0.05)]  # 4 of the largest target, 20
    assert widths(svg, "target") == [pytest.approx(0.5 * INNER, abs=0.05), INNER]
    assert "&lt;b&gt;" in svg and "<b>" not in svg


def test_a_running_total_is_drawn_under_its_target_level_with_the_band() -> None:
    svg = cumulative_lines(
        [Series([(2026, 10_000.0), (2027, None), (2028, 70_000.0)], "forecast")],
        lambda v: f"{v:,.0f}", "forecast", target=(TARGET, "target: 140,000 people"),
        band=[(2026, 8_000.0, 12_000.0), (2028, 60_000.0, 80_000.0)],
    )  # fmt: skip
    level = float(re.search(r'class="target-line" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    points = re.search(r'<polyline class="forecast" points="([^"]+)"', svg).group(1).split()  # type: ignore[union-attr]
    assert len(points) == 2  # the withheld 2027 is skipped, not drawn as zero
    half = float(points[1].split(",")[1])
    assert level < half  # 70,000 is half the target: below its level (SVG y grows downwards)
    assert "target: 140,000 people" in svg and '<polygon class="band"' in svg


def test_the_overview_draws_each_chart_to_the_target_with_its_date_and_source(api: Api) -> None:
    with Session(api.engine) as session:
        for indicator, value in (("families", 20), ("people", 80)):
            session.add(ProgrammeTarget(code=indicator, indicator=indicator, value=value, unit=indicator,
                                        period="2026", source_url="https://example.org/target"))  # fmt: skip
        for kind, amount in (("planned", 2e9), ("spent", 1.18e9)):
            session.add(
                BudgetAllocation(
                    code=f"b-{kind}",
                    year=2025,
                    source_kind="state_budget",
                    figure_kind=kind,
                    amount=amount,
                    currency="AZN",
                    rate_to_azn=1.0,
                    source_url="https://example.org/budget",
                    source_date=dt.date(2025, 12, 30),
                )
            )
        session.commit()
    for n, day in enumerate((dt.date(2025, 6, 1), dt.date(2026, 3, 1))):
        body = {"code": f"fuzuli-{n}", "settlement_code": "fuzuli-v", "event_date": day.isoformat(), "kind": "convoy",
                "families": 6, "people": 24}  # fmt: skip
        assert api.client.post("/api/return-events", json=body, headers=api.as_(Role.REGISTRAR)).status_code == 201
    html = api.client.get("/").text
    figures = dict(re.findall(r'<figure class="chart" data-figure="([^"]+)">(.*?)</figure>', html, re.S))
    assert list(figures) == ["returns-over-time", "houses-by-status", "money-by-year"]  # no plan run: no forecast
    money = figures["money-by-year"]
    assert widths(money, "value") == [pytest.approx(0.59 * INNER, abs=0.05)]  # 1.18 of 2.00 bn planned
    assert "As of Dec 30, 2025." in money and 'href="https://example.org/budget"' in money
    houses = figures["houses-by-status"]
    assert widths(houses, "value")[2] == pytest.approx(4 / 20 * INNER, abs=0.05)  # 4 ready of 20 families' homes
    returned = figures["returns-over-time"]
    assert "target: 80 people" in returned and "As of Mar 1, 2026." in returned
    assert "By the end of 2026: 56 people, 70 % of the target." in returned  # 2 + 6 + 6 families, 8 + 24 + 24


def test_a_year_adding_too_few_families_is_withheld_in_the_returns_chart(api: Api) -> None:
    html = api.client.get("/").text  # the only return: 2 families in 2025, below the threshold of 5
    figure = html.split('data-figure="returns-over-time"', 1)[1].split("</figure>", 1)[0]
    assert "Figures withheld: too few families to show." in figure
    assert '<polyline class="returned" points=""/>' in figure
