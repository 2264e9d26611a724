"""The household registry: personal data, so every route here is for registrars (and admins) only."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.households import actions, read_models
from homecoming.households.models import Household, HouseholdMember
from homecoming.households.schemas import HouseholdCreate, MemberChange, MemberCreate, ReturnConfirmationIn, ReturnedOn
from homecoming.http.deps import Comment, DbSession, RecordNumber, Requires, RequiresInUnit, Unit, server_now
from homecoming.http.listing import (
    Codes,
    Page,
    Paging,
    PagingDep,
    RowListing,
    id_for,
    page_json,
    settlement_ids_in,
    showing_current,
)
from homecoming.http.schemas import HouseholdOut, MemberOut, ReturnConfirmationOut, build
from homecoming.territory.models import Settlement

router = APIRouter(prefix="/api/households", tags=["households"])
Registrar = Annotated[User, Depends(Requires(*actions.REGISTRARS))]
SORTABLE = ("code", "size", "rooms_needed", "registered_on", "returned_on")
HOUSEHOLD_PAGE = TypeAdapter(Page[HouseholdOut])
# The fields a listed household shows, in the model's order; its origin's id is selected in place of its code.
LISTED_FIELDS = tuple(HouseholdOut.model_fields)
ORIGIN = LISTED_FIELDS.index("origin_settlement_code")
LISTED = [
    Household.__table__.c["origin_settlement_id" if i == ORIGIN else name] for i, name in enumerate(LISTED_FIELDS)
]


def household_out(codes: Codes, household: Household) -> HouseholdOut:
    return build(HouseholdOut, household, origin_settlement_code=codes.settlement(household.origin_settlement_id))


@router.get("", response_model=Page[HouseholdOut])
async def list_households(
    unit: Annotated[Unit, Depends(RequiresInUnit(*actions.REGISTRARS))],
    paging: PagingDep,
    settlement: str | None = None,
    district: str | None = None,
    status: Literal["waiting", "returned"] | None = None,
) -> Response:
    """Registrars page through the national registry: plain rows, codes and counts kept per committed change, the
    account, the page and the commit in one trip to a worker thread; a page asked again before the next committed
    change is sent as it was (`Unit.kept`: the list is the same for every registrar)."""
    return await unit.kept(lambda session, _user: _households(session, paging, settlement, district, status))


def _households(
    session: Session, paging: Paging, settlement: str | None, district: str | None, status: str | None
) -> bytes:
    params: dict[str, Any] = {}
    if settlement is not None:
        params["settlement_id"] = id_for(session, Settlement, settlement, "settlement")
    if district is not None:
        params["district_settlement_ids"] = settlement_ids_in(session, district)
    listing = _listing(settlement is not None, district is not None, status, paging.sort)
    total, rows = listing.rows(session, params, paging)
    code_of = Codes(session).map(Settlement)
    items = [
        dict(zip(LISTED_FIELDS, (*row[:ORIGIN], code_of[row[ORIGIN]], *row[ORIGIN + 1 :]), strict=True)) for row in rows
    ]
    return page_json(HOUSEHOLD_PAGE, total, paging, items)


@lru_cache(maxsize=256)  # at most 2 x 2 x 3 x 11 shapes; a bad sort raises and is not kept
def _listing(settlement: bool, district: bool, status: str | None, sort: str | None) -> RowListing:
    """The household list's statements for one shape of filters and order, built once."""
    query = read_models.households_listed(LISTED, settlement=settlement, district=district, status=status)
    return RowListing(query, Household, SORTABLE, sort)


@router.get("/{code}")
def get_household(session: DbSession, user: Registrar, code: str) -> HouseholdOut:
    return household_out(Codes(session), actions.visible_household(session, user, code))


@router.post("", status_code=status.HTTP_201_CREATED)
def register_household(
    session: DbSession, user: Registrar, data: HouseholdCreate, comment: Comment = None
) -> HouseholdOut:
    household = actions.register_household(session, user, data, comment=comment)
    return household_out(Codes(session), household)


@router.post("/{code}/return")
def mark_returned(session: DbSession, user: Registrar, code: str, data: ReturnedOn) -> HouseholdOut:
    codes = Codes(session)
    with showing_current(lambda current: household_out(codes, current)):
        household = actions.mark_returned(session, user, code, data.on, version=data.version, comment=data.comment)
    return household_out(codes, household)


@router.get("/{code}/confirmations")
def list_confirmations(session: DbSession, user: Registrar, code: str) -> list[ReturnConfirmationOut]:
    """The household's confirmations of its voluntary return, latest first: when, how, who took it down."""
    return [build(ReturnConfirmationOut, c) for c in actions.visible_confirmations(session, user, code)]


@router.post("/{code}/confirmations")
def reconfirm_return(session: DbSession, user: Registrar, code: str, data: ReturnConfirmationIn) -> HouseholdOut:
    """The household confirms (or withdraws) its voluntary return; only a confirmed household goes on a convoy."""
    codes = Codes(session)
    with showing_current(lambda current: household_out(codes, current)):
        household = actions.reconfirm_return(
            session, user, code, data.confirmed, data.on, data.method, version=data.version, comment=data.comment
        )
    return household_out(codes, household)


def member_out(member: HouseholdMember) -> MemberOut:
    return build(MemberOut, member)


@router.get("/{code}/members")
def list_members(session: DbSession, user: Registrar, code: str) -> list[MemberOut]:
    """The household's people (personal data): names, births, documents, specific needs."""
    _, people = actions.visible_members(session, user, code)
    return [member_out(m) for m in people]


@router.post("/{code}/members", status_code=status.HTTP_201_CREATED)
def add_member(
    request: Request, session: DbSession, user: Registrar, code: str, data: MemberCreate, comment: Comment = None
) -> MemberOut:
    """One more person; the household's size, children and elderly are then counted from its members."""
    return member_out(actions.add_member(session, user, code, data, now=server_now(request), comment=comment))


@router.put("/{code}/members/{number}")
def change_member(
    request: Request, session: DbSession, user: Registrar, code: str, number: RecordNumber, data: MemberChange
) -> MemberOut:
    with showing_current(member_out):
        member = actions.change_member(
            session, user, code, number, data, now=server_now(request), version=data.version, comment=data.comment
        )
    return member_out(member)


@router.delete("/{code}/members/{number}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(
    request: Request, session: DbSession, user: Registrar, code: str, number: RecordNumber,
    version: Annotated[int, Query(ge=1)], comment: Comment = None,
) -> None:  # fmt: skip
    with showing_current(member_out):
        actions.remove_member(session, user, code, number, now=server_now(request), version=version, comment=comment)
