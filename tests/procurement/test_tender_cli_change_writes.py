"""`homecoming --as USER tender complain / decide-complaint / amend / decide-amendment / attach-amendment-document`
(issue 22): the API's use-cases from the command line; each refusal prints its code and writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from tender_helpers import AFTER, START, FakeClock, opened, published
from typer.testing import CliRunner

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.procurement import contracts, service
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import ContractCreate, MilestoneCreate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def run(actor: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--as", actor, "tender", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def refused(actor: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--as", actor, "tender", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    return result.output


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = int(connection.execute(text(sql)).scalar_one())
    engine.dispose()
    return found


def _awarded(money: Session, clock: FakeClock) -> None:
    """T-1 awarded to azer-build (430,000); euro-works bid too and has an account; the clerks have theirs."""
    shares = published(money, clock.at(START), "T-1")
    opened(money, clock, shares, {"azer-build": "430000", "euro-works": "445000"}, "T-1")
    service.evaluate(money, "T-1", clock)
    service.award(money, "T-1", clock, standstill_days=10)
    euro = money.query(Bidder).filter_by(code="euro-works").one()
    for name, role in (("admin", Role.ADMIN), ("clerk", Role.PROCUREMENT_OFFICER), ("planner", Role.PLANNER)):
        money.add(User(username=name, password_hash="x", role=role, active=True))
    money.add(User(username="euro", password_hash="x", role=Role.CONTRACTOR, active=True, bidder_id=euro.id))
    money.commit()


def test_a_bidder_complains_and_an_admin_decides(cli_database: str, money: Session, clock: FakeClock) -> None:
    _awarded(money, clock)
    late = refused("euro", "complain", "T-1", "--grounds", "the winner's price is abnormally low")
    assert "complaint.after_standstill" in late and "the standstill on T-1 ended" in late
    assert count(cli_database, "SELECT count(*) FROM tender_complaints") == 0
    ends = service.server_now(service.utc_now) + dt.timedelta(days=3)
    engine = create_engine(cli_database)
    with engine.begin() as connection:  # the award was just made: its standstill runs
        connection.execute(text("UPDATE tenders SET standstill_ends_at = :t"), {"t": ends})
    engine.dispose()
    filed = run("euro", "complain", "T-1", "--grounds", "the winner's price is abnormally low")
    assert "complaint T-1-C1 filed against the award of T-1" in filed and "nobody may sign T-1's contract" in filed
    assert "auth.forbidden" in refused("clerk", "complain", "T-1", "--grounds", "not a company")
    no_remedy = refused("admin", "decide-complaint", "T-1", "T-1-C1", "upheld", "--reason", "the price is too low")
    assert "complaint.remedy_missing" in no_remedy
    assert count(cli_database, "SELECT count(*) FROM tender_complaints WHERE status = 'open'") == 1
    decided = run("admin", "decide-complaint", "T-1", "T-1-C1", "upheld", "--remedy", "re_evaluate",
                  "--reason", "the price is below cost", "--comment", "review body, sitting of 2 Dec")  # fmt: skip
    assert "complaint T-1-C1 upheld (re_evaluate); tender T-1 is now" in decided
    assert "complaint.already_decided" in refused("admin", "decide-complaint", "T-1", "T-1-C1", "rejected",
                                                  "--reason", "again")  # fmt: skip
    assert count(cli_database, "SELECT count(*) FROM audit_entries WHERE table_name = 'tender_complaints'") == 2


def test_a_clerk_amends_a_contract_and_a_planner_decides(
    cli_database: str, money: Session, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    _awarded(money, clock)
    clock.at(AFTER + dt.timedelta(days=10))
    milestones = [MilestoneCreate(title="asphalt", amount=430_000, due_date=dt.date(2025, 10, 1))]
    contracts.sign_contract(money, "T-1", ContractCreate(code="C-1", milestones=milestones), clock)
    money.commit()
    amend = ("amend", "C-1", "--reason", "a longer road", "--new-value", "450000", "--new-end-date", "2025-12-01")
    assert "auth.forbidden" in refused("planner", *amend)
    assert "input.invalid" in refused("clerk", "amend", "C-1", "--reason", "nothing changes")
    assert count(cli_database, "SELECT count(*) FROM contract_amendments") == 0
    asked = run("clerk", *amend)
    assert "amendment 1 of C-1: requested (430,000.00 -> 450,000.00); it waits for a planner's decision" in asked
    (tmp_path / "note.pdf").write_text("not a PDF at all")
    (tmp_path / "survey.pdf").write_bytes(PDF)
    bad = refused("clerk", "attach-amendment-document", "C-1", "1", str(tmp_path / "note.pdf"))
    assert "files." in bad
    assert count(cli_database, "SELECT count(*) FROM attachments") == 0 and _stored(tmp_path) == 0
    attached = run("clerk", "attach-amendment-document", "C-1", "1", str(tmp_path / "survey.pdf"))
    assert "survey.pdf attached to amendment 1 of C-1 as document 1 (application/pdf" in attached
    assert "auth.forbidden" in refused("clerk", "decide-amendment", "C-1", "1", "approved")
    assert "requested" in run("clerk", "amendments", "C-1")
    approved = run("planner", "decide-amendment", "C-1", "1", "approved", "--comment", "within roads-2025")
    assert "amendment 1 of C-1: approved (430,000.00 -> 450,000.00); the contract's value is 450,000.00" in approved
    late = refused("clerk", "attach-amendment-document", "C-1", "1", str(tmp_path / "survey.pdf"))
    assert "amendment.already_decided" in late
    assert count(cli_database, "SELECT count(*) FROM attachments") == 1 and _stored(tmp_path) == 1
    get_settings.cache_clear()


def _stored(folder: Path) -> int:
    return sum(1 for p in (folder / "files").rglob("*") if p.is_file())
