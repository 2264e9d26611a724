"""Health and failure of the database as a client sees it: /healthz, /readyz, a held lock, a lost connection."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from api_support import Api
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from homecoming.accounts.roles import Role
from homecoming.config import Settings
from homecoming.db import make_engine
from homecoming.db.migrate import newest_revision, upgrade
from homecoming.jobs.worker import Worker
from homecoming.server.app import create_app
from homecoming.territory.models import Settlement

NEW_SETTLEMENT = {"code": "new-v", "name": "New", "district_code": "aghdam", "kind": "village", "lat": 40, "lon": 47}


def _client(url: str, engine: Engine | None = None) -> TestClient:
    return TestClient(create_app(Settings(database_url=url, secret_key="test-secret"), engine=engine))


def test_healthz_answers_without_asking_the_database(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path}/no-such-folder/homecoming.db"  # a database that cannot even be opened
    with _client(missing) as client:
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_reports_the_database_its_schema_and_the_job_workers(api: Api, job_worker: Worker) -> None:
    response = api.client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert response.json()["status"] == "ready"
    assert {name: check["ok"] for name, check in checks.items()} == {"database": True, "schema": True, "workers": True}
    assert checks["schema"]["message"] == f"at revision {newest_revision()}"
    assert checks["workers"]["message"].startswith("1 job worker(s) heard from")


def test_readyz_is_503_when_no_job_worker_is_alive(api: Api) -> None:
    response = api.client.get("/readyz")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["details"]["checks"]["workers"]["code"] == "health.no_worker"
    assert "homecoming worker" in error["message"]


def test_readyz_is_503_in_the_error_shape_when_the_schema_is_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    upgrade(engine, "0008")
    with _client(url, engine) as client:
        response = client.get("/readyz")
    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    error = response.json()["error"]
    assert error["code"] == "health.not_ready"
    assert error["details"]["checks"]["schema"]["code"] == "health.schema_behind"
    assert "at revision 0008" in error["message"] and "homecoming init" in error["message"]
    engine.dispose()


def test_readyz_is_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    with _client(f"sqlite:///{tmp_path}/no-such-folder/homecoming.db") as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["error"]["details"]["checks"]
    assert checks["database"]["code"] == "health.database_unreachable"
    assert checks["schema"]["ok"] is False and checks["workers"]["ok"] is False


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL locks rows, not the file
def test_a_write_held_up_by_another_writer_is_503_and_saves_nothing(api: Api) -> None:
    url = api.engine.url.render_as_string(hide_password=False)
    impatient = make_engine(url, busy_timeout_s=0.2)
    holder = sqlite3.connect(make_url(url).database, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with _client(url, impatient) as client:
            held = client.post("/api/settlements", json=NEW_SETTLEMENT, headers=api.as_(Role.PLANNER))
            page = client.get("/settlements/aghdam-v", headers={"accept": "text/html"})
    finally:
        holder.rollback()
        holder.close()
    assert (held.status_code, held.headers["retry-after"]) == (503, "5")
    assert held.json()["error"]["code"] == "database.busy"
    assert page.status_code == 200  # readers go on while a writer holds the lock (WAL)
    with api.engine.connect() as connection:
        assert connection.scalar(select(func.count()).where(Settlement.code == "new-v")) == 0
    retried = api.client.post("/api/settlements", json=NEW_SETTLEMENT, headers=api.as_(Role.PLANNER))
    assert retried.status_code == 201
    impatient.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lost_database_connection_is_503_and_the_next_request_recovers(api: Api) -> None:
    """The database refuses connections and drops the pool's; then it comes back."""
    name = api.engine.url.database
    admin = make_engine(api.engine.url.set(database="postgres").render_as_string(hide_password=False))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    assert api.client.get("/api/settlements").status_code == 200  # the pool now holds a live connection
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        drop = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
        connection.execute(text(drop), {"n": name})
    lost = api.client.post("/api/settlements", json=NEW_SETTLEMENT, headers=api.as_(Role.PLANNER))
    assert (lost.status_code, lost.json()["error"]["code"], lost.headers["retry-after"]) == (
        503, "database.unavailable", "5",
    )  # fmt: skip
    assert "host=" not in lost.text and "/tmp" not in lost.text  # nothing of the server's address leaks out
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    back = api.client.post("/api/settlements", json=NEW_SETTLEMENT, headers=api.as_(Role.PLANNER))
    assert back.status_code == 201
    admin.dispose()


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = path.with_name("private.db-wal")
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    engine.dispose()
