"""The registrars' review list of people who may be registered twice (personal data: registrars only).

The list is made by `homecoming households dedupe` (a search over the whole registry is long work, never a request);
here registrars read it and decide each pair."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from homecoming.accounts.models import User
from homecoming.households import actions
from homecoming.households.models import DuplicateCandidate, DuplicateStatus, HouseholdMember
from homecoming.households.schemas import DuplicateDecision
from homecoming.http.deps import DbSession, RecordNumber, Requires, server_now
from homecoming.http.listing import showing_current
from homecoming.http.schemas import DuplicateCandidateOut, DuplicatePersonOut, MemberOut, build

router = APIRouter(prefix="/api/duplicate-candidates", tags=["households"])
Registrar = Annotated[User, Depends(Requires(*actions.REGISTRARS))]


def person_out(member: HouseholdMember) -> DuplicatePersonOut:
    return DuplicatePersonOut(household_code=member.household.code, member=build(MemberOut, member))


def candidate_out(candidate: DuplicateCandidate) -> DuplicateCandidateOut:
    people = [person_out(candidate.member), person_out(candidate.other_member)]
    return build(DuplicateCandidateOut, candidate, people=people)


@router.get("")
def list_duplicate_candidates(
    session: DbSession, user: Registrar, status: DuplicateStatus = DuplicateStatus.OPEN
) -> list[DuplicateCandidateOut]:
    """Pairs the duplicate search found (open by default), most likely first, with both people and why."""
    return [candidate_out(c) for c in actions.visible_duplicate_candidates(session, user, status)]


@router.post("/{candidate_id}/decision")
def decide_duplicate(
    request: Request, session: DbSession, user: Registrar, candidate_id: RecordNumber, data: DuplicateDecision
) -> DuplicateCandidateOut:
    """A registrar decides a pair: the same person, or two different people (kept in the audit trail)."""
    with showing_current(candidate_out):
        candidate = actions.decide_duplicate(
            session, user, candidate_id, data.status, now=server_now(request), version=data.version,
            comment=data.comment,
        )  # fmt: skip
    return candidate_out(candidate)
