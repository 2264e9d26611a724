"""Districts and settlements: public reference data; settlements editable by data entry (own district) and planners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import Comment, DbSession, PublicUnit, Requires, public
from homecoming.http.listing import (
    Codes,
    Page,
    Paging,
    PagingDep,
    id_for,
    page_json,
    page_of,
    showing_current,
)
from homecoming.http.schemas import DistrictOut, SettlementOut, build
from homecoming.territory import actions, read_models, service
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.territory.schemas import SettlementChange, SettlementCreate

router = APIRouter(prefix="/api", tags=["territory"])
Editor = Annotated[User, Depends(Requires(*actions.EDITORS))]
SETTLEMENT_PAGE = TypeAdapter(Page[SettlementOut])


def district_out(session: Session, district: District) -> DistrictOut:
    return build(DistrictOut, district, region_code=Codes(session).of(Region, district.region_id))


def settlement_out(codes: Codes, settlement: Settlement) -> SettlementOut:
    return build(SettlementOut, settlement, district_code=codes.district(settlement.district_id))


@router.get("/districts", dependencies=[Depends(public)], response_model=Page[DistrictOut])
async def list_districts(unit: PublicUnit, paging: PagingDep) -> Response:
    def page(session: Session, _user: User | None) -> Page[DistrictOut]:
        total, rows = page_of(session, read_models.districts_listed(), District, ("code", "name", "area_km2"), paging)
        codes = Codes(session)
        items = [build(DistrictOut, d, region_code=codes.of(Region, d.region_id)) for d in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.kept(page)


@router.get("/districts/{code}", dependencies=[Depends(public)])
def get_district(session: DbSession, code: str) -> DistrictOut:
    return district_out(session, service.get_district(session, code))


@router.get("/settlements", dependencies=[Depends(public)], response_model=Page[SettlementOut])
async def list_settlements(
    unit: PublicUnit, paging: PagingDep, district: str | None = None, kind: SettlementKind | None = None
) -> Response:
    """Public reference data every visitor's map and lists ask for: one page is built once per committed change
    (`Unit.kept`), and a request makes one trip to a worker thread."""
    return await unit.kept(lambda session, _user: _settlements(session, paging, district, kind))


def _settlements(session: Session, paging: Paging, district: str | None, kind: SettlementKind | None) -> bytes:
    query = read_models.settlements_listed(id_for(session, District, district, "district"), kind)
    sortable = ("code", "name", "kind", "households_before", "population_before")
    total, rows = page_of(session, query, Settlement, sortable, paging)
    codes = Codes(session)
    return page_json(SETTLEMENT_PAGE, total, paging, [settlement_out(codes, s) for s in rows])


@router.get("/settlements/{code}", dependencies=[Depends(public)])
def get_settlement(session: DbSession, code: str) -> SettlementOut:
    return settlement_out(Codes(session), service.get_settlement(session, code))


@router.post("/settlements", status_code=status.HTTP_201_CREATED)
def create_settlement(
    session: DbSession, user: Editor, data: SettlementCreate, comment: Comment = None
) -> SettlementOut:
    return settlement_out(Codes(session), actions.create_settlement(session, user, data, comment=comment))


@router.patch("/settlements/{code}")
def update_settlement(session: DbSession, user: Editor, code: str, data: SettlementChange) -> SettlementOut:
    with showing_current(lambda settlement: settlement_out(Codes(session), settlement)):
        settlement = actions.update_settlement(session, user, code, data, version=data.version, comment=data.comment)
    return settlement_out(Codes(session), settlement)
