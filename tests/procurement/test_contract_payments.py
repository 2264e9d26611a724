"""Commitments within the budget, payments only for inspected and approved milestones, within the value."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tender_helpers import START, FakeClock, opened, published

from homecoming.errors import RuleViolation
from homecoming.procurement import contracts, reports, service
from homecoming.procurement.models import ContractStatus, TenderStatus
from homecoming.procurement.schemas import BudgetChangeCreate, ContractCreate, InspectionCreate, MilestoneCreate

DAY = dt.date(2025, 6, 1)


def awarded(session: Session, clock: FakeClock, price: str, code: str = "T-1", **changes: object) -> None:
    shares = published(session, clock.at(START), code, **changes)
    opened(session, clock, shares, {"azer-build": price}, code)
    service.evaluate(session, code, clock)
    service.award(session, code, clock, standstill_days=0)  # the standstill's own tests: test_complaints_standstill


def signed(session: Session, clock: FakeClock, price: str = "600000", code: str = "T-1") -> None:
    awarded(session, clock, price, code)
    contracts.sign_contract(
        session,
        code,
        ContractCreate(
            code=f"C-{code}",
            milestones=[
                MilestoneCreate(title="earthworks", amount=200_000),
                MilestoneCreate(title="asphalt", amount=400_000),
            ],
        ),
        clock,
    )


def inspected(session: Session, number: int, passed: bool = True, approve: bool = True) -> int:
    inspection = contracts.record_inspection(
        session,
        "C-T-1",
        number,
        InspectionCreate(
            inspector="Rahimov", inspected_on=DAY, passed=passed, photos=["km2.jpg"], lat=39.64, lon=46.55
        ),
    )
    if approve:
        contracts.approve_inspection(session, inspection.id, "Karimova")
    return inspection.id


def test_signing_commits_the_award_against_the_budget(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    contract = contracts.get_contract(money, "C-T-1")
    assert (contract.value, contract.status) == (600_000, ContractStatus.ACTIVE)
    assert service.get_tender(money, "T-1").status is TenderStatus.CONTRACT_SIGNED
    allocation = contracts.get_by_code(money, contracts.BudgetAllocation, "roads-2025")
    assert contracts.allocation_headroom_azn(money, allocation) == (1_000_000, 600_000)


def test_a_commitment_beyond_the_allocation_needs_an_approved_change(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    awarded(money, clock, "500000", "T-2")
    data = ContractCreate(code="C-T-2", milestones=[MilestoneCreate(title="all", amount=500_000)])
    with pytest.raises(RuleViolation) as caught:
        contracts.sign_contract(money, "T-2", data, clock)
    assert caught.value.code == "contract.budget_exceeded"
    assert caught.value.details == {
        "allocation": "roads-2025",
        "limit_azn": 1_000_000,
        "committed_azn": 600_000,
        "amount_azn": 500_000,
    }
    contracts.record_budget_change(
        money,
        BudgetChangeCreate(
            code="BC-1", budget_allocation_code="roads-2025", amount_azn=100_000, reason="bridge", approved_by="MoF"
        ),
        clock,
    )
    assert contracts.sign_contract(money, "T-2", data, clock).value == 500_000


def test_milestones_cannot_add_up_to_more_than_the_value(money: Session, clock: FakeClock) -> None:
    awarded(money, clock, "300000")
    data = ContractCreate(code="C-T-1", milestones=[MilestoneCreate(title="a", amount=200_000)] * 2)
    with pytest.raises(RuleViolation) as caught:
        contracts.sign_contract(money, "T-1", data, clock)
    assert caught.value.code == "contract.milestones_exceed_value"


def test_a_contract_needs_an_award(money: Session, clock: FakeClock) -> None:
    published(money, clock)
    with pytest.raises(RuleViolation) as caught:
        contracts.sign_contract(
            money, "T-1", ContractCreate(code="C", milestones=[MilestoneCreate(title="a", amount=1)])
        )
    assert caught.value.code == "tender.bad_transition"


def test_no_payment_without_an_approved_passed_inspection(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    with pytest.raises(RuleViolation) as none:
        contracts.pay_milestone(money, "C-T-1", 1, 200_000, clock)
    assert none.value.code == "payment.milestone_not_inspected"
    inspected(money, 1, approve=False)
    inspected(money, 1, passed=False)
    with pytest.raises(RuleViolation) as unapproved_or_failed:
        contracts.pay_milestone(money, "C-T-1", 1, 200_000, clock)
    assert unapproved_or_failed.value.code == "payment.milestone_not_inspected"
    inspected(money, 1)
    assert contracts.pay_milestone(money, "C-T-1", 1, 200_000, clock).amount == 200_000


def test_an_inspection_of_one_milestone_does_not_pay_another(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    inspected(money, 1)
    with pytest.raises(RuleViolation) as caught:
        contracts.pay_milestone(money, "C-T-1", 2, 100_000, clock)
    assert caught.value.code == "payment.milestone_not_inspected"


def test_an_inspector_cannot_approve_their_own_inspection(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    inspection = inspected(money, 1, approve=False)
    with pytest.raises(RuleViolation) as caught:
        contracts.approve_inspection(money, inspection, " rahimov ")
    assert caught.value.code == "inspection.self_approval"


def test_no_payment_beyond_the_milestone_or_the_contract(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    inspected(money, 1)
    contracts.pay_milestone(money, "C-T-1", 1, 150_000, clock)
    with pytest.raises(RuleViolation) as caught:
        contracts.pay_milestone(money, "C-T-1", 1, 50_000.01, clock)
    assert caught.value.code == "payment.exceeds_milestone"
    assert caught.value.details == {"milestone_amount": 200_000, "paid": 150_000, "amount": 50_000.01}


def test_paying_every_milestone_completes_contract_and_tender(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    for number, amount in ((1, 200_000), (2, 400_000)):
        inspected(money, number)
        contracts.pay_milestone(money, "C-T-1", number, amount, clock)
    assert contracts.get_contract(money, "C-T-1").status is ContractStatus.COMPLETE
    assert service.get_tender(money, "T-1").status is TenderStatus.COMPLETE
    with pytest.raises(RuleViolation) as caught:
        inspected(money, 2)
    assert caught.value.code == "contract.closed"


def test_money_is_traced_from_allocation_to_commitment_and_payment(money: Session, clock: FakeClock) -> None:
    signed(money, clock)
    inspected(money, 1)
    contracts.pay_milestone(money, "C-T-1", 1, 200_000, clock)
    [line] = reports.allocations(money)
    assert (line.code, line.allocated_azn, line.committed_azn, line.paid_azn) == ("roads-2025", 1e6, 6e5, 2e5)
    assert line.uncommitted_azn == 400_000
    expected = {"year": "2025", "source": "state_budget", "district": "lachin", "sector": "road"}
    for by, key in expected.items():
        assert reports.spending(money, by) == [reports.SpendingLine(key, 1, 600_000, 200_000)]  # type: ignore[arg-type]


def test_a_foreign_currency_contract_needs_its_rate_and_commits_in_azn(money: Session, clock: FakeClock) -> None:
    awarded(money, clock, "400000", currency="USD")
    data = ContractCreate(code="C-T-1", milestones=[MilestoneCreate(title="all", amount=400_000)])
    with pytest.raises(RuleViolation) as caught:
        contracts.sign_contract(money, "T-1", data, clock)
    assert caught.value.code == "contract.rate_missing"
    with pytest.raises(RuleViolation) as too_much:  # at 2.6 AZN per USD: 1,040,000 AZN, over the allocation
        contracts.sign_contract(money, "T-1", data.model_copy(update={"rate_to_azn": 2.6}), clock)
    assert (too_much.value.code, too_much.value.details["amount_azn"]) == ("contract.budget_exceeded", 1_040_000)
    contract = contracts.sign_contract(money, "T-1", data.model_copy(update={"rate_to_azn": 1.7}), clock)
    allocation = contracts.get_by_code(money, contracts.BudgetAllocation, "roads-2025")
    assert (contract.rate_to_azn, contracts.allocation_headroom_azn(money, allocation)) == (1.7, (1_000_000, 680_000))
