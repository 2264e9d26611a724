"""The rules of the jobs table: queue, claim, hold by lease, retry a lost worker's job once, cancel, finish.

Every function takes the session first and the clock's `now`; they flush, never commit (the worker gives each step
a short unit of work of its own). The claim is a conditional update (`... WHERE status = 'queued'`), so two workers
can never both take a job; on PostgreSQL the candidate is also chosen with `FOR UPDATE SKIP LOCKED`, so workers on
several machines do not queue behind each other's row locks. On SQLite run one worker (its writes are serialised
anyway); the conditional update keeps even a second one correct.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound
from homecoming.jobs.models import FINISHED, Job, JobFile, JobKind, JobStatus, JobWorker

MAX_ATTEMPTS = 2  # a job whose worker died is run once more, then failed with job.worker_lost
WORKER_ALIVE_S = 60  # a worker whose heartbeat is older than this is taken for dead (readiness, `live_workers`)
FORGET_WORKER_S = 24 * 3600  # rows of workers silent this long are removed when another worker starts


class LeaseLost(Exception):  # not an error a user can cause: the worker lets go
    """This worker no longer holds the job (its lease ran out and the job went to another worker, or was reaped)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# -- asking for work and following it --------------------------------------------------------------------------


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(Job.id).where(Job.code == code)) is not None


def new_code(session: Session, prefix: str, now: dt.datetime, taken: Any = None) -> str:
    """`prefix-YYYYmmdd-HHMMSS`, with `-2`, `-3`... when taken (by a job, or by whatever `taken(code)` says)."""
    base = f"{re.sub(r'[^A-Za-z0-9._-]+', '-', prefix).strip('-._')[:40] or 'job'}-{now:%Y%m%d-%H%M%S}"
    code, n = base, 1
    while code_taken(session, code) or (taken is not None and taken(code)):
        n += 1
        code = f"{base}-{n}"
    return code


def enqueue(
    session: Session, kind: JobKind, code: str, payload: dict[str, Any], requested_by: str, now: dt.datetime
) -> Job:
    if code_taken(session, code):
        raise Conflict("job.duplicate_code", f"a job with code {code!r} exists already; choose another code",
                       {"code": code})  # fmt: skip
    job = Job(
        code=code, kind=kind, payload=payload, status=JobStatus.QUEUED, stage="queued", percent=0, attempts=0,
        cancel_requested=False, requested_by=requested_by, created_at=now,
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


def find(session: Session, code: str, kind: JobKind | None = None) -> Job | None:
    query = select(Job).where(Job.code == code)
    return session.scalars(query if kind is None else query.where(Job.kind == kind)).one_or_none()


def get(session: Session, code: str) -> Job:
    job = find(session, code)
    if job is None:
        raise NotFound("job.not_found", f"no job with code {code!r}", {"code": code})
    return job


def request_cancel(session: Session, code: str, now: dt.datetime) -> Job:
    """A queued job is cancelled at once; a running one is flagged and stops at its next stage or tick."""
    job = get(session, code)
    if job.status in FINISHED:
        raise Conflict("job.not_cancellable", f"job {code!r} is {job.status} already: there is nothing to cancel",
                       {"code": code, "status": str(job.status)})  # fmt: skip
    if job.status == JobStatus.QUEUED:
        job.status, job.stage, job.finished_at = JobStatus.CANCELLED, "cancelled", now
        job.message = "cancelled before a worker took it"
        drop_files(session, [job.id])
    job.cancel_requested = True
    session.flush()
    return job


# -- a worker's side: claim, hold, finish ------------------------------------------------------------------------


def reap_expired(session: Session, now: dt.datetime) -> list[tuple[str, JobStatus]]:
    """Jobs whose worker stopped renewing its lease: queued again if they have a try left, else failed; never both.

    Each change is conditional on the lease still being the expired one, so two reapers cannot both act on a job.
    """
    expired = session.scalars(
        select(Job)
        .where(Job.status == JobStatus.RUNNING, Job.lease_expires_at < now)
        .order_by(Job.id)
        .with_for_update(skip_locked=True)
    ).all()
    changed = []
    for job in expired:
        owner, tries = job.lease_owner, job.attempts
        if job.cancel_requested:
            values: dict[str, Any] = {"status": JobStatus.CANCELLED, "stage": "cancelled", "finished_at": now,
                                      "message": "cancelled; its worker stopped before it could say so"}  # fmt: skip
        elif tries < MAX_ATTEMPTS:
            values = {"status": JobStatus.QUEUED, "stage": "queued", "percent": 0,
                      "message": f"the worker running it ({owner}) stopped; queued again (try {tries + 1} of "
                                 f"{MAX_ATTEMPTS})"}  # fmt: skip
        else:
            values = {"status": JobStatus.FAILED, "error_code": "job.worker_lost", "finished_at": now,
                      "message": f"the worker running it stopped {tries} times (last: {owner}); nothing of it was "
                                 "kept: start it again, and check the workers' logs and memory"}  # fmt: skip
        done = session.execute(
            update(Job)
            .where(Job.id == job.id, Job.status == JobStatus.RUNNING, Job.lease_owner == owner,
                   Job.lease_expires_at < now)
            .values(lease_owner=None, lease_expires_at=None, **values)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if _count(done) == 1:
            changed.append((job.code, values["status"]))
            if values["status"] != JobStatus.QUEUED:
                drop_files(session, [job.id])
    session.expire_all()
    return changed


def claim(
    session: Session, owner: str, now: dt.datetime, lease_s: float, kinds: tuple[JobKind, ...] = tuple(JobKind)
) -> Job | None:
    """The oldest queued job of these kinds, now running under this worker's lease; None when there is none."""
    candidate = session.scalar(
        select(Job.id)
        .where(Job.status == JobStatus.QUEUED, Job.kind.in_(kinds))
        .order_by(Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if candidate is None:
        return None
    taken = session.execute(
        update(Job)
        .where(Job.id == candidate, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, stage="starting", percent=0, lease_owner=owner, heartbeat_at=now,
                lease_expires_at=now + dt.timedelta(seconds=lease_s), attempts=Job.attempts + 1,
                started_at=func.coalesce(Job.started_at, now))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if _count(taken) != 1:  # another worker was first
        return None
    session.expire_all()
    return session.get_one(Job, candidate)


def renew(session: Session, job_id: int, owner: str, now: dt.datetime, lease_s: float) -> tuple[bool, bool]:
    """Extend the lease; answers (still held, cancel asked for)."""
    renewed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING)
        .values(heartbeat_at=now, lease_expires_at=now + dt.timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    cancel = bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))
    return _count(renewed) == 1, cancel


def record(session: Session, job_id: int, owner: str, **values: Any) -> tuple[bool, bool]:
    """Write progress (stage, percent, message) if this worker still holds the job: (still held, cancel asked for)."""
    held = _update_held(session, job_id, owner, values)
    cancel = bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))
    return held, cancel


def finish(
    session: Session, job_id: int, owner: str, now: dt.datetime, status: JobStatus, *, message: str | None = None,
    error_code: str | None = None, result: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Done, failed or cancelled, only while this worker holds the lease; otherwise LeaseLost.

    Called in the work's own transaction (for a plan run, the one that writes the plan), so a plan run and its
    job's 'done' commit together or not at all. A failed job's `result` holds its error's details (an import's bad
    rows). The job's files are dropped in the same transaction.
    """
    values: dict[str, Any] = {"status": status, "message": message, "error_code": error_code, "finished_at": now,
                              "lease_owner": None, "lease_expires_at": None, "stage": str(status)}  # fmt: skip
    if status == JobStatus.DONE:
        values |= {"percent": 100, "result": result}
    elif result is not None:
        values["result"] = result
    if not _update_held(session, job_id, owner, values):
        raise LeaseLost(f"job {job_id} is no longer held by {owner}")
    drop_files(session, [job_id])


def _update_held(session: Session, job_id: int, owner: str, values: dict[str, Any]) -> bool:
    """Write to the job only while this worker holds it (running, its lease); whether it did."""
    written = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return _count(written) == 1


def release(session: Session, job_id: int, owner: str) -> None:
    """A worker stopped on purpose (Ctrl-C, SIGTERM) in the middle of a job: queued again, the try not counted."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING)
        .values(status=JobStatus.QUEUED, stage="queued", percent=0, lease_owner=None, lease_expires_at=None,
                attempts=Job.attempts - 1, message="its worker was stopped; queued again")
        .execution_options(synchronize_session=False)
    )  # fmt: skip


# -- the files a job works on ---------------------------------------------------------------------------------


def attach_file(session: Session, job: Job, name: str, content: bytes) -> JobFile:
    """Keep an uploaded file with its (flushed, not yet committed) job: both are committed together."""
    kept = JobFile(job_id=job.id, name=name[:200], size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
                   content=content)  # fmt: skip
    session.add(kept)
    session.flush()
    return kept


def file_of(session: Session, job_id: int) -> JobFile | None:
    return session.scalars(select(JobFile).where(JobFile.job_id == job_id)).one_or_none()


def drop_files(session: Session, job_ids: list[int]) -> None:
    """A finished job's files are of no more use (and may hold personal data): gone with the job's ending."""
    session.execute(delete(JobFile).where(JobFile.job_id.in_(job_ids)).execution_options(synchronize_session=False))


def _count(result: Any) -> int:
    return int(result.rowcount)


# -- workers -------------------------------------------------------------------------------------------------


def register_worker(session: Session, name: str, hostname: str, pid: int, now: dt.datetime) -> None:
    session.execute(delete(JobWorker).where(JobWorker.heartbeat_at < now - dt.timedelta(seconds=FORGET_WORKER_S)))
    session.add(JobWorker(name=name, hostname=hostname[:200], pid=pid, started_at=now, heartbeat_at=now))
    session.flush()


def beat(session: Session, name: str, now: dt.datetime, job_id: int | None) -> bool:
    """Say this worker is alive; False when its row is gone (then register again)."""
    beaten = session.execute(update(JobWorker).where(JobWorker.name == name).values(heartbeat_at=now, job_id=job_id))
    return _count(beaten) == 1


def deregister_worker(session: Session, name: str) -> None:
    session.execute(delete(JobWorker).where(JobWorker.name == name))


def live_workers(session: Session, now: dt.datetime) -> int:
    """Workers whose heartbeat is younger than WORKER_ALIVE_S (for the readiness endpoint)."""
    since = now - dt.timedelta(seconds=WORKER_ALIVE_S)
    return session.scalar(select(func.count()).select_from(JobWorker).where(JobWorker.heartbeat_at >= since)) or 0
