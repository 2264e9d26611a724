"""Contract amendments (variation orders): a new price, scope or completion date, with its reason (issue 22).

One account requests, another approves (`amendment_actions` says which roles); the contract changes only at the
approval. An increase must fit what the budget allocation has left: the same rule as the signing
(`contracts.check_commitment`), checked at the request and again at the approval. A decrease never goes below what
is paid already. One request waits at a time, so each amendment's `old_*` is the contract as it then stood.
The contract's completion date is the latest approved amendment's, else its last milestone's due date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound, RuleViolation
from homecoming.procurement import contracts
from homecoming.procurement.models import (
    AmendmentStatus,
    Contract,
    ContractAmendment,
    ContractStatus,
    Milestone,
    Tender,
)
from homecoming.procurement.schemas import AmendmentCreate


def amendments_of(session: Session, contract: Contract) -> list[ContractAmendment]:
    query = select(ContractAmendment).where(ContractAmendment.contract_id == contract.id)
    return list(session.scalars(query.order_by(ContractAmendment.number)))


def approved_amendments(session: Session, contract: Contract) -> list[ContractAmendment]:
    return [a for a in amendments_of(session, contract) if a.status is AmendmentStatus.APPROVED]


def original_end_date(session: Session, contract: Contract) -> dt.date | None:
    return session.scalar(select(func.max(Milestone.due_date)).where(Milestone.contract_id == contract.id))


def end_date(session: Session, contract: Contract) -> dt.date | None:
    dated = [a.new_end_date for a in approved_amendments(session, contract) if a.new_end_date is not None]
    return dated[-1] if dated else original_end_date(session, contract)


def original_value(session: Session, contract: Contract) -> float:
    approved = approved_amendments(session, contract)
    return float(approved[0].old_value) if approved else float(contract.value)


def get_amendment(session: Session, contract: Contract, number: int) -> ContractAmendment:
    query = select(ContractAmendment).where(
        ContractAmendment.contract_id == contract.id, ContractAmendment.number == number
    )
    amendment = session.scalars(query).one_or_none()
    if amendment is None:
        raise NotFound(
            "amendments.not_found", f"contract {contract.code} has no amendment {number}", {"number": number}
        )
    return amendment


def request_amendment(
    session: Session, contract: Contract, data: AmendmentCreate, requested_by_id: int, now: dt.datetime
) -> ContractAmendment:
    if contract.status is not ContractStatus.ACTIVE:
        raise RuleViolation("contract.closed", f"contract {contract.code} is complete", {"contract": contract.code})
    waiting = [a for a in amendments_of(session, contract) if a.status is AmendmentStatus.REQUESTED]
    if waiting:
        raise Conflict(
            "amendment.pending",
            f"amendment {waiting[0].number} of {contract.code} awaits its approval; decide it first",
            {"contract": contract.code, "number": waiting[0].number},
        )
    new_value = float(contract.value) if data.new_value is None else data.new_value
    _check_value(session, contract, new_value)
    number = len(amendments_of(session, contract)) + 1
    amendment = ContractAmendment(
        contract_id=contract.id,
        number=number,
        status=AmendmentStatus.REQUESTED,
        reason=data.reason,
        scope=data.scope,
        old_value=float(contract.value),
        new_value=new_value,
        old_end_date=end_date(session, contract),
        new_end_date=data.new_end_date,
        requested_by_id=requested_by_id,
        requested_at=now,
    )
    session.add(amendment)
    session.flush()
    return amendment


def decide_amendment(
    session: Session, contract: Contract, amendment: ContractAmendment, approve: bool, decided_by_id: int,
    now: dt.datetime,
) -> ContractAmendment:  # fmt: skip
    """Four eyes: the account that requested it cannot decide it. Approved, the contract takes the new value."""
    if amendment.status is not AmendmentStatus.REQUESTED:
        raise Conflict(
            "amendment.already_decided", f"amendment {amendment.number} of {contract.code} is {amendment.status}",
            {"number": amendment.number, "status": str(amendment.status)},
        )  # fmt: skip
    if decided_by_id == amendment.requested_by_id:
        raise RuleViolation(
            "amendment.self_approval",
            f"the account that requested amendment {amendment.number} cannot also decide it; ask another approver",
            {"number": amendment.number},
        )
    if approve:
        _check_value(session, contract, float(amendment.new_value))
        contract.value = amendment.new_value
    amendment.status = AmendmentStatus.APPROVED if approve else AmendmentStatus.DECLINED
    amendment.decided_by_id, amendment.decided_at = decided_by_id, now
    session.flush()
    return amendment


def _check_value(session: Session, contract: Contract, new_value: float) -> None:
    increase = new_value - float(contract.value)
    if increase > 0:
        tender = session.get_one(Tender, contract.tender_id)
        contracts.check_commitment(session, tender, increase * contract.rate_to_azn)
        return
    paid = contracts.paid_on_contract(session, contract)
    if new_value < paid - contracts.CENT:
        raise RuleViolation(
            "amendment.below_paid",
            f"{paid:,.2f} of contract {contract.code} is paid already; its value cannot go below that",
            {"contract": contract.code, "paid": paid, "new_value": new_value},
        )
