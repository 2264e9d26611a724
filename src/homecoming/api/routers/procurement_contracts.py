"""Contracts with payment milestones, site inspections (with photos) and payments released only after them.

Contracts are public (what is bought, from whom, for how much, how much is paid); inspectors' and approvers'
names and the photographs are for staff. The inspector of record is the logged-in account, so the four-eyes
rule (nobody approves their own inspection) holds between accounts, not typed names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.api.routers.procurement import Clock
from homecoming.db.types import POSITIVE_AMOUNT
from homecoming.errors import NotFound
from homecoming.files.checks import IMAGES, served_type
from homecoming.files.store import FolderStore
from homecoming.finance.actions import RECORDERS as BUDGET_RECORDERS
from homecoming.http.deps import STAFF, AnyoneUnit, Comment, DbSession, Requires, optional_user, public
from homecoming.http.listing import Page, PagingDep, id_for, page_of
from homecoming.http.procurement_views import (
    ContractOut,
    InspectionOut,
    PaymentOut,
    contract_out,
    inspection_out,
    payment_out,
)
from homecoming.input_rules import InputModel, within
from homecoming.procurement import contract_actions, contracts, read_models, service
from homecoming.procurement.actions import OFFICERS, Viewer
from homecoming.procurement.contract_actions import INSPECTORS
from homecoming.procurement.models import Bidder, Contract, ContractStatus
from homecoming.procurement.schemas import BudgetChangeCreate, ContractCreate, InspectionCreate

router = APIRouter(prefix="/api", tags=["procurement: contracts, inspections, payments"])
Officer = Annotated[User, Depends(Requires(*OFFICERS))]
Inspector = Annotated[User, Depends(Requires(*INSPECTORS))]
Anyone = Annotated[User | None, Depends(optional_user)]
Staff = Annotated[User, Depends(Requires(*STAFF))]


class InspectionIn(InputModel):
    """What the inspector reports from the site; the inspector is the account that sends it."""

    inspected_on: dt.date
    passed: bool
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    notes: str | None = Field(default=None, max_length=4000)


class PaymentIn(InputModel):
    amount: float = within(POSITIVE_AMOUNT)


class BudgetChangeOut(BaseModel):
    code: str
    budget_allocation_code: str
    amount_azn: float
    reason: str
    approved_by: str
    approved_at: dt.datetime


@router.post("/budget-changes", status_code=status.HTTP_201_CREATED)
def record_budget_change(
    session: DbSession,
    user: Annotated[User, Depends(Requires(*BUDGET_RECORDERS))],
    clock: Clock,
    data: BudgetChangeCreate,
    comment: Comment = None,
) -> BudgetChangeOut:
    """An approved increase of what may be committed against a budget line (who approved it, and why)."""
    now = service.server_now(clock)
    change = contract_actions.record_budget_change(session, user, data, now=now, comment=comment)
    fields = data.model_dump(exclude={"budget_allocation_code"})
    return BudgetChangeOut(**fields, budget_allocation_code=data.budget_allocation_code, approved_at=change.approved_at)


@router.post("/tenders/{code}/contract", status_code=status.HTTP_201_CREATED)
def sign_contract(
    session: DbSession, user: Officer, clock: Clock, code: str, data: ContractCreate, comment: Comment = None
) -> ContractOut:
    """Sign the awarded tender's contract; refused beyond the budget allocation without an approved change."""
    contract = contract_actions.sign_contract(session, user, code, data, now=service.server_now(clock), comment=comment)
    return contract_out(session, contract, Viewer.of(user))


@router.get("/contracts", dependencies=[Depends(public)], response_model=Page[ContractOut])
async def list_contracts(
    unit: AnyoneUnit,
    paging: PagingDep,
    status: ContractStatus | None = None,
    bidder: str | None = None,
) -> Response:
    def page(session: Session, user: User | None) -> Page[ContractOut]:
        query = read_models.contracts_listed(status, id_for(session, Bidder, bidder, "bidder"))
        total, rows = page_of(session, query, Contract, ("code", "value", "signed_at", "status"), paging)
        viewer = Viewer.of(user)
        return Page(
            total=total,
            limit=paging.limit,
            offset=paging.offset,
            items=[contract_out(session, c, viewer) for c in rows],
        )

    return await unit.kept(page)


@router.get("/contracts/{code}", dependencies=[Depends(public)])
def get_contract(session: DbSession, user: Anyone, code: str) -> ContractOut:
    return contract_out(session, contracts.get_contract(session, code), Viewer.of(user))


@router.post("/contracts/{code}/milestones/{number}/inspections", status_code=status.HTTP_201_CREATED)
def record_inspection(
    session: DbSession, user: Inspector, code: str, number: int, data: InspectionIn, comment: Comment = None
) -> InspectionOut:
    """The inspector of record is the account that sends the report."""
    report = InspectionCreate(inspector=user.username, **data.model_dump())
    inspection = contract_actions.record_inspection(session, user, code, number, report, comment=comment)
    return inspection_out(inspection, number, Viewer.of(user))


@router.post("/inspections/{inspection_id}/photos", status_code=status.HTTP_201_CREATED)
async def add_photo(
    request: Request,
    session: DbSession,
    user: Inspector,
    inspection_id: int,
    photo: UploadFile,
    comment: Comment = None,
) -> InspectionOut:
    """A site photograph: a JPEG or PNG image, told from its content and decoded, and kept in the files store.

    A photo's EXIF geotag places the inspection when the inspector gave no coordinates."""
    settings = request.app.state.settings
    content = await photo.read(settings.max_file_bytes + 1)
    inspection, milestone = contract_actions.add_photo(
        session, user, inspection_id, photo.filename or "photo", content, store=FolderStore(settings.files_dir),
        max_bytes=settings.max_file_bytes, comment=comment,
    )  # fmt: skip
    return inspection_out(inspection, milestone.number, Viewer.of(user))


@router.get("/inspections/{inspection_id}/photos/{number}", response_class=Response)
def get_photo(request: Request, session: DbSession, _user: Staff, inspection_id: int, number: int) -> Response:
    """The n-th photo (from 1) of an inspection, as stored; staff only (a site photo may show people)."""
    inspection, _milestone, _contract = contract_actions.inspection_of(session, inspection_id)
    if not 1 <= number <= len(inspection.photos):
        raise NotFound(
            "inspection.photo_not_found",
            f"inspection {inspection_id} has {len(inspection.photos)} photos; there is no photo {number}",
            {"id": inspection_id, "photos": len(inspection.photos)},
        )
    key = inspection.photos[number - 1]
    content = FolderStore(request.app.state.settings.files_dir).read(key)
    media_type = served_type(content)  # what the bytes are (a file stored before photos were checked may be no image)
    headers = {} if media_type in IMAGES else {"content-disposition": "attachment"}
    return Response(content, media_type=media_type, headers=headers)


@router.post("/inspections/{inspection_id}/approval")
def approve_inspection(
    session: DbSession, user: Officer, clock: Clock, inspection_id: int, comment: Comment = None
) -> InspectionOut:
    """Four eyes: the account that inspected cannot approve."""
    inspection, milestone = contract_actions.approve_inspection(
        session, user, inspection_id, now=service.server_now(clock), comment=comment
    )
    return inspection_out(inspection, milestone.number, Viewer.of(user))


@router.post("/contracts/{code}/milestones/{number}/payments", status_code=status.HTTP_201_CREATED)
def pay_milestone(
    session: DbSession, user: Officer, clock: Clock, code: str, number: int, data: PaymentIn, comment: Comment = None
) -> PaymentOut:
    """Refused before that milestone has a passed inspection approved, and beyond the milestone or contract.

    One audit entry, the payment's; the payment that completes the contract holds the contract's change in it."""
    now = service.server_now(clock)
    payment = contract_actions.pay_milestone(session, user, code, number, data.amount, now=now, comment=comment)
    return payment_out(number, payment)
