"""The schedule-risk page of a plan: bands of people home by year, ready-date bands per settlement and a tornado of
the works most often on a late settlement's critical chain. Public: aggregates only (no household counts per
settlement; a year adding too few households is withheld with the next, and the bands are rounded while a planned
settlement is withheld: homecoming.disclosure). Charts are SVG drawn here, nothing from a CDN."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from homecoming.errors import DomainError
from homecoming.http.deps import DbSession, public
from homecoming.phrases import Phrase
from homecoming.planning import read_models
from homecoming.planning.models import PlanRun
from homecoming.risk import service
from homecoming.risk.models import PlanRisk
from homecoming.risk.public import public_years
from homecoming.web import i18n
from homecoming.web.pages import Viewer, render
from homecoming.web.placenames import local_by_name, local_names

router = APIRouter(include_in_schema=False)
TORNADO_ROWS = 12
ON_TIME = 0.5  # a settlement counts as on time when it is ready by its planned month in at least this share of runs


@dataclass(frozen=True)
class Chart:
    svg: Markup
    summary: str  # what the chart says, for screen readers


def conclusions(plan: PlanRun, risk: PlanRisk, official: bool) -> list[Phrase]:
    """What the run says, in sentences computed from it: which plan and when, whether the plan's own figure lies in
    its P10-P90 band, and how many settlements are ready by their planned month in most scenarios."""
    said = [Phrase("Risk run of {day} on the plan {code}, made on {made}.", day=risk.created_at.date(), code=plan.code,
                   made=plan.created_at.date())]  # fmt: skip
    if official:
        said.append(Phrase("This is the approved plan: the public forecast."))
    months = {key: Decimal(value / 1e6).quantize(Decimal("0.01")) for key, value in risk.people_months.items()}
    if risk.people_months["plan"] < risk.people_months["p10"]:
        said.append(Phrase(
            "The plan's own figure, {plan} M people-months displaced, lies below its P10-P90 band ({p10}-{p90} M): "
            "in nine scenarios out of ten the programme does worse than the plan says, so the plan is optimistic.",
            **months))  # fmt: skip
    elif risk.people_months["plan"] > risk.people_months["p90"]:
        said.append(Phrase(
            "The plan's own figure, {plan} M people-months displaced, lies above its P10-P90 band ({p10}-{p90} M): "
            "in nine scenarios out of ten the programme does better than the plan says, so the plan is cautious.",
            **months))  # fmt: skip
    else:
        said.append(Phrase(
            "The plan's own figure, {plan} M people-months displaced, lies within its P10-P90 band ({p10}-{p90} M).",
            **months))  # fmt: skip
    on_time = sum(1 for s in risk.settlements if s["on_time"] >= ON_TIME)
    total = len(risk.settlements)
    if total and not on_time:
        said.append(
            Phrase(
                "No settlement (0%) is ready by its planned month in half the scenarios or more.",
            )
        )
    elif total:
        said.append(Phrase(
            "{on_time} of {total} settlements ({percent}%) are ready by their planned month in half the scenarios "
            "or more.", on_time=on_time, total=total, percent=round(100 * on_time / total)))  # fmt: skip
    return said


def years_chart(years: list[dict[str, Any]], language: str) -> Chart:
    """People whose settlement is ready by each year end: the P10-P90 band, the P50 line and the plan's line."""
    width, height, left, bottom, top, right = 640, 260, 64, 36, 12, 28
    top_value = max([1, *(max(y["plan"], y["p90"]) for y in years)])
    step = (width - left - right) / max(1, len(years) - 1)

    def x(k: int) -> float:
        return left + k * step

    def y(value: float) -> float:
        return float(top + (height - top - bottom) * (1 - value / top_value))

    def line(key: str) -> str:
        return " ".join(f"{x(k):.1f},{y(r[key]):.1f}" for k, r in enumerate(years))

    band = line("p90") + " " + " ".join(f"{x(k):.1f},{y(r['p10']):.1f}" for k, r in reversed(list(enumerate(years))))
    title = escape(i18n.gettext(language, "People home by year: plan and P10-P90 band"))
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="years-title">',
             f'<title id="years-title">{title}</title>',
             f'<polygon class="band" points="{band}"/>', f'<polyline class="p50" points="{line("p50")}"/>',
             f'<polyline class="plan" points="{line("plan")}"/>']  # fmt: skip
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        shown = format_decimal(round(value), locale=language)
        parts.append(f'<text class="axis" x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{shown}</text>')
    for k, r in enumerate(years):
        parts.append(f'<text class="axis" x="{x(k):.1f}" y="{height - 12}" text-anchor="middle">{r["year"]}</text>')
    parts.append("</svg>")
    last = years[-1] if years else {"year": "", "p10": 0, "p90": 0}
    if last["p10"] == last["p90"]:
        said = Phrase("By the end of {year}: {people} people (P10-P90).", year=str(last["year"]), people=last["p10"])
    else:
        said = Phrase("By the end of {year}: between {p10} and {p90} people (P10-P90).", year=str(last["year"]),
                      p10=last["p10"], p90=last["p90"])  # fmt: skip
    return Chart(Markup("".join(parts)), i18n.say(language, said))  # every value is a number or escaped


def tornado(tasks: list[dict[str, Any]], language: str, labels: dict[str, str] | None = None) -> Chart:
    """The works most often on the critical chain of a late settlement, longest bar first."""
    rows = tasks[:TORNADO_ROWS]
    width, row_h, label_w = 640, 26, 300
    height = max(1, len(rows)) * row_h + 8
    title = escape(i18n.gettext(language, "Criticality index of the works to watch"))
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tornado-title">',
             f'<title id="tornado-title">{title}</title>']  # fmt: skip
    named = [((labels or {}).get(t["task"], t["label"] or t["task"]), t) for t in rows]
    for k, (name, t) in enumerate(named):
        y = 4 + k * row_h
        bar = (width - label_w - 60) * float(t["criticality"])
        label = escape(name[:48])
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{label}</text>')
        parts.append(f'<rect class="crit" x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row_h - 8}"/>')
        share = format_percent(float(t["criticality"]), locale=language)
        parts.append(f'<text class="axis" x="{label_w + bar + 6:.1f}" y="{y + 17}">{share}</text>')
    parts.append("</svg>")
    said = ", ".join(f"{name}: {format_percent(float(t['criticality']), locale=language)}" for name, t in named)
    return Chart(Markup("".join(parts)), said)  # labels escaped


def _labels(session: Session, plan: PlanRun, language: str, places: dict[str, str]) -> dict[str, str]:
    """The works' labels in the reader's language, from the plan's own tasks (the run stores them in English)."""
    return {task: i18n.say(language, said, places) for task, said in read_models.task_labels(session, plan).items()}


@router.get("/plans/{code}/risk", dependencies=[Depends(public)])
def risk_page(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    plan = read_models.run_of_code(session, code)
    try:
        risk = service.latest_risk(session, plan)
    except DomainError:
        return render(request, "risk.html", user, plan=plan, risk=None, status_code=404)
    months = {key: value / 1e6 for key, value in risk.people_months.items()}
    years = public_years(session, plan, risk, int(request.app.state.settings.small_count_threshold))
    language = i18n.request_language(request)
    official = read_models.official_plan(session)
    return render(
        request, "risk.html", user, plan=plan, risk=risk, months=months, table_years=years,
        conclusions=conclusions(plan, risk, official is not None and official.run is plan),
        years=years_chart([row for row in years if "p10" in row], language),
        tornado=tornado(risk.tasks, language, _labels(session, plan, language, local_by_name(request, session))),
        settlements=sorted(risk.settlements, key=lambda r: (r["p90"], r["code"])), **local_names(request, session),
        month=lambda iso: dt.date.fromisoformat(iso).strftime("%Y-%m"),
    )  # fmt: skip
