"""A job: long work asked for by a user, queued in the database and run by whichever worker claims it first.

Only this table coordinates the workers (no lock inside a process decides anything): a worker claims a queued job
with a conditional update (under `FOR UPDATE SKIP LOCKED` on PostgreSQL), holds it by a lease it renews while it
runs, and a job whose lease ran out (its worker died) is queued again once, or failed with its reason.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import str_enum


class JobKind(enum.StrEnum):
    PLAN_RUN = "plan_run"
    RISK_RUN = "risk_run"
    SWEEP = "sweep"
    IMPORT = "import"  # a registry table from an uploaded file (homecoming.interchange.import_jobs)
    DUPLICATE_SEARCH = "duplicate_search"  # the registry searched for people registered twice (households.jobs)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(Base):
    """What to do (kind and payload), how far it got (stage, percent, message) and who holds it (the lease).

    A plan run's job has the plan run's code; progress is written in short transactions of its own, so a poller
    sees it while the work's own transaction is still open.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[JobKind] = mapped_column(str_enum(JobKind, "job_kind"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the work's input (for a plan run: its Scenario)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "job_status"), index=True)
    stage: Mapped[str] = mapped_column(String(200))
    percent: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far; a lost worker's job retries once
    lease_owner: Mapped[str | None] = mapped_column(String(200))  # the worker holding it while it runs
    lease_expires_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what the work made (codes, figures)
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


class JobWorker(Base):
    """A live worker process: its heartbeat says it is alive (the readiness endpoint counts these)."""

    __tablename__ = "job_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # host:pid:random, also the jobs' lease_owner
    hostname: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime]
    heartbeat_at: Mapped[dt.datetime] = mapped_column(index=True)
    job_id: Mapped[int | None] = mapped_column(Integer)  # the job it runs now, if any


class JobFile(Base):
    """A file a job works on (an uploaded registry import), kept in the database beside its job.

    In the database rather than on a disk because any worker on any machine reads the same database, and because
    the file and its job are written in one transaction (never a job without its file, nor a file without a job).
    It is dropped in the transaction that ends the job, whichever way it ends (`jobs.service.finish`).
    """

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # the sender's file name, without any folder
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
