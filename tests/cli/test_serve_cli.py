"""`homecoming serve` hands the app to uvicorn on the chosen interface and port, with one job worker beside it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.db.session import make_engine, unit_of_work
from homecoming.jobs import service as jobs_service

WAIT_LIMIT_S = 60  # a safety net on a busy machine, not a timing assertion


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield database_url
    db_session.get_engine().dispose()
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def test_serve_runs_uvicorn_on_the_given_port(configured: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append((target, kwargs)))
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--no-worker"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert calls == [("homecoming.server.asgi:app", {"host": "127.0.0.1", "port": 8123, "reload": False})]


def test_serve_embeds_one_job_worker_while_it_serves_and_passes_the_web_workers_on(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(configured)
    seen: list[int] = []

    def serving(target: str, **kwargs: Any) -> None:
        assert (target, kwargs["workers"]) == ("homecoming.server.asgi:app", 3)
        deadline = time.monotonic() + WAIT_LIMIT_S
        while time.monotonic() < deadline:
            with unit_of_work(engine) as session:
                seen.append(jobs_service.live_workers(session, jobs_service.utcnow()))
            if seen[-1]:
                return
            time.sleep(0.1)

    monkeypatch.setattr(uvicorn, "run", serving)
    result = CliRunner().invoke(app, ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert "job worker " in result.output
    assert seen[-1] == 1  # one job worker, however many web processes
    with unit_of_work(engine) as session:  # it said goodbye when the server stopped
        assert jobs_service.live_workers(session, jobs_service.utcnow()) == 0
    engine.dispose()
