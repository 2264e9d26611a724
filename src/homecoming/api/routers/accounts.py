"""Tokens for scripts, who am I, accounts (admin: create, unlock, deactivate, revoke) and the audit trail (admin)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from homecoming.accounts import actions, read_models, service
from homecoming.accounts.models import User
from homecoming.accounts.schemas import CsrfToken, TokenIssued, TokenRequest, UserCreate, UserRead
from homecoming.audit import service as audit
from homecoming.errors import DomainError
from homecoming.http.csrf import csrf_token
from homecoming.http.deps import (
    ACCOUNTS,
    Comment,
    DbSession,
    Requires,
    RequiresInUnit,
    Unit,
    log_in,
    public,
    server_now,
)
from homecoming.http.listing import Codes, Page, PagingDep
from homecoming.http.schemas import AuditOut, build

router = APIRouter(prefix="/api", tags=["accounts and audit"])
Admin = Annotated[User, Depends(Requires(*actions.ADMINS))]
AdminUnit = Annotated[Unit, Depends(RequiresInUnit(*actions.ADMINS))]


def user_out(codes: Codes, user: User) -> UserRead:
    return build(UserRead, user, district_code=codes.district(user.district_id), locked=user.locked_at is not None)


@router.post("/auth/token", dependencies=[Depends(public)])
def issue_token(request: Request, session: DbSession, data: TokenRequest) -> TokenIssued:
    """A bearer token for a script, valid for `valid_days` (default: the server's token lifetime). Failed attempts
    are throttled per account and per address (429, `Retry-After`) and lock the account after too many in a row."""
    user = log_in(request, data.username, data.password)
    now = server_now(request)
    days = data.valid_days or request.app.state.settings.token_lifetime_days
    token = service.issue_token(session, user, data.name, now=now, lifetime=dt.timedelta(days=days))
    return TokenIssued(token=token, expires_at=now + dt.timedelta(days=days))


@router.post("/auth/revoke", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(request: Request, session: DbSession, _user: Annotated[User, Depends(Requires(*ACCOUNTS))]) -> None:
    """Revoke the bearer token this request was made with."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise DomainError("auth.no_token", "send the token to revoke as `Authorization: Bearer <token>`")
    service.revoke_token(session, header[7:].strip())


@router.get("/auth/csrf")
def session_csrf(request: Request, _user: Annotated[User, Depends(Requires(*ACCOUNTS))]) -> CsrfToken:
    """The page session's CSRF token: a script using the session cookie sends it as `X-CSRF-Token` with writes."""
    return CsrfToken(csrf_token=csrf_token(request))


@router.get("/auth/me")
def me(session: DbSession, user: Annotated[User, Depends(Requires(*ACCOUNTS))]) -> UserRead:
    return user_out(Codes(session), user)


@router.get("/users")
def list_users(session: DbSession, _admin: Admin) -> list[UserRead]:
    codes = Codes(session)
    return [user_out(codes, u) for u in read_models.users(session)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(session: DbSession, admin: Admin, data: UserCreate, comment: Comment = None) -> UserRead:
    return user_out(Codes(session), actions.create_user(session, admin, data, comment=comment))


@router.post("/users/{username}/unlock")
def unlock_user(request: Request, session: DbSession, admin: Admin, username: str, comment: Comment = None) -> UserRead:
    """Let an account locked after too many failed log-ins log in again."""
    changed = actions.unlock(session, admin, username, now=server_now(request), comment=comment)
    return user_out(Codes(session), changed)


@router.post("/users/{username}/deactivate")
def deactivate_user(
    request: Request, session: DbSession, admin: Admin, username: str, comment: Comment = None
) -> UserRead:
    """The account stops working at once: its sessions and tokens are revoked and no log-in is accepted."""
    changed = actions.deactivate(session, admin, username, now=server_now(request), comment=comment)
    return user_out(Codes(session), changed)


@router.post("/users/{username}/activate")
def activate_user(
    request: Request, session: DbSession, admin: Admin, username: str, comment: Comment = None
) -> UserRead:
    """Let a deactivated account log in again (its old sessions and tokens stay revoked)."""
    changed = actions.activate(session, admin, username, now=server_now(request), comment=comment)
    return user_out(Codes(session), changed)


@router.post("/users/{username}/revoke")
def revoke_user(request: Request, session: DbSession, admin: Admin, username: str, comment: Comment = None) -> UserRead:
    """Revoke every page session and bearer token the account holds."""
    changed = actions.revoke_all(session, admin, username, now=server_now(request), comment=comment)
    return user_out(Codes(session), changed)


@router.get("/audit", response_model=Page[AuditOut])
async def audit_trail(
    unit: AdminUnit, paging: PagingDep, table: str | None = None, record: str | None = None
) -> Response:
    def page(session: Session, _user: User | None) -> Page[AuditOut]:
        total, rows = audit.entries(session, table=table, record_code=record, limit=paging.limit, offset=paging.offset)
        items = [build(AuditOut, row) for row in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.kept(page)


@router.get("/audit.csv", response_class=PlainTextResponse)
def audit_export(
    session: DbSession,
    _admin: Admin,
    table: str | None = None,
    record: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> PlainTextResponse:
    _total, rows = audit.entries(session, table=table, record_code=record, limit=limit)
    return PlainTextResponse(audit.to_csv(rows), media_type="text/csv")
