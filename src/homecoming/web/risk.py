"""The schedule-risk page of a plan: bands of people home by year, ready-date bands per settlement and a tornado of
the works most often on a late settlement's critical chain. Public: aggregates only (no household counts per
settlement; a year adding too few households is withheld with the next, and the bands are rounded while a planned
settlement is withheld: homecoming.disclosure). Charts are SVG drawn here, nothing from a CDN."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from homecoming.errors import DomainError
from homecoming.http.deps import DbSession, public
from homecoming.planning import read_models
from homecoming.risk import service
from homecoming.risk.public import public_years
from homecoming.web.pages import Viewer, render

router = APIRouter(include_in_schema=False)
TORNADO_ROWS = 12


@dataclass(frozen=True)
class Chart:
    svg: Markup
    summary: str  # what the chart says, for screen readers


def years_chart(years: list[dict[str, Any]]) -> Chart:
    """People whose settlement is ready by each year end: the P10-P90 band, the P50 line and the plan's line."""
    width, height, left, bottom, top, right = 640, 260, 64, 36, 12, 12
    top_value = max([1, *(max(y["plan"], y["p90"]) for y in years)])
    step = (width - left - right) / max(1, len(years) - 1)

    def x(k: int) -> float:
        return left + k * step

    def y(value: float) -> float:
        return float(top + (height - top - bottom) * (1 - value / top_value))

    def line(key: str) -> str:
        return " ".join(f"{x(k):.1f},{y(r[key]):.1f}" for k, r in enumerate(years))

    band = line("p90") + " " + " ".join(f"{x(k):.1f},{y(r['p10']):.1f}" for k, r in reversed(list(enumerate(years))))
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="years-title">',
             '<title id="years-title">People home by year: plan and P10-P90 band</title>',
             f'<polygon class="band" points="{band}"/>', f'<polyline class="p50" points="{line("p50")}"/>',
             f'<polyline class="plan" points="{line("plan")}"/>']  # fmt: skip
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        parts.append(f'<text class="axis" x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    for k, r in enumerate(years):
        parts.append(f'<text class="axis" x="{x(k):.1f}" y="{height - 12}" text-anchor="middle">{r["year"]}</text>')
    parts.append("</svg>")
    last = years[-1] if years else {"year": "", "p10": 0, "p90": 0}
    said = f"By the end of {last['year']}: between {last['p10']:,} and {last['p90']:,} people (P10-P90)."
    return Chart(Markup("".join(parts)), said)  # every value is a number or escaped


def tornado(tasks: list[dict[str, Any]]) -> Chart:
    """The works most often on the critical chain of a late settlement, longest bar first."""
    rows = tasks[:TORNADO_ROWS]
    width, row_h, label_w = 640, 26, 300
    height = max(1, len(rows)) * row_h + 8
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tornado-title">',
             '<title id="tornado-title">Criticality index of the works to watch</title>']  # fmt: skip
    for k, t in enumerate(rows):
        y = 4 + k * row_h
        bar = (width - label_w - 60) * float(t["criticality"])
        label = escape((t["label"] or t["task"])[:48])
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{label}</text>')
        parts.append(f'<rect class="crit" x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row_h - 8}"/>')
        parts.append(f'<text class="axis" x="{label_w + bar + 6:.1f}" y="{y + 17}">{t["criticality"]:.0%}</text>')
    parts.append("</svg>")
    said = ", ".join(f"{t['label'] or t['task']}: {t['criticality']:.0%}" for t in rows)
    return Chart(Markup("".join(parts)), said)  # labels escaped


@router.get("/plans/{code}/risk", dependencies=[Depends(public)])
def risk_page(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    plan = read_models.run_of_code(session, code)
    try:
        risk = service.latest_risk(session, plan)
    except DomainError:
        return render(request, "risk.html", user, plan=plan, risk=None, status_code=404)
    months = {key: value / 1e6 for key, value in risk.people_months.items()}
    years = public_years(session, plan, risk, int(request.app.state.settings.small_count_threshold))
    return render(
        request, "risk.html", user, plan=plan, risk=risk, months=months, table_years=years,
        years=years_chart([row for row in years if "p10" in row]),
        tornado=tornado(risk.tasks), settlements=sorted(risk.settlements, key=lambda r: (r["p90"], r["code"])),
        month=lambda iso: dt.date.fromisoformat(iso).strftime("%Y-%m"),
    )  # fmt: skip
