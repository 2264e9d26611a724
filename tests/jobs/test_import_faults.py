"""Real faults in an import job: a `homecoming worker` process SIGKILLed while it writes a registry file, both engines.

The worker is stopped by its test hook (HOMECOMING_JOB_TEST_PAUSE_AT) once every row is checked ("writing") and once
every row is written but not committed ("committing"), and killed there: not a row of the file is in the table, the
job is run again once by the next worker and succeeds, with one audit entry, and the uploaded file is gone after.
"""

from __future__ import annotations

import pytest
from job_support import job, wait_finished
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from worker_process import integrity, kill_paused, rescuer

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.db.session import unit_of_work
from homecoming.households.models import Household
from homecoming.interchange import import_jobs
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import JobFile, JobStatus

# zabukh-0 one person larger (updated), five new households (added).
FILE = "code,origin_settlement_code,head_name,size,rooms_needed,registered_on\n" + "".join(
    f"zabukh-{n},zabukh,X,{5 if n == 0 else 3},2,2022-01-01\n" for n in [0, *range(10, 15)]
)


def queue_import(engine: Engine) -> str:
    registrar = User(username="registrar", role=Role.REGISTRAR)  # who asks (no account needed by the worker)
    with unit_of_work(engine) as session:
        queued = import_jobs.start_import_job(session, registrar, "households", "households.csv", FILE.encode(),
                                              jobs_service.utcnow(), max_bytes=1_000_000)  # fmt: skip
        return queued.code


def state(engine: Engine) -> tuple[dict[str, int], int, int]:
    """Each household's size, the import audit entries and the kept files."""
    with Session(engine) as session:
        sizes = {h.code: h.size for h in session.scalars(select(Household))}
        entries = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
        files = session.scalar(select(func.count()).select_from(JobFile))
        return sizes, entries or 0, files or 0


@pytest.mark.parametrize("stage", [import_jobs.WRITING, import_jobs.COMMITTING])
def test_a_worker_killed_while_it_writes_an_import_leaves_no_row_and_the_retry_imports_it_all(
    registry: Engine, database_url: str, stage: str
) -> None:
    before, _, _ = state(registry)
    code = queue_import(registry)
    kill_paused(database_url, stage)
    running = job(registry, code)
    assert (running.status, running.attempts) == (JobStatus.RUNNING, 1)
    assert integrity(registry) == "ok"
    assert state(registry) == (before, 0, 1)  # not a row, no audit entry; the file still kept for the retry
    with rescuer(database_url):
        done = wait_finished(registry, code)
    assert (done.status, done.error_code, done.attempts, done.percent) == (JobStatus.DONE, None, 2, 100), done.message
    assert done.result == {"table": "households", "file": "households.csv", "rows": 6, "added": 5, "updated": 1,
                           "unchanged": 0}  # fmt: skip
    sizes, entries, files = state(registry)
    assert sizes == before | {"zabukh-0": 5} | {f"zabukh-{n}": 3 for n in range(10, 15)}
    assert (entries, files) == (1, 0)
    assert integrity(registry) == "ok"
