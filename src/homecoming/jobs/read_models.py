"""What the lists read of the jobs: the statement a list pages through (the door pages and sorts it)."""

from __future__ import annotations

from sqlalchemy import Select, select

from homecoming.jobs.models import Job, JobKind, JobStatus


def jobs_listed(kind: JobKind | None, status: JobStatus | None) -> Select[Job]:
    """Every job, of one kind and in one status when given."""
    query = select(Job)
    if kind is not None:
        query = query.where(Job.kind == kind)
    if status is not None:
        query = query.where(Job.status == status)
    return query
