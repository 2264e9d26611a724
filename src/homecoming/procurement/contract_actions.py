"""Procurement's use-cases after the award: contracts, inspections (with photos), approvals, payments, budget changes,
price lists and bills of quantities. Same shape as `procurement.actions`: role, district, the change, its one audit
entry, in the caller's unit of work; a refusal writes nothing.

Contracts are public; inspectors' and approvers' names and the photographs are for staff (`actions.Viewer`). The
approver of record is the acting account, so the four-eyes rule holds between accounts, not typed names.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import require_role
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.errors import NotFound, RuleViolation
from homecoming.files.checks import check_image
from homecoming.files.store import FileStore, original_key
from homecoming.finance.actions import RECORDERS as BUDGET_RECORDERS
from homecoming.procurement import contracts, pricing, service
from homecoming.procurement.actions import OFFICERS
from homecoming.procurement.models import (
    BillOfQuantities,
    BoqLine,
    BudgetChange,
    Contract,
    Inspection,
    Milestone,
    Payment,
    PriceItem,
    PriceList,
    Tender,
)
from homecoming.procurement.schemas import (
    BillOfQuantitiesCreate,
    BudgetChangeCreate,
    ContractCreate,
    InspectionCreate,
    PriceListCreate,
)
from homecoming.territory import scope

INSPECTORS = (Role.PROCUREMENT_OFFICER, Role.DATA_ENTRY)  # a data-entry inspector only in its own district
MAX_PHOTOS = 20


def _at(now: dt.datetime) -> service.Clock:
    return lambda: now


def inspection_of(session: Session, inspection_id: int) -> tuple[Inspection, Milestone, Contract]:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("inspections.not_found", f"no inspection {inspection_id}", {"id": inspection_id})
    milestone = session.get_one(Milestone, inspection.milestone_id)
    return inspection, milestone, session.get_one(Contract, milestone.contract_id)


def inspection_code(contract: Contract, milestone: Milestone, inspection: Inspection) -> str:
    """What the audit trail files an inspection under: `<contract>/<milestone number>/#<id>`."""
    return f"{contract.code}/{milestone.number}/#{inspection.id}"


def _may_inspect(session: Session, actor: User | None, contract: Contract) -> User:
    """A procurement officer anywhere; a data-entry inspector only on works in its own district."""
    user = require_role(actor, *INSPECTORS)
    tender = session.get_one(Tender, contract.tender_id)
    scope.ensure_may_write(session, user, scope.Place(tender.district_id))
    return user


def record_budget_change(
    session: Session, actor: User | None, data: BudgetChangeCreate, *, now: dt.datetime, comment: str | None = None
) -> BudgetChange:
    """An approved increase of what may be committed against a budget line (who approved it, and why)."""
    user = require_role(actor, *BUDGET_RECORDERS)
    change = contracts.record_budget_change(session, data, _at(now))
    audit.record_change(session, user, "create", change, before=None, comment=comment)
    return change


def sign_contract(
    session: Session, actor: User | None, code: str, data: ContractCreate, *, now: dt.datetime,
    comment: str | None = None,
) -> Contract:  # fmt: skip
    """Sign the awarded tender's contract; one entry, filed under the contract: its milestones and the tender's
    change of status (`tender_change`) with it."""
    user = require_role(actor, *OFFICERS)
    tender = service.get_tender(session, code)
    before = audit.snapshot(tender)
    contract = contracts.sign_contract(session, code, data, _at(now))
    milestones = session.scalars(
        select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.number)
    )
    after = audit.snapshot(contract) | {"milestones": [audit.snapshot(m) for m in milestones]}
    after["tender_change"] = audit.linked_change(tender, before)
    audit.record_change(session, user, "create", contract, before=None, comment=comment, after=after)
    return contract


def record_inspection(
    session: Session, actor: User | None, code: str, number: int, report: InspectionCreate, *,
    comment: str | None = None,
) -> Inspection:  # fmt: skip
    user = _may_inspect(session, actor, contracts.get_contract(session, code))
    inspection = contracts.record_inspection(session, code, number, report)
    filed = f"{code}/{number}/#{inspection.id}"
    audit.record_change(session, user, "create", inspection, before=None, comment=comment, code=filed)
    return inspection


def add_photo(
    session: Session, actor: User | None, inspection_id: int, name: str, content: bytes, *, store: FileStore,
    max_bytes: int, comment: str | None = None,
) -> tuple[Inspection, Milestone]:  # fmt: skip
    """A site photograph, told from its content and decoded, kept in the files store. A photo's EXIF geotag places
    the inspection when the inspector gave no coordinates."""
    inspection, milestone, contract = inspection_of(session, inspection_id)
    user = _may_inspect(session, actor, contract)
    if len(inspection.photos) >= MAX_PHOTOS:
        raise RuleViolation(
            "inspection.too_many_photos", f"an inspection keeps at most {MAX_PHOTOS} photos", {"id": inspection_id}
        )
    checked = check_image(name, content, max_bytes)  # from its content
    key = original_key(checked.sha256, checked.suffix)
    store.put(key, content)
    before = audit.snapshot(inspection)
    inspection.photos = [*inspection.photos, key]
    if checked.geotag is not None and inspection.lat is None and inspection.lon is None:
        inspection.lat, inspection.lon = checked.geotag
    session.flush()
    filed = inspection_code(contract, milestone, inspection)
    audit.record_change(session, user, "update", inspection, before=before, comment=comment, code=filed)
    return inspection, milestone


def approve_inspection(
    session: Session, actor: User | None, inspection_id: int, *, approver: str | None = None, now: dt.datetime,
    comment: str | None = None,
) -> tuple[Inspection, Milestone]:  # fmt: skip
    """Four eyes: whoever inspected cannot approve. The approver is the acting account unless the office records a
    named approver's signature (`approver`, the CLI's paper trail)."""
    user = require_role(actor, *OFFICERS)
    inspection, milestone, contract = inspection_of(session, inspection_id)
    before = audit.snapshot(inspection)
    contracts.approve_inspection(session, inspection_id, approver or user.username, _at(now))
    filed = inspection_code(contract, milestone, inspection)
    audit.record_change(session, user, "update", inspection, before=before, comment=comment, code=filed)
    return inspection, milestone


def pay_milestone(
    session: Session, actor: User | None, code: str, number: int, amount: float, *, now: dt.datetime,
    comment: str | None = None,
) -> Payment:  # fmt: skip
    """Refused before that milestone has a passed inspection approved, and beyond the milestone or contract. The
    payment is one entry; the one that completes the contract holds the contract's change of status in it
    (`contract_change`)."""
    user = require_role(actor, *OFFICERS)
    contract = contracts.get_contract(session, code)
    before = audit.snapshot(contract)
    payment = contracts.pay_milestone(session, code, number, amount, _at(now))
    filed = f"{code}/{number}/#{payment.id}"
    after = audit.snapshot(payment)
    if audit.snapshot(contract) != before:
        after["contract_change"] = audit.linked_change(contract, before)
    audit.record_change(session, user, "create", payment, before=None, comment=comment, code=filed, after=after)
    return payment


def add_price_list(
    session: Session, actor: User | None, data: PriceListCreate, *, comment: str | None = None
) -> PriceList:
    """A new list never rewrites an old one: one list per region and effective date."""
    user = require_role(actor, *OFFICERS)
    price_list = pricing.add_price_list(session, data)
    items = session.scalars(select(PriceItem).where(PriceItem.price_list_id == price_list.id).order_by(PriceItem.id))
    after = audit.snapshot(price_list) | {"items": [audit.snapshot(i) for i in items]}
    audit.record_change(session, user, "create", price_list, before=None, comment=comment, after=after)
    return price_list


def add_bill_of_quantities(
    session: Session, actor: User | None, data: BillOfQuantitiesCreate, *, comment: str | None = None
) -> BillOfQuantities:
    user = require_role(actor, *OFFICERS)
    boq = pricing.add_bill_of_quantities(session, data)
    lines = session.scalars(select(BoqLine).where(BoqLine.boq_id == boq.id).order_by(BoqLine.id))
    after = audit.snapshot(boq) | {"lines": [audit.snapshot(line) for line in lines]}
    audit.record_change(session, user, "create", boq, before=None, comment=comment, after=after)
    return boq
