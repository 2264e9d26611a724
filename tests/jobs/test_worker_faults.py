"""Real faults: a `homecoming worker` process is SIGKILLed in each stage of a plan run, on both engines.

After each kill the database is whole (SQLite's integrity check), nothing of the plan run was written, the job is run
again once by the next worker and succeeds, or fails with job.worker_lost on a second loss (never both), and the
next plan run succeeds (the worker process and its test hook: worker_process).
"""

from __future__ import annotations

import pytest
from job_support import PEOPLE_MONTHS, job, plan_rows, queue_plan, wait_finished
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from worker_process import WorkerProcess, integrity, kill_paused, rescuer

from homecoming.jobs.models import JobStatus
from homecoming.planning.jobs import COMMITTING, STAGE_KEYS
from homecoming.planning.models import PlanRun

STAGES = [*STAGE_KEYS.values(), COMMITTING]
EMPTY = {"plan_runs": 0, "plan_tasks": 0, "plan_settlements": 0, "plan_allocations": 0, "plan_convoys": 0}


def killed_in(registry: Engine, database_url: str, stage: str, code: str) -> None:
    """SIGKILL a worker in `stage` of the plan run `code` and check it left nothing."""
    kill_paused(database_url, stage)
    running = job(registry, code)
    assert (running.status, running.lease_owner is not None) == (JobStatus.RUNNING, True)
    assert integrity(registry) == "ok"
    assert plan_rows(registry) == EMPTY  # not a row of the plan: it was one transaction, never committed


@pytest.mark.parametrize("stage", STAGES)
def test_a_worker_killed_in_any_stage_leaves_nothing_and_the_next_worker_runs_the_plan_again(
    registry: Engine, database_url: str, stage: str
) -> None:
    queue_plan(registry, "faulty")
    killed_in(registry, database_url, stage, "faulty")
    with rescuer(database_url):  # it takes the job over once the dead worker's lease has run out
        done = wait_finished(registry, "faulty")
        assert (done.status, done.error_code, done.attempts, done.percent) == (JobStatus.DONE, None, 2, 100)
        assert done.result == {"plan_run": "faulty", "people_months": PEOPLE_MONTHS, "sequencing_status": "optimal"}
        with Session(registry) as session:
            assert session.scalars(select(PlanRun.people_months).where(PlanRun.code == "faulty")).all() == [
                PEOPLE_MONTHS
            ]  # the retry wrote where the killed worker had held its transaction: nothing of it was left locked
    assert integrity(registry) == "ok"
    assert plan_rows(registry)["plan_runs"] == 1


def test_a_job_whose_worker_dies_twice_fails_with_worker_lost_and_is_not_run_a_third_time(
    registry: Engine, database_url: str
) -> None:
    queue_plan(registry, "doomed")
    killed_in(registry, database_url, "sequencing", "doomed")
    killed_in(registry, database_url, "committing", "doomed")  # the retry dies too
    assert job(registry, "doomed").attempts == 2
    with rescuer(database_url):
        failed = wait_finished(registry, "doomed")
        assert (failed.status, failed.error_code, failed.attempts) == (JobStatus.FAILED, "job.worker_lost", 2)
        assert failed.message is not None and "stopped 2 times" in failed.message
        assert plan_rows(registry) == EMPTY
        queue_plan(registry, "after")
        assert wait_finished(registry, "after").status == JobStatus.DONE
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
