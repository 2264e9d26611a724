"""Tokens for scripts, who am I, accounts (admin) and the audit trail (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from homecoming.accounts import service
from homecoming.accounts.models import Role, User
from homecoming.accounts.schemas import TokenIssued, TokenRequest, UserCreate, UserRead
from homecoming.api.deps import ACCOUNTS, DbSession, Requires, public
from homecoming.api.listing import Codes, Page, PagingDep
from homecoming.api.schemas import AuditOut, build
from homecoming.audit import service as audit
from homecoming.errors import DomainError

router = APIRouter(prefix="/api", tags=["accounts and audit"])
Admin = Annotated[User, Depends(Requires(Role.ADMIN))]


def user_out(codes: Codes, user: User) -> UserRead:
    return build(UserRead, user, district_code=codes.district(user.district_id))


@router.post("/auth/token", dependencies=[Depends(public)])
def issue_token(session: DbSession, data: TokenRequest) -> TokenIssued:
    user = service.authenticate(session, data.username, data.password)
    return TokenIssued(token=service.issue_token(session, user, data.name))


@router.post("/auth/revoke", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(request: Request, session: DbSession, _user: Annotated[User, Depends(Requires(*ACCOUNTS))]) -> None:
    """Revoke the bearer token this request was made with."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise DomainError("auth.no_token", "send the token to revoke as `Authorization: Bearer <token>`")
    service.revoke_token(session, header[7:].strip())


@router.get("/auth/me")
def me(session: DbSession, user: Annotated[User, Depends(Requires(*ACCOUNTS))]) -> UserRead:
    return user_out(Codes(session), user)


@router.get("/users")
def list_users(session: DbSession, _admin: Admin) -> list[UserRead]:
    codes = Codes(session)
    return [user_out(codes, u) for u in session.scalars(select(User).order_by(User.username))]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(session: DbSession, _admin: Admin, data: UserCreate) -> UserRead:
    return user_out(Codes(session), service.create_user(session, data))


@router.get("/audit")
def audit_trail(
    session: DbSession, _admin: Admin, paging: PagingDep, table: str | None = None, record: str | None = None
) -> Page[AuditOut]:
    total, rows = audit.entries(session, table=table, record_code=record, limit=paging.limit, offset=paging.offset)
    items = [build(AuditOut, row) for row in rows]
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)


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
