"""The public grievances page: the statistics (small counts withheld), the form to file one, and the lookup by
tracking code. Everything goes through the grievances use-cases, as the API does; nothing here shows a filer's
text or contact, and stored text is always escaped (no link is ever made of it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.errors import DomainError, TooManyRequests
from homecoming.grievances import actions, read_models
from homecoming.grievances.models import GrievanceCategory, SubjectKind
from homecoming.grievances.schemas import CONTACT_MAX_CHARS, TEXT_MAX_CHARS, GrievanceCreate
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, client_address, file_store, public, server_now
from homecoming.http.rate_limit import filing_window
from homecoming.phrases import Phrase
from homecoming.territory import service as territory
from homecoming.web import i18n
from homecoming.web.formkit import validation_problems
from homecoming.web.pages import Viewer, render
from homecoming.web.placenames import local_names

router = APIRouter(include_in_schema=False)
FIELDS = ("kind", "code", "category", "text", "contact")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/grievances", dependencies=[Depends(public)])
def grievances_page(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    return _page(request, session, user, typed={}, problems={})


@router.post("/grievances", dependencies=[Depends(public)])
async def file_grievance(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    """The same use-case and the same limits as POST /api/grievances (the address's window is shared)."""
    settings, now = _settings(request), server_now(request)
    form = await request.form(max_files=1, max_fields=10)
    try:
        posted = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("photo")
        content = await upload.read(settings.max_file_bytes + 1) if isinstance(upload, UploadFile) else b""
        name = upload.filename if isinstance(upload, UploadFile) else None
    finally:
        await form.close()
    check_csrf(request, posted)
    typed = {name: posted.get(name, "") for name in FIELDS}
    photo = actions.Photo(name or "photo", content, file_store(request), settings.max_file_bytes) if content else None
    try:
        filing_window(request.app.state, settings.grievance_filings_per_hour).hit(client_address(request), now)
        data = GrievanceCreate(
            about=f"{typed['kind']}:{typed['code'].strip()}",
            category=typed["category"],  # type: ignore[arg-type]
            text=typed["text"],
            contact=typed["contact"].strip() or None,
        )
        grievance = actions.file_grievance(
            session, None, data, now=now, service_days=settings.grievance_service_days, photo=photo
        )
    except ValidationError as exc:
        by_field, general = validation_problems(exc, FIELDS)
        by_field = {("code" if name == "about" else name): text for name, text in by_field.items()}
        return _page(request, session, user, typed=typed, problems=by_field, general=general, status_code=422)
    except DomainError as exc:
        field = "code" if exc.details.get("field") == "about" else "photo" if exc.code.startswith("files.") else None
        problems = {field: photo_refusal(request, exc) if field == "photo" else exc.message} if field else {}
        page = _page(request, session, user, typed=typed, problems=problems,
                     general=[] if field else [exc.message], status_code=exc.status)  # fmt: skip
        if isinstance(exc, TooManyRequests):
            page.headers["Retry-After"] = str(exc.details["retry_after_s"])
        return page
    return render(request, "grievances/track.html", user, grievance=actions.public_view(grievance), new=True)


def photo_refusal(request: Request, exc: DomainError) -> str:
    """The files domain's refusal as the form's reader reads it: its sentences are English (the API's message, which
    an English reader gets whole), so another language's reader gets the same said by the error's code."""
    if i18n.request_language(request) == i18n.DEFAULT_LANGUAGE:
        return exc.message
    if exc.code == "files.too_large":
        return Phrase("the photograph is larger than the limit of {n} bytes; send a smaller one",
                      n=int(exc.details.get("max_bytes", 0)))  # fmt: skip
    return PHOTO_REFUSALS.get(exc.code, PHOTO_REFUSALS["files.corrupt"])


PHOTO_REFUSALS = {
    "files.empty": Phrase("the photograph is empty; nothing was stored"),
    "files.type_not_allowed": Phrase("only photographs ending in .jpg, .jpeg or .png are accepted"),
    "files.content_mismatch": Phrase(
        "the file's name says it is a photograph but its content is not; nothing was stored"
    ),
    "files.not_an_image": Phrase("only photographs (JPEG or PNG images) are accepted here"),
    "files.image_too_large": Phrase("the image has too many pixels to be handled safely; send a smaller one"),
    "files.corrupt": Phrase("the file does not open as an image (it is damaged or not really one); nothing was stored"),
}


@router.get("/grievances/track", dependencies=[Depends(public)])
def track_grievance(request: Request, session: DbSession, user: Viewer, code: str = "") -> HTMLResponse:
    """The lookup: status, dates and the public response of the grievance with this tracking code."""
    return render(request, "grievances/track.html", user, grievance=actions.public_grievance(session, code[:64]),
                  new=False)  # fmt: skip


def _page(
    request: Request, session: Session, user: User | None, *, typed: dict[str, str], problems: dict[str, Any],
    general: list[str] | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    settings = _settings(request)
    stats = read_models.statistics_of(session, server_now(request), settings.small_count_threshold)
    return render(
        request,
        "grievances/page.html",
        user,
        status_code=status_code,
        stats=stats,
        districts=territory.district_names(session),
        **local_names(request, session),
        kinds=[kind.value for kind in SubjectKind],
        categories=[category.value for category in GrievanceCategory],
        typed=typed,
        problems=problems,
        general=general or [],
        csrf=csrf_token(request),
        text_max=TEXT_MAX_CHARS,
        contact_max=CONTACT_MAX_CHARS,
    )
