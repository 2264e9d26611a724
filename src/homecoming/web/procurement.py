"""Procurement pages: tenders, a tender (evaluation and award), a contractor's own bids, a contract with its
milestones, inspections and payments, the red flags, and where the money went (with a bar chart drawn here).

Who sees what is the domain's one rule (`homecoming.procurement.actions`: `visible_tenders`, `visible_tender`,
`visible_bids`, `Viewer`), the same the API and the CLI call, so a page never shows what the API would withhold
from the same person: no draft to outsiders, no price before the opening, another company's sealed bid never to
a contractor, no inspector's name to the public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from homecoming.accounts.models import User
from homecoming.finance.read_models import budget_sources
from homecoming.http.deps import DbSession, Requires, optional_user, public, server_clock
from homecoming.http.listing import id_for, page_of
from homecoming.http.procurement_changes import amendments_out
from homecoming.http.procurement_views import bid_out, contract_out, tender_out
from homecoming.procurement import (
    actions,
    amendment_actions,
    complaint_actions,
    contracts,
    read_models,
    red_flags,
    reports,
    service,
)
from homecoming.procurement.actions import CONTRACTORS, Viewer
from homecoming.procurement.models import Tender, TenderStatus
from homecoming.territory import read_models as territory_read_models
from homecoming.territory.models import District
from homecoming.web.listing import ListSpec, list_view
from homecoming.web.pages import render
from homecoming.web.placenames import district_options, local_names

router = APIRouter(include_in_schema=False)
Anyone = Annotated[User | None, Depends(optional_user)]
Clock = Annotated[service.Clock, Depends(server_clock)]
S = TenderStatus
LIFECYCLE = (S.DRAFT, S.ENQUIRIES, S.TENDERING, S.OPENING, S.EVALUATION, S.AWARDED, S.CONTRACT_SIGNED, S.COMPLETE)


TENDER_LIST = ListSpec(
    sortable=("tender_end", "code", "status", "estimate_amount"),
    filters=("district", "status"),
    choices={"status": tuple(s.value for s in TenderStatus)},
    default_sort="-tender_end",
)


@router.get("/tenders", dependencies=[Depends(public)])
def tenders_page(request: Request, session: DbSession, user: Anyone, clock: Clock) -> HTMLResponse:
    """The tenders this viewer may see, a page at a time, by district and status (the filters only narrow them)."""
    view = list_view(request, TENDER_LIST)
    viewer = Viewer.of(user)
    now = service.server_now(clock)
    district_id = id_for(session, District, view.filter("district"), "district")
    status = view.chosen("status", TenderStatus)
    query = read_models.tenders_listed(user, district_id, status)
    total, listed = page_of(session, query, Tender, TENDER_LIST.sortable, view.paging)
    rows = [tender_out(session, t, viewer, now) for t in listed]
    districts = territory_read_models.district_names(session)
    statuses = [
        (s, s.replace("_", " "))
        for s in TENDER_LIST.choices["status"]
        if s != TenderStatus.DRAFT or not viewer.is_outsider
    ]
    return render(request, "procurement/tenders.html", user, tenders=rows, now=now, districts=districts,
                  clerk=viewer.runs_tenders, view=view, window=view.window(total), statuses=statuses,
                  district_options=district_options(request, session),
                  **local_names(request, session))  # fmt: skip


@router.get("/tenders/{code}", dependencies=[Depends(public)])
def tender_page(request: Request, session: DbSession, user: Anyone, clock: Clock, code: str) -> HTMLResponse:
    viewer = Viewer.of(user)
    tender = actions.visible_tender(session, user, code)
    now = service.server_now(clock)
    seen = actions.visible_bids(session, user, code)
    own = [bid_out(s) for s in seen if viewer.bidder_id is not None and s.bidder.id == viewer.bidder_id]
    contract = read_models.contract_of(session, tender)
    # the names of the companies whose bids this reader sees (the report is public only once every bid is opened)
    names = {s.bidder.code: s.bidder.name for s in seen}
    return render(
        request,
        "procurement/tender.html",
        user,
        t=tender_out(session, tender, viewer, now),
        report=tender.evaluation_report,
        own_bids=own,
        bids=[bid_out(s) for s in seen],
        contract_code=contract.code if contract else None,
        complaints=complaint_actions.visible_complaints(session, user, code),
        steps=_steps(tender.status),
        now=now,
        bidder_names=names,
        clerk=viewer.runs_tenders,
    )


def _steps(status: TenderStatus) -> list[tuple[str, str]]:
    """Each lifecycle step with `done`, `current` or `todo`; a closed tender shows where it stopped."""
    if status in LIFECYCLE:
        at = LIFECYCLE.index(status)
        return [(str(s), "done" if i < at else "current" if i == at else "todo") for i, s in enumerate(LIFECYCLE)]
    return [(str(s), "done") for s in LIFECYCLE[:1]] + [(str(status), "current")]


@router.get("/my/bids")
def my_bids_page(
    request: Request, session: DbSession, user: Annotated[User, Depends(Requires(*CONTRACTORS))]
) -> HTMLResponse:
    """The contractor's own bids with their receipts (an admin has no company, so sees an empty list)."""
    bidder, seen = actions.visible_own_bids(session, user)
    rows = [(bid_out(bid), title) for bid, title in seen]
    return render(request, "procurement/my_bids.html", user, company=bidder, bids=rows)


@router.get("/contracts/{code}", dependencies=[Depends(public)])
def contract_page(request: Request, session: DbSession, user: Anyone, code: str) -> HTMLResponse:
    contract = contracts.get_contract(session, code)
    out = contract_out(session, contract, Viewer.of(user))
    title = read_models.tender_of(session, contract).title
    seen = amendment_actions.visible_amendments(session, user, code)
    readable = {s.number for s in seen if amendment_actions.may_read_documents(user, s.status)}
    return render(request, "procurement/contract.html", user, c=out, title=title,
                  changes=amendments_out(session, contract, seen), readable=readable,
                  document_path=amendment_actions.document_path, clerk=Viewer.of(user).runs_tenders)  # fmt: skip


@router.get("/red-flags", dependencies=[Depends(public)])
def red_flags_page(request: Request, session: DbSession, user: Anyone) -> HTMLResponse:
    limits = red_flags.Thresholds()
    found = red_flags.red_flags(session, limits)
    made_up = {f"tenders/{code}" for code in service.illustrative_tenders(session)}
    return render(request, "procurement/red_flags.html", user, flags=[(f, _page_links(f.records)) for f in found],
                  limits=limits.model_dump(), made_up=made_up)  # fmt: skip


def _page_links(records: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Each record a flag names, with the page that shows it (a bid is shown in its tender's evaluation)."""
    tender = next((r.split("/", 1)[1] for r in records if r.startswith("tenders/")), None)
    out = []
    for record in records:
        kind, code = record.split("/", 1)
        href = {"tenders": f"/tenders/{code}", "bids": f"/tenders/{tender}#bid-{code[:12]}" if tender else None}
        out.append((record if kind != "bids" else f"bids/{code[:12]}…", href.get(kind)))
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    series: str  # css class: planned, revised, allocated, spent, committed, paid
    value: float
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    height: int
    series: tuple[str, ...]
    bars: list[Bar]
    groups: list[tuple[str, float]]  # label and its y


LABEL_W, CHART_W, BAR_H, GAP = 70, 520, 14, 12


def bar_chart(title: str, rows: list[tuple[str, dict[str, float]]], series: tuple[str, ...], scale: float,
              unit: str) -> Chart:  # fmt: skip
    """Horizontal bars per group, one per series that has a value; widths share one linear scale."""
    top = max((v for _, values in rows for v in values.values()), default=0.0) or 1.0
    bars, groups, y = [], [], 8.0
    for label, values in rows:
        shown = [s for s in series if values.get(s)]
        groups.append((label, y + BAR_H * max(len(shown), 1) / 2 + 4))
        for s in shown:
            bars.append(Bar(label, s, values[s] / scale, y, max(1.0, values[s] / top * CHART_W)))
            y += BAR_H
        y += GAP if shown else BAR_H + GAP
    return Chart(title, unit, int(y + 8), series, bars, groups)


BUDGET_SERIES = ("planned", "revised", "allocated", "spent")
CONTRACT_SERIES = ("committed", "paid")


@router.get("/money", dependencies=[Depends(public)])
def money_page(request: Request, session: DbSession, user: Anyone) -> HTMLResponse:
    by_year = reports.money_by(session, "year")
    by_source = reports.money_by(session, "source")
    budget = bar_chart("budget", [(line.key, line.figures) for line in by_year if line.figures], BUDGET_SERIES,
                       1e9, "bn AZN")  # fmt: skip
    spent = [(line.key, {"committed": line.committed_azn, "paid": line.paid_azn}) for line in by_year if line.contracts]
    contracted = bar_chart("contracts", spent, CONTRACT_SERIES, 1e6, "m AZN")
    return render(request, "procurement/money.html", user, by_year=by_year, by_source=by_source, budget=budget,
                  contracted=contracted, label_w=LABEL_W, chart_w=CHART_W, bar_h=BAR_H,
                  allocations=reports.allocations(session), sources=budget_sources(session),
                  made_up={by: reports.illustrative_contracts(session, by) for by in ("year", "source", "allocation")},
                  )  # fmt: skip
