"""Migration 0016 adds the official plan's approvals; a run stored before it is no one's forecast until approved,
and the downgrade takes the approvals away, the runs staying as they were."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from homecoming.db.migrate import alembic_config, downgrade_to_empty, upgrade
from homecoming.planning import read_models
from homecoming.planning.models import PlanRun
from plan_support import make_official


def test_the_migration_adds_approvals_and_takes_them_away(engine: Engine, database_url: str) -> None:
    downgrade_to_empty(engine)
    upgrade(engine, "0015")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan_runs (id, code, scenario, assumptions, created_at, start_month, sequencing_status, "
                "people_months, people_months_bound, allocation_status, allocation_objective, allocation_bound, "
                "seconds, data_issues, schedule_problem) VALUES (1, 'old', 'baseline', '{}', '2026-11-30 10:00:00', "
                "'2026-01-01', 'optimal', 0, 0, 'optimal', 0, 0, 1, '[]', '{}')"
            )
        )
    upgrade(engine)
    with Session(engine) as session:
        assert read_models.official_plan(session) is None  # stored before: not approved by anyone
        run = session.get_one(PlanRun, 1)
        make_official(session, run, dt.datetime(2026, 12, 2, 9, 0))
        session.commit()
        official = read_models.official_plan(session)
        assert official is not None and (official.run.code, official.approved_on) == ("old", dt.date(2026, 12, 2))
    command.downgrade(alembic_config(database_url), "0015")
    assert "plan_approvals" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT code FROM plan_runs")).scalars().all() == ["old"]
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM plan_approvals")).scalar() == 0
