"""Every `homecoming tender ...` and `committee ...` write command leaves exactly one audit entry naming the command
line's actor (the share that opens the bids, the contract's signature and the payment that completes a contract
file the other records' changes inside it), and a refused command leaves none."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.audit.models import AuditEntry
from homecoming.cli.main import app
from homecoming.cli.output import cli_actor
from homecoming.finance import service as finance
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate
from homecoming.procurement import service

Entry = tuple[str, str, str]  # action, table, record


class Trail:
    """The entries since the last look, each checked to name the command line's actor."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.seen = 0

    def new(self) -> list[Entry]:
        with Session(self.engine) as session:
            rows = session.scalars(select(AuditEntry).where(AuditEntry.id > self.seen).order_by(AuditEntry.id)).all()
        self.seen = max([self.seen, *(r.id for r in rows)])
        assert {r.username for r in rows} <= {cli_actor().username}
        return [(r.action, r.table_name, r.record_code) for r in rows]

    def past(self, column: str) -> None:
        """Time passes on the server: a deadline of every tender moves into the past (no clock is faked)."""
        moment = service.server_now(service.utc_now) - dt.timedelta(minutes=5)
        with self.engine.begin() as connection:
            connection.execute(text(f"UPDATE tenders SET {column} = :t"), {"t": moment})


def run(*args: str, group: str = "tender", code: int = 0) -> str:
    result = CliRunner().invoke(app, [group, *args], env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def trail(cli_database: str) -> Iterator[Trail]:
    trail = Trail(cli_database)
    with Session(trail.engine) as session:
        finance.record_allocation(
            session,
            BudgetAllocationCreate(code="roads-2025", year=2025, source_kind=FundingSource.STATE_BUDGET,
                                   figure_kind=BudgetFigureKind.ALLOCATED, amount=1_000_000, currency="AZN",
                                   rate_to_azn=1),
        )  # fmt: skip
        session.commit()
    yield trail
    trail.engine.dispose()


def _file(folder: Path, name: str, content: object) -> str:
    (folder / name).write_text(json.dumps(content))
    return str(folder / name)


def _to_opening(trail: Trail, tmp_path: Path) -> None:
    for bidder in ("roofs-az", "top-roof"):
        run("bidder", bidder, bidder.title())
        assert trail.new() == [("create", "bidders", bidder)]
    for name in ("Aliyev", "Mammadova"):
        out = run("keygen", "--out", str(tmp_path / name), group="committee")
        public_key = re.search(r"public key \(give it to the procurement office\): (\S+)", out)
        assert public_key is not None
        run("add", name, public_key.group(1), group="committee")
        assert trail.new() == [("create", "committee_members", name)]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    tender = {"code": "T-9", "title": "School roof", "currency": "AZN", "estimate_amount": 200000,
              "qualification_criteria": "two roofs", "enquiry_end": future.isoformat(),
              "tender_end": (future + dt.timedelta(days=5)).isoformat(),
              "budget_allocation_code": "roads-2025"}  # fmt: skip
    run("create", _file(tmp_path, "tender.json", tender))
    assert trail.new() == [("create", "tenders", "T-9")]
    run("publish", "T-9", "--member", "Aliyev", "--member", "Mammadova", "--threshold", "2")
    assert trail.new() == [("update", "tenders", "T-9")]
    assert "enquiries_still_open" in run("close-enquiries", "T-9", code=1)
    assert trail.new() == []
    trail.past("enquiry_end")
    run("close-enquiries", "T-9")
    assert trail.new() == [("update", "tenders", "T-9")]
    for bidder, price in (("roofs-az", "181500"), ("top-roof", "176250.50")):
        run("seal", "T-9", bidder, price, "--out", str(tmp_path / f"{bidder}.bid"))
        run("bid", "T-9", bidder, str(tmp_path / f"{bidder}.bid"))
        assert trail.new() == [("create", "bids", f"T-9/{bidder}")]
    assert "bid_duplicate" in run("bid", "T-9", "top-roof", str(tmp_path / "top-roof.bid"), code=1)
    assert trail.new() == []
    trail.past("tender_end")
    run("give", "--key", str(tmp_path / "Aliyev" / "committee.key"), "--tender", "T-9", group="committee")
    assert trail.new() == [("update", "committee_seats", "T-9/seat-1")]
    share = run("unwrap", "--key", str(tmp_path / "Mammadova" / "committee.key"), "--tender", "T-9", group="committee")
    bad = share.strip()[:-1] + ("0" if share.strip()[-1] != "0" else "1")
    assert "share_invalid" in run("open", "T-9", "--share", bad, code=1)
    assert trail.new() == []
    run("open", "T-9", "--share", share.strip())
    assert trail.new() == [("update", "committee_seats", "T-9/seat-2")]


def test_each_tender_and_committee_write_command_files_its_entries_and_a_refusal_none(
    trail: Trail, tmp_path: Path
) -> None:
    _to_opening(trail, tmp_path)
    assert "bad_transition" in run("award", "T-9", code=1)
    assert trail.new() == []
    run("disqualify", "T-9", "roofs-az", "no roof built")
    assert trail.new() == [("update", "bids", "T-9/roofs-az")]
    run("evaluate", "T-9")
    assert trail.new() == [("update", "tenders", "T-9")]
    run("award", "T-9")
    assert trail.new() == [("update", "tenders", "T-9")]
    trail.past("standstill_ends_at")  # the standstill (issue 22) ends before the signing
    run("budget-change", "BC-1", "roads-2025", "1000", "--reason", "r", "--approved-by", "MoF")
    assert trail.new() == [("create", "budget_changes", "BC-1")]
    too_much = _file(tmp_path, "big.json", {"code": "C-9", "milestones": [{"title": "roof", "amount": 9e6}]})
    assert "milestones_exceed_value" in run("sign", "T-9", too_much, code=1)
    assert trail.new() == []
    run(
        "sign",
        "T-9",
        _file(tmp_path, "contract.json", {"code": "C-9", "milestones": [{"title": "roof", "amount": 176250.5}]}),
    )
    assert trail.new() == [("create", "contracts", "C-9")]
    report = _file(tmp_path, "inspection.json", {"inspector": "Orujov", "inspected_on": "2025-06-02", "passed": True})
    made = re.search(r"inspection (\d+) recorded", run("inspect", "C-9", "1", report))
    assert made is not None
    filed = f"C-9/1/#{made.group(1)}"
    assert trail.new() == [("create", "inspections", filed)]
    assert "self_approval" in run("approve", made.group(1), "Orujov", code=1)
    assert trail.new() == []
    run("approve", made.group(1), "Karimova")
    assert trail.new() == [("update", "inspections", filed)]
    assert "exceeds_milestone" in run("pay", "C-9", "1", "999999", code=1)
    assert trail.new() == []
    run("pay", "C-9", "1", "176250.5")
    [payment] = trail.new()
    assert payment[:2] == ("create", "payments")


def test_price_lists_bills_and_cancellations_from_the_command_line_are_filed(trail: Trail, tmp_path: Path) -> None:
    items = [{"item_code": "roof-m2", "description": "Roof", "unit": "m2", "unit_price": 40}]
    price_list = {"code": "PL-1", "effective_date": "2024-01-01", "currency": "AZN", "items": items}
    run("price-list", _file(tmp_path, "prices.json", price_list))
    assert trail.new() == [("create", "price_lists", "PL-1")]
    assert "input.invalid" in run("price-list", _file(tmp_path, "bad.json", {**price_list, "items": "x"}), code=1)
    run(
        "boq",
        _file(
            tmp_path, "boq.json", {"code": "BQ-1", "title": "Roof", "lines": [{"item_code": "roof-m2", "quantity": 5}]}
        ),
    )
    assert trail.new() == [("create", "bills_of_quantities", "BQ-1")]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    tender = {"code": "T-8", "title": "x", "currency": "AZN", "estimate_amount": 1, "qualification_criteria": "y",
              "enquiry_end": future.isoformat(), "tender_end": future.isoformat()}  # fmt: skip
    run("create", _file(tmp_path, "tender.json", tender))
    run("cancel", "T-8", "merged")
    assert trail.new() == [("create", "tenders", "T-8"), ("update", "tenders", "T-8")]
    assert "bad_transition" in run("cancel", "T-8", "again", code=1)
    assert trail.new() == []


def test_a_stale_version_on_the_command_line_is_refused_with_the_apis_code_and_no_entry(
    trail: Trail, tmp_path: Path
) -> None:
    """`--version` is the CLI's If-Match: each versioned tender command checks it in the use-case, as the API does."""
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    tender = {"code": "T-7", "title": "x", "currency": "AZN", "estimate_amount": 1, "qualification_criteria": "y",
              "enquiry_end": future.isoformat(), "tender_end": future.isoformat()}  # fmt: skip
    assert "created as a draft (version 1)" in run("create", _file(tmp_path, "tender.json", tender))
    trail.new()
    stale = {
        "publish": ["--member", "A", "--member", "B", "--threshold", "2"], "close-enquiries": [],
        "disqualify": ["no-one", "r"], "evaluate": [], "award": [], "cancel": ["merged"],
    }  # fmt: skip
    for command, rest in stale.items():
        out = run(command, "T-7", *rest, "--version", "2", code=1)
        assert "error (tenders.stale_version)" in out and "T-7 is at version 1, not 2" in out, command
    assert trail.new() == []
    printed = re.search(r"cancelled \(version (\d+)\)", run("cancel", "T-7", "merged", "--version", "1"))
    assert trail.new() == [("update", "tenders", "T-7")]
    with Session(trail.engine) as session:
        stored = session.scalar(text("SELECT version FROM tenders WHERE code = 'T-7'"))
    assert printed is not None and int(printed.group(1)) == stored > 1  # the version the next change must name
