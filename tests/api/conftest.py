"""The `api` fixture: a seeded database on each engine behind a test client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import ROLES, Api, seed
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.jobs.worker import Worker, start_in_thread
from homecoming.server.app import create_app


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    with Session(engine) as session:
        seed(session)
        tokens = {}
        for role in ROLES:
            user = session.scalars(accounts.select(User).where(User.username == role.value)).one()
            tokens[role] = accounts.issue_token(session, user, "tests")
        session.commit()
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="test-secret")
    with TestClient(create_app(settings, engine=engine)) as client:
        yield Api(client, engine, tokens)


@pytest.fixture
def job_worker(api: Api) -> Iterator[Worker]:
    """A job worker beside the app, as `homecoming serve` embeds one: it runs the plan runs the tests start."""
    worker, thread = start_in_thread(api.engine, poll_s=0.1)
    yield worker
    worker.stopping.set()
    thread.join()
