"""Two server processes and a job worker writing to one database at once lose nothing.

Real processes, as an operator runs them: two `homecoming serve --no-worker` on their own ports and one
`homecoming worker`, on each engine. Clients write through both servers while the worker stores a plan run; a
client that is told `503` (SQLite: another process holds the write lock) sends the same request again, as the
`Retry-After` header asks. Every write a server accepted must be in the database, and the plan run complete.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
from api_support import Api
from sqlalchemy import func, select

from homecoming.accounts.roles import Role
from homecoming.planning.models import PlanRun
from homecoming.territory.models import Settlement

WRITES_PER_SERVER = 25
PATIENCE_S = 240  # a safety net for a stuck process on a busy machine, not a timing assertion


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _processes(database_url: str, ports: list[int]) -> Iterator[None]:
    env = {**os.environ, "HOMECOMING_DATABASE_URL": database_url, "HOMECOMING_SECRET_KEY": "concurrency-test-key"}
    command = [sys.executable, "-m", "homecoming"]
    started = [
        subprocess.Popen([*command, "serve", "--port", str(port), "--no-worker"], env=env, stdout=subprocess.DEVNULL)
        for port in ports
    ]
    started.append(subprocess.Popen([*command, "worker", "--poll-seconds", "0.2"], env=env, stdout=subprocess.DEVNULL))
    try:
        deadline = time.monotonic() + PATIENCE_S
        for port in ports:
            while not _answers(port):
                assert time.monotonic() < deadline and all(p.poll() is None for p in started), "a process died"
                time.sleep(0.2)
        yield
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=60)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _write(port: int, token: str, code: str) -> int:
    """Create one settlement, sending it again while the server says the database is busy; the final status."""
    body = {"code": code, "name": code, "district_code": "aghdam", "kind": "village", "lat": 40.0, "lon": 46.9}
    deadline = time.monotonic() + PATIENCE_S
    while True:
        response = httpx.post(
            f"http://127.0.0.1:{port}/api/settlements", json=body, headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )  # fmt: skip
        if response.status_code != 503 or time.monotonic() > deadline:
            return response.status_code
        time.sleep(0.1)  # Retry-After says 5 s; a test need not wait that long


def _plan_done(port: int, token: str, code: str) -> str:
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        status = httpx.get(f"http://127.0.0.1:{port}/api/plan-runs/{code}/progress", timeout=10).json()["status"]
        if status in ("done", "failed", "cancelled"):
            return str(status)
        time.sleep(0.2)
    return "still running"


def test_two_servers_and_a_worker_writing_at_once_lose_nothing(api: Api) -> None:
    url = api.engine.url.render_as_string(hide_password=False)
    ports = [_free_port(), _free_port()]
    planner = api.tokens[Role.PLANNER]
    with _processes(url, ports):
        queued = httpx.post(
            f"http://127.0.0.1:{ports[0]}/api/plan-runs", json={"code": "under-load", "seconds": 2},
            headers={"Authorization": f"Bearer {planner}"}, timeout=60,
        )  # fmt: skip
        assert queued.status_code == 202, queued.text
        jobs = [(port, f"w{port}-{n}") for n in range(WRITES_PER_SERVER) for port in ports]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda job: _write(job[0], planner, job[1]), jobs))
        assert _plan_done(ports[1], planner, "under-load") == "done"
    assert statuses == [201] * len(jobs)
    with api.engine.connect() as connection:
        written = connection.scalars(select(Settlement.code).where(Settlement.code.like("w%"))).all()
        assert sorted(written) == sorted(code for _, code in jobs)
        assert connection.scalar(select(func.count()).select_from(PlanRun).where(PlanRun.code == "under-load")) == 1
        if api.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
