"""Migration 0010 moves the plan_jobs rows into the jobs table (and back on a downgrade)."""

from __future__ import annotations

import datetime as dt
import json

from alembic import command
from sqlalchemy import Engine, text

from homecoming.db.migrate import alembic_config, upgrade

MADE = dt.datetime(2026, 11, 30, 9, 0, 0)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_plan_jobs_become_plan_run_jobs_and_those_left_running_are_failed_as_interrupted(engine: Engine) -> None:
    downgrade(engine, "0009")
    with engine.begin() as connection:
        for code, status in (("made", "done"), ("cut-short", "running")):
            connection.execute(
                text("INSERT INTO plan_jobs (code, status, stage, percent, assumptions, requested_by, created_at) "
                     "VALUES (:code, :status, :status, 40, :assumptions, 'planner', :made)"),
                {"code": code, "status": status, "assumptions": '{"name": "baseline"}', "made": MADE},
            )  # fmt: skip
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT code, kind, status, error_code, attempts, payload FROM jobs ORDER BY code")
        ).all()
    moved = [(r.code, r.kind, r.status, r.error_code, r.attempts) for r in rows]
    assert moved == [("cut-short", "plan_run", "failed", "plan.interrupted", 1), ("made", "plan_run", "done", None, 1)]
    payloads = [json.loads(r.payload) if isinstance(r.payload, str) else r.payload for r in rows]
    assert payloads == [{"scenario": {"name": "baseline"}}] * 2  # the old assumptions, the Scenario to run
    downgrade(engine, "0009")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT code, status FROM plan_jobs ORDER BY code")).all()
    assert [tuple(r) for r in back] == [("cut-short", "failed"), ("made", "done")]
    upgrade(engine)
