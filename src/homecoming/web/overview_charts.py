"""The overview's charts, where people look rather than read: returns against the target over time, the forecast
with its P10-P90 band (when a risk run exists), houses by status and money by year. Each one says as of when and
from which records and sources; every count in them has passed the disclosure rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from markupsafe import Markup
from sqlalchemy.orm import Session

from homecoming.db.sources import Provenance, provenance
from homecoming.disclosure.read_models import Overview, PlanForecast
from homecoming.errors import NotFound
from homecoming.finance.models import BudgetAllocation
from homecoming.planning import read_models as plan_read_models
from homecoming.returns import timeline
from homecoming.returns.models import ReturnEvent
from homecoming.risk import service as risk_service
from homecoming.risk.public import public_years
from homecoming.web import i18n
from homecoming.web.charts import Bar, Number, Series, cumulative_lines, target_bars
from homecoming.works.models import HousingStatus, HousingStock

TARGET_FIGURES = ("planned", "revised")  # a year's money target: its planned figure, else its revised one
SPENT_FIGURES = ("spent", "allocated")  # what it is measured by: spent, else allocated
Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Figure:
    key: str  # data-figure on the page
    title: str
    svg: Markup
    said: str  # the chart's conclusion in words (also for screen readers)
    as_of: dt.date | None
    sources: list[str] = field(default_factory=list)
    link: str | None = None  # the page behind the figure (a plan, its risk run)


def overview_figures(
    session: Session, language: str, data: Overview, forecast: PlanForecast | None, threshold: int
) -> list[Figure]:
    _ = i18n.translations(language).gettext

    def number(value: float) -> str:
        return format_decimal(round(value), format="#,##0", locale=language)

    found = [_returns(session, _, number, data, threshold)]
    if forecast is not None:
        found.append(_forecast(session, _, number, data, forecast, threshold))
    found += [_houses(session, _, number, data), _money(session, _, language, data)]
    return [f for f in found if f is not None]


def _target(_: Gettext, number: Number, people: int | None) -> tuple[float, str] | None:
    return (float(people), _("target: %(people)s people") % {"people": number(people)}) if people else None


def _returns(session: Session, _: Gettext, number: Number, data: Overview, threshold: int) -> Figure | None:
    line = timeline.returned_by_year_end(session, threshold, data.returned.people is None)
    if not line.years:
        return None
    points = [(y.year, float(y.people) if y.people is not None else None) for y in line.years]
    title = _("People returned by the end of each year, against the target")
    target = data.progress.people_target
    svg = cumulative_lines([Series(points, "returned")], number, title, target=_target(_, number, target))
    shown = [p for p in points if p[1] is not None]
    said = (_("By the end of %(year)s: %(people)s people, %(share)s of the target.") % {
        "year": shown[-1][0], "people": number(shown[-1][1] or 0),
        "share": f"{number(100 * (shown[-1][1] or 0) / target)} %"} if shown and target
        else _("Figures withheld: too few families to show."))  # fmt: skip
    sources = provenance(session, ReturnEvent).urls
    return Figure("returns-over-time", title, svg, said, line.as_of, sources)


def _forecast(
    session: Session, _: Gettext, number: Number, data: Overview, forecast: PlanForecast, threshold: int
) -> Figure:
    plan = plan_read_models.run_of_code(session, forecast.plan)
    points = [(year, float(total) if total is not None else None) for year, _people, total in forecast.years]
    band: list[tuple[int, float, float]] = []
    try:
        risk = risk_service.latest_risk(session, plan)
        band = [(r["year"], r["p10"], r["p90"]) for r in public_years(session, plan, risk, threshold) if "p10" in r]
    except NotFound:
        pass
    title = _("Forecast: people home by the end of each year")
    target = data.progress.people_target
    svg = cumulative_lines([Series(points, "forecast")], number, title, target=_target(_, number, target), band=band)
    shown = [p for p in points if p[1] is not None]
    said = _("The plan brings %(people)s people home by the end of %(year)s.") % {
        "people": number(shown[-1][1] or 0), "year": shown[-1][0]} if shown else ""  # fmt: skip
    if target and shown and (shown[-1][1] or 0) < target:
        share = f"{number(100 * (shown[-1][1] or 0) / target)} %"
        said += " " + _("That is %(share)s of the target.") % {"share": share}
    if band:
        said += " " + _("The shaded band is the P10–P90 range of the risk run.")
    return Figure("forecast", title, svg, said, plan.created_at.date(), [], f"/plans/{plan.code}")


def _houses(session: Session, _: Gettext, number: Number, data: Overview) -> Figure | None:
    needed = data.progress.families_target
    if not needed:
        return None
    bars = [Bar(_(str(status)), float(data.houses_by_status.get(str(status), 0)), float(needed))
            for status in HousingStatus]  # fmt: skip
    title = _("Houses by status, against one home per family of the target")
    svg = target_bars(bars, number, title)
    ready = sum(data.houses_by_status.get(str(s), 0) for s in (HousingStatus.READY, HousingStatus.ALLOCATED,
                                                                 HousingStatus.OCCUPIED))  # fmt: skip
    said = _("%(houses)s homes ready, allocated or occupied for a target of %(families)s families.") % {
        "houses": number(ready), "families": number(needed)}  # fmt: skip
    found = provenance(session, HousingStock)
    return Figure("houses-by-status", title, svg, said, found.as_of, found.urls)


def _money(session: Session, _: Gettext, language: str, data: Overview) -> Figure | None:
    def bn(value: float) -> str:
        return format_decimal(value, format="#,##0.00", locale=language)

    bars = []
    for year, kinds in data.budget_bn_azn_by_year.items():
        target = next((kinds[k] for k in TARGET_FIGURES if kinds.get(k)), None)
        if target is None:
            continue
        value = next((kinds[k] for k in SPENT_FIGURES if kinds.get(k) is not None), None)
        bars.append(Bar(str(year), value, target))
    if not bars:
        return None
    title = _("Money by year: spent (else allocated) against the year's plan, bn AZN")
    said = _("The red mark is each year's planned (else revised) budget; the bar, what was spent (else allocated).")
    found: Provenance = provenance(session, BudgetAllocation)
    svg = target_bars(bars, bn, title, percent=lambda share: format_decimal(round(share), locale=language))
    return Figure("money-by-year", title, svg, said, found.as_of, found.urls)
