"""The review queue's pages: what waits for this reviewer, one submission with its map sketch, photographs and the
differences from the registry, and the three decisions (the same use-cases as /api/field-submissions)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import NotFound
from homecoming.fielddata import actions
from homecoming.fielddata.definitions import FORMS
from homecoming.fielddata.forms import build_form
from homecoming.fielddata.models import FieldSubmission
from homecoming.fielddata.service import sender_name
from homecoming.files.checks import served_type
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, file_store, server_now
from homecoming.territory import read_models as territory_read_models
from homecoming.web import i18n
from homecoming.web.pages import render

router = APIRouter(include_in_schema=False)
TITLES = {form_id: spec.title for form_id, spec in FORMS.items()}  # msgids, translated by the page
Reviewer = Annotated[User, Depends(Requires(*actions.REVIEWERS))]
SKETCH = 320  # the sketch's width and height in pixels
MARGIN = 20


@dataclass(frozen=True)
class Sketch:
    """A submission's point or shape, with its settlement's centre for scale, projected onto a small square."""

    shape: str  # SVG polygon points ("" when none)
    point: tuple[float, float] | None
    settlement: tuple[float, float] | None
    span_m: int  # the width the sketch covers on the ground


def sketch(values: dict[str, Any], centre: tuple[float, float] | None) -> Sketch | None:
    """Equirectangular, scaled by cos(latitude), as the map page draws: exact enough across a few kilometres."""
    ring = [(lat, lon) for lon, lat in values["shape"]["coordinates"][0]] if "shape" in values else []
    point = (values["location"]["lat"], values["location"]["lon"]) if "location" in values else None
    every = ring + ([point] if point else []) + ([centre] if centre else [])
    if not every:
        return None
    lats, lons = [p[0] for p in every], [p[1] for p in every]
    squash = math.cos(math.radians(sum(lats) / len(lats)))
    span = max((max(lons) - min(lons)) * squash, max(lats) - min(lats), 1e-4)
    scale = (SKETCH - 2 * MARGIN) / span

    def place(lat: float, lon: float) -> tuple[float, float]:
        return round(MARGIN + (lon - min(lons)) * squash * scale, 1), round(MARGIN + (max(lats) - lat) * scale, 1)

    shape = " ".join(f"{x},{y}" for x, y in (place(*p) for p in ring))
    return Sketch(shape, place(*point) if point else None, place(*centre) if centre else None,
                  int(span * 111_320))  # fmt: skip


def _centre(session: Session, submission: FieldSubmission) -> tuple[float, float] | None:
    code = submission.fields.get("settlement") or submission.fields.get("blocked_settlement")
    settlement = territory_read_models.settlement_at(session, code) if code else None
    if settlement is None or settlement.lat is None or settlement.lon is None:
        return None
    return settlement.lat, settlement.lon


@router.get("/review")
def review_queue(request: Request, session: DbSession, user: Reviewer) -> Response:
    queue = actions.visible_queue(session, user)
    senders = {s.code: sender_name(session, s) for s in queue}
    return render(request, "review/queue.html", user, queue=queue, senders=senders, titles=TITLES)


@router.get("/review/{code}")
def review_submission(request: Request, session: DbSession, user: Reviewer, code: str) -> Response:
    submission = actions.visible_submission(session, user, code)
    changes = actions.differences(session, user, code)
    return render(
        request, "review/submission.html", user, submission=submission, changes=changes,
        sketch=sketch(submission.fields, _centre(session, submission)), sender=sender_name(session, submission),
        words=build_form(session, submission.form_id).answer_words(i18n.request_language(request)),
        csrf=csrf_token(request),
        pending=submission.status == "pending", size=SKETCH, titles=TITLES,
        questions={q.name: q.label for q in FORMS[submission.form_id].questions},
    )  # fmt: skip


@router.get("/review/{code}/photos/{number}")
def review_photo(request: Request, session: DbSession, user: Reviewer, code: str, number: int) -> Response:
    """The n-th photograph (from 1) of a submission, as its metadata-free copy; reviewers of the form only."""
    files = actions.visible_submission(session, user, code).files
    if not 1 <= number <= len(files):
        raise NotFound("fielddata.no_such_photo", f"submission {code} has {len(files)} photographs")
    content = file_store(request).read(files[number - 1]["public_key"])
    return Response(content, media_type=served_type(content), headers={"Cache-Control": "private, max-age=3600"})


@router.post("/review/{code}/{decision}")
async def decide(request: Request, session: DbSession, user: Reviewer, code: str, decision: str) -> Response:
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    version, now, reason = int(posted.get("version") or 0), server_now(request), posted.get("reason", "")
    if decision == "approve":
        record_version = int(posted["record_version"]) if posted.get("record_version") else None
        actions.approve_submission(session, user, code, now=now, store=file_store(request), version=version,
                                   record_version=record_version)  # fmt: skip
    elif decision == "reject":
        actions.reject_submission(session, user, code, reason, now=now, version=version)
    elif decision == "correction":
        actions.request_correction(session, user, code, reason, now=now, version=version)
    else:
        raise NotFound("request.not_found", f"no decision {decision!r}: approve, reject or correction")
    return RedirectResponse(f"/review?decided={code}&as={decision}", status_code=303)
