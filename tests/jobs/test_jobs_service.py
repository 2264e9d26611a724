"""The jobs table's rules on both engines: claim, lease, retry once or fail, cancel, live workers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.errors import Conflict, NotFound
from homecoming.jobs import service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.service import LeaseLost

T0 = dt.datetime(2026, 12, 1, 12, 0, 0)
LEASE_S = 30


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def queued(engine: Engine, *codes: str) -> None:
    with unit_of_work(engine) as session:
        for k, code in enumerate(codes):
            service.enqueue(session, JobKind.PLAN_RUN, code, {"n": k}, "planner", at(k))


def claim(engine: Engine, owner: str, now: dt.datetime) -> str | None:
    with unit_of_work(engine) as session:
        job = service.claim(session, owner, now, LEASE_S)
        return None if job is None else job.code


def state(engine: Engine, code: str) -> tuple[JobStatus, int, str | None, str | None]:
    with Session(engine) as session:
        job = session.get_one(Job, service.get(session, code).id)
        return job.status, job.attempts, job.lease_owner, job.error_code


def test_workers_take_queued_jobs_oldest_first_and_never_the_same_one(engine: Engine) -> None:
    queued(engine, "first", "second")
    assert [claim(engine, "a", at(10)), claim(engine, "b", at(10)), claim(engine, "c", at(10))] == [
        "first", "second", None
    ]  # fmt: skip
    assert state(engine, "first") == (JobStatus.RUNNING, 1, "a", None)
    assert state(engine, "second") == (JobStatus.RUNNING, 1, "b", None)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no row lock to skip
def test_on_postgresql_a_worker_skips_a_job_another_is_claiming_instead_of_waiting(engine: Engine) -> None:
    queued(engine, "first", "second")
    with unit_of_work(engine) as slow:  # worker a has claimed "first" but not committed yet
        assert service.claim(slow, "a", at(10), LEASE_S) is not None
        assert claim(engine, "b", at(10)) == "second"  # b neither waits for a's lock nor takes "first"
    assert state(engine, "first")[2] == "a"


def test_a_job_whose_lease_ran_out_is_queued_again_once_then_failed_never_both(engine: Engine) -> None:
    queued(engine, "job")
    claim(engine, "dies", at(0))
    with unit_of_work(engine) as session:
        assert service.reap_expired(session, at(LEASE_S - 1)) == []  # still held
        assert service.renew(session, service.get(session, "job").id, "dies", at(LEASE_S - 1), LEASE_S) == (True, False)
        assert service.reap_expired(session, at(LEASE_S + 1)) == []  # the renewal pushed the lease on
        assert service.reap_expired(session, at(2 * LEASE_S)) == [("job", JobStatus.QUEUED)]
    assert state(engine, "job") == (JobStatus.QUEUED, 1, None, None)
    assert claim(engine, "dies-again", at(100)) == "job"
    with unit_of_work(engine) as session:
        assert service.reap_expired(session, at(200)) == [("job", JobStatus.FAILED)]
        assert service.reap_expired(session, at(300)) == []
    assert state(engine, "job") == (JobStatus.FAILED, 2, None, "job.worker_lost")
    assert claim(engine, "third", at(400)) is None


def test_a_worker_that_lost_its_lease_cannot_finish_the_job_and_its_work_is_rolled_back(engine: Engine) -> None:
    queued(engine, "job")
    claim(engine, "slow", at(0))
    with unit_of_work(engine) as session:
        service.reap_expired(session, at(LEASE_S + 1))
    claim(engine, "fresh", at(LEASE_S + 2))
    job_id = state_id(engine, "job")
    with pytest.raises(LeaseLost), unit_of_work(engine) as session:
        session.add(
            Job(
                code="made-by-slow",
                kind=JobKind.SWEEP,
                payload={},
                status=JobStatus.DONE,
                stage="done",
                percent=100,
                attempts=0,
                cancel_requested=False,
                requested_by="x",
                created_at=T0,
            )
        )
        service.finish(session, job_id, "slow", at(60), JobStatus.DONE, message="done")
    with Session(engine) as session:
        assert service.find(session, "made-by-slow") is None  # its work went with the failed finish
    assert state(engine, "job") == (JobStatus.RUNNING, 2, "fresh", None)
    with unit_of_work(engine) as session:
        assert service.record(session, job_id, "slow", percent=50) == (False, False)
        service.finish(session, job_id, "fresh", at(70), JobStatus.DONE, message="done", result={"ok": 1})
    assert state(engine, "job") == (JobStatus.DONE, 2, None, None)


def state_id(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        return service.get(session, code).id


def test_cancelling_stops_a_queued_job_at_once_and_flags_a_running_one(engine: Engine) -> None:
    queued(engine, "waiting", "running")
    with unit_of_work(engine) as session:  # the oldest is taken by a worker first; "running" is claimed below
        session.get_one(Job, service.get(session, "waiting").id).created_at = at(50)
    claim(engine, "w", at(10))
    with unit_of_work(engine) as session:
        assert service.request_cancel(session, "waiting", at(20)).status == JobStatus.CANCELLED
        assert service.request_cancel(session, "running", at(20)).status == JobStatus.RUNNING
        job_id = service.get(session, "running").id
        assert service.renew(session, job_id, "w", at(21), LEASE_S) == (True, True)  # the worker hears of it
    assert claim(engine, "other", at(30)) is None  # a cancelled job is never taken
    with unit_of_work(engine) as session:
        with pytest.raises(Conflict) as finished:
            service.request_cancel(session, "waiting", at(40))
        assert finished.value.code == "job.not_cancellable"
        with pytest.raises(NotFound) as unknown:
            service.request_cancel(session, "nope", at(40))
        assert unknown.value.code == "job.not_found"


def test_a_cancelled_job_whose_worker_died_is_cancelled_not_retried(engine: Engine) -> None:
    queued(engine, "job")
    claim(engine, "dies", at(0))
    with unit_of_work(engine) as session:
        service.request_cancel(session, "job", at(1))
        assert service.reap_expired(session, at(LEASE_S + 1)) == [("job", JobStatus.CANCELLED)]


def test_live_workers_counts_heartbeats_younger_than_the_limit(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        service.register_worker(session, "old", "host", 1, at(0))
        service.register_worker(session, "young", "host", 2, at(0))
        service.beat(session, "young", at(service.WORKER_ALIVE_S + 10), None)
    with Session(engine) as session:
        assert service.live_workers(session, at(service.WORKER_ALIVE_S)) == 2
        assert service.live_workers(session, at(service.WORKER_ALIVE_S + 11)) == 1
    with unit_of_work(engine) as session:
        service.deregister_worker(session, "young")
        assert service.live_workers(session, at(service.WORKER_ALIVE_S + 11)) == 0
        assert service.beat(session, "young", at(100), None) is False  # gone: it would register again
