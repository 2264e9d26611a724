"""`homecoming tender complaints TENDER` and `tender amendments CONTRACT`, as a clerk runs them (issue 22)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from tender_helpers import AFTER, START, FakeClock, opened, published
from typer.testing import CliRunner

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.cli.main import app
from homecoming.procurement import amendments, complaints, contracts, service
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import AmendmentCreate, ContractCreate, MilestoneCreate


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["tender", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_a_clerk_reads_the_complaints_and_the_amendments(cli_database: str, money: Session, clock: FakeClock) -> None:
    shares = published(money, clock.at(START), "T-1")
    opened(money, clock, shares, {"azer-build": "430000", "euro-works": "445000"}, "T-1")
    service.evaluate(money, "T-1", clock)
    tender = service.award(money, "T-1", clock, standstill_days=10)
    euro = money.query(Bidder).filter_by(code="euro-works").one()
    now = AFTER.replace(tzinfo=None)
    complaint = complaints.file_complaint(money, tender, euro.id, "the winner's price is abnormally low", now)
    complaints.decide_complaint(money, complaint, False, None, "the committee asked; the price holds", now)
    money.commit()
    out = run("complaints", "T-1")
    assert "T-1: standstill until 2025-04-10 13:00 UTC" in out
    assert "euro-works" in out and "rejected" in out and "the committee asked; the price holds" in out
    clock.at(AFTER + dt.timedelta(days=10))
    milestones = [MilestoneCreate(title="asphalt", amount=430_000, due_date=dt.date(2025, 10, 1))]
    contract = contracts.sign_contract(money, "T-1", ContractCreate(code="C-1", milestones=milestones), clock)
    clerk = User(username="clerk", password_hash="x", role=Role.PROCUREMENT_OFFICER, active=True)
    money.add(clerk)
    money.flush()
    change = AmendmentCreate(reason="a longer road", new_value=450_000, new_end_date=dt.date(2025, 12, 1))
    amendments.request_amendment(money, contract, change, clerk.id, now + dt.timedelta(days=20))
    money.commit()
    listed = run("amendments", "C-1")
    assert "C-1: 430,000.00 -> 430,000.00 AZN" in listed
    assert "requested" in listed and "2025-10-01 -> 2025-12-01" in listed and "clerk" in listed
