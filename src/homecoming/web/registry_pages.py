"""The registrar's pages for the people of the registry: one household with its members and its confirmation of
return, and the review list of people who may be registered twice, with the button that starts a duplicate search
(a job) and the households the merges left (the same use-cases as /api/households and /api/duplicate-candidates;
personal data, so registrars only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import DomainError, Forbidden, NotFound, Unauthorized
from homecoming.households import actions
from homecoming.households.dedupe import LABELS
from homecoming.households.models import DocumentType, DuplicateStatus, Sex, SpecificNeed
from homecoming.households.rules import MAX_BIRTH_YEAR_GAP
from homecoming.households.schemas import MemberCreate
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, RecordNumber, Requires, server_now
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import FINISHED
from homecoming.phrases import N_
from homecoming.web import i18n, refusals
from homecoming.web.formkit import domain_problems, validation_problems
from homecoming.web.pages import render

router = APIRouter(include_in_schema=False)
Registrar = Annotated[User, Depends(Requires(*actions.REGISTRARS))]
DECISIONS = {"same": DuplicateStatus.SAME_PERSON, "different": DuplicateStatus.DIFFERENT}


MEMBER_LABELS = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "patronymic": N_("Patronymic (father's name)"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "document_type": N_("Document"),
    "document_number": N_("Document number"),
    "specific_needs": N_("Specific needs"),
}


@router.get("/households/{code}")
def household_page(request: Request, session: DbSession, user: Registrar, code: str) -> Response:
    """A household: its people and their specific needs, whether it has confirmed its voluntary return, and the
    form that adds a person (the same use-case as POST /api/households/{code}/members)."""
    return _household(request, session, user, code, {}, {})


@router.post("/households/{code}/members")
async def add_member(request: Request, session: DbSession, user: Registrar, code: str) -> Response:
    """Adds the person, or shows the page again with what was typed and each refusal beside its field."""
    form = await request.form()
    posted = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, posted)
    typed: dict[str, Any] = {name: posted.get(name, "") for name in MEMBER_LABELS}
    typed["specific_needs"] = [v for v in form.getlist("specific_needs") if isinstance(v, str)]
    language = i18n.request_language(request)
    try:
        data = MemberCreate.model_validate({name: value for name, value in typed.items() if value})
        member = actions.add_member(session, user, code, data, now=server_now(request),
                                    comment=posted.get("comment") or None)  # fmt: skip
    except ValidationError as exc:
        problems, general = validation_problems(exc, MEMBER_LABELS, refusals.schema_words(language))
        return _household(request, session, user, code, typed, problems, general, 422)
    except (Forbidden, Unauthorized):
        raise
    except DomainError as exc:
        session.rollback()
        said = refusals.refusal_words(language, exc)
        problems = domain_problems(exc, typed, MEMBER_LABELS, said)
        return _household(request, session, user, code, typed, problems, [] if problems else [said], exc.status)
    return RedirectResponse(f"/households/{code}?added={member.number}#members", status_code=303)


@router.post("/households/{code}/members/{number}/remove")
async def remove_member(
    request: Request, session: DbSession, user: Registrar, code: str, number: RecordNumber
) -> Response:
    """Takes the person off (the version read is checked), or says on the page why not."""
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    try:
        actions.remove_member(session, user, code, number, now=server_now(request),
                              version=int(posted.get("version") or 0))  # fmt: skip
    except (Forbidden, Unauthorized):
        raise
    except DomainError as exc:
        session.rollback()
        said = refusals.refusal_words(i18n.request_language(request), exc)
        return _household(request, session, user, code, {}, {}, [said], exc.status)
    return RedirectResponse(f"/households/{code}?removed={number}#members", status_code=303)


def _household(
    request: Request, session: Session, user: User, code: str, typed: dict[str, Any], problems: dict[str, str],
    general: list[str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    household, people = actions.visible_members(session, user, code)
    confirmations = actions.visible_confirmations(session, user, code)
    merged = actions.visible_merged_members(session, user, code)
    language = i18n.request_language(request)
    choices = {
        name: [(item.value, i18n.word(language, item)) for item in kind]
        for name, kind in (("sex", Sex), ("document_type", DocumentType), ("specific_needs", SpecificNeed))
    }
    labels = {name: i18n.gettext(language, label) for name, label in MEMBER_LABELS.items()}
    return render(request, "household.html", user, status_code, household=household, members=people, merged=merged,
                  confirmations=confirmations, typed=typed, problems=problems, general=general or [],
                  labels_shown=labels, choices=choices, csrf=csrf_token(request),
                  added=request.query_params.get("added"), removed=request.query_params.get("removed"))  # fmt: skip


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
