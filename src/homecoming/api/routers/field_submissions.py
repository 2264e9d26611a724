"""The review queue over JSON: what waits for this reviewer, and the decision on one submission (the review page's
same use-cases). Submissions arrive through the OpenRosa server (/odk) or an import (`homecoming odk import`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from homecoming.accounts.models import User
from homecoming.fielddata import actions
from homecoming.fielddata.models import FieldSubmission
from homecoming.fielddata.schemas import CurrentRecord, Decision, SubmissionRead
from homecoming.http.deps import Comment, DbSession, Requires, file_store, server_now
from homecoming.http.listing import showing_current

router = APIRouter(prefix="/api/field-submissions", tags=["field data"])
Reviewer = Annotated[User, Depends(Requires(*actions.REVIEWERS))]


def _out(submission: FieldSubmission) -> SubmissionRead:
    return SubmissionRead.model_validate(submission)


def _current(record: Any) -> BaseModel:
    """A 409's `details.current`: the submission, or the registry record the approval would have changed."""
    if isinstance(record, FieldSubmission):
        return _out(record)
    return CurrentRecord(table=record.__tablename__, code=record.code, version=record.version)


@router.get("")
def list_pending(session: DbSession, user: Reviewer) -> list[SubmissionRead]:
    """Pending submissions of the forms this account reviews (a district clerk's own district only)."""
    return [_out(s) for s in actions.visible_queue(session, user)]


@router.get("/{code}")
def get_submission(session: DbSession, user: Reviewer, code: str) -> SubmissionRead:
    return _out(actions.visible_submission(session, user, code))


@router.post("/{code}/approve")
def approve(
    request: Request, session: DbSession, user: Reviewer, code: str, version: int, data: Decision,
    comment: Comment = None,
) -> SubmissionRead:  # fmt: skip
    """Apply it to the registry through its domain's own rules; refused there, it stays pending."""
    with showing_current(_current):
        submission = actions.approve_submission(
            session, user, code, now=server_now(request), store=file_store(request), version=version,
            record_version=data.record_version, comment=comment,
        )  # fmt: skip
    return _out(submission)


@router.post("/{code}/reject")
def reject(
    request: Request, session: DbSession, user: Reviewer, code: str, version: int, data: Decision,
    comment: Comment = None,
) -> SubmissionRead:  # fmt: skip
    with showing_current(_out):
        submission = actions.reject_submission(session, user, code, data.reason or "", now=server_now(request),
                                               version=version, comment=comment)  # fmt: skip
    return _out(submission)


@router.post("/{code}/correction")
def ask_correction(
    request: Request, session: DbSession, user: Reviewer, code: str, version: int, data: Decision,
    comment: Comment = None,
) -> SubmissionRead:  # fmt: skip
    """Send it back to the enumerator with what to correct."""
    with showing_current(_out):
        submission = actions.request_correction(session, user, code, data.reason or "", now=server_now(request),
                                                version=version, comment=comment)  # fmt: skip
    return _out(submission)
