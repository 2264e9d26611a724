"""Hazard areas: public to read (where the danger is, never who); mine-action officers record them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import Comment, DbSession, PublicUnit, Requires, public
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of
from homecoming.http.schemas import HazardAreaOut, build
from homecoming.mine_action import actions, read_models, service
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus
from homecoming.mine_action.schemas import HazardAreaCreate
from homecoming.territory.models import District, Settlement

router = APIRouter(prefix="/api/hazard-areas", tags=["mine action"])
SORTABLE = ("code", "classification", "status", "estimated_area_m2", "remaining_area_m2")


def hazard_out(codes: Codes, area: HazardArea) -> HazardAreaOut:
    return build(
        HazardAreaOut,
        area,
        blocks_settlement_code=codes.settlement(area.blocks_settlement_id),
        district_code=codes.district(area.district_id),
    )


@router.get("", dependencies=[Depends(public)], response_model=Page[HazardAreaOut])
async def list_hazard_areas(
    unit: PublicUnit,
    paging: PagingDep,
    district: str | None = None,
    settlement: str | None = None,
    status: HazardStatus | None = None,
    classification: HazardClassification | None = None,
) -> Response:
    def page(session: Session, _user: User | None) -> Page[HazardAreaOut]:
        district_id = id_for(session, District, district, "district")
        settlement_id = id_for(session, Settlement, settlement, "settlement")
        query = read_models.hazard_areas_listed(district_id, settlement_id, status, classification)
        total, rows = page_of(session, query, HazardArea, SORTABLE, paging)
        codes = Codes(session)
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[hazard_out(codes, a) for a in rows])

    return await unit.kept(page)


@router.get("/{code}", dependencies=[Depends(public)])
def get_hazard_area(session: DbSession, code: str) -> HazardAreaOut:
    return hazard_out(Codes(session), service.get_hazard_area(session, code))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_hazard_area(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*actions.OFFICERS))],
    data: HazardAreaCreate,
    comment: Comment = None,
) -> HazardAreaOut:
    return hazard_out(Codes(session), actions.create_hazard_area(session, user, data, comment=comment))
