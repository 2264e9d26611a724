"""What the doors read of the accounts: the list of users, and an account by its name (the CLI's --as)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User


def users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def account_named(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def account(session: Session, user_id: int) -> User:
    """The account again, in this session (one loaded by another session, e.g. a login's)."""
    return session.get_one(User, user_id)
