"""A worker in this process with hand-made work: cancelling, a crash, and stopping mid-job all end cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from job_support import WAIT_LIMIT_S, job, queue_plan, wait_finished
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.jobs import service
from homecoming.jobs.models import JobKind, JobStatus
from homecoming.jobs.worker import Handler, JobContext, Worker
from homecoming.territory.models import Region


def slow_work(context: JobContext) -> None:
    """Goes through stages until something stops it, then would write its result (it never gets there).

    Like a plan run, it writes only at the end: SQLite would lock a progress write out of an open write transaction.
    """
    with unit_of_work(context.engine) as session:
        for step in range(100_000):
            context.stage("step", f"step {step}", step % 100)
            time.sleep(0.02)
        session.add(Region(code=f"made-by-{context.code}", name="made by the job"))
        context.finish(session, "finished", {})


def broken_work(context: JobContext) -> None:
    raise ValueError("a bug")


@pytest.fixture
def running_worker(engine: Engine, request: pytest.FixtureRequest) -> Iterator[Worker]:
    handler: Handler = request.param
    worker = Worker(engine, poll_s=0.05, handlers={JobKind.PLAN_RUN: handler})
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    yield worker
    worker.stopping.set()
    thread.join()


def wait_running(engine: Engine, code: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while job(engine, code).status != JobStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)


def regions(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Region)) or 0


@pytest.mark.parametrize("running_worker", [slow_work], indirect=True)
def test_a_cancelled_running_job_stops_at_its_next_stage_and_keeps_nothing(
    engine: Engine, running_worker: Worker
) -> None:
    queue_plan(engine, "long")
    wait_running(engine, "long")
    with unit_of_work(engine) as session:
        assert service.request_cancel(session, "long", service.utcnow()).status == JobStatus.RUNNING
    ended = wait_finished(engine, "long")
    assert (ended.status, ended.message, ended.lease_owner) == (
        JobStatus.CANCELLED, "cancelled on request; nothing of it was kept", None
    )  # fmt: skip
    assert regions(engine) == 0


@pytest.mark.parametrize("running_worker", [broken_work], indirect=True)
def test_a_job_that_crashes_fails_with_job_crashed(engine: Engine, running_worker: Worker) -> None:
    queue_plan(engine, "buggy")
    ended = wait_finished(engine, "buggy")
    assert (ended.status, ended.error_code, ended.attempts) == (JobStatus.FAILED, "job.crashed", 1)
    assert ended.message == "the job stopped unexpectedly (ValueError); the worker's log has the details"


@pytest.mark.parametrize("running_worker", [slow_work], indirect=True)
def test_a_stopping_worker_puts_its_job_back_in_the_queue_without_counting_the_try(
    engine: Engine, running_worker: Worker
) -> None:
    queue_plan(engine, "interrupted")
    wait_running(engine, "interrupted")
    running_worker.stopping.set()
    deadline = time.monotonic() + WAIT_LIMIT_S
    while job(engine, "interrupted").status == JobStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    back = job(engine, "interrupted")
    assert (back.status, back.attempts, back.lease_owner) == (JobStatus.QUEUED, 0, None)
    assert regions(engine) == 0
