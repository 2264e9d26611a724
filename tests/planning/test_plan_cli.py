"""`homecoming plan run / show / compare / export` as a user runs them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from planning_types import Village
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session


@pytest.fixture
def cli(district: Session, village: Village, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    village("big", families=20, hazards=(1_000_000,))
    village("small", families=5, hazards=(1_000_000,))
    district.commit()
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def test_two_scenarios_are_planned_compared_and_exported(cli: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    assumptions = {"teams_per_clearance": 2, "clearance_m2_per_team_month": 100_000, "horizon_months": 36}
    scenario.write_text(json.dumps(assumptions | {"sequencing_seconds": 5, "allocation_seconds": 5}))
    env = {"COLUMNS": "200"}
    two = cli.invoke(app, ["plan", "run", "--scenario", str(scenario), "--teams", "2", "--code", "two"], env=env)
    assert two.exit_code == 0, two.output
    assert "People-months displaced: 600 (optimal" in two.output  # big: 80 people x 5 months + small: 20 x 10
    four = cli.invoke(app, ["plan", "run", "--scenario", str(scenario), "--teams", "4", "--code", "four"], env=env)
    assert four.exit_code == 0, four.output
    compared = cli.invoke(app, ["plan", "compare", "two", "four"], env=env)
    assert compared.exit_code == 0, compared.output
    assert "people-months displaced" in compared.output and "-100" in compared.output
    out = tmp_path / "export"
    exported = cli.invoke(app, ["plan", "export", "two", "--out", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    with (out / "readiness.csv").open(encoding="utf-8") as handle:
        ready = {row["settlement"]: row["ready_from"] for row in csv.DictReader(handle)}
    assert ready == {"big": "2026-06-01", "small": "2026-11-01"}
    assert (out / "gantt.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in (out / "allocations").iterdir()) == ["big.csv", "small.csv"]


def test_a_bad_scenario_file_is_named(cli: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps({"demining_teams": -3}))
    result = cli.invoke(app, ["plan", "run", "--scenario", str(scenario)])
    assert result.exit_code == 1
    assert "plan.bad_scenario" in result.output and "demining_teams" in result.output
