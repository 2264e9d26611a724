"""Logging in, the one rule for the API's token request and the login page: throttled per account name and per
address (429 with how long to wait), locked after repeated failures until an admin unlocks, audited.

A refused attempt must be remembered even though the request fails, so `log_in` returns the refusal instead of
raising it: the door commits the unit of work (the failure row, the counter, the audit entry), then raises it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from homecoming.accounts import service
from homecoming.accounts.models import LoginFailure, User
from homecoming.accounts.roles import Role
from homecoming.accounts.rules import LoginRules, retry_after_s
from homecoming.audit import service as audit
from homecoming.errors import DomainError, Forbidden, TooManyRequests

NAME_CHARS = 64  # the column's width; a longer name tried is counted under its first 64 characters


@dataclass(frozen=True)
class LoginOutcome:
    """The account that logged in, or why not (to be raised once the attempt is committed)."""

    user: User | None
    refusal: DomainError | None


def log_in(
    session: Session, username: str, password: str, address: str, now: dt.datetime, rules: LoginRules
) -> LoginOutcome:
    name = username[:NAME_CHARS]
    since = now - rules.window
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))  # older failures count no more
    waited = _throttled(session, name, address, since, now, rules)
    if waited is not None:
        return LoginOutcome(None, waited)
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is not None and user.locked_at is not None:
        return LoginOutcome(None, locked())
    if service.password_matches(session, user, password) and user is not None and user.active:
        user.failed_logins = 0
        session.execute(delete(LoginFailure).where(LoginFailure.username == name))
        session.flush()
        return LoginOutcome(user, None)
    return LoginOutcome(None, _failed(session, user, name, address, since, now, rules))


def locked() -> Forbidden:
    return Forbidden(
        "auth.locked",
        "this account is locked after too many failed log-ins; an admin can unlock it (`homecoming admin unlock USER`)",
    )


def _throttled(
    session: Session, name: str, address: str, since: dt.datetime, now: dt.datetime, rules: LoginRules
) -> TooManyRequests | None:
    for scope, column, value, limit in (
        ("account", LoginFailure.username, name, rules.failures_per_account),
        ("address", LoginFailure.address, address, rules.failures_per_address),
    ):
        times = list(session.scalars(select(LoginFailure.at).where(column == value, LoginFailure.at > since)))
        wait_s = retry_after_s(times, limit, rules.window, now)
        if wait_s is not None:
            return TooManyRequests(
                "auth.throttled",
                f"too many failed log-ins for this {scope}; try again in {wait_s} seconds",
                {"retry_after_s": wait_s, "scope": scope},
            )
    return None


def _failed(
    session: Session,
    user: User | None,
    name: str,
    address: str,
    since: dt.datetime,
    now: dt.datetime,
    rules: LoginRules,
) -> DomainError:
    """Count the failure; a burst that reaches a limit, and a lock, go to the audit trail."""
    failure = LoginFailure(username=name, address=address, at=now)
    session.add(failure)
    session.flush()
    by_name = _count(session, LoginFailure.username == name, since)
    by_address = _count(session, LoginFailure.address == address, since)
    actor = User(username=f"anonymous@{address}"[:NAME_CHARS], role=Role.PUBLIC)  # who tried; never stored
    if by_name == rules.failures_per_account or by_address == rules.failures_per_address:
        burst = {"address": address, "failures_for_name": by_name, "failures_from_address": by_address,
                 "window_s": int(rules.window.total_seconds())}  # fmt: skip
        audit.record_change(session, actor, "login_burst", failure, before=None, after=burst, code=name)
    if user is None:
        return service.bad_credentials()
    before = service.account_state(user)
    user.failed_logins += 1
    if user.failed_logins >= rules.lock_after:
        user.locked_at = now
        session.flush()
        why = f"locked after {user.failed_logins} failed log-ins in a row"
        audit.record_change(session, actor, "lock", user, before=before, after=service.account_state(user),
                            comment=why, code=name)  # fmt: skip
        return locked()
    session.flush()
    return service.bad_credentials()


def _count(session: Session, where: ColumnElement[bool], since: dt.datetime) -> int:
    return session.scalar(select(func.count()).select_from(LoginFailure).where(where, LoginFailure.at > since)) or 0
