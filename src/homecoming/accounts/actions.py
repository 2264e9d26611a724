"""What an admin does to an account, whichever door asks (API, command line): create, unlock, deactivate,
activate, set a password, revoke everything it holds. Each checks the role first and writes one audit entry.

Logging in (throttled, with lockout) is in homecoming.accounts.logins; tokens and hashes in accounts.service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from homecoming.accounts import permissions, service
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import PasswordChange, UserCreate
from homecoming.audit import service as audit
from homecoming.errors import RuleViolation

ADMINS = (Role.ADMIN,)


def create_user(session: Session, actor: User | None, data: UserCreate, *, comment: str | None = None) -> User:
    """A new account; the trail keeps its name, role and place, never its password hash."""
    admin = permissions.require_role(actor, *ADMINS)
    user = service.create_user(session, data)
    audit.record_change(session, admin, "create", user, before=None, after=service.account_profile(user),
                        comment=comment, code=user.username)  # fmt: skip
    return user


def unlock(
    session: Session, actor: User | None, username: str, *, now: dt.datetime, comment: str | None = None
) -> User:
    """Let a locked account log in again (its count of failures starts over)."""

    def clear(_admin: User, user: User) -> None:
        user.locked_at, user.failed_logins = None, 0

    return _change_state(session, actor, username, "unlock", clear, comment)


def deactivate(
    session: Session, actor: User | None, username: str, *, now: dt.datetime, comment: str | None = None
) -> User:
    """The account stops working at once: every page session and token it holds is revoked, and no log-in,
    session or token of it is accepted while it is inactive."""

    def stop(admin: User, user: User) -> None:
        if admin.id is not None and user.id == admin.id:
            raise RuleViolation(
                "users.deactivate_self", "an admin cannot deactivate their own account; ask another admin"
            )
        user.active = False
        service.revoke_everything(session, user, now)

    return _change_state(session, actor, username, "deactivate", stop, comment)


def activate(
    session: Session, actor: User | None, username: str, *, now: dt.datetime, comment: str | None = None
) -> User:
    """Undo a deactivation: the account may log in again (its old sessions and tokens stay revoked)."""

    def start(_admin: User, user: User) -> None:
        user.active = True

    return _change_state(session, actor, username, "activate", start, comment)


def _change_state(
    session: Session, actor: User | None, username: str, action: str, change: Callable[[User, User], None],
    comment: str | None,
) -> User:  # fmt: skip
    """An admin's change of an account's state (`change(admin, account)`), with the state before and after in one
    audit entry."""
    admin = permissions.require_role(actor, *ADMINS)
    user = service.get_user(session, username)
    before = service.account_state(user)
    change(admin, user)
    session.flush()
    audit.record_change(session, admin, action, user, before=before, after=service.account_state(user),
                        comment=comment, code=user.username)  # fmt: skip
    return user


def set_password(
    session: Session, actor: User | None, username: str, data: PasswordChange, *, now: dt.datetime,
    comment: str | None = None,
) -> User:  # fmt: skip
    """A new password; every session and token of the account is revoked, as whoever knew the old password may
    hold one."""
    admin = permissions.require_role(actor, *ADMINS)
    user = service.get_user(session, username)
    service.set_password_hash(user, data.password)
    revoked = service.revoke_everything(session, user, now)
    audit.record_change(session, admin, "password", user, before=None, after={"password": "changed", **revoked},
                        comment=comment, code=user.username)  # fmt: skip
    return user


def revoke_all(
    session: Session, actor: User | None, username: str, *, now: dt.datetime, comment: str | None = None
) -> User:
    """Revoke every page session and token the account holds (a device lost, a token leaked)."""
    admin = permissions.require_role(actor, *ADMINS)
    user = service.get_user(session, username)
    revoked = service.revoke_everything(session, user, now)
    audit.record_change(session, admin, "revoke", user, before=None, after=revoked, comment=comment,
                        code=user.username)  # fmt: skip
    return user
