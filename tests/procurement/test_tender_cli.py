"""`homecoming tender ...` as a user runs it: publish, sealed bids, opening with shares, award, contract, OCDS."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.procurement import service


@pytest.fixture
def database(cli_database: str) -> str:
    """Each engine."""
    return cli_database


def run(*args: str, group: str = "tender") -> str:
    result = CliRunner().invoke(app, [group, *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str, group: str = "tender") -> str:
    result = CliRunner().invoke(app, [group, *args], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    return result.output


def deadline_passes(url: str) -> None:
    """Time passes on the server: move the tender's deadlines into the past (no clock is faked)."""
    past = service.server_now(service.utc_now) - dt.timedelta(minutes=5)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE tenders SET enquiry_end = :t, tender_end = :t"), {"t": past})
    engine.dispose()


def standstill_passes(url: str) -> None:
    """The award's standstill (issue 22) ends: no complaint came, so the contract may be signed."""
    past = service.server_now(service.utc_now) - dt.timedelta(minutes=5)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE tenders SET standstill_ends_at = :t"), {"t": past})
    engine.dispose()


def test_a_tender_from_publication_to_open_data(database: str, tmp_path: Path) -> None:
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    tender = {
        "code": "T-9", "title": "School roof", "currency": "AZN", "estimate_amount": 200000,
        "qualification_criteria": "two similar roofs", "enquiry_end": future.isoformat(),
        "tender_end": (future + dt.timedelta(days=5)).isoformat(),
    }  # fmt: skip
    (tmp_path / "tender.json").write_text(json.dumps(tender))
    run("bidder", "roofs-az", "Roofs AZ", "--category", "local")
    run("bidder", "top-roof", "Top Roof")
    assert "created as a draft" in run("create", str(tmp_path / "tender.json"))
    keys = {name: _member(name, tmp_path / name) for name in ("Aliyev", "Mammadova", "Huseynov")}
    out = run(
        "publish", "T-9", "--member", "Aliyev", "--member", "Mammadova", "--member", "Huseynov", "--threshold", "2"
    )
    assert re.findall(r"[0-9a-f]{64}", out) == []  # no share is shown: each is sealed to its member's key
    fingerprint = re.search(r"fingerprint ([0-9a-f:]{39})", out)
    assert fingerprint is not None
    for bidder, price in (("roofs-az", "181500"), ("top-roof", "176250.50")):
        assert fingerprint.group(1) in run("seal", "T-9", bidder, price, "--out", str(tmp_path / f"{bidder}.bid"))
        assert "Receipt" in run("bid", "T-9", bidder, str(tmp_path / f"{bidder}.bid"))
    mine = run("bids", "T-9", "--as", "roofs-az")
    assert "roofs-az" in mine and "top-roof" not in mine and "181,500" not in mine
    assert "opening_before_deadline" in fails("give", "--key", keys["Aliyev"], "--tender", "T-9", group="committee")
    deadline_passes(database)
    assert "bid_after_deadline" in fails("bid", "T-9", "roofs-az", str(tmp_path / "roofs-az.bid"))
    assert "1 of 2 shares given" in run("give", "--key", keys["Huseynov"], "--tender", "T-9", group="committee")
    share = run("unwrap", "--key", keys["Aliyev"], "--tender", "T-9", group="committee").strip()
    assert re.fullmatch(r"T-9:1:[0-9a-f]{64}", share)
    assert "share_invalid" in fails("open", "T-9", "--share", share[:-1] + ("0" if share[-1] != "0" else "1"))
    opened = run("open", "T-9", "--share", share)
    assert "176,250.50" in opened and "T-9: opening" in opened
    assert "top-roof" in run("evaluate", "T-9").split("\n")[4]
    assert "awarded at 176,250.50 AZN" in run("award", "T-9")
    package = tmp_path / "ocds.json"
    assert "1 releases written" in run("export-ocds", str(package))
    assert json.loads(package.read_text())["releases"][0]["awards"][0]["value"]["amount"] == 176250.5
    assert "single_bid" not in run("red-flags")
    standstill_passes(database)
    (tmp_path / "contract.json").write_text(json.dumps({"code": "C-9", "milestones": [{"title": "roof", "amount": 1}]}))
    assert "contract.no_budget_allocation" in fails("sign", "T-9", str(tmp_path / "contract.json"))
    assert "committed AZN" in run("money", "--by", "sector")
    no_allocation = fails("budget-change", "BC-1", "roads-2025", "1000", "--reason", "r", "--approved-by", "MoF")
    assert "budget_allocations.not_found" in no_allocation
    assert "input.invalid" in fails("money", "--by", "colour")
    assert "oc4ids.nothing_to_publish" in fails("export-oc4ids", str(tmp_path / "oc4ids.json"))  # no project here
    assert "iati.nothing_to_publish" in fails("export-iati", str(tmp_path / "iati.xml"))


def _member(name: str, folder: Path) -> str:
    """A member makes its key pair on its own machine; the office registers the public key it prints."""
    out = run("keygen", "--out", str(folder), group="committee")
    public_key = re.search(r"public key \(give it to the procurement office\): (\S+)", out)
    assert public_key is not None
    assert "registered" in run("add", name, public_key.group(1), group="committee")
    return str(folder / "committee.key")


def test_a_bad_input_file_is_explained(database: str, tmp_path: Path) -> None:
    (tmp_path / "tender.json").write_text(json.dumps({"code": "T-1", "currency": "manat"}))
    out = fails("create", str(tmp_path / "tender.json"))
    assert "input.invalid" in out and "currency" in out
