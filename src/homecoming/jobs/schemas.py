"""What the API answers about a job: where it is, how it ended, and what it made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from homecoming.jobs.models import Job, JobKind, JobStatus


class JobOut(BaseModel):
    code: str
    kind: JobKind
    status: JobStatus
    stage: str
    percent: int
    message: str | None
    error_code: str | None
    attempts: int  # tries so far: a job whose worker died is run once more
    cancel_requested: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: dict[str, Any] | None  # what it made, once done (a plan run's code, a risk run's bands, a sweep's table)
    progress_url: str

    @classmethod
    def of(cls, job: Job, *, withheld: bool = False) -> JobOut:
        """`withheld`: the message and result left out (who may read them is the job kind's rule)."""
        fields = {name: getattr(job, name) for name in cls.model_fields if name != "progress_url"}
        if withheld:
            fields |= {"message": None, "result": None}
        return cls(**fields, progress_url=f"/api/jobs/{job.code}")
