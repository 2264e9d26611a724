"""Dependencies every route uses: the request's unit of work, who is asking, and what their role may do.

Every route declares exactly one rule: `Depends(Requires(...roles))` or `Depends(public)`. A test walks the
route table and fails on a route with neither, so a new endpoint cannot be left open by forgetting.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import AfterValidator
from sqlalchemy.orm import Session

from homecoming import input_rules
from homecoming.accounts import service as accounts_service
from homecoming.accounts.models import Role, User
from homecoming.db.session import unit_of_work
from homecoming.errors import Forbidden, Unauthorized
from homecoming.phrases import Phrase

ACCOUNTS = tuple(role for role in Role if role != Role.PUBLIC)  # any logged-in account
# Why a change was made, given with any write that takes no body of its own; kept in the audit trail.
Comment = Annotated[
    str | None,
    Query(max_length=1000, description="why (kept in the audit trail)"),
    AfterValidator(input_rules.field_rule("comment")),
]

STAFF = tuple(role for role in ACCOUNTS if role != Role.CONTRACTOR)  # the programme's own people, not companies


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back when it raises."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


def optional_user(request: Request, session: DbSession) -> User | None:
    """The account behind a bearer token or the page session cookie, if any."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = accounts_service.user_for_token(session, header[7:].strip())
        if user is None:
            raise Unauthorized("auth.bad_token", "the bearer token is unknown or revoked; ask for a new one")
    else:
        user_id = request.session.get("user_id") if "session" in request.scope else None
        user = accounts_service.user_by_id(session, int(user_id)) if user_id is not None else None
    # Plain values, so an error page can still show who is logged in after the transaction rolled back.
    request.state.who = None if user is None else SimpleNamespace(username=user.username, role=user.role)
    return user


class Requires:
    """Only these roles (and admin, always) may use the route; nobody logged in gets 401, others 403."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset({*roles, Role.ADMIN})

    async def __call__(self, user: Annotated[User | None, Depends(optional_user)]) -> User:
        """A coroutine (it does no I/O), so FastAPI runs it in place instead of in a worker thread."""
        if user is None:
            raise Unauthorized("auth.required", "log in first (a session, or `Authorization: Bearer <token>`)")
        if user.role not in self.roles:
            raise Forbidden(
                "auth.forbidden",
                Phrase(
                    "the role {role} may not do this; it needs one of: {allowed}",
                    role=Phrase(str(user.role)),
                    allowed=tuple(Phrase(str(role)) for role in sorted(self.roles)),
                ),
                {"role": str(user.role), "allowed": sorted(self.roles)},
            )
        return user

    def __repr__(self) -> str:
        return f"Requires({', '.join(sorted(self.roles))})"


async def public() -> None:
    """The rule of a route anyone may use, logged in or not: aggregates and reference data only. (A coroutine only
    so that FastAPI calls it in place: a plain function would cost every public request a trip to a thread.)"""
