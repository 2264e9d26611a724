"""`homecoming risk PLAN_RUN` and `homecoming risk-export` on a hand-made territory whose slips are known."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from planning_types import Village
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.audit.models import AuditEntry
from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.db import unit_of_work
from homecoming.db.session import get_engine
from homecoming.risk.models import PlanRisk

ENV = {"COLUMNS": "200"}


@pytest.fixture
def cli(district: Session, village: Village, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    village("big", families=20, hazards=(1_000_000,))  # 80 people
    village("small", families=5, hazards=(1_000_000,))  # 20 people
    district.commit()
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    runner = CliRunner()
    plan = ["plan", "run", "--teams", "4", "--seconds", "3", "--code", "four"]
    assert runner.invoke(app, plan, env=ENV).exit_code == 0  # both clearances at once: both ready in month 5
    yield runner
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def test_clearance_at_half_the_rate_moves_every_band_five_months_and_is_stored_and_exported(
    cli: CliRunner, tmp_path: Path
) -> None:
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps({"kinds": {"clearance": {"optimistic": 0.5, "likely": 0.5, "pessimistic": 0.5,
                                                        "productivity": True}}}))  # fmt: skip
    args = ["risk", "four", "--scenarios", "40", "--chunk", "16", "--workers", "1", "--by", "2026-08"]
    result = cli.invoke(app, [*args, "--uncertainty", str(slow), "--out", str(tmp_path / "risk.csv")], env=ENV)
    assert result.exit_code == 0, result.output
    assert "People-months displaced: plan 500; P10 1,000, P50 1,000, P90 1,000" in result.output
    with (tmp_path / "risk-settlements.csv").open(encoding="utf-8") as handle:
        rows = {r["code"]: (r["plan"], r["p10"], r["p90"], r["on_time"], r["by"]) for r in csv.DictReader(handle)}
    assert rows == {
        "big": ("2026-06-01", "2026-11-01", "2026-11-01", "0.0", "0.0"),
        "small": ("2026-06-01", "2026-11-01", "2026-11-01", "0.0", "0.0"),
    }
    with unit_of_work(get_engine()) as session:
        stored = session.scalars(select(PlanRisk)).one()
        assert (stored.scenarios, stored.seed, stored.chunk_size) == (40, 1, 16)
        assert [(t["task"], t["criticality"]) for t in stored.tasks] == [("clear:big-h0", 1.0), ("clear:small-h0", 1.0)]
        assert stored.years == [{"year": 2026, "plan": 100, "p10": 100, "p50": 100, "p90": 100}]
    exported = cli.invoke(app, ["risk-export", "four", "--out", str(tmp_path / "again.json")], env=ENV)
    assert exported.exit_code == 0, exported.output
    document = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert document["people_months"] == {"plan": 500, "p10": 1000, "p50": 1000, "p90": 1000}
    assert document["uncertainty"]["clearance"]["optimistic"] == 0.5


def test_a_risk_export_before_any_risk_run_says_how_to_make_one(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["risk-export", "four", "--out", str(tmp_path / "x.json")], env=ENV)
    assert result.exit_code == 1
    assert "risk.none" in result.output and "homecoming risk four" in result.output


def test_a_sweep_over_demining_teams_reports_people_months_and_the_target_year_per_variant(
    cli: CliRunner, tmp_path: Path
) -> None:
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"teams_per_clearance": 2, "clearance_m2_per_team_month": 100_000,
                                "horizon_months": 36}))  # fmt: skip
    out = tmp_path / "sweep"
    args = ["sweep", "--scenario", str(base), "--teams", "2,4", "--seconds", "2", "--workers", "1", "--target", "90"]
    result = cli.invoke(app, [*args, "--out", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    document = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert document["target_people"] == 90
    assert [(v["variant"], v["people_months"], v["target_year"], v["home_by_2026"]) for v in document["variants"]] == [
        ("2 teams", 600, 2026, 100),  # big (80 people) in month 5, small (20) in month 10: 90 reached in 2026
        ("4 teams", 500, 2026, 100),  # both in month 5
    ]
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"


def test_a_risk_run_from_the_command_line_is_audited_once_naming_the_run(cli: CliRunner) -> None:
    with unit_of_work(get_engine()) as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    args = ["risk", "four", "--scenarios", "20", "--chunk", "10", "--workers", "1", "--by", "2026-08"]
    result = cli.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    with unit_of_work(get_engine()) as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        risk = session.scalars(select(PlanRisk)).one()
    assert len(entries) == before + 1
    entry = entries[-1]
    assert (entry.action, entry.table_name, entry.record_code) == ("create", "plan_risks", f"four/risk-{risk.id}")
    assert entry.after == {"plan_run": "four", "scenarios": 20, "seed": 1, "by_date": "2026-08-01"}
