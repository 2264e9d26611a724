"""`homecoming worker --once` runs the jobs queued now and exits; a database it cannot use is a clear error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.db.session import make_engine, unit_of_work
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import JobKind, JobStatus


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def test_worker_once_runs_the_queued_jobs_and_stops(database_url: str, configured: pytest.MonkeyPatch) -> None:
    configured.setenv("HOMECOMING_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    with unit_of_work(engine) as session:  # an empty registry: the plan run fails fast, with its own code
        for code in ("first", "second"):
            jobs_service.enqueue(session, JobKind.PLAN_RUN, code, {"scenario": {"sequencing_seconds": 1}}, "planner",
                                 jobs_service.utcnow())  # fmt: skip
    result = CliRunner().invoke(app, ["worker", "--once", "--poll-seconds", "0.1"])
    assert result.exit_code == 0, result.output
    assert "2 job(s) run" in result.output
    with Session(engine) as session:
        for code in ("first", "second"):
            job = jobs_service.get(session, code)
            assert (job.status, job.error_code, job.attempts) == (JobStatus.FAILED, "plan.nothing_to_plan", 1)
        assert jobs_service.live_workers(session, jobs_service.utcnow()) == 0  # it said goodbye
    db_session.get_engine().dispose()
    engine.dispose()


def test_worker_on_a_database_without_the_schema_says_what_to_do(
    tmp_path: Path, configured: pytest.MonkeyPatch
) -> None:
    configured.setenv("HOMECOMING_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "job.database_unusable" in result.output and "homecoming init" in result.output
