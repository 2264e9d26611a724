"""The review queue's data: adding a submission once per instanceID, finding it, listing what waits, deciding it.
Flush only; the use-cases (`fielddata.actions`) check who may and write the audit entries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import Conflict, NotFound
from homecoming.fielddata.models import FieldSubmission, SubmissionSource, SubmissionStatus

QUEUE_LIMIT = 200  # submissions shown at once on the review page


def find(session: Session, instance_id: str) -> FieldSubmission | None:
    return session.scalars(select(FieldSubmission).where(FieldSubmission.code == instance_id)).one_or_none()


def get(session: Session, instance_id: str) -> FieldSubmission:
    found = find(session, instance_id)
    if found is None:
        raise NotFound("fielddata.not_found", f"no field submission {instance_id!r}", {"code": instance_id})
    return found


def add(
    session: Session, instance_id: str, form_id: str, version: str, source: SubmissionSource, sender: User | None,
    district_id: int | None, values: dict[str, Any], files: list[dict[str, Any]], now: dt.datetime,
) -> FieldSubmission:  # fmt: skip
    submission = FieldSubmission(
        code=instance_id, form_id=form_id, form_version=version, source=source, status=SubmissionStatus.PENDING,
        submitted_by_id=sender.id if sender is not None else None, district_id=district_id, fields=values,
        files=files, received_at=now,
    )  # fmt: skip
    session.add(submission)
    session.flush()
    return submission


def pending(session: Session, form_ids: list[str], district_id: int | None) -> list[FieldSubmission]:
    """What waits for review among these forms, oldest first; only one district's when a district is given."""
    query = select(FieldSubmission).where(
        FieldSubmission.status == SubmissionStatus.PENDING, FieldSubmission.form_id.in_(form_ids)
    )
    if district_id is not None:
        query = query.where(FieldSubmission.district_id == district_id)
    return list(session.scalars(query.order_by(FieldSubmission.received_at, FieldSubmission.id).limit(QUEUE_LIMIT)))


def decide(
    session: Session, submission: FieldSubmission, status: SubmissionStatus, reviewer: User, now: dt.datetime,
    *, reason: str | None = None, applied: tuple[str, str] | None = None,
) -> FieldSubmission:  # fmt: skip
    ensure_pending(submission)
    submission.status = status
    submission.reviewed_by_id = reviewer.id
    submission.reviewed_at = now
    submission.reason = reason
    if applied is not None:
        submission.applied_table, submission.applied_code = applied
    session.flush()
    return submission


def ensure_pending(submission: FieldSubmission) -> None:
    if submission.status != SubmissionStatus.PENDING:
        raise Conflict(
            "fielddata.already_decided",
            f"submission {submission.code} was {submission.status} already; it cannot be decided again",
            {"code": submission.code, "status": str(submission.status)},
        )


def record_code(instance_id: str) -> str:
    """The code the registry record made from a submission gets: `odk-` and the instanceID's first 12 letters."""
    letters = re.sub(r"[^a-z0-9]", "", instance_id.lower().removeprefix("uuid:"))
    return f"odk-{letters[:12]}"


def sender_name(session: Session, submission: FieldSubmission) -> str | None:
    if submission.submitted_by_id is None:
        return None
    return session.get_one(User, submission.submitted_by_id).username
