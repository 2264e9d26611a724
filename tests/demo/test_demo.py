"""The demo: reference facts load on both engines, and `homecoming demo` runs end to end.

Building the whole demo (34,500 households) is run on SQLite only, the engine `make demo` uses: it takes about a
minute, and the same loaders and registry writes are run on both engines by the reference-fact tests here and by
the import tests. Its refusal to erase a database with real data runs on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.demo import loader
from homecoming.finance.models import BudgetAllocation
from homecoming.households.models import Household
from homecoming.returns.models import ReturnEvent
from homecoming.territory.models import District, Settlement


def test_reference_facts_load_with_their_sources(engine: Engine) -> None:
    with Session(engine) as session:
        reports = loader.load_reference(session)
        session.commit()
        assert all(r.inserted == r.rows for r in reports)
        assert session.scalar(select(func.count()).select_from(District)) == 15
        assert session.scalar(select(func.count()).select_from(Settlement)) == 49
        budget_2023 = session.scalars(
            select(BudgetAllocation.amount).where(BudgetAllocation.year == 2023).order_by(BudgetAllocation.amount)
        ).all()
        assert budget_2023 == [3.0e9, 5.2e9, 5.6e9]  # three official figures, none picked silently
        sos = session.scalars(select(ReturnEvent).where(ReturnEvent.code == "sos-2025-09-11-group")).one()
        assert (sos.families, sos.people, sos.source_url) == (
            10,
            45,
            "https://news.az/news/azerbaijan-starts-resettling-former-idps-in-three-more-liberated-villages",
        )
        unsourced = session.scalar(
            select(func.count()).select_from(ReturnEvent).where(ReturnEvent.source_url.is_(None))
        )
        assert unsourced == 0
        again = loader.load_reference(session)
        assert all(r.unchanged == r.rows for r in again)


def test_return_origins_leave_out_districts_never_occupied(engine: Engine) -> None:
    with Session(engine) as session:
        loader.load_reference(session)
        origins = dict(loader.return_origins(session))
    assert "barda" not in origins and "aghjabadi" not in origins and "avshar" not in origins
    assert origins["aghdam"] == 37700.0
    assert origins["qirmizi-bazar"] > 0  # no figure: weighs as the median settlement


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new SQLite file, as `make demo` makes: the demo is built on SQLite only (see above)."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield url
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def test_demo_command_builds_the_database_and_prints_the_summary(demo_database: str) -> None:
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "15 districts, 49 settlements" in result.output
    assert "34,500 households / 140,000 people" in result.output
    assert "SYNTHETIC" in result.output
    said = " ".join(result.output.split())
    assert "homecoming serve" in said and "http://127.0.0.1:8000/login" in said  # how to open it and log in
    assert "demo-admin" in said and "demo-planner" in said  # the demo accounts (development)
    assert "ILLUSTRATIVE" in said and "6,206 families / 24,729 people in 31 settlements" in said
    engine = db_session.get_engine()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 34_500
        assert session.scalar(select(func.sum(Household.size))) == 140_000
    # a demo database may be rebuilt (its plan and risk run made shorter: the rebuild is what is checked)
    rerun = CliRunner().invoke(app, ["demo", "--plan-seconds", "1", "--risk-scenarios", "20"], env={"COLUMNS": "160"})
    assert rerun.exit_code == 0, rerun.output


def test_demo_refuses_to_erase_a_database_with_real_data(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    (tmp_path / "regions.csv").write_text("code,name\nnorth,North\n", encoding="utf-8")
    (tmp_path / "districts.csv").write_text("code,name,region_code\nhill,Hill,north\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("code,name,district_code,kind\nmy-village,My village,hill,village\n")
    for table, name in (("regions", "regions.csv"), ("districts", "districts.csv"), ("settlements", "s.csv")):
        assert runner.invoke(app, ["import", table, str(tmp_path / name)]).exit_code == 0
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1
    assert "demo.database_not_empty" in result.output
    with Session(db_session.get_engine()) as session:
        assert session.scalars(select(Settlement.code)).all() == ["my-village"]
