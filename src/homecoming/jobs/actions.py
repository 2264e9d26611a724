"""Jobs' use-cases, whichever door asks: cancel one (planners; registrars the registry's duplicate search), and what
a reader is shown of one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.households import actions as household_actions
from homecoming.interchange import import_jobs
from homecoming.jobs import service
from homecoming.jobs.models import FINISHED, Job, JobKind

CANCELLERS = (Role.PLANNER, Role.REGISTRAR)  # the route's guard; which of them may cancel a job is its kind's rule
KIND_CANCELLERS = {JobKind.DUPLICATE_SEARCH: (Role.REGISTRAR,)}  # every other kind: planners (kind_cancellers)


def kind_cancellers(kind: JobKind) -> tuple[Role, ...]:
    return KIND_CANCELLERS.get(kind, (Role.PLANNER,))


def cancel_job(session: Session, actor: User | None, code: str, *, now: dt.datetime) -> Job:
    """A queued job is cancelled at once; a running one stops at its next stage, and nothing of it is kept."""
    permissions.require_role(actor, *CANCELLERS)
    job = service.get(session, code)
    user = permissions.require_role(actor, *kind_cancellers(job.kind))
    before = audit.snapshot(job)
    service.request_cancel(session, code, now)
    audit.record_change(session, user, "cancel", job, before=before)
    return job


def may_cancel(actor: User | None, job: Job) -> bool:
    """Whether a page offers this reader the cancel button."""
    allowed = permissions.allowed_roles(*kind_cancellers(job.kind))
    return actor is not None and actor.role in allowed and job.status not in FINISHED


def withheld_from(actor: User | None, job: Job) -> bool:
    """Whether a job's message and result are withheld from this reader (an import's bad rows may quote a
    household's values: import_jobs.may_read; a duplicate search's counts are of the registry's people: for those who
    may read the registry); its status and progress are everyone's."""
    if job.kind == JobKind.DUPLICATE_SEARCH:
        return actor is None or actor.role not in permissions.allowed_roles(*household_actions.REGISTRARS)
    return not import_jobs.may_read(actor, job)


def visible_job(session: Session, actor: User | None, code: str) -> tuple[Job, bool]:
    """The job of this code, and whether its message and result are withheld from this reader."""
    job = service.get(session, code)
    return job, withheld_from(actor, job)
