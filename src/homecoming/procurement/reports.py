"""Where the money went: each budget allocation with what was committed (signed contracts) and paid against it,
and commitments and payments by year, funding source, district or sector. All in AZN at each contract's rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.finance.models import BudgetAllocation
from homecoming.procurement.models import BudgetChange, Contract, Milestone, Payment, Tender
from homecoming.territory.models import District
from homecoming.works.models import Project

GroupBy = Literal["year", "source", "district", "sector"]
UNKNOWN = "(none)"


@dataclass(frozen=True)
class AllocationLine:
    code: str
    year: int
    source: str
    figure_kind: str
    allocated_azn: float
    approved_changes_azn: float
    committed_azn: float
    paid_azn: float

    @property
    def uncommitted_azn(self) -> float:
        return round(self.allocated_azn + self.approved_changes_azn - self.committed_azn, 2)


@dataclass(frozen=True)
class SpendingLine:
    key: str
    contracts: int
    committed_azn: float
    paid_azn: float


def _paid_by_contract(session: Session) -> dict[int, float]:
    rows = session.execute(
        select(Milestone.contract_id, func.sum(Payment.amount))
        .join(Payment, Payment.milestone_id == Milestone.id)
        .group_by(Milestone.contract_id)
    )
    return {contract_id: float(paid) for contract_id, paid in rows}


def allocations(session: Session) -> list[AllocationLine]:
    changes = dict(
        session.execute(
            select(BudgetChange.budget_allocation_id, func.sum(BudgetChange.amount_azn)).group_by(
                BudgetChange.budget_allocation_id
            )
        ).all()
    )
    paid = _paid_by_contract(session)
    committed: dict[int, float] = defaultdict(float)
    spent: dict[int, float] = defaultdict(float)
    for contract in session.scalars(select(Contract).where(Contract.budget_allocation_id.is_not(None))):
        allocation_id = contract.budget_allocation_id or 0
        committed[allocation_id] += contract.value * contract.rate_to_azn
        spent[allocation_id] += paid.get(contract.id, 0.0) * contract.rate_to_azn
    query = select(BudgetAllocation).order_by(BudgetAllocation.year, BudgetAllocation.code)
    return [
        AllocationLine(
            a.code,
            a.year,
            str(a.source_kind),
            str(a.figure_kind),
            round(a.amount_azn, 2),
            round(float(changes.get(a.id) or 0), 2),
            round(committed[a.id], 2),
            round(spent[a.id], 2),
        )
        for a in session.scalars(query)
    ]


def spending(session: Session, by: GroupBy) -> list[SpendingLine]:
    """Committed and paid AZN per group; a contract's year and source are those of its budget allocation."""
    paid = _paid_by_contract(session)
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for contract, keys in _grouped_contracts(session):
        line = totals[keys[by]]
        line[0] += 1
        line[1] += contract.value * contract.rate_to_azn
        line[2] += paid.get(contract.id, 0.0) * contract.rate_to_azn
    return [SpendingLine(k, int(v[0]), round(v[1], 2), round(v[2], 2)) for k, v in sorted(totals.items())]


def illustrative_contracts(session: Session, by: GroupBy | Literal["allocation"]) -> dict[str, int]:
    """How many contracts the demo made up (homecoming.demo.illustrative) count in each group's figures, by the keys
    of `money_by` (or of each budget line's code): a page labels those figures as not facts."""
    counted: dict[str, int] = defaultdict(int)
    for contract, keys in _grouped_contracts(session):
        if contract.illustrative:
            counted[keys[by]] += 1
    return dict(counted)


def _grouped_contracts(session: Session) -> Iterator[tuple[Contract, dict[str, str]]]:
    """Each contract with the group it falls in by year, source, district, sector and budget line."""
    query = (
        select(Contract, BudgetAllocation, District.code, Project.sector)
        .join(Tender, Contract.tender_id == Tender.id)
        .outerjoin(BudgetAllocation, Contract.budget_allocation_id == BudgetAllocation.id)
        .outerjoin(Project, Tender.project_id == Project.id)
        .outerjoin(District, District.id == func.coalesce(Tender.district_id, Project.district_id))
    )
    for contract, allocation, district, sector in session.execute(query):
        yield (
            contract,
            {
                "year": str(allocation.year) if allocation else UNKNOWN,
                "source": str(allocation.source_kind) if allocation else UNKNOWN,
                "district": district or UNKNOWN,
                "sector": str(sector) if sector else UNKNOWN,
                "allocation": allocation.code if allocation else UNKNOWN,
            },
        )


@dataclass(frozen=True)
class MoneyLine:
    """One group's money: what may be spent (only by year and source: budget lines name no district or sector),
    what signed contracts commit, and what is paid. `figures` keeps every official figure kind apart."""

    key: str
    allocated_azn: float | None
    approved_changes_azn: float | None
    committed_azn: float
    paid_azn: float
    contracts: int
    figures: dict[str, float]


def money_by(session: Session, by: GroupBy) -> list[MoneyLine]:
    """Allocated (budget lines of kind `allocated` plus approved changes), committed and paid per group, in AZN."""
    spent = {line.key: line for line in spending(session, by)}
    budget: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    changes: dict[str, float] = defaultdict(float)
    if by in ("year", "source"):
        for a in allocations(session):
            key = str(a.year) if by == "year" else a.source
            budget[key][a.figure_kind] += a.allocated_azn
            changes[key] += a.approved_changes_azn
    keys = sorted(set(spent) | set(budget))
    by_budget = by in ("year", "source")
    return [
        MoneyLine(
            key,
            round(budget[key].get("allocated", 0.0) + changes[key], 2) if by_budget else None,
            round(changes[key], 2) if by_budget else None,
            spent[key].committed_azn if key in spent else 0.0,
            spent[key].paid_azn if key in spent else 0.0,
            spent[key].contracts if key in spent else 0,
            {kind: round(azn, 2) for kind, azn in sorted(budget[key].items())} if key in budget else {},
        )
        for key in keys
    ]
