"""Data-entry pages: one GET (the form) and one POST (save) per API write, and a list to pick the record to change.

A refused form comes back with what was typed and each problem next to its field, and nothing is written (the
transaction is rolled back). A stale version shows the record as it is now. Every post carries the session's
CSRF token. (No `from __future__ import annotations` here: the routes are made in a loop, and FastAPI must see
each route's own role rule in its signature.)
"""

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from homecoming.accounts.models import User
from homecoming.audit import service as audit
from homecoming.errors import DomainError, Forbidden, Unauthorized
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires
from homecoming.versions import StaleVersion
from homecoming.web.form_specs import (
    FORMS,
    FormSpec,
    check_district,
)
from homecoming.web.formkit import (
    Why,
    domain_problems,
    read_values,
    shown_values,
    typed_back,
    validation_problems,
)
from homecoming.web.listing import list_view
from homecoming.web.pages import templates
from homecoming.web.placenames import local_names
from homecoming.web.record_lists import LISTS, filter_choices

router = APIRouter(include_in_schema=False)
FORM_USERS = tuple({role for spec in FORMS.values() for role in spec.roles})


async def posted_form(request: Request) -> dict[str, str]:
    """The posted fields as text (read here, before the endpoint runs, so the endpoint itself can stay sync)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(posted_form)]
PLACE_INPUTS = {"settlement_code": "local_settlements", "district_code": "local_districts"}


def render_form(
    request: Request, spec: FormSpec, session: Session, user: User, code: str | None, values: Mapping[str, Any],
    status_code: int = 200, **context: Any,
) -> HTMLResponse:  # fmt: skip
    choices = {i.name: i.choices(session, user) for i in spec.inputs if i.choices is not None}
    page: dict[str, Any] = {"user": user, "spec": spec, "code": code, "values": values, "choices": choices}
    page |= {"problems": {}, "general": [], "conflict": None, "saved": None, "version": None, "comment": ""}
    page |= {"csrf": csrf_token(request), "local_settlements": {}, "local_districts": {}, **context}
    if code or any(name.endswith(tuple(PLACE_INPUTS)) for name in choices):  # a place to pick or a record's name:
        page |= local_names(request, session)  # its Azerbaijani spelling for Azerbaijani readers
    return templates.TemplateResponse(request, "forms/form.html", page, status_code=status_code)


def show_form(spec: FormSpec, request: Request, session: Session, user: User) -> HTMLResponse:
    code = request.path_params.get("code")
    check_district(spec, session, user, code)
    version = None
    if spec.current is not None:
        current = _shown(spec.current(session, user, str(code)))
        values, version = shown_values(spec.inputs, current), current["version"]
    else:
        values = {i.name: spec.defaults.get(i.name, False if i.kind == "checkbox" else "") for i in spec.inputs}
    saved = request.query_params.get("saved")
    return render_form(request, spec, session, user, code, values, version=version, saved=saved)


def save_form(spec: FormSpec, request: Request, session: Session, user: User, posted: dict[str, str]) -> Response:
    check_csrf(request, posted)
    code = request.path_params.get("code")
    check_district(spec, session, user, code)
    names = [i.name for i in spec.inputs]
    values = read_values(spec.inputs, posted, empty_is_none=spec.is_edit)
    comment = posted.get("comment", "").strip() or None
    if spec.is_edit:
        values |= {"version": posted.get("version", ""), "comment": comment}
    again = {"version": posted.get("version"), "comment": posted.get("comment", "")}
    try:
        data: BaseModel = spec.schema.model_validate(values)
        Why(comment=comment)
    except ValidationError as exc:
        by_field, general = validation_problems(exc, [*names, "comment"])
        if "version" in by_field:
            general.append(f"version: {by_field.pop('version')}")
        return render_form(request, spec, session, user, code, typed_back(spec.inputs, posted), 422,
                           problems=by_field, general=general, **again)  # fmt: skip
    try:
        saved = spec.save(session, user, code, data, comment)
    except (Forbidden, Unauthorized):
        raise  # the error page; the unit of work rolls everything back
    except StaleVersion as exc:
        current = exc.details.get("current") or _shown(_current_record(spec, session, user, exc))
        session.rollback()
        again["version"] = current["version"]
        return render_form(request, spec, session, user, code, typed_back(spec.inputs, posted), 409,
                           conflict={"current": shown_values(spec.inputs, current), "version": current["version"],
                                     "opened": posted.get("version")}, **again)  # fmt: skip
    except (DomainError, IntegrityError, DataError, OverflowError, StaleDataError) as exc:
        session.rollback()
        status_code, by_field, general = _refusal(exc, posted, names)
        return render_form(request, spec, session, user, code, typed_back(spec.inputs, posted), status_code,
                           problems=by_field, general=general, **again)  # fmt: skip
    target = spec.url(code) if spec.is_edit else spec.url()
    return RedirectResponse(f"{target}?saved={quote(saved)}", status_code=303)


def _shown(current: Any) -> dict[str, Any]:
    """A record to change as the form shows it: a door's view of it, or the record's own columns."""
    return current.model_dump(mode="json") if isinstance(current, BaseModel) else audit.snapshot(current)


def _current_record(spec: FormSpec, session: Session, user: User, exc: StaleVersion) -> Any:
    """The record a use-case refused a stale change of, as the form's own view shows it when it has one."""
    return spec.current(session, user, str(exc.record.code)) if spec.current is not None else exc.record


def _refusal(exc: Exception, posted: Mapping[str, str], names: list[str]) -> tuple[int, dict[str, str], list[str]]:
    """A service's refusal next to its field when it names one; what the database caught, above the form."""
    if isinstance(exc, DomainError):
        by_field = domain_problems(exc, posted, names)
        return exc.status, by_field, [] if by_field else [exc.message]
    if isinstance(exc, StaleDataError):
        return 409, {}, ["the record was changed by someone else at the same moment; open the form again"]
    if isinstance(exc, IntegrityError):
        return 409, {}, ["the change breaks a rule of the database: " + str(exc.orig).splitlines()[0]]
    return 422, {}, ["a value is out of the range the database can store"]


def _mount(spec: FormSpec) -> None:
    """GET and POST routes for one form, guarded by the same roles as the API write they stand for."""
    Who = Annotated[User, Depends(Requires(*spec.roles))]

    def show(request: Request, session: DbSession, user: Who) -> HTMLResponse:
        return show_form(spec, request, session, user)

    def save(request: Request, session: DbSession, user: Who, posted: Posted) -> Response:
        return save_form(spec, request, session, user, posted)

    name = spec.path.replace("/{code}", "").replace("/", "_").replace("-", "_")
    router.add_api_route(spec.url(), show, methods=["GET"], name=f"form_{name}")
    router.add_api_route(spec.url(), save, methods=["POST"], name=f"save_{name}")


for _spec in FORMS.values():
    _mount(_spec)


@router.get("/forms")
def forms_index(request: Request, user: Annotated[User, Depends(Requires(*FORM_USERS))]) -> HTMLResponse:
    """The forms this account may use, and the lists that lead to the records it may change."""
    usable = [spec for spec in FORMS.values() if spec.allows(user.role) and "{code}" not in spec.path]
    lists = [(path, listed.title) for path, listed in LISTS.items() if listed.allows(user.role)]
    return templates.TemplateResponse(request, "forms/index.html", {"user": user, "forms": usable, "lists": lists})


def _mount_list(kind: str) -> None:
    listed = LISTS[kind]
    Who = Annotated[User, Depends(Requires(*listed.roles))]

    def records(request: Request, session: DbSession, user: Who) -> HTMLResponse:
        """The records this account may change, a page at a time, sorted and filtered (web/record_lists.py)."""
        view = list_view(request, listed.spec)
        total, rows = listed.rows(session, user, view)
        context = {"user": user, "kind": kind, "title": listed.title, "rows": rows, "view": view,
                   "window": view.window(total), "headers": listed.headers,
                   "choices": filter_choices(request, session, user, kind, view),
                   **local_names(request, session)}  # fmt: skip
        return templates.TemplateResponse(request, "forms/records.html", context)

    router.add_api_route(f"/forms/{kind}", records, methods=["GET"], name=f"records_{kind.replace('-', '_')}")


for _kind in LISTS:
    _mount_list(_kind)
