"""Contracts signed on an award, paid milestone by milestone after an approved inspection.

Two invariants of the money chain live here: no commitment beyond the budget allocation (plus its approved
changes), and no payment beyond the contract value or before that milestone's work was inspected and approved.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code
from homecoming.errors import NotFound, RuleViolation
from homecoming.finance.models import BudgetAllocation
from homecoming.procurement import complaints
from homecoming.procurement.models import (
    BudgetChange,
    Contract,
    ContractStatus,
    Inspection,
    Milestone,
    Payment,
    Tender,
    TenderStatus,
)
from homecoming.procurement.schemas import BudgetChangeCreate, ContractCreate, InspectionCreate
from homecoming.procurement.service import Clock, check_move, get_tender, move, server_now, utc_now

CENT = 0.005


def record_budget_change(session: Session, data: BudgetChangeCreate, clock: Clock = utc_now) -> BudgetChange:
    allocation = get_by_code(session, BudgetAllocation, data.budget_allocation_code)
    fields = data.model_dump(exclude={"budget_allocation_code"})
    return add_unique(
        session, BudgetChange(budget_allocation_id=allocation.id, approved_at=server_now(clock), **fields)
    )


def allocation_headroom_azn(session: Session, allocation: BudgetAllocation) -> tuple[float, float]:
    """(what may be committed: the allocation plus approved changes, what is committed already) in AZN."""
    changes = session.scalar(
        select(func.coalesce(func.sum(BudgetChange.amount_azn), 0)).where(
            BudgetChange.budget_allocation_id == allocation.id
        )
    )
    committed = session.scalar(
        select(func.coalesce(func.sum(Contract.value * Contract.rate_to_azn), 0)).where(
            Contract.budget_allocation_id == allocation.id
        )
    )
    return allocation.amount_azn + float(changes or 0), float(committed or 0)


def sign_contract(session: Session, tender_code: str, data: ContractCreate, clock: Clock = utc_now) -> Contract:
    """The awarded tender becomes a contract at the award amount, committed against the tender's allocation."""
    tender = get_tender(session, tender_code)
    check_move(tender, TenderStatus.CONTRACT_SIGNED)
    complaints.check_signable(session, tender, server_now(clock))
    value = float(tender.award_amount or 0)
    rate = _rate_to_azn(tender, data.rate_to_azn)
    scheduled = round(sum(m.amount for m in data.milestones), 2)
    if scheduled > value + CENT:
        raise RuleViolation(
            "contract.milestones_exceed_value",
            f"milestones add up to {scheduled:,.2f}, more than the contract value {value:,.2f}",
            {"milestones": scheduled, "value": value},
        )
    check_commitment(session, tender, value * rate)
    move(tender, TenderStatus.CONTRACT_SIGNED)
    contract = add_unique(
        session,
        Contract(
            code=data.code,
            tender_id=tender.id,
            bidder_id=tender.winning_bidder_id,
            budget_allocation_id=tender.budget_allocation_id,
            value=value,
            currency=tender.currency,
            rate_to_azn=rate,
            signed_at=server_now(clock),
            status=ContractStatus.ACTIVE,
        ),
    )
    for number, milestone in enumerate(data.milestones, start=1):
        session.add(Milestone(contract_id=contract.id, number=number, **milestone.model_dump()))
    session.flush()
    return contract


def _rate_to_azn(tender: Tender, given: float | None) -> float:
    if tender.currency == "AZN":
        if given not in (None, 1):
            raise RuleViolation("contract.bad_rate", "an amount in AZN converts to AZN at rate 1", {"rate": given})
        return 1.0
    if given is None:
        raise RuleViolation(
            "contract.rate_missing",
            f"tender {tender.code} is in {tender.currency}: give the rate to AZN used for the commitment",
            {"currency": tender.currency},
        )
    return given


def check_commitment(session: Session, tender: Tender, amount_azn: float) -> None:
    """The one budget rule: what is committed on the tender's allocation, plus `amount_azn`, fits the allocation
    and its approved changes (a signing commits the contract value; an amendment its increase)."""
    if tender.budget_allocation_id is None:
        raise RuleViolation(
            "contract.no_budget_allocation",
            f"tender {tender.code} names no budget allocation; a contract must be committed against one",
            {"tender": tender.code},
        )
    allocation = session.get_one(BudgetAllocation, tender.budget_allocation_id)
    limit, committed = allocation_headroom_azn(session, allocation)
    if committed + amount_azn > limit + CENT:
        raise RuleViolation(
            "contract.budget_exceeded",
            f"committing {amount_azn:,.2f} AZN on {allocation.code} would exceed it: {committed:,.2f} of "
            f"{limit:,.2f} AZN already committed; record an approved budget change first",
            {"allocation": allocation.code, "limit_azn": limit, "committed_azn": committed, "amount_azn": amount_azn},
        )


def get_contract(session: Session, code: str) -> Contract:
    return get_by_code(session, Contract, code)


def get_milestone(session: Session, contract_code: str, number: int) -> Milestone:
    contract = get_contract(session, contract_code)
    query = select(Milestone).where(Milestone.contract_id == contract.id, Milestone.number == number)
    milestone = session.scalars(query).one_or_none()
    if milestone is None:
        raise NotFound(
            "milestones.not_found", f"contract {contract_code} has no milestone {number}", {"number": number}
        )
    return milestone


def record_inspection(session: Session, contract_code: str, number: int, data: InspectionCreate) -> Inspection:
    milestone = get_milestone(session, contract_code, number)
    if get_contract(session, contract_code).status is not ContractStatus.ACTIVE:
        raise RuleViolation("contract.closed", f"contract {contract_code} is complete", {"contract": contract_code})
    inspection = Inspection(milestone_id=milestone.id, **data.model_dump())
    session.add(inspection)
    session.flush()
    return inspection


def approve_inspection(session: Session, inspection_id: int, approver: str, clock: Clock = utc_now) -> Inspection:
    """Four eyes: the inspector cannot approve their own inspection."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("inspections.not_found", f"no inspection {inspection_id}", {"id": inspection_id})
    if inspection.approved_by is not None:
        raise RuleViolation("inspection.already_approved", f"inspection {inspection_id} is approved already")
    if approver.strip().casefold() == inspection.inspector.strip().casefold():
        raise RuleViolation(
            "inspection.self_approval",
            f"{approver} inspected this milestone and cannot also approve the inspection; ask another officer",
            {"inspector": inspection.inspector},
        )
    inspection.approved_by, inspection.approved_at = approver, server_now(clock)
    session.flush()
    return inspection


def pay_milestone(session: Session, contract_code: str, number: int, amount: float, clock: Clock = utc_now) -> Payment:
    contract = get_contract(session, contract_code)
    milestone = get_milestone(session, contract_code, number)
    passed = session.scalars(
        select(Inspection)
        .where(Inspection.milestone_id == milestone.id, Inspection.passed, Inspection.approved_by.is_not(None))
        .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
    ).first()
    if passed is None:
        raise RuleViolation(
            "payment.milestone_not_inspected",
            f"milestone {number} of {contract_code} has no approved, passed inspection; nothing can be paid for it",
            {"contract": contract_code, "milestone": number},
        )
    paid_milestone = _paid(session, Payment.milestone_id == milestone.id)
    if paid_milestone + amount > milestone.amount + CENT:
        raise RuleViolation(
            "payment.exceeds_milestone",
            f"milestone {number} is worth {milestone.amount:,.2f}; {paid_milestone:,.2f} is paid, so "
            f"{amount:,.2f} more is too much",
            {"milestone_amount": milestone.amount, "paid": paid_milestone, "amount": amount},
        )
    paid_contract = paid_on_contract(session, contract)
    if paid_contract + amount > contract.value + CENT:
        raise RuleViolation(
            "payment.exceeds_contract_value",
            f"contract {contract_code} is worth {contract.value:,.2f}; {paid_contract:,.2f} is paid already",
            {"value": contract.value, "paid": paid_contract, "amount": amount},
        )
    payment = Payment(milestone_id=milestone.id, inspection_id=passed.id, amount=amount, paid_at=server_now(clock))
    session.add(payment)
    session.flush()
    _complete_when_paid(session, contract, clock)
    return payment


def _paid(session: Session, condition: object) -> float:
    return float(session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(condition)) or 0)  # type: ignore[arg-type]


def paid_on_contract(session: Session, contract: Contract) -> float:
    ids = select(Milestone.id).where(Milestone.contract_id == contract.id)
    return _paid(session, Payment.milestone_id.in_(ids))


def _complete_when_paid(session: Session, contract: Contract, clock: Clock) -> None:
    milestones = session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)).all()
    if all(_paid(session, Payment.milestone_id == m.id) >= m.amount - CENT for m in milestones):
        contract.status = ContractStatus.COMPLETE
        tender = session.get_one(Tender, contract.tender_id)
        move(tender, TenderStatus.COMPLETE)
        tender.closed_at = server_now(clock)
        session.flush()
