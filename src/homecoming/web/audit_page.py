"""The audit trail for admins: filter by who, table, record, action and days; each entry's differences and reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field, ValidationError

from homecoming.accounts.actions import ADMINS
from homecoming.accounts.models import User
from homecoming.audit import service as audit
from homecoming.errors import RuleViolation
from homecoming.http.deps import DbSession, Requires
from homecoming.web.listing import ListSpec, list_view
from homecoming.web.pages import templates

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, Depends(Requires(*ADMINS))]
EXPORT_LIMIT = 100_000
ACTIONS = ("create", "update", "delete")


class AuditFilters(BaseModel):
    """The page's filters; an empty box is no filter."""

    who: str | None = Field(default=None, max_length=64)
    table: str | None = Field(default=None, max_length=64)
    record: str | None = Field(default=None, max_length=64)
    action: str | None = Field(default=None, pattern="^(create|update|delete)$")
    since: dt.date | None = None
    until: dt.date | None = None

    def query(self) -> dict[str, Any]:
        return {
            "username": self.who,
            "table": self.table,
            "record_code": self.record,
            "action": self.action,
            "since": self.since,
            "until": self.until,
        }

    def link(self) -> str:
        return urlencode({k: v for k, v in self.model_dump(mode="json").items() if v is not None})


AUDIT_LIST = ListSpec(sortable=("at",), filters=tuple(AuditFilters.model_fields), default_sort="-at", per_page=25)


def _filters(request: Request) -> AuditFilters:
    raw = {k: v.strip() for k, v in request.query_params.items() if k in AuditFilters.model_fields and v.strip()}
    try:
        return AuditFilters.model_validate(raw)
    except ValidationError as exc:
        where = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())
        raise RuleViolation("audit.bad_filter", f"a filter is not valid — {where}") from exc


Filters = Annotated[AuditFilters, Depends(_filters)]


@router.get("/admin/audit")
def audit_page(
    request: Request,
    session: DbSession,
    user: Admin,
    filters: Filters,
) -> HTMLResponse:
    """The trail a page at a time (newest first unless `sort=at`), its filters kept by every link (web/listing.py)."""
    view = list_view(request, AUDIT_LIST)
    paging = view.paging
    total, rows = audit.entries(session, **filters.query(), limit=paging.limit, offset=paging.offset,
                                oldest_first=view.sort == "at")  # fmt: skip
    entries = [(row, audit.readable_differences(session, row), _utc(row.at)) for row in rows]
    context = {
        "user": user,
        "filters": filters,
        "entries": entries,
        "total": total,
        "page": view.page,
        "pages": max(1, -(-total // view.per_page)),
        "tables": audit.tables(session),
        "actions": ACTIONS,
        "view": view,
        "window": view.window(total),
        "export": filters.link(),
    }
    return templates.TemplateResponse(request, "admin/audit.html", context)


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite gives the stored UTC time without a zone; PostgreSQL gives it in the connection's zone."""
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


@router.get("/admin/audit.csv", response_class=PlainTextResponse)
def audit_csv(session: DbSession, _user: Admin, filters: Filters) -> PlainTextResponse:
    """The filtered trail as CSV (the same columns as /api/audit.csv), newest first."""
    _total, rows = audit.entries(session, **filters.query(), limit=EXPORT_LIMIT)
    return PlainTextResponse(
        audit.to_csv(rows),
        media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="audit.csv"'},
    )
