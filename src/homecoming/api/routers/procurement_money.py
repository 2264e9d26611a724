"""Prices, cost estimates, where the money went, red flags and the open-data exports.

Price lists, finance reports, red flags and the exports are public: they are built only from published, opened
or signed records (no sealed bid, no personal data). Bills of quantities and estimates are staff work papers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.api.routers.procurement import Clock
from homecoming.errors import NotFound, RuleViolation
from homecoming.http.deps import STAFF, Comment, DbSession, PublicUnit, Requires, StaffUnit, public
from homecoming.http.listing import Page, PagingDep, id_for, page_of
from homecoming.http.procurement_views import BillOfQuantitiesOut, PriceListOut, boq_out, price_list_out
from homecoming.interchange import iati, oc4ids, ocds
from homecoming.procurement import contract_actions, pricing, read_models, red_flags, reports, service
from homecoming.procurement.actions import OFFICERS
from homecoming.procurement.models import BillOfQuantities, PriceList
from homecoming.procurement.schemas import BillOfQuantitiesCreate, PriceListCreate
from homecoming.territory.models import Region

router = APIRouter(prefix="/api", tags=["procurement: prices, money, red flags, open data"])
Officer = Annotated[User, Depends(Requires(*OFFICERS))]
Staff = Annotated[User, Depends(Requires(*STAFF))]


class EstimateOut(BaseModel):
    boq_code: str
    on: dt.date
    region_code: str | None
    currency: str
    total: float
    lines: list[dict[str, Any]]


class RecordLink(BaseModel):
    record: str  # "tenders/T-1", "bids/<receipt>", "bidders/<code>", "districts/<code>"
    href: str | None  # where to read it in the API


class RedFlagOut(BaseModel):
    code: str
    indicator: str
    message: str
    value: float
    threshold: float
    records: list[RecordLink]


@router.get("/price-lists", dependencies=[Depends(public)], response_model=Page[PriceListOut])
async def list_price_lists(
    unit: PublicUnit, paging: PagingDep, region: str | None = None, on: dt.date | None = None
) -> Response:
    """Every list ever made (a new price is a new list): filter by region, or by those in force by a date."""

    def page(session: Session, _user: User | None) -> Page[PriceListOut]:
        query = read_models.price_lists_listed(id_for(session, Region, region, "region"), on)
        total, rows = page_of(session, query, PriceList, ("code", "effective_date"), paging)
        items = [price_list_out(session, p) for p in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.kept(page)


@router.get("/price-lists/{code}", dependencies=[Depends(public)])
def get_price_list(session: DbSession, code: str) -> PriceListOut:
    return price_list_out(session, read_models.price_list_of_code(session, code))


@router.post("/price-lists", status_code=status.HTTP_201_CREATED)
def add_price_list(session: DbSession, user: Officer, data: PriceListCreate, comment: Comment = None) -> PriceListOut:
    """A new list never rewrites an old one: one list per region and effective date."""
    return price_list_out(session, contract_actions.add_price_list(session, user, data, comment=comment))


@router.get("/bills-of-quantities", response_model=Page[BillOfQuantitiesOut])
async def list_bills(unit: StaffUnit, paging: PagingDep) -> Response:
    def page(session: Session, _user: User | None) -> Page[BillOfQuantitiesOut]:
        total, rows = page_of(session, read_models.bills_listed(), BillOfQuantities, ("code", "title"), paging)
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[boq_out(session, b) for b in rows])

    return await unit.kept(page)


@router.post("/bills-of-quantities", status_code=status.HTTP_201_CREATED)
def add_bill(
    session: DbSession, user: Officer, data: BillOfQuantitiesCreate, comment: Comment = None
) -> BillOfQuantitiesOut:
    return boq_out(session, contract_actions.add_bill_of_quantities(session, user, data, comment=comment))


@router.get("/bills-of-quantities/{code}/estimate")
def estimate(session: DbSession, _user: Staff, code: str, on: dt.date, region: str | None = None) -> EstimateOut:
    """The bill priced at the lists in force on `on` (the region's before the national), each line with its list."""
    result = pricing.cost_estimate(session, code, on, region)
    lines = [line.__dict__ for line in result.lines]
    return EstimateOut(boq_code=code, on=on, region_code=region, currency=result.currency, total=result.total,
                       lines=lines)  # fmt: skip


def _links(records: tuple[str, ...]) -> list[RecordLink]:
    tender = next((r.split("/", 1)[1] for r in records if r.startswith("tenders/")), None)
    out = []
    for record in records:
        kind, code = record.split("/", 1)
        href = {
            "tenders": f"/api/tenders/{code}",
            "districts": f"/api/districts/{code}",
            "bids": f"/api/tenders/{tender}/evaluation" if tender else None,
            "bidders": f"/api/contracts?bidder={code}",
        }.get(kind)
        out.append(RecordLink(record=record, href=href))
    return out


@router.get("/red-flags", dependencies=[Depends(public)])
def list_red_flags(session: DbSession, limits: Annotated[red_flags.Thresholds, Query()]) -> list[RedFlagOut]:
    """Reasons to look closer (never verdicts); every threshold can be given as a query parameter."""
    return [
        RedFlagOut(
            code=f.code,
            indicator=f.indicator,
            message=f.message,
            value=f.value,
            threshold=f.threshold,
            records=_links(f.records),
        )
        for f in red_flags.red_flags(session, limits)
    ]


@router.get("/finance/report", dependencies=[Depends(public)])
def finance_report(
    session: DbSession, by: Literal["year", "source", "district", "sector"] = "year"
) -> list[reports.MoneyLine]:
    """Allocated (by year and source), committed and paid, in AZN at each record's own rate."""
    return reports.money_by(session, by)


@router.get("/finance/allocations", dependencies=[Depends(public)])
def allocation_report(session: DbSession) -> list[dict[str, Any]]:
    """Each budget line with its approved changes and what is committed and paid against it."""
    return [{**line.__dict__, "uncommitted_azn": line.uncommitted_azn} for line in reports.allocations(session)]


@contextmanager
def _published() -> Iterator[None]:
    """An export with nothing in it yet is a document that does not exist yet: 404, with the exporter's reason."""
    try:
        yield
    except RuleViolation as exc:
        if exc.code.endswith(".nothing_to_publish"):
            raise NotFound(exc.code, exc.message, exc.details) from None
        raise


IncludeIllustrative = Annotated[
    bool,
    Query(description="also the demo's illustrative records, each marked as such (left out by default)"),
]


@router.get("/open-data/ocds.json", dependencies=[Depends(public)])
def export_ocds(session: DbSession, clock: Clock, include_illustrative: IncludeIllustrative = False) -> dict[str, Any]:
    """Published tenders, awards and contracts as an OCDS 1.1.5 release package (validated before it leaves)."""
    with _published():
        return ocds.release_package(session, service.server_now(clock), include_illustrative=include_illustrative)


@router.get("/open-data/ocds-records.json", dependencies=[Depends(public)])
def export_ocds_records(
    session: DbSession, clock: Clock, include_illustrative: IncludeIllustrative = False
) -> dict[str, Any]:
    """Each contracting process as an OCDS record: its release history (a release per contract amendment, tagged
    `contractAmendment`) and its compiled release (validated before it leaves)."""
    with _published():
        return ocds.record_package(session, service.server_now(clock), include_illustrative=include_illustrative)


@router.get("/open-data/oc4ids.json", dependencies=[Depends(public)])
def export_oc4ids(
    session: DbSession, clock: Clock, include_illustrative: IncludeIllustrative = False
) -> dict[str, Any]:
    """The works projects as an OC4IDS 0.9.4 project package, linked to the OCDS releases."""
    with _published():
        return oc4ids.project_package(session, service.server_now(clock), include_illustrative=include_illustrative)


@router.get("/open-data/iati.xml", dependencies=[Depends(public)], response_class=Response)
def export_iati(session: DbSession, clock: Clock, include_illustrative: IncludeIllustrative = False) -> Response:
    """The works projects as IATI 2.03 activities (validated against the official XSD)."""
    with _published():
        export = iati.activities(session, service.server_now(clock), include_illustrative=include_illustrative)
    return Response(export.xml, media_type="application/xml")
