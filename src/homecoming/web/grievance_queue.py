"""The staff's grievance queue: the grievances routed to the reader's role (a district clerk: of their district;
admin: all), a page at a time by status, each with its text, subject, due date and (only when the domain's rule
allows it, `actions.may_see_contact`) the filer's contact, and a form that answers it through the same use-case
the API calls (`actions.answer_grievance`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import DomainError, Forbidden, Unauthorized
from homecoming.grievances import actions
from homecoming.grievances.models import Grievance, GrievanceStatus
from homecoming.grievances.schemas import RESPONSE_MAX_CHARS, GrievanceAnswer, GrievanceStaff
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, server_now
from homecoming.http.listing import Codes, page_of
from homecoming.phrases import Phrase
from homecoming.territory import read_models as territory
from homecoming.versions import StaleVersion
from homecoming.web.listing import ListSpec, list_view
from homecoming.web.pages import render
from homecoming.web.placenames import local_names, settlement_names

router = APIRouter(include_in_schema=False)
Answerer = Annotated[User, Depends(Requires(*actions.ANSWERERS))]
QUEUE = ListSpec(
    sortable=("due_at", "filed_at", "status", "category"),
    filters=("status",),
    choices={"status": tuple(s.value for s in GrievanceStatus)},
)
STALE = Phrase(
    "someone changed this grievance after you opened the page: it is shown as it is now, with your text kept; "
    "send it again to replace their answer"
)
BAD_ANSWER = Phrase("an answer has 1 to {n} characters", n=RESPONSE_MAX_CHARS)


@router.get("/grievances/queue")
def queue_page(request: Request, session: DbSession, user: Answerer) -> HTMLResponse:
    return _page(request, session, user)


@router.post("/grievances/queue/{tracking_code}/answer", response_model=None)
async def answer(request: Request, session: DbSession, user: Answerer, tracking_code: str) -> Response:
    """Answers one grievance; a refusal shows the queue again with the problem in words and the text kept."""
    form = await request.form(max_files=0, max_fields=6)
    posted = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, posted)
    typed = {tracking_code: posted.get("response", "")}
    try:
        data = GrievanceAnswer(response=posted.get("response", "").strip(), version=posted.get("version", ""))  # type: ignore[arg-type]
    except ValidationError:
        return _page(request, session, user, typed=typed, problems={tracking_code: BAD_ANSWER}, status_code=422)
    try:
        actions.answer_grievance(session, user, tracking_code, data.response,
                                 now=server_now(request), version=data.version)  # fmt: skip
    except (Forbidden, Unauthorized):
        raise  # the error page, as for any page this role may not open
    except StaleVersion as exc:
        current = _staff(session, user, [exc.record])[0]
        session.rollback()
        return _page(request, session, user, typed=typed, problems={tracking_code: STALE}, current=current,
                     status_code=409)  # fmt: skip
    except DomainError as exc:
        session.rollback()
        return _page(request, session, user, typed=typed, problems={tracking_code: exc.message},
                     status_code=exc.status)  # fmt: skip
    return RedirectResponse(f"/grievances/queue?answered={quote(tracking_code)}", status_code=303)


def _staff(session: Session, user: User, grievances: list[Grievance]) -> list[GrievanceStaff]:
    codes = Codes(session)
    return [
        actions.staff_view(user, g, codes.district(g.district_id), codes.settlement(g.settlement_id))
        for g in grievances
    ]


def _page(
    request: Request, session: Session, user: User, *, typed: dict[str, str] | None = None,
    problems: dict[str, str] | None = None, current: GrievanceStaff | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    view = replace(list_view(request, QUEUE), path="/grievances/queue")  # an answer's refusal shows it too
    query = actions.assigned_grievances(session, user, status=view.chosen("status", GrievanceStatus))
    total, listed = page_of(session, query, Grievance, QUEUE.sortable, view.paging)
    rows = _staff(session, user, list(listed))
    context: dict[str, Any] = {
        "rows": rows,
        "view": view,
        "window": view.window(total),
        "now": server_now(request),
        "districts": territory.district_names(session),
        "settlements": settlement_names(request, session),
        "statuses": QUEUE.choices["status"],
        "typed": typed or {},
        "problems": problems or {},
        "current": current,
        "answered": request.query_params.get("answered", "")[:64],
        "csrf": csrf_token(request),
        "response_max": RESPONSE_MAX_CHARS,
    }
    return render(request, "grievances/queue.html", user, status_code=status_code, **context,
                  **local_names(request, session))  # fmt: skip
