"""The registrar's pages for the people of the registry: one household with its members and its confirmation of
return, and the review list of people who may be registered twice, with the button that starts a duplicate search
(a job) and the households the merges left (the same use-cases as /api/households and /api/duplicate-candidates;
personal data, so registrars only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from homecoming.accounts.models import User
from homecoming.errors import NotFound
from homecoming.households import actions
from homecoming.households.dedupe import LABELS
from homecoming.households.models import DuplicateStatus
from homecoming.households.rules import MAX_BIRTH_YEAR_GAP
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, server_now
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import FINISHED
from homecoming.web.pages import render

router = APIRouter(include_in_schema=False)
Registrar = Annotated[User, Depends(Requires(*actions.REGISTRARS))]
DECISIONS = {"same": DuplicateStatus.SAME_PERSON, "different": DuplicateStatus.DIFFERENT}


@router.get("/households/{code}")
def household_page(request: Request, session: DbSession, user: Registrar, code: str) -> Response:
    """A household: its people and their specific needs, and whether it has confirmed its voluntary return."""
    household, people = actions.visible_members(session, user, code)
    confirmations = actions.visible_confirmations(session, user, code)
    merged = actions.visible_merged_members(session, user, code)
    return render(request, "household.html", user, household=household, members=people, merged=merged,
                  confirmations=confirmations)  # fmt: skip


@router.get("/duplicate-candidates")
def duplicates_page(request: Request, session: DbSession, user: Registrar) -> Response:
    """The pairs the duplicate search found, most likely first, each with both people, why, and the decision."""
    pairs = actions.visible_duplicate_candidates(session, user, DuplicateStatus.OPEN)
    notes = actions.visible_household_notes(session, user)
    search = actions.visible_latest_search(session, user)
    return render(request, "duplicates.html", user, pairs=pairs, comparisons=tuple(LABELS), notes=notes,
                  search=search, searching=search is not None and search.status not in FINISHED,
                  max_birth_year_gap=MAX_BIRTH_YEAR_GAP,
                  csrf=csrf_token(request))  # fmt: skip


@router.post("/duplicate-candidates/runs")
async def start_search(request: Request, session: DbSession, user: Registrar) -> Response:
    """Queue a duplicate search (the API's use-case); its job page follows it and can cancel it."""
    check_csrf(request, {k: str(v) for k, v in (await request.form()).items()})
    job = actions.start_duplicate_search(session, user, now=jobs_service.utcnow())
    return RedirectResponse(f"/jobs/{job.code}", status_code=303)


@router.post("/duplicate-candidates/{candidate_id}/{decision}")
async def decide(request: Request, session: DbSession, user: Registrar, candidate_id: int, decision: str) -> Response:
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    if decision not in DECISIONS:
        raise NotFound("request.not_found", f"no decision {decision!r}: same or different")
    actions.decide_duplicate(session, user, candidate_id, DECISIONS[decision], now=server_now(request),
                             version=int(posted.get("version") or 0), force=posted.get("force") == "yes",
                             comment=posted.get("comment", "").strip() or None)  # fmt: skip
    return RedirectResponse(f"/duplicate-candidates?decided={candidate_id}", status_code=303)
