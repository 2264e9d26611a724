"""The registrars' review list of people who may be registered twice (personal data: registrars only).

The list is made by the duplicate search: a `duplicate_search` job queued here (POST /api/duplicate-candidates/runs;
a search over the whole registry is long work, never a request) or `homecoming households dedupe`. Registrars read
the list, decide each pair (the same person is merged into one record) and see the households the merges left."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from homecoming.accounts.models import User
from homecoming.households import actions
from homecoming.households.models import DuplicateCandidate, DuplicateStatus, HouseholdMember
from homecoming.households.schemas import DuplicateDecision, DuplicateSearch
from homecoming.http.deps import DbSession, RecordNumber, Requires, server_now
from homecoming.http.listing import showing_current
from homecoming.http.schemas import DuplicateCandidateOut, DuplicatePersonOut, HouseholdNoteOut, MemberOut, build
from homecoming.jobs import service as jobs_service
from homecoming.jobs.schemas import JobOut

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


@router.post("/runs", status_code=status.HTTP_202_ACCEPTED)
def start_duplicate_search(
    response: Response, session: DbSession, user: Registrar, data: DuplicateSearch | None = None
) -> JobOut:
    """Queue a search of the whole registry for people registered twice; its progress is at the Location given, its
    pairs on this list once it is done (refused while another search is under way)."""
    seed = (data or DuplicateSearch()).seed
    job = actions.start_duplicate_search(session, user, now=jobs_service.utcnow(), seed=seed)
    response.headers["Location"] = f"/api/jobs/{job.code}"
    return JobOut.of(job)


@router.get("/household-notes")
def list_household_notes(session: DbSession, user: Registrar) -> list[HouseholdNoteOut]:
    """Households the merges left to settle by hand: left with nobody, or perhaps one family with another."""
    return [HouseholdNoteOut(**vars(note)) for note in actions.visible_household_notes(session, user)]


@router.post("/{candidate_id}/decision")
def decide_duplicate(
    request: Request, session: DbSession, user: Registrar, candidate_id: RecordNumber, data: DuplicateDecision
) -> DuplicateCandidateOut:
    """A registrar decides a pair: the same person (merged into the older record; refused when their sex or birth
    years disagree, unless `force` with a comment), or two different people (kept in the audit trail)."""
    with showing_current(candidate_out):
        candidate = actions.decide_duplicate(
            session, user, candidate_id, data.status, now=server_now(request), version=data.version,
            force=data.force, comment=data.comment,
        )  # fmt: skip
    return candidate_out(candidate)
