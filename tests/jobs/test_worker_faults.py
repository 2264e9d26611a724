"""Real faults: a `homecoming worker` process is SIGKILLed in each stage of a plan run, on both engines.

After each kill the database is whole (SQLite's integrity check), nothing of the plan run was written, the job is run
again once by the next worker and succeeds, or fails with job.worker_lost on a second loss (never both), and the
next plan run succeeds. The worker is stopped in a stage by its test hook (HOMECOMING_JOB_TEST_PAUSE_AT, see
homecoming.jobs.worker): it prints `paused at <stage>` and waits there to be killed.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from job_support import PEOPLE_MONTHS, WAIT_LIMIT_S, job, plan_rows, queue_plan, wait_finished
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homecoming.jobs.models import JobStatus
from homecoming.jobs.worker import PAUSE_ENV
from homecoming.planning.jobs import COMMITTING, STAGE_KEYS
from homecoming.planning.models import PlanRun

SRC = Path(__file__).resolve().parents[2] / "src"
LEASE_S = 3  # short, so that the next worker takes a killed worker's job over soon
STAGES = [*STAGE_KEYS.values(), COMMITTING]
STARTED = "waiting for jobs"  # what `homecoming worker` prints once its signal handler is in place
EMPTY = {"plan_runs": 0, "plan_tasks": 0, "plan_settlements": 0, "plan_allocations": 0, "plan_convoys": 0}


class WorkerProcess:
    """`python -m homecoming worker` on the test's database; its output is read line by line as it comes."""

    def __init__(self, database_url: str, pause_at: str | None = None) -> None:
        env = os.environ | {"HOMECOMING_DATABASE_URL": database_url, "PYTHONPATH": str(SRC)}
        env.pop(PAUSE_ENV, None)
        if pause_at is not None:
            env[PAUSE_ENV] = pause_at
        self.process = subprocess.Popen(
            [sys.executable, "-m", "homecoming", "worker", "--poll-seconds", "0.2", "--lease-seconds", str(LEASE_S)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str) -> None:
        if any(text in line for line in self.output):
            return
        deadline = time.monotonic() + WAIT_LIMIT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            self.output.append(line)
            if text in line:
                return
        raise AssertionError(f"the worker never said {text!r}:\n{''.join(self.output)}")

    def drain(self) -> list[str]:
        """Everything it has said so far (after it stopped: everything)."""
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return self.output

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait() == -signal.SIGKILL

    def stop(self) -> None:
        """SIGTERM: it stops between jobs and says goodbye (once it is up: before, SIGTERM would just end Python)."""
        self.wait_for(STARTED)
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=WAIT_LIMIT_S) == 0
        self.reader.join(timeout=WAIT_LIMIT_S)


def integrity(engine: Engine) -> str:
    """SQLite's own check of the file (PostgreSQL keeps its own consistency: 'ok')."""
    if engine.dialect.name != "sqlite":
        return "ok"
    path = engine.url.database
    assert path is not None
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def killed_in(registry: Engine, database_url: str, stage: str, code: str) -> None:
    """Start a worker that stops in `stage` of the plan run `code`, SIGKILL it there and check it left nothing.

    The next worker is started only after the check: one started before the kill would take the job over as soon as
    the dead worker's lease runs out (LEASE_S), and on a busy machine that can come before the check has read.
    """
    worker = WorkerProcess(database_url, pause_at=stage)
    worker.wait_for(f"paused at {stage}")
    running = job(registry, code)
    assert (running.status, running.lease_owner is not None) == (JobStatus.RUNNING, True)
    worker.kill()
    assert integrity(registry) == "ok"
    assert plan_rows(registry) == EMPTY  # not a row of the plan: it was one transaction, never committed


@pytest.mark.parametrize("stage", STAGES)
def test_a_worker_killed_in_any_stage_leaves_nothing_and_the_next_worker_runs_the_plan_again(
    registry: Engine, database_url: str, stage: str
) -> None:
    queue_plan(registry, "faulty")
    killed_in(registry, database_url, stage, "faulty")
    rescuer = WorkerProcess(database_url)  # it takes the job over once the dead worker's lease has run out
    try:
        done = wait_finished(registry, "faulty")
        assert (done.status, done.error_code, done.attempts, done.percent) == (JobStatus.DONE, None, 2, 100)
        assert done.result == {"plan_run": "faulty", "people_months": PEOPLE_MONTHS, "sequencing_status": "optimal"}
        with Session(registry) as session:
            assert session.scalars(select(PlanRun.people_months).where(PlanRun.code == "faulty")).all() == [
                PEOPLE_MONTHS
            ]  # the retry wrote where the killed worker had held its transaction: nothing of it was left locked
    finally:
        rescuer.stop()
    assert integrity(registry) == "ok"
    assert plan_rows(registry)["plan_runs"] == 1


def test_a_job_whose_worker_dies_twice_fails_with_worker_lost_and_is_not_run_a_third_time(
    registry: Engine, database_url: str
) -> None:
    queue_plan(registry, "doomed")
    killed_in(registry, database_url, "sequencing", "doomed")
    killed_in(registry, database_url, "committing", "doomed")  # the retry dies too
    assert job(registry, "doomed").attempts == 2
    rescuer = WorkerProcess(database_url)
    try:
        failed = wait_finished(registry, "doomed")
        assert (failed.status, failed.error_code, failed.attempts) == (JobStatus.FAILED, "job.worker_lost", 2)
        assert failed.message is not None and "stopped 2 times" in failed.message
        assert plan_rows(registry) == EMPTY
        queue_plan(registry, "after")
        assert wait_finished(registry, "after").status == JobStatus.DONE
    finally:
        rescuer.stop()
    assert job(registry, "doomed").status == JobStatus.FAILED  # failed, and never run again
    assert plan_rows(registry)["plan_runs"] == 1
    assert integrity(registry) == "ok"


def test_two_worker_processes_share_the_queue_and_run_each_job_exactly_once(
    registry: Engine, database_url: str
) -> None:
    codes = [f"shared-{k}" for k in range(4)]
    for code in codes:
        queue_plan(registry, code)
    workers = [WorkerProcess(database_url), WorkerProcess(database_url)]
    try:
        ended = [wait_finished(registry, code) for code in codes]
    finally:
        for worker in workers:
            worker.stop()
    assert [(j.status, j.attempts) for j in ended] == [(JobStatus.DONE, 1)] * 4
    assert plan_rows(registry)["plan_runs"] == 4
    taken = [line for worker in workers for line in worker.drain() if "taken by" in line]
    assert sorted(line.split("job ", 1)[1].split(" ", 1)[0] for line in taken) == codes  # each once, by one worker
    assert integrity(registry) == "ok"
